import { Direction, SpreadKind, SpreadKindSelection } from "@spreadops/api";

/** AUTO's default threshold, as in the proto: credit above the 50th IV percentile. */
export const DEFAULT_CREDIT_THRESHOLD = 50;

/** The chosen kind and why, or why none could be chosen. */
export type KindDecision =
  | { readonly ok: true; readonly kind: SpreadKind; readonly selection: SpreadKindSelection; readonly reason: string }
  | { readonly ok: false; readonly reason: string };

const NAMES: Readonly<Record<SpreadKind, string>> = {
  [SpreadKind.UNSPECIFIED]: "unspecified",
  [SpreadKind.BULL_PUT]: "bull put",
  [SpreadKind.BEAR_CALL]: "bear call",
  [SpreadKind.BULL_CALL]: "bull call",
  [SpreadKind.BEAR_PUT]: "bear put",
};

/** Plain name of a spread kind ("bull put"). */
export function kindName(kind: SpreadKind): string {
  return NAMES[kind];
}

const FIXED: Partial<Record<SpreadKindSelection, SpreadKind>> = {
  [SpreadKindSelection.BULL_PUT]: SpreadKind.BULL_PUT,
  [SpreadKindSelection.BEAR_CALL]: SpreadKind.BEAR_CALL,
  [SpreadKindSelection.BULL_CALL]: SpreadKind.BULL_CALL,
  [SpreadKindSelection.BEAR_PUT]: SpreadKind.BEAR_PUT,
};

const SELECTION_OF: Readonly<Record<SpreadKind, SpreadKindSelection>> = {
  [SpreadKind.UNSPECIFIED]: SpreadKindSelection.UNSPECIFIED,
  [SpreadKind.BULL_PUT]: SpreadKindSelection.BULL_PUT,
  [SpreadKind.BEAR_CALL]: SpreadKindSelection.BEAR_CALL,
  [SpreadKind.BULL_CALL]: SpreadKindSelection.BULL_CALL,
  [SpreadKind.BEAR_PUT]: SpreadKindSelection.BEAR_PUT,
};

/**
 * The spread kind for a direction: fixed by the spec, or AUTO — credit (bull put / bear call)
 * when the IV percentile is strictly above the threshold, debit (bull call / bear put)
 * otherwise. AUTO with an unknown percentile fails (DROP_REASON_IV_UNKNOWN), never guesses.
 * The concrete kind is passed to the scanner so the strategy's choice and reason are the ones
 * traded.
 */
export function chooseKind(selection: SpreadKindSelection, direction: Direction, ivPercentile: number | undefined, threshold = DEFAULT_CREDIT_THRESHOLD): KindDecision {
  const fixed = FIXED[selection];
  if (fixed !== undefined) return { ok: true, kind: fixed, selection, reason: `fixed by spec: ${kindName(fixed)}` };
  if (direction !== Direction.BULLISH && direction !== Direction.BEARISH) return { ok: false, reason: "no direction: the entry rules did not agree" };
  if (ivPercentile === undefined || !Number.isFinite(ivPercentile)) return { ok: false, reason: "auto: IV percentile unknown (no implied-volatility history), cannot choose credit or debit" };
  const credit = ivPercentile > threshold;
  const bull = direction === Direction.BULLISH;
  const kind = credit ? (bull ? SpreadKind.BULL_PUT : SpreadKind.BEAR_CALL) : bull ? SpreadKind.BULL_CALL : SpreadKind.BEAR_PUT;
  const pct = ivPercentile.toFixed(1);
  return {
    ok: true,
    kind,
    selection: SELECTION_OF[kind],
    reason: `auto: IV percentile ${pct} ${credit ? ">" : "≤"} ${threshold} → ${credit ? "credit" : "debit"} (${kindName(kind)})`,
  };
}
