import { describe, expect, it } from "vitest";
import { bsmGreeks, type BsmInput, type OptionRight } from "./bsm.js";
import { impliedVolBatch, impliedVolGreeksBatch } from "./implied-vol-batch.js";
import { impliedVol, type ImpliedVolInput } from "./implied-vol.js";
import { IvStatus, ivFailureName } from "./iv-status.js";
import { createGreeksBatch, createOptionBatch, RightCode, rightCode } from "./option-batch.js";

const MONEYNESS = [0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 1, 1.01, 1.05, 1.1, 1.25, 1.5, 2, 3];
const TIMES = [1 / 365, 2 / 365, 7 / 365, 30 / 365, 91 / 365, 0.5, 1, 2];
const VOLS = [0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1.2, 2];
const CARRY = [[0.045, 0.013], [0, 0], [0.1, 0]] as const;

interface Case extends BsmInput {
  readonly price: number;
  /** The price pins σ down to 1e-8 (see `informative`). */
  readonly informative: boolean;
}

/**
 * Skip rule: a price "carries" σ to 1e-8 when a 1e-8 relative change of σ moves it by at least
 * 64 ulps of the magnitude it is computed from, M = S·e^{−qT}·N(±d1) + K·e^{−rT}·N(±d2)
 * = |price − 2·S·delta| (deep in-the-money prices are small differences of large terms), and it
 * is above the subnormal range. Elsewhere no solver can recover σ to 1e-8 from a double price.
 */
function informative(x: BsmInput, price: number): boolean {
  const g = bsmGreeks(x);
  const magnitude = Math.abs(price - 2 * x.spot * g.delta);
  return price > 1e-290 && g.vega * 100 * x.vol * 1e-8 >= 64 * Number.EPSILON * magnitude;
}

const CASES: Case[] = [];
for (const right of ["call", "put"] as const) {
  for (const m of MONEYNESS) {
    for (const time of TIMES) {
      for (const vol of VOLS) {
        for (const [rate, dividendYield] of CARRY) {
          const x: BsmInput = { right, spot: 100, strike: 100 * m, time, rate, dividendYield, vol };
          const price = bsmGreeks(x).price;
          CASES.push({ ...x, price, informative: informative(x, price) });
        }
      }
    }
  }
}

function toInput(c: Case): ImpliedVolInput {
  const { right, spot, strike, time, rate, dividendYield, price } = c;
  return { right, spot, strike, time, rate, dividendYield, price };
}

describe("round trip over a grid (moneyness 0.3-3, T 1 day-2 years, σ 5 %-200 %)", () => {
  const informativeCases = CASES.filter((c) => c.informative);

  it("has enough informative points for the test to mean something", () => {
    expect(CASES.length).toBe(5760);
    expect(informativeCases.length).toBeGreaterThan(4000);
  });

  it("recovers σ to 1e-8 relative wherever the price carries that information", () => {
    let worst = 0;
    for (const c of informativeCases) {
      const result = impliedVol(toInput(c));
      expect(result.ok, JSON.stringify(c)).toBe(true);
      if (!result.ok) continue;
      const err = Math.abs(result.vol / c.vol - 1);
      worst = Math.max(worst, err);
      expect(err, JSON.stringify(c)).toBeLessThan(1e-8);
    }
    // Typically far better than the contract.
    expect(worst).toBeLessThan(1e-9);
  });

  it("still returns a vol that reproduces the price where σ itself is not resolvable", () => {
    for (const c of CASES.filter((x) => !x.informative && x.price > 1e-290)) {
      const result = impliedVol(toInput(c));
      if (!result.ok) {
        // The price rounds to the intrinsic value or the upper bound: no finite σ reproduces it.
        expect(["below-intrinsic", "above-upper-bound"]).toContain(result.status);
        continue;
      }
      const repriced = bsmGreeks({ ...c, vol: result.vol }).price;
      const magnitude = Math.abs(c.price) + c.spot + c.strike;
      expect(Math.abs(repriced - c.price), JSON.stringify(c)).toBeLessThan(1e-12 * magnitude);
    }
  });

  it("converges in about one function evaluation on average (initial-guess quality)", () => {
    let total = 0;
    let max = 0;
    for (const c of informativeCases) {
      const result = impliedVol(toInput(c));
      if (!result.ok) continue;
      total += result.iterations;
      max = Math.max(max, result.iterations);
    }
    expect(total / informativeCases.length).toBeLessThan(1.6);
    expect(max).toBeLessThanOrEqual(6);
  });

  it("batch results equal the scalar results, with greeks at the implied vol", () => {
    const n = CASES.length;
    const batch = createOptionBatch(n);
    const prices = new Float64Array(n);
    CASES.forEach((c, i) => {
      batch.right[i] = c.right === "call" ? RightCode.Call : RightCode.Put;
      batch.spot[i] = c.spot;
      batch.strike[i] = c.strike;
      batch.time[i] = c.time;
      batch.rate[i] = c.rate;
      batch.dividendYield[i] = c.dividendYield;
      prices[i] = c.price;
    });
    const vol = new Float64Array(n);
    const status = new Uint8Array(n);
    const greeks = createGreeksBatch(n);
    const solved = impliedVolGreeksBatch(batch, prices, vol, status, greeks);
    let ok = 0;
    CASES.forEach((c, i) => {
      const scalar = impliedVol(toInput(c));
      if (scalar.ok) {
        ok++;
        expect(status[i]).toBe(IvStatus.Ok);
        expect(vol[i]).toBe(scalar.vol);
        const g = bsmGreeks({ ...c, vol: scalar.vol });
        expect(greeks.price[i]).toBeCloseTo(g.price, 10);
        expect(greeks.delta[i]).toBeCloseTo(g.delta, 12);
        expect(greeks.vega[i]).toBeCloseTo(g.vega, 12);
      } else {
        expect(ivFailureName(status[i]!)).toBe(scalar.status);
        expect(vol[i]).toBeNaN();
        expect(greeks.delta[i]).toBeNaN();
      }
    });
    expect(solved).toBe(ok);
  });
});

