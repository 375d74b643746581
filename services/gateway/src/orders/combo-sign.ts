import { PriceEffect } from "@spreadops/api";
import { checkComboLimit } from "@spreadops/core";
import type { ComboLimitProblem, VerticalSpread } from "@spreadops/core";

/** What the gateway knows of one option leg (from contract details). */
export interface LegFacts {
  readonly conId: number;
  /** IB secType, e.g. "OPT". */
  readonly secType: string;
  readonly right: "C" | "P" | undefined;
  readonly strike: number | undefined;
  /** YYYYMMDD. */
  readonly expiry: string;
  readonly symbol: string;
}

/** One leg of a combo with its facts. */
export interface DescribedLeg {
  readonly action: "BUY" | "SELL";
  readonly ratio: number;
  readonly facts: LegFacts;
}

/**
 * IB's signed combo limit for a positive premium in the spread's own terms (CONVENTIONS.md): a
 * credit spread trades at −premium, a debit spread at +premium, whether the combo is bought
 * (opening) or sold (closing), because SpreadOps always defines the combo by its opening legs.
 * @throws RangeError for a premium that is not a positive finite number or an unset effect.
 */
export function toIbComboLimit(premium: number, effect: PriceEffect): number {
  if (!(Number.isFinite(premium) && premium > 0)) throw new RangeError(`premium must be a positive number, got ${premium}`);
  if (effect === PriceEffect.CREDIT) return -premium;
  if (effect === PriceEffect.DEBIT) return premium;
  throw new RangeError("price effect must be CREDIT or DEBIT");
}

/**
 * The vertical spread a 2-leg combo is, or undefined when it is not one (other leg counts or
 * ratios, mixed rights or expiries, equal strikes, two legs on the same side).
 */
export function verticalOf(legs: readonly DescribedLeg[]): VerticalSpread | undefined {
  const [a, b] = legs;
  if (legs.length !== 2 || a === undefined || b === undefined) return undefined;
  if (a.ratio !== 1 || b.ratio !== 1 || a.action === b.action) return undefined;
  const { right } = a.facts;
  if (right === undefined || b.facts.right !== right || a.facts.expiry !== b.facts.expiry) return undefined;
  if (a.facts.strike === undefined || b.facts.strike === undefined || a.facts.strike === b.facts.strike) return undefined;
  const short = a.action === "SELL" ? a : b;
  const long = a.action === "SELL" ? b : a;
  const shortStrike = short.facts.strike ?? 0;
  const longStrike = long.facts.strike ?? 0;
  const shortUpper = shortStrike > longStrike;
  const kind = right === "P" ? (shortUpper ? "bullPut" : "bearPut") : shortUpper ? "bullCall" : "bearCall";
  const expiry = a.facts.expiry;
  return {
    kind,
    underlying: a.facts.symbol,
    expiry: `${expiry.slice(0, 4)}-${expiry.slice(4, 6)}-${expiry.slice(6, 8)}`,
    lowerStrike: Math.min(shortStrike, longStrike),
    upperStrike: Math.max(shortStrike, longStrike),
  };
}

const PROBLEM_TEXT: Readonly<Record<ComboLimitProblem, string>> = {
  "not-finite": "is not a finite number",
  zero: "is zero",
  "sign-contradicts-kind": "has the wrong sign for the spread (IB combo rule: credit spread negative, debit spread positive)",
  "not-below-width": "is not below the spread's width in size",
  "off-tick": "is not a multiple of the tick",
};

/**
 * Why a signed combo limit must not be sent, or undefined when it is acceptable. Only 2-leg
 * verticals can be judged; anything else is refused (fail closed: the sign cannot be checked).
 */
export function comboLimitProblem(legs: readonly DescribedLeg[], limit: number): string | undefined {
  const spread = verticalOf(legs);
  if (spread === undefined) return "the combo is not a 2-leg vertical spread, so the sign of its limit price cannot be checked";
  const problem = checkComboLimit(spread, limit);
  return problem === undefined ? undefined : `limit price ${limit} ${PROBLEM_TEXT[problem]} (${spread.kind} ${spread.lowerStrike}/${spread.upperStrike})`;
}
