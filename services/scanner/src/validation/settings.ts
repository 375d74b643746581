import type { SpreadSettings, UnderlyingStats } from "@spreadops/api";
import { Direction, SpreadKindSelection } from "@spreadops/api";
import { invalidArgument } from "@spreadops/runtime";
import { enumValues, join, requireBetween, requireEnum, requireIntIn, requirePresent } from "./checks.js";

/** Most candidates one scan returns; more is a caller bug, not a use (the response grows linearly). */
export const MAX_TOP_K = 500;

/** Ranking weights' defaults, from RankingWeights in scanner.proto. */
export const DEFAULT_WEIGHTS = { probabilityOfProfit: 1, returnOnRisk: 1, expectedValue: 1, liquidity: 0.5 } as const;

const KINDS = enumValues(SpreadKindSelection, false);
const DIRECTIONS = enumValues(Direction, true);
const AUTO_DIRECTIONS = [Direction.BULLISH, Direction.BEARISH];

/**
 * SpreadSettings: a known kind (never UNSPECIFIED); AUTO needs BULLISH or BEARISH; threshold a
 * percent 0–100; limit offset ≥ 0 USD per share; top_k 1–{@link MAX_TOP_K} when set; weights ≥ 0,
 * finite, and not all zero once defaults fill the unset ones. `field` is the settings' path.
 */
export function validateSpreadSettings(settings: SpreadSettings | undefined, field: string): void {
  const s = requirePresent(settings, field, "spread settings with a kind");
  const f = (name: string): string => join(field, name);
  requireEnum(s.kind, KINDS, f("kind"), "AUTO, BULL_PUT, BEAR_CALL, BULL_CALL or BEAR_PUT");
  requireEnum(s.direction, DIRECTIONS, f("direction"), "BULLISH, BEARISH or unspecified");
  if (s.kind === SpreadKindSelection.AUTO) {
    requireEnum(s.direction, AUTO_DIRECTIONS, f("direction"), "BULLISH or BEARISH (AUTO needs a direction)");
  }
  if (s.creditWhenIvPercentileAbove !== undefined) {
    requireBetween(s.creditWhenIvPercentileAbove, 0, 100, f("credit_when_iv_percentile_above"), "a percent from 0 to 100");
  }
  if (s.limitOffset !== undefined) requireBetween(s.limitOffset, 0, undefined, f("limit_offset"), "a non-negative number of USD per share");
  if (s.topK !== undefined) requireIntIn(s.topK, 1, MAX_TOP_K, f("top_k"));
  if (s.weights !== undefined) {
    const w = s.weights;
    const effective = {
      probabilityOfProfit: w.probabilityOfProfit ?? DEFAULT_WEIGHTS.probabilityOfProfit,
      returnOnRisk: w.returnOnRisk ?? DEFAULT_WEIGHTS.returnOnRisk,
      expectedValue: w.expectedValue ?? DEFAULT_WEIGHTS.expectedValue,
      liquidity: w.liquidity ?? DEFAULT_WEIGHTS.liquidity,
    };
    const names = { probabilityOfProfit: "probability_of_profit", returnOnRisk: "return_on_risk", expectedValue: "expected_value", liquidity: "liquidity" } as const;
    for (const key of Object.keys(names) as (keyof typeof names)[]) {
      requireBetween(effective[key], 0, undefined, f(`weights.${names[key]}`), "a finite weight ≥ 0");
    }
    const sum = effective.probabilityOfProfit + effective.returnOnRisk + effective.expectedValue + effective.liquidity;
    if (sum === 0) throw invalidArgument(f("weights"), "at least one weight above 0 (unset weights take their defaults)", "all weights 0");
  }
}

/** UnderlyingStats given by the caller: IV percentile and rank 0–100, implied vol ≥ 0. */
export function validateUnderlyingStats(stats: UnderlyingStats | undefined, field: string): void {
  if (stats === undefined) return;
  if (stats.ivPercentile !== undefined) requireBetween(stats.ivPercentile, 0, 100, join(field, "iv_percentile"), "a percent from 0 to 100");
  if (stats.ivRank !== undefined) requireBetween(stats.ivRank, 0, 100, join(field, "iv_rank"), "a percent from 0 to 100");
  if (stats.impliedVol !== undefined) requireBetween(stats.impliedVol, 0, undefined, join(field, "implied_vol"), "a non-negative annualized fraction");
}
