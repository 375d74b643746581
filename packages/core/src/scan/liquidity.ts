/**
 * Liquidity score of an option leg and of a spread, 0–1 (1 = tight and deep).
 *
 * leg = ½·tightness + ½·depth, with
 * - tightness = 1 / (1 + 10·(ask − bid)/mid): 1 for a locked market, ½ at a 10 % spread, 0 when
 *   mid is 0 or unknown;
 * - depth = ½·v/(v + 100) + ½·oi/(oi + 1000) for volume v and open interest oi (unknown = 0):
 *   ½ of each half at 100 contracts traded / 1,000 open.
 *
 * A spread's score is the lower of its two legs' (the worse leg decides whether it fills).
 *
 * @packageDocumentation
 */

/** Liquidity of one leg, 0–1 (see the module comment for the formula). */
export function legLiquidity(bid: number, ask: number, volume: number, openInterest: number): number {
  const mid = 0.5 * (bid + ask);
  const tightness = mid > 0 && ask >= bid ? 1 / (1 + (10 * (ask - bid)) / mid) : 0;
  const v = volume > 0 ? volume : 0;
  const oi = openInterest > 0 ? openInterest : 0;
  const depth = (0.5 * v) / (v + 100) + (0.5 * oi) / (oi + 1000);
  return 0.5 * tightness + 0.5 * depth;
}

/** Spread liquidity: the lower of the two legs'. */
export function spreadLiquidity(shortLeg: number, longLeg: number): number {
  return shortLeg < longLeg ? shortLeg : longLeg;
}
