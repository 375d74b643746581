/**
 * Option minimum price variations (CBOE penny program style) and rounding to them. Prices are
 * handled in integer cents so rounding never leaves binary-fraction dust.
 *
 * | rule      | below $3 | from $3 |
 * |-----------|----------|---------|
 * | penny-all | 0.01     | 0.01    |
 * | penny     | 0.01     | 0.05    |
 * | nickel    | 0.05     | 0.10    |
 *
 * @packageDocumentation
 */

import type { PriceIncrement } from "./market-source.js";
import type { OptionTickRule } from "./universe.js";

/** Where the increment changes, in cents. */
const BREAK_CENTS = 300;

/** Increments in cents below and from the break. */
function ticksInCents(rule: OptionTickRule): readonly [number, number] {
  switch (rule) {
    case "penny-all":
      return [1, 1];
    case "penny":
      return [1, 5];
    case "nickel":
      return [5, 10];
  }
}

/** The market rule (IB reqMarketRule) of a tick rule. */
export function priceIncrements(rule: OptionTickRule): PriceIncrement[] {
  const [below, above] = ticksInCents(rule);
  return below === above ? [{ lowEdge: 0, increment: below / 100 }] : [{ lowEdge: 0, increment: below / 100 }, { lowEdge: 3, increment: above / 100 }];
}

/** The smallest increment of a rule (IB contract details' minTick). */
export function minTick(rule: OptionTickRule): number {
  return ticksInCents(rule)[0] / 100;
}

/** The largest price on the rule's grid that is ≤ price (≥ 0). */
export function floorToTick(price: number, rule: OptionTickRule): number {
  if (!(price > 0)) return 0;
  const [below, above] = ticksInCents(rule);
  const cents = price * 100;
  const tick = cents < BREAK_CENTS ? below : above;
  return (Math.floor(cents / tick) * tick) / 100;
}

/** The smallest price on the rule's grid that is ≥ price (and at least one tick). */
export function ceilToTick(price: number, rule: OptionTickRule): number {
  const [below, above] = ticksInCents(rule);
  const cents = Math.max(price * 100, below);
  const tick = cents <= BREAK_CENTS ? below : above;
  return (Math.ceil(cents / tick) * tick) / 100;
}

/** The grid price nearest to price. */
export function roundToTick(price: number, rule: OptionTickRule): number {
  const down = floorToTick(price, rule);
  const up = ceilToTick(price, rule);
  return price - down <= up - price ? down : up;
}

/** True when price lies on the rule's grid (within 1e-9). */
export function isOnTick(price: number, rule: OptionTickRule): boolean {
  const [below, above] = ticksInCents(rule);
  const cents = Math.round(price * 100);
  if (Math.abs(price * 100 - cents) > 1e-6) return false;
  return cents % (cents < BREAK_CENTS ? below : above) === 0;
}
