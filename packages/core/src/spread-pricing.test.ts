import { describe, expect, it } from "vitest";
import { verticalSpread, type SpreadKind, type VerticalSpread } from "./spread.js";
import { checkComboLimit, comboLimitPrice, legStrikes, limitPrice, roundToTick, spreadQuote } from "./spread-pricing.js";

const spread = (kind: SpreadKind, lowerStrike: number, upperStrike: number): VerticalSpread =>
  verticalSpread({ kind, underlying: "SPY", expiry: "2025-06-20", lowerStrike, upperStrike });

describe("natural and mid from leg quotes", () => {
  it("credit: natural = short bid − long ask, mid = short mid − long mid", () => {
    const q = spreadQuote(spread("bullPut", 440, 445), { bid: 2.1, ask: 2.2 }, { bid: 0.95, ask: 1.05 });
    expect(q.natural).toBeCloseTo(1.05, 12);
    expect(q.mid).toBeCloseTo(1.15, 12);
  });
  it("debit: natural = long ask − short bid, mid = long mid − short mid", () => {
    const q = spreadQuote(spread("bullCall", 450, 455), { bid: 2.9, ask: 3.0 }, { bid: 5.0, ask: 5.2 });
    expect(q.natural).toBeCloseTo(2.3, 12);
    expect(q.mid).toBeCloseTo(2.15, 12);
  });
  it("refuses crossed or negative quotes", () => {
    const s = spread("bullPut", 440, 445);
    expect(() => spreadQuote(s, { bid: 2.3, ask: 2.2 }, { bid: 1, ask: 1.1 })).toThrow(RangeError);
    expect(() => spreadQuote(s, { bid: 2.1, ask: 2.2 }, { bid: -1, ask: 1.1 })).toThrow(RangeError);
    expect(() => spreadQuote(s, { bid: 2.1, ask: NaN }, { bid: 1, ask: 1.1 })).toThrow(RangeError);
  });
});

describe("roundToTick", () => {
  it("is exact on binary-unfriendly multiples and prints the decimal value", () => {
    expect(roundToTick(1.15, 0.05, "down")).toBe(1.15);
    expect(roundToTick(1.15, 0.05, "up")).toBe(1.15);
    expect(roundToTick(0.3, 0.1, "up")).toBe(0.3);
    expect(roundToTick(1.16, 0.05, "up")).toBe(1.2);
    expect(roundToTick(1.16, 0.05, "down")).toBe(1.15);
    expect(roundToTick(2.999, 0.01, "down")).toBe(2.99);
    expect(roundToTick(-0.03, 0.05, "up")).toBe(0);
    expect(() => roundToTick(1, 0, "up")).toThrow(RangeError);
  });
});

