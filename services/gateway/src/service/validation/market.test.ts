import { create } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GetOptionChainRequest } from "@spreadops/api";
import {
  BarSize,
  GetHistoricalBarsRequestSchema,
  GetOptionChainRequestSchema,
  GetQuotesRequestSchema,
  HistorySpanUnit,
  OptionChainQuerySchema,
  ResolveContractRequestSchema,
  SearchUniverseRequestSchema,
  SecType,
  StreamQuotesRequestSchema,
  WatchPacingStatsRequestSchema,
  WhatToShow,
} from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { expectInvalid, withRawEnum } from "../testing/expect-invalid.js";
import {
  validateGetHistoricalBars,
  validateGetOptionChain,
  validateGetQuotes,
  validateResolveContract,
  validateSearchUniverse,
  validateStreamQuotes,
  validateWatchPacingStats,
} from "./market.js";

describe("ResolveContract", () => {
  it("needs a contract", () => {
    expect(() => { validateResolveContract(create(ResolveContractRequestSchema, { contract: { symbol: "SPY" } })); }).not.toThrow();
    expectInvalid(() => { validateResolveContract(create(ResolveContractRequestSchema, {})); }, "contract");
    expectInvalid(() => { validateResolveContract(create(ResolveContractRequestSchema, { contract: {} })); }, "contract.symbol");
  });
});

describe("SearchUniverse", () => {
  const universe = (init: MessageInitShape<typeof SearchUniverseRequestSchema>) => create(SearchUniverseRequestSchema, init);
  it("accepts an empty request (a market scan with defaults)", () => {
    expect(() => { validateSearchUniverse(universe({})); }).not.toThrow();
    expect(() => { validateSearchUniverse(universe({ symbols: ["SPY"], minPrice: 5, maxPrice: 500, maxResults: 50 })); }).not.toThrow();
  });
  it.each([
    ["blank symbol", universe({ symbols: ["SPY", ""] }), "symbols[1]"],
    ["negative min_price", universe({ minPrice: -1 }), "min_price"],
    ["NaN max_price", universe({ maxPrice: Number.NaN }), "max_price"],
    ["inverted price band", universe({ minPrice: 10, maxPrice: 5 }), "min_price"],
    ["infinite volume", universe({ minAvgVolume: Number.POSITIVE_INFINITY }), "min_avg_volume"],
    ["negative market cap", universe({ minMarketCap: -5 }), "min_market_cap"],
    ["too many rows", universe({ maxResults: 51 }), "max_results"],
    ["blank scan code", universe({ scanCode: " " }), "scan_code"],
    ["blank location", universe({ location: "  " }), "location"],
  ])("refuses %s", (_name, request, field) => { expectInvalid(() => { validateSearchUniverse(request); }, field); });
});

describe("GetQuotes / StreamQuotes", () => {
  it("accepts contracts with durations", () => {
    expect(() => { validateGetQuotes(create(GetQuotesRequestSchema, { contracts: [{ conId: 1 }], timeout: { seconds: 2n } })); }).not.toThrow();
    expect(() => { validateStreamQuotes(create(StreamQuotesRequestSchema, { contracts: [{ conId: 1 }], minInterval: { nanos: 100_000_000 } })); }).not.toThrow();
  });
  it.each([
    ["no contracts", create(GetQuotesRequestSchema, {}), "contracts"],
    ["a bad contract", create(GetQuotesRequestSchema, { contracts: [{ conId: 1 }, { strike: 5 }] }), "contracts[1].symbol"],
    ["negative max_age", create(GetQuotesRequestSchema, { contracts: [{ conId: 1 }], maxAge: { seconds: -1n } }), "max_age"],
    ["huge timeout", create(GetQuotesRequestSchema, { contracts: [{ conId: 1 }], timeout: { seconds: 3600n } }), "timeout"],
  ])("GetQuotes refuses %s", (_name, request, field) => { expectInvalid(() => { validateGetQuotes(request); }, field); });
  it.each([
    ["no contracts", create(StreamQuotesRequestSchema, {}), "contracts"],
    ["too many contracts", create(StreamQuotesRequestSchema, { contracts: Array.from({ length: 501 }, () => ({ conId: 1 })) }), "contracts"],
    ["negative interval", create(StreamQuotesRequestSchema, { contracts: [{ conId: 1 }], minInterval: { seconds: -2n } }), "min_interval"],
  ])("StreamQuotes refuses %s", (_name, request, field) => { expectInvalid(() => { validateStreamQuotes(request); }, field); });
});

