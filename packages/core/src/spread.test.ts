import { describe, expect, it } from "vitest";
import { bsmPrice } from "./bsm.js";
import { normCdf } from "./normal.js";
import { probabilityAbove, probabilityBelow, type LognormalModel } from "./probability.js";
import {
  premiumProblem,
  spreadEconomics,
  spreadLegs,
  spreadOutcome,
  spreadPayoffAtExpiry,
  spreadWidth,
  toDollars,
  verticalSpread,
  type SpreadKind,
  type VerticalSpread,
} from "./spread.js";
import { simpsonExpectation } from "./testdata/simpson.js";

const spread = (kind: SpreadKind, lowerStrike: number, upperStrike: number): VerticalSpread =>
  verticalSpread({ kind, underlying: "SPY", expiry: "2025-06-20", lowerStrike, upperStrike });

// Hand-computed from the CONVENTIONS.md table (W = K_high − K_low).
describe("economics per CONVENTIONS.md", () => {
  it("bull put 440/445 for a 1.25 credit: SELL put 445, BUY put 440; max profit 1.25, max loss 3.75, BE 443.75", () => {
    const s = spread("bullPut", 440, 445);
    expect(spreadLegs(s)).toEqual({
      short: { action: "SELL", right: "put", strike: 445 },
      long: { action: "BUY", right: "put", strike: 440 },
    });
    const e = spreadEconomics(s, 1.25);
    expect(e.cashFlow).toBe("credit");
    expect(e.width).toBe(5);
    expect(e.maxProfit).toBe(1.25);
    expect(e.maxLoss).toBe(3.75);
    expect(e.breakeven).toBe(443.75);
    expect(e.returnOnRisk).toBeCloseTo(1 / 3, 15);
  });

  it("bear call 455/460 for a 1.10 credit: SELL call 455, BUY call 460; max loss 3.90, BE 456.10", () => {
    const s = spread("bearCall", 455, 460);
    expect(spreadLegs(s)).toEqual({
      short: { action: "SELL", right: "call", strike: 455 },
      long: { action: "BUY", right: "call", strike: 460 },
    });
    const e = spreadEconomics(s, 1.1);
    expect(e.maxProfit).toBe(1.1);
    expect(e.maxLoss).toBeCloseTo(3.9, 12);
    expect(e.breakeven).toBeCloseTo(456.1, 12);
    expect(e.returnOnRisk).toBeCloseTo(1.1 / 3.9, 12);
  });

  it("bull call 450/455 for a 2.10 debit: BUY call 450, SELL call 455; max profit 2.90, max loss 2.10, BE 452.10", () => {
    const s = spread("bullCall", 450, 455);
    expect(spreadLegs(s)).toEqual({
      short: { action: "SELL", right: "call", strike: 455 },
      long: { action: "BUY", right: "call", strike: 450 },
    });
    const e = spreadEconomics(s, 2.1);
    expect(e.cashFlow).toBe("debit");
    expect(e.maxProfit).toBeCloseTo(2.9, 12);
    expect(e.maxLoss).toBe(2.1);
    expect(e.breakeven).toBeCloseTo(452.1, 12);
    expect(e.returnOnRisk).toBeCloseTo(2.9 / 2.1, 12);
  });

  it("bear put 445/450 for a 1.80 debit: BUY put 450, SELL put 445; max profit 3.20, BE 448.20", () => {
    const s = spread("bearPut", 445, 450);
    expect(spreadLegs(s)).toEqual({
      short: { action: "SELL", right: "put", strike: 445 },
      long: { action: "BUY", right: "put", strike: 450 },
    });
    const e = spreadEconomics(s, 1.8);
    expect(e.maxProfit).toBeCloseTo(3.2, 12);
    expect(e.maxLoss).toBe(1.8);
    expect(e.breakeven).toBeCloseTo(448.2, 12);
  });

  it("payoff at expiry, by hand", () => {
    const bp = spread("bullPut", 440, 445);
    expect(spreadPayoffAtExpiry(bp, 1.25, 450)).toBe(1.25);
    expect(spreadPayoffAtExpiry(bp, 1.25, 442)).toBeCloseTo(1.25 - 3, 12);
    expect(spreadPayoffAtExpiry(bp, 1.25, 439)).toBeCloseTo(1.25 - 6 + 1, 12);
    expect(spreadPayoffAtExpiry(spread("bearCall", 455, 460), 1.1, 457)).toBeCloseTo(1.1 - 2, 12);
    expect(spreadPayoffAtExpiry(spread("bullCall", 450, 455), 2.1, 453)).toBeCloseTo(-2.1 + 3, 12);
    expect(spreadPayoffAtExpiry(spread("bearPut", 445, 450), 1.8, 447)).toBeCloseTo(-1.8 + 3, 12);
  });

  it("payoff is zero at the breakeven, max profit / max loss beyond the strikes", () => {
    for (const kind of ["bullPut", "bearCall", "bullCall", "bearPut"] as const) {
      const s = spread(kind, 440, 450);
      const e = spreadEconomics(s, 3.3);
      expect(spreadPayoffAtExpiry(s, 3.3, e.breakeven)).toBeCloseTo(0, 12);
      const bullish = kind === "bullPut" || kind === "bullCall";
      expect(spreadPayoffAtExpiry(s, 3.3, bullish ? 460 : 430)).toBeCloseTo(e.maxProfit, 12);
      expect(spreadPayoffAtExpiry(s, 3.3, bullish ? 430 : 460)).toBeCloseTo(-e.maxLoss, 12);
    }
  });

  it("dollars use the multiplier passed in, never an assumed 100", () => {
    const e = spreadEconomics(spread("bullPut", 440, 445), 1.25);
    expect(toDollars(e.maxLoss, 100, 2)).toBe(750);
    expect(toDollars(e.maxLoss, 10, 2)).toBe(75);
    expect(toDollars(e.maxProfit, 1000)).toBe(1250);
    expect(() => toDollars(1, 0)).toThrow(RangeError);
    expect(() => toDollars(1, NaN)).toThrow(RangeError);
  });

  it("rejects premiums outside (0, W) and malformed spreads", () => {
    const s = spread("bullPut", 440, 445);
    expect(premiumProblem(s, 0)).toBe("not-positive");
    expect(premiumProblem(s, -1)).toBe("not-positive");
    expect(premiumProblem(s, 5)).toBe("not-below-width");
    expect(premiumProblem(s, NaN)).toBe("not-finite");
    expect(premiumProblem(s, 4.95)).toBeUndefined();
    expect(() => spreadEconomics(s, 5)).toThrow(RangeError);
    expect(spreadWidth(s)).toBe(5);
    const ok = { kind: "bullPut", underlying: "SPY", expiry: "2025-06-20", lowerStrike: 440, upperStrike: 445 } as const;
    expect(() => verticalSpread({ ...ok, lowerStrike: 445 })).toThrow(RangeError);
    expect(() => verticalSpread({ ...ok, lowerStrike: -1 })).toThrow(RangeError);
    expect(() => verticalSpread({ ...ok, expiry: "2025-02-30" })).toThrow(RangeError);
    expect(() => verticalSpread({ ...ok, underlying: "" })).toThrow(RangeError);
    expect(() => verticalSpread({ ...ok, kind: "ironCondor" as SpreadKind })).toThrow(RangeError);
  });
});

