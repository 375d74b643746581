/**
 * The minute and second levels of the price path (log prices, before the level shift that
 * anchors the path to the start price). See extreme-bridge.ts for how levels nest.
 *
 * @packageDocumentation
 */

import { bridgeMax, bridgeMin, fillExtremeBridge } from "./extreme-bridge.js";
import type { Xoshiro128 } from "./rng.js";

/** What the minute level needs from the day level. */
export interface DayExtremes {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Variance of the log price from open to close. */
  readonly variance: number;
  /** Shares traded in the session. */
  readonly volume: number;
}

/** One session at minute resolution (log prices). */
export interface MinutePath {
  /** Number of minutes n in the session. */
  readonly minutes: number;
  /** Prices at minute boundaries, n + 1 values: [0] is the open, [n] the close. */
  readonly points: Float64Array;
  /** High of minute j (j < n). */
  readonly highs: Float64Array;
  /** Low of minute j. */
  readonly lows: Float64Array;
  /** Shares traded in minute j (integers summing to the day's volume). */
  readonly volumes: Float64Array;
  /** Variance of the log price within minute j. */
  readonly variances: Float64Array;
  /** Max of highs[0..j−1] (−∞ at 0), n + 1 values, for partial-day bars in O(1). */
  readonly highBefore: Float64Array;
  /** Min of lows[0..j−1] (+∞ at 0). */
  readonly lowBefore: Float64Array;
  /** Sum of volumes[0..j−1]. */
  readonly volumeBefore: Float64Array;
}

/** Seconds per minute of the tick level. */
export const SECONDS_PER_MINUTE = 60;

/**
 * Intraday volatility and volume follow the familiar U shape: busy after the open, quiet at
 * lunch, busy again into the close.
 */
function volatilityWeight(j: number, n: number): number {
  return 1 + 1.2 * Math.exp(-j / 20) + 0.6 * Math.exp(-(n - 1 - j) / 20);
}

function volumeWeight(j: number, n: number): number {
  return 1 + 2 * Math.exp(-j / 25) + 1.5 * Math.exp(-(n - 1 - j) / 15);
}

/** Builds one session's minute path; consumes `rng` in a fixed order. */
export function generateMinutePath(day: DayExtremes, minutes: number, rng: Xoshiro128): MinutePath {
  const n = minutes;
  const points = new Float64Array(n + 1);
  const highs = new Float64Array(n);
  const lows = new Float64Array(n);
  const volumes = new Float64Array(n);
  const variances = new Float64Array(n);
  const cumulative = new Float64Array(n + 1);
  let weightSum = 0;
  for (let j = 0; j < n; j++) weightSum += volatilityWeight(j, n);
  for (let j = 0; j < n; j++) {
    const v = (day.variance * volatilityWeight(j, n)) / weightSum;
    variances[j] = v;
    cumulative[j + 1] = (cumulative[j] ?? 0) + v;
  }
  fillExtremeBridge(
    points,
    { steps: n, start: day.open, end: day.close, high: day.high, low: day.low, cumulativeVariance: cumulative, variance: day.variance },
    rng,
  );
  for (let j = 0; j < n; j++) {
    const a = points[j] ?? NaN;
    const b = points[j + 1] ?? NaN;
    const v = variances[j] ?? NaN;
    // Clamping keeps every minute inside the day's range; the minutes next to the pinned day
    // extremes reach them exactly, so the day's high/low are the max/min of the minutes'.
    highs[j] = Math.min(day.high, bridgeMax(a, b, v, rng.uniform()));
    lows[j] = Math.max(day.low, bridgeMin(a, b, v, rng.uniform()));
  }
  allocateVolume(day.volume, n, volumes, rng);
  const highBefore = new Float64Array(n + 1);
  const lowBefore = new Float64Array(n + 1);
  const volumeBefore = new Float64Array(n + 1);
  highBefore[0] = -Infinity;
  lowBefore[0] = Infinity;
  for (let j = 0; j < n; j++) {
    highBefore[j + 1] = Math.max(highBefore[j] ?? NaN, highs[j] ?? NaN);
    lowBefore[j + 1] = Math.min(lowBefore[j] ?? NaN, lows[j] ?? NaN);
    volumeBefore[j + 1] = (volumeBefore[j] ?? 0) + (volumes[j] ?? 0);
  }
  return { minutes: n, points, highs, lows, volumes, variances, highBefore, lowBefore, volumeBefore };
}

/** Splits an integer volume over n minutes by the U-shaped profile with noise; sums exactly. */
function allocateVolume(total: number, n: number, out: Float64Array, rng: Xoshiro128): void {
  const weights = new Float64Array(n);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const w = volumeWeight(j, n) * Math.exp(0.35 * rng.normal() - 0.06125);
    weights[j] = w;
    sum += w;
  }
  let assigned = 0;
  for (let j = 0; j < n; j++) {
    const v = Math.floor((total * (weights[j] ?? 0)) / sum);
    out[j] = v;
    assigned += v;
  }
  // The remainder (< n shares) goes one share at a time to the first minutes.
  for (let j = 0; assigned < total; j = (j + 1) % n) {
    out[j] = (out[j] ?? 0) + 1;
    assigned++;
  }
}

/** One minute's endpoints, extremes and variance (log prices). */
export interface MinuteExtremes {
  readonly open: number;
  readonly close: number;
  readonly high: number;
  readonly low: number;
  readonly variance: number;
}

/**
 * The tick level of one minute: 61 log prices at whole seconds, [0] the minute's open, [60] its
 * close, touching the minute's high and low.
 */
export function generateSecondPath(minute: MinuteExtremes, rng: Xoshiro128): Float64Array {
  const path = new Float64Array(SECONDS_PER_MINUTE + 1);
  fillExtremeBridge(
    path,
    { steps: SECONDS_PER_MINUTE, start: minute.open, end: minute.close, high: minute.high, low: minute.low, variance: minute.variance },
    rng,
  );
  return path;
}
