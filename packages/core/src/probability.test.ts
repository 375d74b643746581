import { describe, expect, it } from "vitest";
import { bsmPrice } from "./bsm.js";
import { normCdf } from "./normal.js";
import {
  expectedCallPayoff,
  expectedPrice,
  expectedPutPayoff,
  partialExpectationAbove,
  partialExpectationBelow,
  probabilityAbove,
  probabilityBelow,
  type LognormalModel,
} from "./probability.js";
import { simpsonExpectation } from "./testdata/simpson.js";

const MODELS: LognormalModel[] = [
  { spot: 500, vol: 0.2, time: 30 / 365, drift: 0.032 },
  { spot: 500, vol: 0.65, time: 3 / 365, drift: 0 },
  { spot: 100, vol: 0.35, time: 1.5, drift: 0.12 },
  { spot: 42, vol: 0.2, time: 0.5, drift: 0.1 },
];
const LEVELS = [0.6, 0.9, 0.97, 1, 1.02, 1.1, 1.5];

describe("lognormal probabilities", () => {
  it("P(S_T > K) = N(d2) with d2 = (ln(S/K) + (μ − σ²/2)T)/(σ√T), and P(above) + P(below) = 1", () => {
    for (const model of MODELS) {
      for (const k of LEVELS) {
        const K = k * model.spot;
        const d2 = (Math.log(model.spot / K) + (model.drift - 0.5 * model.vol ** 2) * model.time) / (model.vol * Math.sqrt(model.time));
        expect(probabilityAbove(model, K)).toBeCloseTo(normCdf(d2), 14);
        expect(probabilityAbove(model, K) + probabilityBelow(model, K)).toBeCloseTo(1, 14);
      }
    }
  });

  it("match Simpson integration of the lognormal density", () => {
    for (const model of MODELS) {
      expect(expectedPrice(model)).toBeCloseTo(simpsonExpectation(model, (s) => s), 9);
      for (const k of LEVELS) {
        const K = k * model.spot;
        const above = simpsonExpectation(model, (s) => (s > K ? 1 : 0), [K]);
        expect(probabilityAbove(model, K)).toBeCloseTo(above, 10);
        expect(partialExpectationBelow(model, K)).toBeCloseTo(simpsonExpectation(model, (s) => (s < K ? s : 0), [K]), 8);
        expect(partialExpectationAbove(model, K)).toBeCloseTo(simpsonExpectation(model, (s) => (s > K ? s : 0), [K]), 8);
        expect(expectedCallPayoff(model, K)).toBeCloseTo(simpsonExpectation(model, (s) => Math.max(s - K, 0), [K]), 8);
        expect(expectedPutPayoff(model, K)).toBeCloseTo(simpsonExpectation(model, (s) => Math.max(K - s, 0), [K]), 8);
      }
    }
  });

  it("risk-neutral drift reproduces Black-Scholes-Merton: E[(S_T − K)⁺] = e^{rT}·C and P(S_T > K) = −e^{rT}·∂C/∂K", () => {
    const rate = 0.045;
    const dividendYield = 0.013;
    for (const model of MODELS) {
      const rn = { ...model, drift: rate - dividendYield };
      for (const k of LEVELS) {
        const K = k * model.spot;
        const x = { spot: model.spot, strike: K, time: model.time, rate, dividendYield, vol: model.vol };
        const growth = Math.exp(rate * model.time);
        expect(expectedCallPayoff(rn, K)).toBeCloseTo(growth * bsmPrice({ ...x, right: "call" }), 9);
        expect(expectedPutPayoff(rn, K)).toBeCloseTo(growth * bsmPrice({ ...x, right: "put" }), 9);
        const h = 1e-4 * K * model.vol * Math.sqrt(model.time);
        const dCdK = (bsmPrice({ ...x, right: "call", strike: K + h }) - bsmPrice({ ...x, right: "call", strike: K - h })) / (2 * h);
        expect(probabilityAbove(rn, K)).toBeCloseTo(-growth * dCdK, 7);
      }
    }
  });

  it("degenerate cases: σ√T = 0 is certain, levels ≤ 0 or ∞ are trivial", () => {
    const certain = { spot: 100, vol: 0, time: 1, drift: 0.05 };
    expect(probabilityAbove(certain, 105)).toBe(1); // forward 105.13
    expect(probabilityAbove(certain, 106)).toBe(0);
    expect(probabilityBelow(certain, 106)).toBe(1);
    expect(probabilityAbove(MODELS[0]!, 0)).toBe(1);
    expect(probabilityBelow(MODELS[0]!, 0)).toBe(0);
    expect(probabilityAbove(MODELS[0]!, Infinity)).toBe(0);
    expect(() => probabilityAbove({ spot: -1, vol: 0.2, time: 1, drift: 0 }, 1)).toThrow(RangeError);
    expect(() => probabilityAbove(MODELS[0]!, NaN)).toThrow(RangeError);
  });
});
