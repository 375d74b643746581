/**
 * Technical indicators on price series. Inputs are number arrays or Float64Arrays (oldest
 * first); outputs are Float64Arrays of the same length with NaN for the warm-up bars.
 * A NaN input makes every output whose window contains it NaN (SMA), or poisons the recursive
 * indicators (EMA, RSI, ATR) from that bar on — clean the series first.
 *
 * @packageDocumentation
 */

function checkPeriod(period: number): void {
  if (!(Number.isInteger(period) && period >= 1)) throw new RangeError(`period must be an integer ≥ 1, got ${period}`);
}

/** Simple moving average: mean of the last `period` values; first value at index period − 1. */
export function sma(values: ArrayLike<number>, period: number): Float64Array {
  checkPeriod(period);
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  let sum = 0;
  let bad = 0; // non-finite values inside the window
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? NaN;
    if (Number.isFinite(v)) sum += v;
    else bad++;
    if (i >= period) {
      const old = values[i - period] ?? NaN;
      if (Number.isFinite(old)) sum -= old;
      else bad--;
    }
    // Re-add the window every `period` bars so the running sum's rounding cannot drift.
    if (i >= period - 1 && i % period === period - 1 && bad === 0) {
      sum = 0;
      for (let j = i - period + 1; j <= i; j++) sum += values[j] ?? NaN;
    }
    if (i >= period - 1) out[i] = bad === 0 ? sum / period : NaN;
  }
  return out;
}

/**
 * Exponential moving average with α = 2/(period + 1), seeded with the SMA of the first
 * `period` values at index period − 1 (the usual charting convention); then
 * EMA_i = α·x_i + (1 − α)·EMA_{i−1}.
 */
export function ema(values: ArrayLike<number>, period: number): Float64Array {
  checkPeriod(period);
  const n = values.length;
  const out = new Float64Array(n).fill(NaN);
  if (n < period) return out;
  const alpha = 2 / (period + 1);
  let seed = 0;
  for (let i = 0; i < period; i++) seed += values[i] ?? NaN;
  let value = seed / period;
  out[period - 1] = value;
  for (let i = period; i < n; i++) {
    value += alpha * ((values[i] ?? NaN) - value);
    out[i] = value;
  }
  return out;
}

/**
 * Wilder's RSI (New Concepts in Technical Trading Systems, 1978). Changes d_i = c_i − c_{i−1};
 * the first average gain/loss is the simple mean over the first `period` changes, then Wilder
 * smoothing avg_i = (avg_{i−1}·(period − 1) + x_i)/period. RSI = 100 − 100/(1 + avgGain/avgLoss);
 * 100 when avgLoss = 0 (and 50 when both are 0: no movement). First value at index `period`.
 */
export function rsi(closes: ArrayLike<number>, period = 14): Float64Array {
  checkPeriod(period);
  const n = closes.length;
  const out = new Float64Array(n).fill(NaN);
  if (n <= period) return out;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const d = (closes[i] ?? NaN) - (closes[i - 1] ?? NaN);
    if (d > 0) gain += d;
    else loss -= d;
  }
  gain /= period;
  loss /= period;
  out[period] = rsiValue(gain, loss);
  for (let i = period + 1; i < n; i++) {
    const d = (closes[i] ?? NaN) - (closes[i - 1] ?? NaN);
    gain = (gain * (period - 1) + (d > 0 ? d : 0)) / period;
    loss = (loss * (period - 1) + (d < 0 ? -d : 0)) / period;
    if (Number.isNaN(d)) gain = loss = NaN;
    out[i] = rsiValue(gain, loss);
  }
  return out;
}

function rsiValue(gain: number, loss: number): number {
  if (loss === 0) return gain === 0 ? 50 : 100;
  return 100 - 100 / (1 + gain / loss);
}

/**
 * True range: high − low on the first bar; afterwards max(high − low, |high − prev close|,
 * |low − prev close|).
 */
export function trueRange(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>): Float64Array {
  const n = high.length;
  if (low.length !== n || close.length !== n) throw new RangeError("high, low and close must have the same length");
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const h = high[i] ?? NaN;
    const l = low[i] ?? NaN;
    if (i === 0) {
      out[i] = h - l;
    } else {
      const pc = close[i - 1] ?? NaN;
      out[i] = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
    }
  }
  return out;
}

