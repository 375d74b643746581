import { describe, expect, it } from "vitest";
import { atr, crossover, ema, ivPercentile, ivRank, rsi, sma, trueRange } from "./indicators.js";

/** Deterministic pseudo-random walk (LCG) so failures reproduce. */
function walk(n: number, seed: number, start = 100): number[] {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out: number[] = [];
  let x = start;
  for (let i = 0; i < n; i++) {
    x *= 1 + 0.02 * (next() - 0.5);
    out.push(x);
  }
  return out;
}

// Literal, slow reference implementations written straight from the definitions.
function referenceSma(v: number[], p: number): number[] {
  return v.map((_, i) => (i < p - 1 ? NaN : v.slice(i - p + 1, i + 1).reduce((a, b) => a + b, 0) / p));
}
function referenceEma(v: number[], p: number): number[] {
  const out = v.map(() => NaN);
  if (v.length < p) return out;
  const k = 2 / (p + 1);
  out[p - 1] = v.slice(0, p).reduce((a, b) => a + b, 0) / p;
  for (let i = p; i < v.length; i++) out[i] = v[i]! * k + out[i - 1]! * (1 - k);
  return out;
}
function referenceRsi(c: number[], p: number): number[] {
  const out = c.map(() => NaN);
  const gains: number[] = [];
  const losses: number[] = [];
  for (let i = 1; i < c.length; i++) {
    gains.push(Math.max(c[i]! - c[i - 1]!, 0));
    losses.push(Math.max(c[i - 1]! - c[i]!, 0));
  }
  if (gains.length < p) return out;
  let ag = gains.slice(0, p).reduce((a, b) => a + b, 0) / p;
  let al = losses.slice(0, p).reduce((a, b) => a + b, 0) / p;
  const value = () => (al === 0 ? (ag === 0 ? 50 : 100) : 100 - 100 / (1 + ag / al));
  out[p] = value();
  for (let i = p; i < gains.length; i++) {
    ag = (ag * (p - 1) + gains[i]!) / p;
    al = (al * (p - 1) + losses[i]!) / p;
    out[i + 1] = value();
  }
  return out;
}
function referenceAtr(h: number[], l: number[], c: number[], p: number): number[] {
  const tr = h.map((hi, i) => (i === 0 ? hi - l[i]! : Math.max(hi - l[i]!, Math.abs(hi - c[i - 1]!), Math.abs(l[i]! - c[i - 1]!))));
  const out = h.map(() => NaN);
  if (tr.length < p) return out;
  out[p - 1] = tr.slice(0, p).reduce((a, b) => a + b, 0) / p;
  for (let i = p; i < tr.length; i++) out[i] = (out[i - 1]! * (p - 1) + tr[i]!) / p;
  return out;
}