/** The request with its query's right set to a number OptionRight does not have. */
function rawRight(request: GetOptionChainRequest, value: number): GetOptionChainRequest {
  if (request.query !== undefined) withRawEnum(request.query, "right", value);
  return request;
}

describe("GetOptionChain", () => {
  type Query = MessageInitShape<typeof OptionChainQuerySchema>;
  const chain = (query: Query | undefined, extra: MessageInitShape<typeof GetOptionChainRequestSchema> = {}) => {
    const request = create(GetOptionChainRequestSchema, extra);
    if (query !== undefined) request.query = create(OptionChainQuerySchema, query);
    return request;
  };
  const base = { underlyingSymbol: "SPY", dte: { min: 30, max: 45 } };
  it("accepts each band", () => {
    expect(() => { validateGetOptionChain(chain(base)); }).not.toThrow();
    expect(() => { validateGetOptionChain(chain({ ...base, band: { case: "absDelta", value: { min: 0.1, max: 0.3 } } })); }).not.toThrow();
    expect(() => { validateGetOptionChain(chain({ ...base, band: { case: "strikes", value: { min: 400 } } })); }).not.toThrow();
    expect(() => { validateGetOptionChain(chain({ ...base, band: { case: "moneynessPercent", value: { min: -20, max: 10 } } })); }).not.toThrow();
    expect(() => { validateGetOptionChain(chain({ underlyingConId: 756733, dte: { min: 0, max: 0 } })); }).not.toThrow();
  });
  it.each([
    ["no query", chain(undefined), "query"],
    ["no underlying", chain({ dte: { min: 1, max: 2 } }), "query.underlying_symbol"],
    ["negative con_id", chain({ ...base, underlyingConId: -4 }), "query.underlying_con_id"],
    ["option underlying", chain({ ...base, underlyingSecType: SecType.OPTION }), "query.underlying_sec_type"],
    ["no dte", chain({ underlyingSymbol: "SPY" }), "query.dte"],
    ["open dte min", chain({ underlyingSymbol: "SPY", dte: { max: 4 } }), "query.dte.min"],
    ["open dte max", chain({ underlyingSymbol: "SPY", dte: { min: 4 } }), "query.dte.max"],
    ["negative dte", chain({ underlyingSymbol: "SPY", dte: { min: -1, max: 4 } }), "query.dte.min"],
    ["dte min > max", chain({ underlyingSymbol: "SPY", dte: { min: 45, max: 30 } }), "query.dte.min"],
    ["dte beyond listings", chain({ underlyingSymbol: "SPY", dte: { min: 1, max: 5000 } }), "query.dte.max"],
    ["inverted strikes", chain({ ...base, band: { case: "strikes", value: { min: 500, max: 400 } } }), "query.strikes.min"],
    ["zero strike", chain({ ...base, band: { case: "strikes", value: { min: 0 } } }), "query.strikes.min"],
    ["NaN strike", chain({ ...base, band: { case: "strikes", value: { max: Number.NaN } } }), "query.strikes.max"],
    ["delta above 1", chain({ ...base, band: { case: "absDelta", value: { min: 0.1, max: 1.5 } } }), "query.abs_delta.max"],
    ["negative delta", chain({ ...base, band: { case: "absDelta", value: { min: -0.1 } } }), "query.abs_delta.min"],
    ["inverted delta", chain({ ...base, band: { case: "absDelta", value: { min: 0.4, max: 0.2 } } }), "query.abs_delta.min"],
    ["moneyness below -100 %", chain({ ...base, band: { case: "moneynessPercent", value: { min: -150 } } }), "query.moneyness_percent.min"],
    ["inverted moneyness", chain({ ...base, band: { case: "moneynessPercent", value: { min: 10, max: -10 } } }), "query.moneyness_percent.min"],
    ["unknown right", rawRight(chain(base), 9), "query.right"],
    ["blank trading class", chain({ ...base, tradingClass: " " }), "query.trading_class"],
    ["negative timeout", chain(base, { timeout: { seconds: -1n } }), "timeout"],
    ["negative max_age", chain(base, { maxAge: { seconds: -1n } }), "max_age"],
  ])("refuses %s", (_name, request, field) => { expectInvalid(() => { validateGetOptionChain(request); }, field); });
});