describe("limit price: mid toward natural by the offset, rounded away from crossing", () => {
  const credit = spread("bullPut", 440, 445);
  const creditQuote = { natural: 1.05, mid: 1.15 };
  const debit = spread("bullCall", 450, 455);
  const debitQuote = { natural: 2.3, mid: 2.15 };

  it("credit: 1.15 − 0.03 = 1.12 rounds up to 1.15 on a 0.05 tick, stays 1.12 on a 0.01 tick", () => {
    expect(limitPrice(credit, creditQuote, { offset: 0.03, minTick: 0.05 })).toBe(1.15);
    expect(limitPrice(credit, creditQuote, { offset: 0.07, minTick: 0.05 })).toBe(1.1);
    expect(limitPrice(credit, creditQuote, { offset: 0.03, minTick: 0.01 })).toBe(1.12);
  });
  it("debit: 2.15 + 0.03 = 2.18 rounds down to 2.15; 2.23 → 2.20", () => {
    expect(limitPrice(debit, debitQuote, { offset: 0.03, minTick: 0.05 })).toBe(2.15);
    expect(limitPrice(debit, debitQuote, { offset: 0.08, minTick: 0.05 })).toBe(2.2);
  });
  it("never goes past natural", () => {
    expect(limitPrice(credit, creditQuote, { offset: 0.5, minTick: 0.05 })).toBe(1.05);
    expect(limitPrice(debit, debitQuote, { offset: 0.5, minTick: 0.05 })).toBe(2.3);
  });
  it("never crosses zero: a credit stays at least one tick of credit, a debit one tick of debit", () => {
    expect(limitPrice(credit, { natural: -0.05, mid: 0.02 }, { offset: 0.05, minTick: 0.05 })).toBe(0.05);
    expect(limitPrice(debit, { natural: 0.05, mid: 0.02 }, { offset: 0, minTick: 0.05 })).toBe(0.05);
  });
  it("validates its inputs", () => {
    expect(() => limitPrice(credit, creditQuote, { offset: -0.01, minTick: 0.05 })).toThrow(RangeError);
    expect(() => limitPrice(credit, creditQuote, { offset: 0.01, minTick: 0 })).toThrow(RangeError);
    expect(() => limitPrice(credit, { natural: NaN, mid: 1 }, { offset: 0.01, minTick: 0.05 })).toThrow(RangeError);
  });
  it("random quotes: the signed limit always passes the broker-side check", () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let k = 0; k < 2000; k++) {
      const kind = (["bullPut", "bearCall", "bullCall", "bearPut"] as const)[k % 4]!;
      const s = spread(kind, 440, 450);
      const a = { bid: 1 + 3 * random(), ask: 0 };
      const b = { bid: 1 + 3 * random(), ask: 0 };
      const [short, long] = a.bid > b.bid === (kind === "bullPut" || kind === "bearCall") ? [a, b] : [b, a];
      short.ask = short.bid + 0.3 * random();
      long.ask = long.bid + 0.3 * random();
      const quote = spreadQuote(s, short, long);
      const tick = random() < 0.5 ? 0.05 : 0.01;
      const premium = limitPrice(s, quote, { offset: 0.2 * random(), minTick: tick });
      expect(checkComboLimit(s, comboLimitPrice(s, premium), tick)).toBeUndefined();
    }
  });
});

describe("IB combo sign rule (BUY the combo as defined by its legs)", () => {
  it("credit spreads get a negative limit, debit spreads a positive one", () => {
    expect(comboLimitPrice(spread("bullPut", 440, 445), 1.15)).toBe(-1.15);
    expect(comboLimitPrice(spread("bearCall", 455, 460), 1.1)).toBe(-1.1);
    expect(comboLimitPrice(spread("bullCall", 450, 455), 2.15)).toBe(2.15);
    expect(comboLimitPrice(spread("bearPut", 445, 450), 1.8)).toBe(1.8);
  });
  it("refuses a limit whose sign contradicts the kind, zero, non-finite, too wide or off-tick", () => {
    const credit = spread("bullPut", 440, 445);
    const debit = spread("bearPut", 445, 450);
    expect(checkComboLimit(credit, -1.15, 0.05)).toBeUndefined();
    expect(checkComboLimit(debit, 1.8, 0.05)).toBeUndefined();
    expect(checkComboLimit(credit, 1.15)).toBe("sign-contradicts-kind");
    expect(checkComboLimit(debit, -1.8)).toBe("sign-contradicts-kind");
    expect(checkComboLimit(credit, 0)).toBe("zero");
    expect(checkComboLimit(credit, NaN)).toBe("not-finite");
    expect(checkComboLimit(credit, -5)).toBe("not-below-width");
    expect(checkComboLimit(credit, -1.12, 0.05)).toBe("off-tick");
    expect(checkComboLimit(credit, -1.15, 0.05)).toBeUndefined();
  });
  it("legStrikes lists [short, long]", () => {
    expect(legStrikes(spread("bullPut", 440, 445))).toEqual([445, 440]);
    expect(legStrikes(spread("bullCall", 450, 455))).toEqual([455, 450]);
  });
});
