import { describe, expect, it } from "vitest";
import { DEFAULT_UNIVERSE, validateUniverse, type SymbolSpec } from "./universe.js";

describe("DEFAULT_UNIVERSE", () => {
  it("is valid and holds the liquid names the issue lists", () => {
    expect(() => { validateUniverse(DEFAULT_UNIVERSE); }).not.toThrow();
    const symbols = DEFAULT_UNIVERSE.map((s) => s.symbol);
    for (const s of ["SPY", "QQQ", "IWM", "DIA", "AAPL", "MSFT", "NVDA", "AMZN", "META", "GOOGL", "TSLA", "AMD", "JPM", "XOM"]) {
      expect(symbols).toContain(s);
    }
  });

  it("has small illiquid names for filters to reject, some without options", () => {
    const small = DEFAULT_UNIVERSE.filter((s) => s.marketCap < 1e9 && s.averageVolume < 1e6 && s.price < 20);
    expect(small.length).toBeGreaterThanOrEqual(5);
    expect(small.some((s) => !s.optionable)).toBe(true);
    expect(small.some((s) => s.optionable)).toBe(true);
    for (const s of DEFAULT_UNIVERSE) expect(["NASDAQ", "NYSE", "ARCA", "AMEX"]).toContain(s.primaryExchange);
  });

  it("rejects duplicates and ids out of range", () => {
    const spy = DEFAULT_UNIVERSE[0]!;
    const twin: SymbolSpec = { ...spy, symbol: "SPYY" };
    expect(() => { validateUniverse([spy, twin]); }).toThrow(/duplicate conId/);
    expect(() => { validateUniverse([{ ...spy, conId: 2 ** 30 }]); }).toThrow(/conId/);
    expect(() => { validateUniverse([{ ...spy, optionClass: 64 }]); }).toThrow(/optionClass/);
  });
});
