/**
 * Brownian bridges that hit given extremes. The price path is built top-down — a day's open,
 * high, low and close first, then the minutes inside the day, then the seconds inside a minute —
 * and each finer level is a bridge pinned to the coarser level's open and close that touches its
 * high and low and never leaves them. That makes every level aggregate exactly to the one above
 * (intraday bars to daily bars, ticks to minute bars) while only the level in use is generated.
 *
 * @packageDocumentation
 */

import type { Xoshiro128 } from "./rng.js";

/**
 * A draw of the maximum of a Brownian bridge from `a` to `b` with total variance `variance`:
 * P(max ≥ m) = exp(−2(m − a)(m − b)/variance), inverted at the uniform `u` ∈ (0, 1).
 */
export function bridgeMax(a: number, b: number, variance: number, u: number): number {
  const d = a - b;
  const m = 0.5 * (a + b + Math.sqrt(d * d - 2 * variance * Math.log(u)));
  // Rounding can leave m a hair below an endpoint when u → 1.
  return Math.max(m, a, b);
}

/** A draw of the minimum of a Brownian bridge (see {@link bridgeMax}). */
export function bridgeMin(a: number, b: number, variance: number, u: number): number {
  const d = a - b;
  const m = 0.5 * (a + b - Math.sqrt(d * d - 2 * variance * Math.log(u)));
  return Math.min(m, a, b);
}

/** Endpoints, extremes and time change of one bridge. */
export interface ExtremeBridgeSpec {
  /** Number of steps n (the path has n + 1 points); at least 3. */
  readonly steps: number;
  readonly start: number;
  readonly end: number;
  /** Maximum, ≥ max(start, end). */
  readonly high: number;
  /** Minimum, ≤ min(start, end). */
  readonly low: number;
  /**
   * Cumulative variance at point k (0 at k = 0, increasing). Lets the minute level use an
   * intraday volatility profile; absent means equal steps.
   */
  readonly cumulativeVariance?: Float64Array;
  /** Total variance over the bridge when `cumulativeVariance` is absent. */
  readonly variance: number;
}

/**
 * Fills `path[0..n]`: path[0] = start, path[n] = end, the high and the low at two distinct
 * random interior points, and between those pins conditional Brownian-bridge steps, each clamped
 * into [low, high]. Consumes 2 integers and n − 3 normals from `rng`, always in the same order.
 */
export function fillExtremeBridge(path: Float64Array, spec: ExtremeBridgeSpec, rng: Xoshiro128): void {
  const n = spec.steps;
  if (n < 3 || path.length < n + 1) throw new RangeError(`an extreme bridge needs ≥ 3 steps and room for them, got ${n}`);
  const cumulative = spec.cumulativeVariance;
  const stepVariance = spec.variance / n;
  const tau = (k: number): number => (cumulative === undefined ? k * stepVariance : (cumulative[k] ?? NaN));
  const iHigh = 1 + rng.int(n - 1);
  let iLow = 1 + rng.int(n - 2);
  if (iLow >= iHigh) iLow++;
  const { start, end, high, low } = spec;
  const pins: [number, number][] = [[0, start], [iHigh, high], [iLow, low], [n, end]];
  pins.sort((x, y) => x[0] - y[0]);
  for (const [k, v] of pins) path[k] = v;
  for (let p = 0; p < 3; p++) {
    const [k0, x0] = pins[p] ?? [0, start];
    const [k1, x1] = pins[p + 1] ?? [n, end];
    let x = x0;
    const tauEnd = tau(k1);
    for (let j = k0 + 1; j < k1; j++) {
      const tPrev = tau(j - 1);
      const tNow = tau(j);
      const remaining = tauEnd - tPrev;
      const dt = tNow - tPrev;
      const mean = x + ((x1 - x) * dt) / remaining;
      const sd = Math.sqrt(Math.max(0, (dt * (tauEnd - tNow)) / remaining));
      x = Math.min(high, Math.max(low, mean + sd * rng.normal()));
      path[j] = x;
    }
  }
}
