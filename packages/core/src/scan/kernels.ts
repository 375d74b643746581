/**
 * Allocation-free scalar kernels of the scan's hot loop. Each reproduces an existing core
 * function operation for operation, so results agree bit for bit (kernels.test.ts checks):
 *
 * - {@link tickScale} + {@link roundToTickScaled} = `roundToTick` without its `toFixed` string;
 * - {@link limitFromQuote} = `limitPrice` on a credit or debit quote;
 * - {@link lognormalTail} / {@link expectedCallFromTails} / {@link expectedPutFromTails} = the
 *   `probability.ts` pieces with ln(S/K), √T and μT precomputed by the caller, as in
 *   `spreadOutcome`.
 *
 * @packageDocumentation
 */

import { normCdf } from "../normal.js";

/**
 * 10^d for the smallest d ≤ 10 at which the tick is a whole number of 10^−d (`roundToTick`'s
 * decimals), so a multiple k·tick can be snapped to its decimal value by an integer division.
 */
export function tickScale(tick: number): number {
  for (let d = 0; d <= 10; d++) {
    const scaled = tick * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return 10 ** d;
  }
  return 10 ** 10;
}

/**
 * `roundToTick(price, tick, up ? "up" : "down")` given `scale = tickScale(tick)`. Instead of
 * `Number((k·tick).toFixed(d))` it computes round(k·tick·10^d)/10^d: both are the double
 * nearest to n/10^d for the same integer n, because k·tick is within a few ulps of it.
 */
export function roundToTickScaled(price: number, tick: number, scale: number, up: boolean): number {
  const units = price / tick;
  const nearest = Math.round(units);
  let k: number;
  if (Math.abs(units - nearest) < 1e-9) k = nearest;
  else k = up ? Math.ceil(units) : Math.floor(units);
  return Math.round(k * tick * scale) / scale;
}

/**
 * `limitPrice` for a quote already known to be finite and a valid offset/tick: credit → mid −
 * offset but never below natural, rounded up; debit → mid + offset but never above natural,
 * rounded down; at least one tick. `raw` is the unrounded price (the caller picks the tick at it).
 */
export function limitFromRaw(raw: number, credit: boolean, tick: number, scale: number): number {
  const price = roundToTickScaled(raw, tick, scale, credit);
  const oneTick = roundToTickScaled(tick, tick, scale, true);
  return Math.max(price, oneTick);
}

/** The unrounded limit: max(mid − offset, natural) for a credit, min(mid + offset, natural) for a debit. */
export function rawLimit(mid: number, natural: number, offset: number, credit: boolean): number {
  return credit ? Math.max(mid - offset, natural) : Math.min(mid + offset, natural);
}

/**
 * The price increment at a price: the increment of the last rule whose low edge ≤ price (the
 * first rule below every edge), or `minTick` when there are no rules.
 */
export function incrementAt(price: number, minTick: number, lowEdges: ArrayLike<number>, increments: ArrayLike<number>): number {
  const n = lowEdges.length;
  if (n === 0) return minTick;
  let tick = increments[0] ?? NaN;
  for (let i = 1; i < n; i++) {
    if ((lowEdges[i] ?? NaN) <= price) tick = increments[i] ?? NaN;
    else break;
  }
  return tick;
}

/**
 * P(S_T beyond a level) and its d1 companion, as `probability.ts`'s `tail`: m = ln(S/K) + μT,
 * s = σ√T; sign +1 = above, −1 = below; shift 0 → N(±d2), 1 → N(±d1). s = 0 is the
 * deterministic limit.
 */
export function lognormalTail(m: number, s: number, sign: number, shift: number): number {
  if (s === 0) return sign * m > 0 ? 1 : 0;
  const d = (m - 0.5 * s * s) / s + shift * s;
  return normCdf(sign * d);
}

/** E[(S_T − K)⁺] = E[S_T]·N(d1) − K·N(d2) (as `expectedCallPayoff`). */
export function expectedCallPayoffKernel(forward: number, strike: number, m: number, s: number): number {
  return forward * lognormalTail(m, s, 1, 1) - strike * lognormalTail(m, s, 1, 0);
}

/** E[(K − S_T)⁺] = K·N(−d2) − E[S_T]·N(−d1) (as `expectedPutPayoff`). */
export function expectedPutPayoffKernel(forward: number, strike: number, m: number, s: number): number {
  return strike * lognormalTail(m, s, -1, 0) - forward * lognormalTail(m, s, -1, 1);
}