const MODELS: LognormalModel[] = [
  { spot: 445, vol: 0.18, time: 30 / 365, drift: 0.032 },
  { spot: 445, vol: 0.45, time: 5 / 365, drift: 0 },
  { spot: 445, vol: 0.25, time: 0.75, drift: 0.15 },
];
const KINDS = ["bullPut", "bearCall", "bullCall", "bearPut"] as const;

describe("outcome under a lognormal model", () => {
  it("probability of profit is N(±d2) at the breakeven", () => {
    for (const model of MODELS) {
      for (const kind of KINDS) {
        const s = spread(kind, 440, 450);
        const premium = 3.1;
        const be = spreadEconomics(s, premium).breakeven;
        const d2 = (Math.log(model.spot / be) + (model.drift - 0.5 * model.vol ** 2) * model.time) / (model.vol * Math.sqrt(model.time));
        const bullish = kind === "bullPut" || kind === "bullCall";
        expect(spreadOutcome(s, premium, model).probabilityOfProfit).toBeCloseTo(normCdf(bullish ? d2 : -d2), 14);
      }
    }
  });

  it("a bull put and a bear call with the same breakeven split the probability: POP₁ + POP₂ = 1", () => {
    for (const model of MODELS) {
      const bullPut = spreadOutcome(spread("bullPut", 440, 445), 1.25, model); // BE 443.75
      const bearCall = spreadOutcome(spread("bearCall", 443, 448), 0.75, model); // BE 443.75
      expect(bullPut.probabilityOfProfit + bearCall.probabilityOfProfit).toBeCloseTo(1, 14);
    }
  });

  it("max profit, max loss and in-between probabilities add up to 1 (in-between by Simpson)", () => {
    for (const model of MODELS) {
      for (const kind of KINDS) {
        const o = spreadOutcome(spread(kind, 440, 450), 3.1, model);
        const between = simpsonExpectation(model, (x) => (x > 440 && x < 450 ? 1 : 0), [440, 450]);
        expect(o.probabilityOfMaxProfit + o.probabilityOfMaxLoss + between).toBeCloseTo(1, 10);
        expect(o.probabilityOfMaxProfit).toBeLessThanOrEqual(o.probabilityOfProfit);
      }
    }
    const bp = spreadOutcome(spread("bullPut", 440, 450), 3.1, MODELS[0]!);
    expect(bp.probabilityOfMaxProfit).toBeCloseTo(probabilityAbove(MODELS[0]!, 450), 15);
    expect(bp.probabilityOfMaxLoss).toBeCloseTo(probabilityBelow(MODELS[0]!, 440), 15);
  });

  it("expected value equals Simpson integration of the payoff against the lognormal density", () => {
    for (const model of MODELS) {
      for (const kind of KINDS) {
        const s = spread(kind, 440, 450);
        const ev = spreadOutcome(s, 3.1, model).expectedValue;
        const numeric = simpsonExpectation(model, (x) => spreadPayoffAtExpiry(s, 3.1, x), [440, 450]);
        expect(ev, kind).toBeCloseTo(numeric, 9);
      }
    }
  });

  it("risk-neutral expected value is the premium minus the forward value of the spread (BSM)", () => {
    const rate = 0.045;
    const dividendYield = 0.013;
    for (const model of MODELS) {
      const rn = { ...model, drift: rate - dividendYield };
      for (const kind of KINDS) {
        const s = spread(kind, 440, 450);
        const { short, long } = spreadLegs(s);
        const price = (strike: number, right: "call" | "put") =>
          bsmPrice({ right, spot: model.spot, strike, time: model.time, rate, dividendYield, vol: model.vol });
        const value = price(long.strike, long.right) - price(short.strike, short.right);
        const credit = kind === "bullPut" || kind === "bearCall";
        const expected = (credit ? 3.1 : -3.1) + Math.exp(rate * model.time) * value;
        expect(spreadOutcome(s, 3.1, rn).expectedValue).toBeCloseTo(expected, 9);
      }
    }
  });
});
