import { create } from "@bufbuild/protobuf";
import { ContractSpecSchema, GetHistoricalBarsRequestSchema, OptionChainQuerySchema, OptionRight, SearchUniverseRequestSchema, SecType, BarSize, HistorySpanUnit, WhatToShow } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { chooseParams, exchangeDate, rightsOf, strikeBandOf } from "./chain-query.js";
import { apiContractDetails, describeSpec, expiryOf, ibContractOf, priceIncrementsOf, specKey } from "./contract-mapping.js";
import { historicalStrings, ibUtcTime } from "./historical-bars.js";
import { scannerFilterTags } from "./universe.js";

describe("contract mapping", () => {
  it("maps specs to IB contracts with SMART/USD defaults; a bare conId is sent alone", () => {
    expect(ibContractOf(create(ContractSpecSchema, { symbol: "SPY" }))).toEqual({ secType: "STK", symbol: "SPY", exchange: "SMART", currency: "USD" });
    expect(ibContractOf(create(ContractSpecSchema, { symbol: "SPY", expiry: 20260417, strike: 600, right: OptionRight.PUT }))).toMatchObject({
      secType: "OPT",
      lastTradeDateOrContractMonth: "20260417",
      strike: 600,
      right: "P",
    });
    expect(ibContractOf(create(ContractSpecSchema, { conId: 42 }))).toEqual({ conId: 42, exchange: "SMART" });
    expect(specKey(create(ContractSpecSchema, { conId: 42, symbol: "X" }))).toBe("id:42");
    expect(describeSpec(create(ContractSpecSchema, { symbol: "NOPE", secType: SecType.STOCK }))).toBe("NOPE STK @SMART");
  });

  it("maps contract details (stocks get multiplier 1) and market-rule increments", () => {
    const d = apiContractDetails({ contract: { conId: 1, symbol: "SPY", secType: "STK" as never, exchange: "SMART", multiplier: undefined }, minTick: 0.01, timeZoneId: "US/Eastern" });
    expect(d).toMatchObject({ conId: 1, multiplier: 1, minTick: 0.01, timeZoneId: "US/Eastern", strike: 0 });
    expect(priceIncrementsOf([{ lowEdge: 3, increment: 0.05 }, { lowEdge: 0, increment: 0.01 }, "junk"]).map((p) => [p.lowEdge, p.increment])).toEqual([
      [0, 0.01],
      [3, 0.05],
    ]);
    expect(expiryOf("20260417 16:00 US/Eastern")).toBe(20260417);
    expect(expiryOf(undefined)).toBe(0);
  });
});

describe("chain query", () => {
  it("translates bands and rights, and picks the standard trading class", () => {
    const q = create(OptionChainQuerySchema, { underlyingSymbol: "SPY", band: { case: "absDelta", value: { min: 0.2, max: 0.4 } }, right: OptionRight.PUT });
    expect(strikeBandOf(q, 0.18)).toEqual({ kind: "absDelta", min: 0.2, max: 0.4, vol: 0.18 });
    expect(rightsOf(q)).toEqual(["put"]);
    const params = [
      { exchange: "SMART", tradingClass: "SPY2", multiplier: 100, expirations: ["a", "b", "c"], strikes: [] },
      { exchange: "SMART", tradingClass: "SPY", multiplier: 100, expirations: ["a"], strikes: [] },
      { exchange: "CBOE", tradingClass: "SPY", multiplier: 100, expirations: ["a"], strikes: [] },
    ];
    expect(chooseParams(params, q, "SPY")).toBe(params[1]);
    expect(chooseParams(params, q, "QQQ")).toBe(params[0]);
    expect(exchangeDate(Date.parse("2026-03-11T03:00:00Z"))).toBe("2026-03-10");
  });
});

describe("request strings", () => {
  it("builds IB historical strings and scanner filter tags", () => {
    const req = create(GetHistoricalBarsRequestSchema, { span: { count: 6, unit: HistorySpanUnit.MONTHS }, barSize: BarSize.BAR_SIZE_1_DAY, whatToShow: WhatToShow.BID_ASK });
    expect(historicalStrings(req)).toMatchObject({ duration: "6 M", barSize: "1 day", whatToShow: "BID_ASK", endDateTime: "" });
    expect(ibUtcTime(Date.parse("2026-03-10T14:05:06Z"))).toBe("20260310-14:05:06");
    expect(scannerFilterTags(create(SearchUniverseRequestSchema, { minPrice: 5, minMarketCap: 2e9, minAvgVolume: 1e6 }))).toEqual([
      { tag: "priceAbove", value: "5" },
      { tag: "avgVolumeAbove", value: "1000000" },
      { tag: "marketCapAbove1e6", value: "2000" },
    ]);
  });
});
