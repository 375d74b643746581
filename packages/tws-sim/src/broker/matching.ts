/**
 * The matching rule: is an order marketable against the current quotes, at what price, and how
 * much of it fills in this pass. Pure: the broker decides when to call it (latency) and applies
 * the result.
 *
 * - MKT fills at the touch (BUY at the ask, SELL at the bid; for a combo, every leg at its own
 *   touch).
 * - LMT BUY is marketable when limit ≥ ask, LMT SELL when limit ≤ bid (combo: against the
 *   combo's natural ask/bid, signed — a BUY credit spread at −1.20 fills once the natural ask is
 *   −1.20 or lower, i.e. once at least 1.20 of credit can be received).
 * - Price: an order marketable when it arrives (or is modified) takes liquidity at the touch —
 *   price improvement up to its limit. An order that rested unmarketable and is reached later
 *   because the quotes moved through it fills at its own limit, as a resting order on a real
 *   book is hit at its price. Combo leg prices then come from {@link allocateLegPrices}.
 * - Size: at most the displayed size (combo: the fewest whole units any leg's size allows),
 *   less what other orders took in the same pass; unknown sizes do not limit.
 *
 * @packageDocumentation
 */

import { allocateLegPrices, comboTouch, type PricingLeg } from "./combo-pricing.js";
import { PRICE_EPSILON, roundPrice } from "./numeric.js";
import type { OrderAction, OrderType } from "./order-types.js";

/** An order's state as the matcher needs it. */
export interface MatchRequest {
  readonly side: OrderAction;
  readonly orderType: OrderType;
  /** Signed for combos; ignored for MKT. */
  readonly lmtPrice: number | undefined;
  readonly remaining: number;
  /** Was found not marketable in an earlier pass (it rests on the book). */
  readonly resting: boolean;
  /** Fill at most the displayed size (partial fills). */
  readonly limitBySize: boolean;
  /** One leg (ratio 1, BUY) for STK/OPT; the combo's legs for BAG. */
  readonly legs: readonly PricingLeg[];
}

/** One fill of (part of) an order. */
export interface MatchFill {
  readonly quantity: number;
  /** Signed combo price / single price per share. */
  readonly price: number;
  readonly legPrices: readonly number[];
  /** `removed`: took liquidity at the touch; `added`: a resting order was hit at its limit. */
  readonly liquidity: "added" | "removed";
}

/**
 * `none`: not marketable (or no quote); `starved`: marketable but the displayed size is used up
 * in this pass; `fill`: what to execute.
 */
export type MatchResult =
  | { readonly kind: "none" }
  | { readonly kind: "starved" }
  | { readonly kind: "fill"; readonly fill: MatchFill };

/** Whether a limit is marketable against the touch price for `side`. */
export function isMarketable(side: OrderAction, limit: number, touch: number): boolean {
  return side === "BUY" ? limit >= touch - PRICE_EPSILON : limit <= touch + PRICE_EPSILON;
}

/** Applies the matching rule to one order. */
export function matchOrder(request: MatchRequest): MatchResult {
  const touch = comboTouch(request.legs, request.side);
  if (touch === undefined) return { kind: "none" };

  let price = touch.price;
  let legPrices = touch.legPrices;
  let liquidity: MatchFill["liquidity"] = "removed";
  if (request.orderType === "LMT") {
    const limit = request.lmtPrice;
    if (limit === undefined || !isMarketable(request.side, limit, touch.price)) return { kind: "none" };
    if (request.resting) {
      price = roundPrice(limit);
      legPrices = allocateLegPrices(request.legs, touch.legPrices, limit);
      liquidity = "added";
    }
  }

  const quantity = request.limitBySize && touch.size !== undefined ? Math.min(request.remaining, touch.size) : request.remaining;
  if (quantity <= 0) return { kind: "starved" };
  return { kind: "fill", fill: { quantity, price, legPrices, liquidity } };
}
