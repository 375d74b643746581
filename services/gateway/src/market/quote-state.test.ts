import { QuoteFlag } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { QuoteState } from "./quote-state.js";

describe("QuoteState", () => {
  it("folds delayed ticks onto live fields and drops IB sentinels", () => {
    const q = new QuoteState();
    expect(q.price(66, 1.5, 10)).toBe(true); // delayed bid
    expect(q.price(2, 1.6, 11)).toBe(true);
    expect(q.price(4, -1, 12)).toBe(false); // no last trade
    expect(q.size(69, 12, 13)).toBe(true); // delayed bid size
    expect(q.price(1, 1.5, 14)).toBe(false); // unchanged
    expect(q.values).toMatchObject({ bid: 1.5, ask: 1.6, bidSize: 12 });
    expect(q.values.last).toBeUndefined();
    expect(q.lastTickMs).toBe(14);
  });

  it("keeps model greeks (tick 13) and drops the not-computed sentinels", () => {
    const q = new QuoteState();
    q.optionComputation(10, { delta: 0.9 }, 1); // bid computation: ignored
    q.optionComputation(13, { iv: 0.22, delta: 0.31, gamma: 0.02, theta: -0.05, vega: -2, price: 2.5, und: 600 }, 2);
    expect(q.values).toMatchObject({ modelImpliedVol: 0.22, delta: 0.31, gamma: 0.02, theta: -0.05, modelPrice: 2.5, underlyingPrice: 600 });
    expect(q.values.vega).toBeUndefined();
    const quote = q.toQuote({ requestIndex: 3, conId: 7, symbol: "SPY", localSymbol: "SPY x", isOption: true });
    expect(quote).toMatchObject({ requestIndex: 3, conId: 7, impliedVol: 0.22, greeks: { delta: 0.31, gamma: 0.02 } });
    expect(quote.flags & QuoteFlag.NO_QUOTE).toBe(QuoteFlag.NO_QUOTE);
  });

  it("flags delayed and frozen data, and turns into a chain row", () => {
    const q = new QuoteState();
    q.marketDataType = 4;
    q.price(1, 2, 5);
    q.size(27, 100, 5); // call open interest (generic tick 101)
    expect(q.flags()).toBe(QuoteFlag.DELAYED | QuoteFlag.FROZEN);
    const planned = { symbol: "SPY", expiry: "20260417", dte: 38, strike: 600, right: "call" as const, tradingClass: "SPY", exchange: "SMART", multiplier: 100 };
    expect(q.toOptionResult(planned, 99)).toMatchObject({ conId: 99, bid: 2, openInterest: 100, lastTickMs: 5, flags: QuoteFlag.DELAYED | QuoteFlag.FROZEN });
  });
});
