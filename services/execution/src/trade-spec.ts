import type { TradeSpec } from "@spreadops/api";
import { OptionRight, SpreadKind, TradingMode } from "@spreadops/api";
import type { SpreadKind as CoreSpreadKind, VerticalSpread } from "@spreadops/core";
import { SPREAD_KINDS, isExchangeDate, spreadWidth } from "@spreadops/core";
import { invalidArgument } from "@spreadops/runtime";

/** A TradeSpec that passed {@link validateTradeSpec}: every number checked, strikes ordered. */
export interface ValidTrade {
  readonly tradeId: string;
  readonly strategyRef: string;
  readonly underlying: string;
  readonly kind: CoreSpreadKind;
  readonly spread: VerticalSpread;
  /** YYYYMMDD as in the API. */
  readonly expiry: number;
  readonly right: OptionRight;
  readonly credit: boolean;
  readonly shortStrike: number;
  readonly longStrike: number;
  readonly quantity: number;
  /** Premium per share in the spread's direction, > 0 and < width. */
  readonly limitPrice: number;
  readonly mode: TradingMode;
  readonly shortConId: number;
  readonly longConId: number;
  readonly nonGuaranteed: boolean;
}

const KINDS: ReadonlyMap<SpreadKind, CoreSpreadKind> = new Map([
  [SpreadKind.BULL_PUT, "bullPut"],
  [SpreadKind.BEAR_CALL, "bearCall"],
  [SpreadKind.BULL_CALL, "bullCall"],
  [SpreadKind.BEAR_PUT, "bearPut"],
]);

/** Maximum orderRef length IB keeps. */
export const MAX_TRADE_ID_LENGTH = 40;

/** YYYYMMDD → YYYY-MM-DD, or undefined when it is not a calendar date. */
export function expiryDate(expiry: number): string | undefined {
  if (!Number.isInteger(expiry) || expiry < 19000101 || expiry > 29991231) return undefined;
  const text = String(expiry);
  const date = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  return isExchangeDate(date) ? date : undefined;
}

/**
 * Checks a TradeSpec field by field and throws InvalidArgument naming the first bad field
 * (`trade.<proto name>`). A price whose sign contradicts the kind is refused, never flipped.
 * `requireTradeId` is false for previews; `field` is the request field holding the spec
 * (`new_trade` for RollSpread).
 */
export function validateTradeSpec(spec: TradeSpec | undefined, requireTradeId: boolean, field = "trade"): ValidTrade {
  if (spec === undefined) throw invalidArgument(field, "a TradeSpec", "unset");
  const tradeId = spec.tradeId;
  if (requireTradeId || tradeId !== "") {
    if (tradeId.length < 1 || tradeId.length > MAX_TRADE_ID_LENGTH || tradeId.trim() !== tradeId) {
      throw invalidArgument(`${field}.trade_id`, `1–${MAX_TRADE_ID_LENGTH} characters without surrounding spaces`, tradeId);
    }
  }
  const underlying = spec.underlying.trim();
  if (!/^[A-Z0-9.]{1,12}$/.test(underlying)) throw invalidArgument(`${field}.underlying`, "an upper-case symbol such as SPY", spec.underlying);
  const kind = KINDS.get(spec.kind);
  if (kind === undefined) throw invalidArgument(`${field}.kind`, "BULL_PUT, BEAR_CALL, BULL_CALL or BEAR_PUT", spec.kind);
  const date = expiryDate(spec.expiry);
  if (date === undefined) throw invalidArgument(`${field}.expiry`, "a YYYYMMDD date", spec.expiry);
  const { shortStrike, longStrike } = spec;
  if (!(shortStrike > 0 && shortStrike < Infinity)) throw invalidArgument(`${field}.short_strike`, "a positive finite strike", shortStrike);
  if (!(longStrike > 0 && longStrike < Infinity)) throw invalidArgument(`${field}.long_strike`, "a positive finite strike", longStrike);
  const info = SPREAD_KINDS[kind];
  const shortIsUpper = info.shortStrike === "upper";
  if (shortIsUpper ? !(longStrike < shortStrike) : !(longStrike > shortStrike)) {
    throw invalidArgument(`${field}.long_strike`, `${shortIsUpper ? "below" : "above"} the short strike ${shortStrike} for ${kind}`, longStrike);
  }
  if (!(Number.isInteger(spec.quantity) && spec.quantity > 0)) throw invalidArgument(`${field}.quantity`, "a whole number of spreads > 0", spec.quantity);
  const spread: VerticalSpread = {
    kind,
    underlying,
    expiry: date,
    lowerStrike: Math.min(shortStrike, longStrike),
    upperStrike: Math.max(shortStrike, longStrike),
  };
  const width = spreadWidth(spread);
  if (!(spec.limitPrice > 0 && spec.limitPrice < width)) {
    throw invalidArgument(`${field}.limit_price`, `a premium > 0 and < the width ${width} (USD per share in the spread's direction)`, spec.limitPrice);
  }
  if (spec.mode !== TradingMode.PAPER && spec.mode !== TradingMode.LIVE) throw invalidArgument(`${field}.mode`, "PAPER or LIVE", spec.mode);
  if (!(Number.isInteger(spec.shortConId) && spec.shortConId >= 0)) throw invalidArgument(`${field}.short_con_id`, "0 or an IB contract id", spec.shortConId);
  if (!(Number.isInteger(spec.longConId) && spec.longConId >= 0)) throw invalidArgument(`${field}.long_con_id`, "0 or an IB contract id", spec.longConId);
  if (spec.shortConId !== 0 && spec.shortConId === spec.longConId) throw invalidArgument(`${field}.long_con_id`, "a contract other than the short leg's", spec.longConId);
  return {
    tradeId,
    strategyRef: spec.strategyRef,
    underlying,
    kind,
    spread,
    expiry: spec.expiry,
    right: info.right === "call" ? OptionRight.CALL : OptionRight.PUT,
    credit: info.cashFlow === "credit",
    shortStrike,
    longStrike,
    quantity: spec.quantity,
    limitPrice: spec.limitPrice,
    mode: spec.mode,
    shortConId: spec.shortConId,
    longConId: spec.longConId,
    nonGuaranteed: spec.nonGuaranteed,
  };
}

/** True when two specs describe the same order (for idempotent retries of one trade id). */
export function sameTrade(a: ValidTrade, b: ValidTrade): boolean {
  return a.kind === b.kind && a.underlying === b.underlying && a.expiry === b.expiry && a.shortStrike === b.shortStrike &&
    a.longStrike === b.longStrike && a.quantity === b.quantity && a.mode === b.mode;
}