describe("GetHistoricalBars", () => {
  const good = {
    contract: { conId: 1 },
    span: { count: 1, unit: HistorySpanUnit.DAYS },
    barSize: BarSize.BAR_SIZE_1_MINUTE,
    whatToShow: WhatToShow.TRADES,
  };
  const bars = (init: MessageInitShape<typeof GetHistoricalBarsRequestSchema>) => create(GetHistoricalBarsRequestSchema, init);
  it("accepts a complete request", () => {
    expect(() => { validateGetHistoricalBars(bars(good)); }).not.toThrow();
  });
  it.each([
    ["no contract", bars({ ...good, contract: undefined }), "contract"],
    ["no span", bars({ ...good, span: undefined }), "span"],
    ["zero span", bars({ ...good, span: { count: 0, unit: HistorySpanUnit.DAYS } }), "span.count"],
    ["unspecified span unit", bars({ ...good, span: { count: 2 } }), "span.unit"],
    ["unspecified bar size", bars({ ...good, barSize: BarSize.BAR_SIZE_UNSPECIFIED }), "bar_size"],
    ["unspecified what_to_show", bars({ ...good, whatToShow: WhatToShow.UNSPECIFIED }), "what_to_show"],
    ["unknown what_to_show", withRawEnum(bars(good), "whatToShow", 77), "what_to_show"],
    ["negative end_time", bars({ ...good, endTime: { seconds: -5n } }), "end_time"],
  ])("refuses %s", (_name, request, field) => { expectInvalid(() => { validateGetHistoricalBars(request); }, field); });
});

describe("WatchPacingStats", () => {
  const watch = (interval?: MessageInitShape<typeof WatchPacingStatsRequestSchema>["interval"]) => create(WatchPacingStatsRequestSchema, { interval });
  it("names the given value in the error", () => {
    expect(() => { validateWatchPacingStats(watch({ nanos: 100_000_000 })); }).toThrow('invalid interval: expected a duration from 0.25 to 60 s, got "0s 100000000ns"');
  });
  it("accepts no interval and the bounds 250 ms and 60 s", () => {
    for (const request of [watch(), watch({ nanos: 250_000_000 }), watch({ seconds: 60n })]) {
      expect(() => { validateWatchPacingStats(request); }).not.toThrow();
    }
  });
  it.each([
    ["100 ms", watch({ nanos: 100_000_000 })],
    ["zero", watch({})],
    ["just over a minute", watch({ seconds: 60n, nanos: 1_000_000 })],
    ["a negative interval", watch({ seconds: -1n })],
  ])("refuses %s naming interval with the range and the given value", (_name, request) => {
    expectInvalid(() => { validateWatchPacingStats(request); }, "interval");
    expect(() => { validateWatchPacingStats(request); }).toThrow(/invalid interval: expected a duration from 0\.25 to 60 s, got "-?\d+s \d+ns"$/);
  });
});