function expectSeries(got: Float64Array, want: number[], tol: number): void {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => {
    if (Number.isNaN(w)) expect(got[i], `bar ${i}`).toBeNaN();
    else expect(Math.abs(got[i]! - w), `bar ${i}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w)));
  });
}

describe("hand-computed tiny cases", () => {
  it("SMA(3) of 1..5 = [–, –, 2, 3, 4]", () => {
    expectSeries(sma([1, 2, 3, 4, 5], 3), [NaN, NaN, 2, 3, 4], 0);
  });
  it("EMA(3) of 1..5: seed SMA 2 at bar 2, α = 0.5 → 3, 4", () => {
    expectSeries(ema([1, 2, 3, 4, 5], 3), [NaN, NaN, 2, 3, 4], 0);
  });
  it("RSI(2) of 1,2,3,2,3: gains/losses +1,+1,−1,+1 → 100, 50, 75", () => {
    // Bar 2: avg gain 1, avg loss 0 → 100. Bar 3: gain (1·1+0)/2 = .5, loss (0+1)/2 = .5 → 50.
    // Bar 4: gain (.5+1)/2 = .75, loss (.5+0)/2 = .25 → RS 3 → 75.
    expectSeries(rsi([1, 2, 3, 2, 3], 2), [NaN, NaN, 100, 50, 75], 1e-12);
  });
  it("RSI is 50 on a flat series and 100 on a rising one", () => {
    expect(rsi([5, 5, 5, 5], 2)[3]).toBe(50);
    expect(rsi([1, 2, 3, 4], 2)[3]).toBe(100);
  });
  it("true range and ATR(2), by hand", () => {
    const high = [10, 11, 12, 11];
    const low = [9, 10, 10.5, 9];
    const close = [9.5, 10.8, 11, 9.5];
    // TR: 1 (first bar H−L); max(1, 1.5, .5) = 1.5; max(1.5, 1.2, .3) = 1.5; max(2, 0, 2) = 2.
    expectSeries(trueRange(high, low, close), [1, 1.5, 1.5, 2], 1e-15);
    // ATR(2): bar 1 = mean(1, 1.5) = 1.25; bar 2 = (1.25 + 1.5)/2 = 1.375; bar 3 = (1.375 + 2)/2 = 1.6875.
    expectSeries(atr(high, low, close, 2), [NaN, 1.25, 1.375, 1.6875], 1e-15);
  });
});

describe("fast implementations equal the literal definitions", () => {
  const closes = walk(3000, 7);
  const highs = closes.map((c, i) => c * (1 + 0.004 * ((i * 7919) % 13) / 13));
  const lows = closes.map((c, i) => c * (1 - 0.004 * ((i * 104729) % 11) / 11));
  for (const period of [1, 2, 5, 14, 50, 200]) {
    it(`period ${period}`, () => {
      expectSeries(sma(closes, period), referenceSma(closes, period), 1e-12);
      expectSeries(ema(Float64Array.from(closes), period), referenceEma(closes, period), 1e-12);
      expectSeries(rsi(closes, period), referenceRsi(closes, period), 1e-10);
      expectSeries(atr(highs, lows, closes, period), referenceAtr(highs, lows, closes, period), 1e-12);
    });
  }
  it("short series are all warm-up", () => {
    expectSeries(sma([1, 2], 3), [NaN, NaN], 0);
    expectSeries(ema([1, 2], 3), [NaN, NaN], 0);
    expectSeries(rsi([1, 2, 3], 3), [NaN, NaN, NaN], 0);
    expectSeries(atr([2], [1], [1.5], 3), [NaN], 0);
  });
  it("a NaN poisons the windows that contain it", () => {
    const s = sma([1, 2, NaN, 4, 5, 6], 2);
    expectSeries(s, [NaN, 1.5, NaN, NaN, 4.5, 5.5], 1e-15);
  });
  it("rejects bad periods and mismatched lengths", () => {
    expect(() => sma([1], 0)).toThrow(RangeError);
    expect(() => ema([1], 1.5)).toThrow(RangeError);
    expect(() => atr([1, 2], [1], [1, 2], 1)).toThrow(RangeError);
    expect(() => crossover([1, 2], [1])).toThrow(RangeError);
  });
});

describe("crossover", () => {
  it("detects a cross above at the last bar", () => {
    const c = crossover([1, 2, 3, 5], [4, 4, 4, 4]);
    expect(c).toEqual({ position: "above", crossedAboveAtLast: true, crossedBelowAtLast: false, lastCrossIndex: 3, lastCrossDirection: "above" });
  });
  it("reports the bar index of the last cross, not at the last bar", () => {
    const c = crossover([5, 3, 2, 1, 1], [4, 4, 4, 4, 4]);
    expect(c.lastCrossIndex).toBe(1);
    expect(c.lastCrossDirection).toBe("below");
    expect(c.crossedBelowAtLast).toBe(false);
    expect(c.position).toBe("below");
  });
  it("a touch that bounces back is not a cross; a cross through an equal bar dates at the new side", () => {
    expect(crossover([5, 4, 5], [4, 4, 4]).lastCrossIndex).toBe(-1);
    const through = crossover([3, 4, 5], [4, 4, 4]);
    expect(through.lastCrossIndex).toBe(2);
    expect(through.crossedAboveAtLast).toBe(true);
  });
  it("skips warm-up NaNs (e.g. EMAs of different periods)", () => {
    const closes = [1, 2, 3, 4, 5, 4, 3, 2, 1];
    const c = crossover(ema(closes, 2), ema(closes, 4));
    expect(c.lastCrossDirection).toBe("below");
    expect(c.position).toBe("below");
    expect(crossover([], []).position).toBe("unknown");
  });
});

describe("IV rank and percentile", () => {
  const history = [0.2, 0.25, 0.3, 0.15, 0.35, 0.25];
  it("rank = (cur − min)/(max − min) over history and current", () => {
    expect(ivRank(history, 0.25)).toBeCloseTo((0.25 - 0.15) / (0.35 - 0.15), 15);
    expect(ivRank(history, 0.15)).toBe(0);
    expect(ivRank(history, 0.35)).toBe(1);
    expect(ivRank(history, 0.5)).toBe(1); // a new high is the top of the range
    expect(ivRank([0.2, 0.2], 0.2)).toBeNaN();
    expect(ivRank([NaN, 0.1, 0.3], 0.2)).toBeCloseTo(0.5, 15);
  });
  it("percentile = share of days strictly below the current value", () => {
    expect(ivPercentile(history, 0.25)).toBeCloseTo(2 / 6, 15); // 0.2, 0.15 below; the two 0.25s are not
    expect(ivPercentile(history, 0.26)).toBeCloseTo(4 / 6, 15);
    expect(ivPercentile(history, 0.1)).toBe(0);
    expect(ivPercentile([], 0.2)).toBeNaN();
    expect(ivPercentile(history, NaN)).toBeNaN();
  });
});