/**
 * Wilder's average true range: the first ATR (index period − 1) is the mean of the first
 * `period` true ranges (the first being high − low), then ATR_i = (ATR_{i−1}·(period − 1) + TR_i)/period.
 */
export function atr(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, period = 14): Float64Array {
  checkPeriod(period);
  const tr = trueRange(high, low, close);
  const n = tr.length;
  const out = new Float64Array(n).fill(NaN);
  if (n < period) return out;
  let value = 0;
  for (let i = 0; i < period; i++) value += tr[i] ?? NaN;
  value /= period;
  out[period - 1] = value;
  for (let i = period; i < n; i++) {
    value = (value * (period - 1) + (tr[i] ?? NaN)) / period;
    out[i] = value;
  }
  return out;
}

/** Where a fast series stands relative to a slow one, and its last crossing. */
export interface CrossoverState {
  /** Relation at the last bar: "above", "below", or "equal"/"unknown" (NaN on the last bar). */
  readonly position: "above" | "below" | "equal" | "unknown";
  /** The fast series crossed above the slow one at the last bar. */
  readonly crossedAboveAtLast: boolean;
  /** The fast series crossed below the slow one at the last bar. */
  readonly crossedBelowAtLast: boolean;
  /** Bar index of the most recent cross, −1 if none. */
  readonly lastCrossIndex: number;
  /** Direction of the most recent cross, undefined if none. */
  readonly lastCrossDirection: "above" | "below" | undefined;
}

/**
 * Crossings of `fast` over `slow` (e.g. two EMAs). A cross is a change of the strict sign of
 * fast − slow: bars where the two are equal, or either is NaN (warm-up), keep the previous sign,
 * so touching and bouncing back is not a cross and a cross through an equal bar is dated at the
 * first bar on the new side.
 */
export function crossover(fast: ArrayLike<number>, slow: ArrayLike<number>): CrossoverState {
  const n = fast.length;
  if (slow.length !== n) throw new RangeError("fast and slow must have the same length");
  let sign = 0;
  let lastCrossIndex = -1;
  let lastCrossDirection: "above" | "below" | undefined;
  for (let i = 0; i < n; i++) {
    const d = (fast[i] ?? NaN) - (slow[i] ?? NaN);
    if (!(d > 0 || d < 0)) continue;
    const s = d > 0 ? 1 : -1;
    if (sign !== 0 && s !== sign) {
      lastCrossIndex = i;
      lastCrossDirection = s > 0 ? "above" : "below";
    }
    sign = s;
  }
  const last = n > 0 ? (fast[n - 1] ?? NaN) - (slow[n - 1] ?? NaN) : NaN;
  const position = last > 0 ? "above" : last < 0 ? "below" : last === 0 ? "equal" : "unknown";
  const atLast = lastCrossIndex === n - 1;
  return {
    position,
    crossedAboveAtLast: atLast && lastCrossDirection === "above",
    crossedBelowAtLast: atLast && lastCrossDirection === "below",
    lastCrossIndex,
    lastCrossDirection,
  };
}

/**
 * IV rank in [0, 1]: (current − min)/(max − min), with min and max over the history and the
 * current value together. NaN values in the history are skipped; NaN when there is no range
 * (max = min) or the current value is not finite. × 100 for the usual 0-100 display.
 */
export function ivRank(history: ArrayLike<number>, current: number): number {
  if (!Number.isFinite(current)) return NaN;
  let min = current;
  let max = current;
  for (let i = 0; i < history.length; i++) {
    const v = history[i] ?? NaN;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return max > min ? (current - min) / (max - min) : NaN;
}

/**
 * IV percentile in [0, 1]: the share of (finite) history values strictly below the current
 * value — days with equal IV do not count as below. NaN for an empty history or a non-finite
 * current value. Pass the lookback window without today's value.
 */
export function ivPercentile(history: ArrayLike<number>, current: number): number {
  if (!Number.isFinite(current)) return NaN;
  let below = 0;
  let count = 0;
  for (let i = 0; i < history.length; i++) {
    const v = history[i] ?? NaN;
    if (!Number.isFinite(v)) continue;
    count++;
    if (v < current) below++;
  }
  return count > 0 ? below / count : NaN;
}
