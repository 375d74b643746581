import { describe, expect, it } from "vitest";
import { economics, isCredit, kindLabel, legsOf, legText, multiplierOf, orderUsd, previewMismatches, strikeProblem, strikeText, type SpreadShape } from "./spread-math";

// Reference values below are worked by hand from the textbook definitions of vertical spreads
// (and CONVENTIONS.md): width W = K_high − K_low; a credit spread keeps the credit C at best and
// loses W − C at worst; a debit spread gains W − D at best and loses the debit D at worst.

const spy = (over: Partial<SpreadShape>): SpreadShape => ({ underlying: "SPY", kind: "bullPut", expiry: "2026-12-18", shortStrike: 580, longStrike: 575, quantity: 1, ...over });

describe("legsOf", () => {
  it("bull put: sells the higher put, buys the lower put", () => {
    const legs = legsOf(spy({}));
    expect(legs.map(legText)).toEqual(["SELL 1 SPY 2026-12-18 580 P", "BUY 1 SPY 2026-12-18 575 P"]);
    expect(legs[0].role).toBe("short");
  });

  it("bear call: sells the lower call, buys the higher call", () => {
    const legs = legsOf(spy({ kind: "bearCall", shortStrike: 600, longStrike: 605, quantity: 3 }));
    expect(legs.map(legText)).toEqual(["SELL 3 SPY 2026-12-18 600 C", "BUY 3 SPY 2026-12-18 605 C"]);
  });

  it("bull call: buys the lower call, sells the higher call (bought leg first)", () => {
    const legs = legsOf(spy({ kind: "bullCall", shortStrike: 510, longStrike: 500 }));
    expect(legs.map(legText)).toEqual(["BUY 1 SPY 2026-12-18 500 C", "SELL 1 SPY 2026-12-18 510 C"]);
  });

  it("bear put: buys the higher put, sells the lower put", () => {
    const legs = legsOf(spy({ kind: "bearPut", shortStrike: 440, longStrike: 450, quantity: 2 }));
    expect(legs.map(legText)).toEqual(["BUY 2 SPY 2026-12-18 450 P", "SELL 2 SPY 2026-12-18 440 P"]);
  });

  it("writes half-dollar strikes without trailing zeros", () => {
    expect(strikeText(572.5)).toBe("572.5");
    expect(strikeText(580)).toBe("580");
    expect(legText(legsOf(spy({ shortStrike: 12.5, longStrike: 12 }))[0])).toBe("SELL 1 SPY 2026-12-18 12.5 P");
  });
});

describe("strikeProblem", () => {
  it("accepts strikes on the right side for every kind", () => {
    expect(strikeProblem({ kind: "bullPut", shortStrike: 580, longStrike: 575 })).toBeUndefined();
    expect(strikeProblem({ kind: "bearCall", shortStrike: 600, longStrike: 605 })).toBeUndefined();
    expect(strikeProblem({ kind: "bullCall", shortStrike: 510, longStrike: 500 })).toBeUndefined();
    expect(strikeProblem({ kind: "bearPut", shortStrike: 440, longStrike: 450 })).toBeUndefined();
  });

  it("names a bull put whose short strike is below the long one", () => {
    expect(strikeProblem({ kind: "bullPut", shortStrike: 575, longStrike: 580 })).toMatch(/sells the higher put.*575 is below longStrike 580/);
  });

  it("names a bear call whose short strike is above the long one, and equal strikes", () => {
    expect(strikeProblem({ kind: "bearCall", shortStrike: 610, longStrike: 605 })).toMatch(/sells the lower call/);
    expect(strikeProblem({ kind: "bullCall", shortStrike: 500, longStrike: 500 })).toMatch(/not a spread/);
  });
});

