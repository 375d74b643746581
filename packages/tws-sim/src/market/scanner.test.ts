import { describe, expect, it } from "vitest";
import { MarketDataError, type ScanCode } from "./market-source.js";
import { testMarket } from "./test-fixtures.js";

describe("market scanner", () => {
  const market = testMarket({ seed: 12 });

  it("applies the gateway's universe filter and drops the small names", () => {
    const rows = market.scan({ scanCode: "MOST_ACTIVE", minPrice: 20, minAverageVolume: 1e6, minMarketCap: 1e10, optionable: true });
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      expect(row.last).toBeGreaterThanOrEqual(20);
      expect(row.averageVolume).toBeGreaterThanOrEqual(1e6);
      expect(row.marketCap).toBeGreaterThanOrEqual(1e10);
      expect(row.contract.optionable).toBe(true);
      expect(row.contract.liquidity).not.toBe("low");
    }
    expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => i));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.volume).toBeLessThanOrEqual(rows[i - 1]!.volume);
  });

  it("sorts by the scan code", () => {
    const gainers = market.scan({ scanCode: "TOP_PERC_GAIN" });
    const losers = market.scan({ scanCode: "TOP_PERC_LOSE" });
    for (let i = 1; i < gainers.length; i++) expect(gainers[i]!.changePercent).toBeLessThanOrEqual(gainers[i - 1]!.changePercent);
    for (let i = 1; i < losers.length; i++) expect(losers[i]!.changePercent).toBeGreaterThanOrEqual(losers[i - 1]!.changePercent);
    const highIv = market.scan({ scanCode: "HIGH_OPT_IMP_VOLAT" });
    expect(highIv.every((r) => r.contract.optionable && r.impliedVol !== undefined)).toBe(true);
    for (let i = 1; i < highIv.length; i++) expect(highIv[i]!.impliedVol!).toBeLessThanOrEqual(highIv[i - 1]!.impliedVol!);
    const hot = market.scan({ scanCode: "HOT_BY_VOLUME", maxRows: 5 });
    expect(hot).toHaveLength(5);
    const usd = market.scan({ scanCode: "MOST_ACTIVE_USD", stockType: "ETF" });
    expect(usd.every((r) => r.contract.stockType === "ETF")).toBe(true);
    for (let i = 1; i < usd.length; i++) expect(usd[i]!.volume * usd[i]!.last).toBeLessThanOrEqual(usd[i - 1]!.volume * usd[i - 1]!.last);
  });

  it("filters optionability both ways and caps rows at 50", () => {
    expect(market.scan({ scanCode: "MOST_ACTIVE", optionable: false }).map((r) => r.contract.symbol).sort()).toEqual(["FNTM", "LMNL", "QRKS"]);
    expect(market.scan({ scanCode: "MOST_ACTIVE", maxRows: 500 }).length).toBeLessThanOrEqual(50);
    expect(market.scan({ scanCode: "MOST_ACTIVE", maxPrice: 5 }).every((r) => r.last <= 5)).toBe(true);
  });

  it("rejects unknown scan codes", () => {
    expect(() => market.scan({ scanCode: "NOPE" as ScanCode })).toThrow(MarketDataError);
  });
});
