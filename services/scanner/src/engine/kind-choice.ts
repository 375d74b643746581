import { create } from "@bufbuild/protobuf";
import { Direction, KindChoiceSchema, SpreadKind, SpreadKindSelection, type KindChoice } from "@spreadops/api";
import type { SpreadKind as CoreKind } from "@spreadops/core";
import { DomainError, invalidArgument } from "@spreadops/runtime";

/** Default AUTO threshold (scanner.proto `credit_when_iv_percentile_above`). */
export const DEFAULT_CREDIT_THRESHOLD = 50;

/** Core kind name → proto SpreadKind. */
export const PROTO_KIND: Readonly<Record<CoreKind, SpreadKind>> = {
  bullPut: SpreadKind.BULL_PUT,
  bearCall: SpreadKind.BEAR_CALL,
  bullCall: SpreadKind.BULL_CALL,
  bearPut: SpreadKind.BEAR_PUT,
};

const KIND_LABEL: Readonly<Record<CoreKind, string>> = {
  bullPut: "credit spread (bull put)",
  bearCall: "credit spread (bear call)",
  bullCall: "debit spread (bull call)",
  bearPut: "debit spread (bear put)",
};

/** The kinds a scan builds, and for AUTO how they were chosen. */
export interface KindResolution {
  readonly kinds: readonly CoreKind[];
  readonly choice: KindChoice | undefined;
}

/**
 * Resolves the settings' kind selection. AUTO: credit when the IV percentile is strictly above
 * the threshold (default 50), debit otherwise; the direction picks bull or bear.
 * @throws invalidArgument for an unspecified selection, AUTO without a direction or a threshold
 *   outside 0–100; DomainError failed_precondition when AUTO meets an unknown IV percentile.
 */
export function resolveKinds(
  selection: SpreadKindSelection,
  direction: Direction,
  threshold: number | undefined,
  ivPercentile: number | undefined,
): KindResolution {
  switch (selection) {
    case SpreadKindSelection.BULL_PUT:
      return { kinds: ["bullPut"], choice: undefined };
    case SpreadKindSelection.BEAR_CALL:
      return { kinds: ["bearCall"], choice: undefined };
    case SpreadKindSelection.BULL_CALL:
      return { kinds: ["bullCall"], choice: undefined };
    case SpreadKindSelection.BEAR_PUT:
      return { kinds: ["bearPut"], choice: undefined };
    case SpreadKindSelection.AUTO:
      break;
    default:
      throw invalidArgument("settings.kind", "AUTO, BULL_PUT, BEAR_CALL, BULL_CALL or BEAR_PUT", selection);
  }
  if (direction !== Direction.BULLISH && direction !== Direction.BEARISH) {
    throw invalidArgument("settings.direction", "BULLISH or BEARISH when kind is AUTO", direction);
  }
  const limit = threshold ?? DEFAULT_CREDIT_THRESHOLD;
  if (!(limit >= 0 && limit <= 100)) {
    throw invalidArgument("settings.credit_when_iv_percentile_above", "a number in [0, 100]", limit);
  }
  if (ivPercentile === undefined || !Number.isFinite(ivPercentile)) {
    throw new DomainError(
      "failed_precondition",
      "spread kind AUTO needs the underlying's IV percentile, which is unknown",
    );
  }
  const credit = ivPercentile > limit;
  const bullish = direction === Direction.BULLISH;
  const kind: CoreKind = credit ? (bullish ? "bullPut" : "bearCall") : bullish ? "bullCall" : "bearPut";
  const reason = `IV percentile ${formatNumber(ivPercentile)} ${credit ? ">" : "≤"} ${formatNumber(limit)}: ${KIND_LABEL[kind]}`;
  return {
    kinds: [kind],
    choice: create(KindChoiceSchema, { kind: PROTO_KIND[kind], ivPercentile, threshold: limit, reason }),
  };
}

/** Up to two decimals, no trailing zeros (84 → "84", 84.125 → "84.13"). */
function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}