describe("economics (per share)", () => {
  it("bull put 580/575 for a 1.25 credit: max profit 1.25, max loss 3.75, breakeven 578.75", () => {
    const e = economics({ kind: "bullPut", shortStrike: 580, longStrike: 575 }, 1.25);
    expect(e.width).toBe(5);
    expect(e.maxProfit).toBeCloseTo(1.25, 10);
    expect(e.maxLoss).toBeCloseTo(3.75, 10);
    expect(e.breakeven).toBeCloseTo(578.75, 10);
  });

  it("bear call 600/605 for a 1.10 credit: max loss 3.90, breakeven 601.10", () => {
    const e = economics({ kind: "bearCall", shortStrike: 600, longStrike: 605 }, 1.1);
    expect(e.maxProfit).toBeCloseTo(1.1, 10);
    expect(e.maxLoss).toBeCloseTo(3.9, 10);
    expect(e.breakeven).toBeCloseTo(601.1, 10);
  });

  it("bull call 500/510 for a 4.00 debit: max profit 6, max loss 4, breakeven 504", () => {
    const e = economics({ kind: "bullCall", shortStrike: 510, longStrike: 500 }, 4);
    expect(e.maxProfit).toBeCloseTo(6, 10);
    expect(e.maxLoss).toBeCloseTo(4, 10);
    expect(e.breakeven).toBeCloseTo(504, 10);
  });

  it("bear put 450/440 for a 3.20 debit: max profit 6.80, max loss 3.20, breakeven 446.80", () => {
    const e = economics({ kind: "bearPut", shortStrike: 440, longStrike: 450 }, 3.2);
    expect(e.maxProfit).toBeCloseTo(6.8, 10);
    expect(e.maxLoss).toBeCloseTo(3.2, 10);
    expect(e.breakeven).toBeCloseTo(446.8, 10);
  });

  it("knows which kinds are credit spreads", () => {
    expect([isCredit("bullPut"), isCredit("bearCall"), isCredit("bullCall"), isCredit("bearPut")]).toEqual([true, true, false, false]);
    expect(kindLabel("bearPut")).toBe("bear put debit spread");
  });
});

describe("multiplierOf and order totals", () => {
  const shape = spy({ quantity: 2 });

  it("takes the execution service's multiplier first", () => {
    expect(multiplierOf(shape, { maxProfit: 250, maxLoss: 750 }, 10)).toEqual({ value: 10, source: "execution" });
  });

  it("infers 100 from a preview: (250 + 750) / (5 wide × 2 spreads)", () => {
    expect(multiplierOf(shape, { maxProfit: 250, maxLoss: 750 })).toEqual({ value: 100, source: "preview" });
  });

  it("infers a mini option's 10 from its preview", () => {
    // 2 × bull put 580/575 at 1.25 on a 10-share contract: profit 25, loss 75.
    expect(multiplierOf(shape, { maxProfit: 25, maxLoss: 75 })).toEqual({ value: 10, source: "preview" });
  });

  it("falls back to an assumed 100 without a preview, or when the preview implies no whole multiplier", () => {
    expect(multiplierOf(shape, undefined)).toEqual({ value: 100, source: "assumed" });
    expect(multiplierOf(shape, { maxProfit: 250, maxLoss: 700 })).toEqual({ value: 100, source: "assumed" });
  });

  it("totals the limit: 1.25 × 100 × 2 = $250", () => {
    expect(orderUsd(1.25, 100, 2)).toBeCloseTo(250, 10);
  });
});

describe("previewMismatches", () => {
  const shape = spy({ quantity: 2 });

  it("is empty when the preview matches the spread at the limit", () => {
    expect(previewMismatches(shape, 1.25, { maxProfit: 250, maxLoss: 750, breakeven: 578.75 }, 100)).toEqual([]);
  });

  it("names each number of a preview taken at another price", () => {
    // At a 1.20 credit: profit 240, loss 760, breakeven 578.80.
    const out = previewMismatches(shape, 1.25, { maxProfit: 240, maxLoss: 760, breakeven: 578.8 }, 100);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^Max loss: the preview says \$760\.00, .* gives \$750\.00$/);
    expect(out[2]).toMatch(/^Breakeven/);
  });
});
