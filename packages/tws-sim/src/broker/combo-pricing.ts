/**
 * Prices of a combo from its legs' quotes, with IB's sign rule.
 *
 * A combo is priced "as defined by its legs": price = Σ ratio × legPrice over BUY legs minus
 * Σ ratio × legPrice over SELL legs, per share. Buying a combo that pays (a credit) therefore
 * has a negative price. Buying the combo crosses every leg in its own direction (BUY legs at
 * their ask, SELL legs at their bid), so the combo's natural ask is Σ BUY asks − Σ SELL bids;
 * selling it reverses every leg, so its natural bid is Σ BUY bids − Σ SELL asks. For a bull put
 * (SELL put K_high, BUY put K_low) the ask is long ask − short bid: negative, a credit.
 *
 * A single STK/OPT order is the one-leg case (ratio 1, BUY), so the same functions price both.
 *
 * @packageDocumentation
 */

import { roundPrice } from "./numeric.js";
import type { OrderAction } from "./order-types.js";
import type { Quote } from "./ports.js";
import { askOf, bidOf, markOf, sizeOf } from "./quotes.js";

/** A leg as the pricer needs it. */
export interface PricingLeg {
  readonly ratio: number;
  /** The leg's own action in the combo definition. */
  readonly action: OrderAction;
  readonly quote: Quote | undefined;
  /** Displayed size already taken in this matching pass, per side of the leg's book. */
  readonly usedBid?: number;
  readonly usedAsk?: number;
}

/** Crossing the legs' quotes to buy or sell the combo. */
export interface ComboTouch {
  /** Signed combo price per share. */
  readonly price: number;
  /** Each leg's execution price at the touch, in leg order (always positive). */
  readonly legPrices: readonly number[];
  /** Combo units available at the touch; undefined when no leg's size is known. */
  readonly size: number | undefined;
}

/** +1 for a BUY leg, −1 for a SELL leg: the leg's sign in the combo price. */
export function legSign(action: OrderAction): 1 | -1 {
  return action === "BUY" ? 1 : -1;
}

/** The other side. */
export function opposite(action: OrderAction): OrderAction {
  return action === "BUY" ? "SELL" : "BUY";
}

/** The direction a leg trades in when the combo is traded in direction `side`. */
export function legSide(legAction: OrderAction, side: OrderAction): OrderAction {
  return side === "BUY" ? legAction : opposite(legAction);
}

/** Signed combo price of leg prices (Σ sign × ratio × price). */
export function comboPrice(legs: readonly { readonly ratio: number; readonly action: OrderAction }[], prices: readonly number[]): number {
  let total = 0;
  legs.forEach((leg, i) => {
    total += legSign(leg.action) * leg.ratio * (prices[i] ?? 0);
  });
  return roundPrice(total);
}

/** Combo units a leg's displayed size allows, or undefined when its size is unknown. */
function unitsAvailable(size: number | undefined, used: number | undefined, ratio: number): number | undefined {
  const shown = sizeOf(size);
  if (shown === undefined) return undefined;
  const left = Math.max(0, shown - (used ?? 0));
  // Ratio 1 keeps fractional stock sizes; larger ratios need whole combo units.
  return ratio === 1 ? left : Math.floor(left / ratio);
}

/**
 * What it costs to trade the combo in direction `side` right now: every leg crossed at its own
 * touch. Undefined when a needed side of some leg is not quoted.
 */
export function comboTouch(legs: readonly PricingLeg[], side: OrderAction): ComboTouch | undefined {
  const legPrices: number[] = [];
  let size: number | undefined;
  for (const leg of legs) {
    const buying = legSide(leg.action, side) === "BUY";
    const price = buying ? askOf(leg.quote) : bidOf(leg.quote);
    if (price === undefined) return undefined;
    legPrices.push(price);
    const units = buying
      ? unitsAvailable(leg.quote?.askSize, leg.usedAsk, leg.ratio)
      : unitsAvailable(leg.quote?.bidSize, leg.usedBid, leg.ratio);
    if (units !== undefined) size = size === undefined ? units : Math.min(size, units);
  }
  return { price: comboPrice(legs, legPrices), legPrices, size };
}

/** The combo's natural bid/ask and the mid from the legs' marks (signed, per share). */
export interface ComboQuote {
  readonly bid: number | undefined;
  readonly ask: number | undefined;
  readonly mid: number | undefined;
}

/** Natural bid, natural ask and mid of a combo. */
export function comboQuote(legs: readonly PricingLeg[]): ComboQuote {
  const marks = legs.map((leg) => markOf(leg.quote));
  const mid = marks.every((m) => m !== undefined) ? comboPrice(legs, marks) : undefined;
  return { bid: comboTouch(legs, "SELL")?.price, ask: comboTouch(legs, "BUY")?.price, mid };
}

/**
 * Leg prices that add up to the combo price `target`, starting from `base` (usually the touch)
 * and moving one leg by the whole difference: a leg whose price goes *up* (a BUY leg when the
 * combo price must rise, a SELL leg when it must fall), so no leg price is pushed towards zero.
 * Only when no leg can move that way does the first leg absorb the difference.
 */
export function allocateLegPrices(
  legs: readonly { readonly ratio: number; readonly action: OrderAction }[],
  base: readonly number[],
  target: number,
): number[] {
  const prices = legs.map((_, i) => base[i] ?? 0);
  const diff = target - comboPrice(legs, prices);
  if (Math.abs(diff) < 1e-12 || legs.length === 0) return prices.map(roundPrice);
  const wanted: OrderAction = diff > 0 ? "BUY" : "SELL";
  let index = legs.findIndex((leg) => leg.action === wanted);
  if (index < 0) index = 0;
  const leg = legs[index];
  if (leg !== undefined) prices[index] = (prices[index] ?? 0) + (legSign(leg.action) * diff) / leg.ratio;
  return prices.map(roundPrice);
}
