/**
 * Spread prices from leg quotes and the limit-price rules of CONVENTIONS.md.
 *
 * Prices here are per-share premiums in the spread's own terms — the credit received for a
 * credit spread, the debit paid for a debit spread — so "higher" is better for a credit and
 * worse for a debit. {@link comboLimitPrice} turns a premium into the signed limit of IB's
 * combo order (SpreadOps always BUYs the combo as defined by its legs: credit → negative limit,
 * debit → positive limit), and {@link checkComboLimit} refuses a limit whose sign contradicts
 * the kind before anything reaches the broker.
 *
 * @packageDocumentation
 */

import { SPREAD_KINDS, spreadLegs, spreadWidth, type VerticalSpread } from "./spread.js";

/** Bid and ask of one option leg, per share. */
export interface LegQuote {
  /** Best bid (≥ 0). */
  readonly bid: number;
  /** Best ask (≥ bid). */
  readonly ask: number;
}

/** Spread prices derived from its legs' quotes, as premiums (credit received / debit paid). */
export interface SpreadQuote {
  /**
   * What crossing both legs gets: credit = short bid − long ask; debit = long ask − short bid.
   * The worst price for us; may be ≤ 0 for a credit when the markets are wide.
   */
  readonly natural: number;
  /** From the legs' mids: credit = short mid − long mid; debit = long mid − short mid. */
  readonly mid: number;
}

function checkQuote(name: string, quote: LegQuote): void {
  if (!(quote.bid >= 0 && quote.ask >= quote.bid && quote.ask < Infinity)) {
    throw new RangeError(`${name} quote must have 0 ≤ bid ≤ ask < ∞, got bid ${quote.bid} ask ${quote.ask}`);
  }
}

/**
 * Natural and mid prices of a spread from the quotes of its short and long leg.
 * @throws RangeError for a crossed, negative or non-finite quote.
 */
export function spreadQuote(spread: VerticalSpread, shortLeg: LegQuote, longLeg: LegQuote): SpreadQuote {
  checkQuote("short leg", shortLeg);
  checkQuote("long leg", longLeg);
  const shortMid = 0.5 * (shortLeg.bid + shortLeg.ask);
  const longMid = 0.5 * (longLeg.bid + longLeg.ask);
  if (SPREAD_KINDS[spread.kind].cashFlow === "credit") {
    return { natural: shortLeg.bid - longLeg.ask, mid: shortMid - longMid };
  }
  return { natural: longLeg.ask - shortLeg.bid, mid: longMid - shortMid };
}

/** Number of decimals of a tick such as 0.05 or 0.01 (up to 10), to print exact multiples. */
function tickDecimals(tick: number): number {
  for (let d = 0; d <= 10; d++) {
    const scaled = tick * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 10;
}

/**
 * Rounds a price to a multiple of `tick`, `up` or `down`. A price within 1e-9 ticks of a
 * multiple counts as on it (1.15/0.05 is 22.999999999999996 in binary floating point), and the
 * result is the decimal multiple (1.15, not 1.1500000000000001).
 * @throws RangeError unless tick is positive and finite.
 */
export function roundToTick(price: number, tick: number, direction: "up" | "down"): number {
  if (!(tick > 0 && tick < Infinity)) throw new RangeError(`tick must be positive, got ${tick}`);
  const units = price / tick;
  const nearest = Math.round(units);
  let k: number;
  if (Math.abs(units - nearest) < 1e-9) k = nearest;
  else k = direction === "up" ? Math.ceil(units) : Math.floor(units);
  return Number((k * tick).toFixed(tickDecimals(tick)));
}

/** Inputs of {@link limitPrice}. */
export interface LimitPriceRule {
  /**
   * How far to move from mid toward natural, per share (≥ 0). A price walk uses
   * offset = initial offset + step × k for its k-th step.
   */
  readonly offset: number;
  /** The contract's minimum tick for this price (from contract details / market rules). */
  readonly minTick: number;
}

/**
 * Limit premium: mid moved toward natural by `offset` (never past natural), rounded to the tick
 * away from natural — up for a credit (receive more), down for a debit (pay less) — so rounding
 * never makes the price worse for us. It never crosses zero: a credit stays a credit and a debit
 * a debit, at least one tick. Returns a positive premium; {@link comboLimitPrice} signs it.
 * @throws RangeError for a negative or non-finite offset, a bad tick, or a non-finite quote.
 */
export function limitPrice(spread: VerticalSpread, quote: SpreadQuote, rule: LimitPriceRule): number {
  const { offset, minTick } = rule;
  if (!(offset >= 0 && offset < Infinity)) throw new RangeError(`offset must be ≥ 0, got ${offset}`);
  if (!(minTick > 0 && minTick < Infinity)) throw new RangeError(`minTick must be positive, got ${minTick}`);
  if (!(Number.isFinite(quote.mid) && Number.isFinite(quote.natural))) throw new RangeError("quote must be finite");
  const credit = SPREAD_KINDS[spread.kind].cashFlow === "credit";
  let price: number;
  if (credit) {
    price = roundToTick(Math.max(quote.mid - offset, quote.natural), minTick, "up");
  } else {
    price = roundToTick(Math.min(quote.mid + offset, quote.natural), minTick, "down");
  }
  return Math.max(price, roundToTick(minTick, minTick, "up"));
}

/**
 * Signed limit of the BUY combo order for a premium: −premium for a credit spread,
 * +premium for a debit spread (IB's combo sign rule with legs carrying their own actions).
 */
export function comboLimitPrice(spread: VerticalSpread, premium: number): number {
  return SPREAD_KINDS[spread.kind].cashFlow === "credit" ? -premium : premium;
}

/** Why a combo limit price is refused. */
export type ComboLimitProblem =
  | "not-finite"
  | "zero"
  | "sign-contradicts-kind"
  | "not-below-width"
  | "off-tick";

/**
 * Checks a signed combo limit before it goes to the broker: it must be finite and non-zero,
 * negative for a credit spread and positive for a debit spread, below the width in size, and
 * (when a tick is given) a multiple of the tick. Returns undefined when acceptable.
 */
export function checkComboLimit(
  spread: VerticalSpread,
  limit: number,
  minTick?: number,
): ComboLimitProblem | undefined {
  if (!Number.isFinite(limit)) return "not-finite";
  if (limit === 0) return "zero";
  const credit = SPREAD_KINDS[spread.kind].cashFlow === "credit";
  if (credit ? limit > 0 : limit < 0) return "sign-contradicts-kind";
  if (!(Math.abs(limit) < spreadWidth(spread))) return "not-below-width";
  if (minTick !== undefined) {
    const units = Math.abs(limit) / minTick;
    if (Math.abs(units - Math.round(units)) > 1e-9) return "off-tick";
  }
  return undefined;
}

/** The legs' strikes as [short, long], a convenience for logs and order construction. */
export function legStrikes(spread: VerticalSpread): readonly [short: number, long: number] {
  const { short, long } = spreadLegs(spread);
  return [short.strike, long.strike];
}