describe("textbook", () => {
  it("Hull, implied volatility example: c=1.875, S=21, K=20, r=10%, T=0.25 → σ = 23.5%", () => {
    const result = impliedVol({ right: "call", spot: 21, strike: 20, time: 0.25, rate: 0.1, dividendYield: 0, price: 1.875 });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.vol).toBeCloseTo(0.235, 3);
  });
});

describe("arbitrage violations and bad inputs are reported, never solved", () => {
  const base = { spot: 100, strike: 90, time: 0.5, rate: 0.05, dividendYield: 0.02 } as const;
  const lowerCall = 100 * Math.exp(-0.01) - 90 * Math.exp(-0.025);
  const cases: readonly [string, ImpliedVolInput, string][] = [
    ["call below intrinsic", { ...base, right: "call", price: lowerCall - 0.01 }, "below-intrinsic"],
    ["call exactly at the lower bound", { ...base, right: "call", price: lowerCall }, "below-intrinsic"],
    ["OTM put at zero", { ...base, right: "put", price: 0 }, "below-intrinsic"],
    ["negative price", { ...base, right: "put", price: -0.5 }, "below-intrinsic"],
    ["call at S·e^{−qT}", { ...base, right: "call", price: 100 * Math.exp(-0.01) }, "above-upper-bound"],
    ["call above spot", { ...base, right: "call", price: 120 }, "above-upper-bound"],
    ["put at K·e^{−rT}", { ...base, right: "put", price: 90 * Math.exp(-0.025) }, "above-upper-bound"],
    ["expired", { ...base, right: "call", time: 0, price: 10 }, "non-positive-time"],
    ["negative time", { ...base, right: "call", time: -0.1, price: 10 }, "non-positive-time"],
    ["NaN price", { ...base, right: "call", price: NaN }, "invalid-input"],
    ["zero spot", { ...base, right: "call", spot: 0, price: 1 }, "invalid-input"],
    ["infinite rate", { ...base, right: "call", rate: Infinity, price: 12 }, "invalid-input"],
    ["unknown right", { ...base, right: "straddle" as OptionRight, price: 12 }, "invalid-input"],
  ];
  for (const [name, input, status] of cases) {
    it(name, () => {
      const result = impliedVol(input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.status).toBe(status);
        expect(result.message.length).toBeGreaterThan(10);
      }
    });
  }

  it("batch: NaN vol and the matching status code per element", () => {
    const batch = createOptionBatch(cases.length);
    const prices = new Float64Array(cases.length);
    cases.forEach(([, c], i) => {
      batch.right[i] = rightCode(c.right) ?? 9;
      batch.spot[i] = c.spot;
      batch.strike[i] = c.strike;
      batch.time[i] = c.time;
      batch.rate[i] = c.rate;
      batch.dividendYield[i] = c.dividendYield;
      prices[i] = c.price;
    });
    const vol = new Float64Array(cases.length);
    const status = new Uint8Array(cases.length);
    expect(impliedVolBatch(batch, prices, vol, status)).toBe(0);
    cases.forEach(([name, , expected], i) => {
      expect(vol[i], name).toBeNaN();
      expect(ivFailureName(status[i]!), name).toBe(expected);
    });
  });

  it("prices just inside the bounds still solve", () => {
    const tiny = impliedVol({ ...base, right: "put", price: 1e-12 });
    expect(tiny.ok).toBe(true);
    const huge = impliedVol({ ...base, right: "call", price: 100 * Math.exp(-0.01) * (1 - 1e-9) });
    expect(huge.ok).toBe(true);
    if (huge.ok) expect(huge.vol).toBeGreaterThan(5);
  });
});

describe("deep in the money", () => {
  it("solves through put-call parity without losing the time value", () => {
    // Deep ITM call: almost all intrinsic; its OTM twin (the put) carries the information.
    const x: BsmInput = { right: "call", spot: 100, strike: 60, time: 0.25, rate: 0.03, dividendYield: 0.01, vol: 0.45 };
    const result = impliedVol({ ...x, price: bsmGreeks(x).price });
    expect(result.ok).toBe(true);
    if (result.ok) expect(Math.abs(result.vol / 0.45 - 1)).toBeLessThan(1e-9);
  });
});
