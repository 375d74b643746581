import { create } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { Direction, ScanSpreadsRequestSchema, ScanUniverseRequestSchema, SpreadKindSelection } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { tinyChain } from "../testing/fakes.js";
import { MAX_TARGETS, validateScanSpreads, validateScanUniverse } from "./index.js";

type SpreadsInit = MessageInitShape<typeof ScanSpreadsRequestSchema>;
type UniverseInit = MessageInitShape<typeof ScanUniverseRequestSchema>;

const SETTINGS = { kind: SpreadKindSelection.BULL_PUT };
const FETCH = { case: "fetch" as const, value: { query: { underlyingSymbol: "SPY", dte: { min: 20, max: 60 } } } };

/** A valid ScanSpreads request with `patch` applied on top. */
function spreads(patch: Partial<SpreadsInit>): ReturnType<typeof create<typeof ScanSpreadsRequestSchema>> {
  return create(ScanSpreadsRequestSchema, { chainSource: FETCH, settings: SETTINGS, ...patch } as SpreadsInit);
}

function universe(patch: Partial<UniverseInit>): ReturnType<typeof create<typeof ScanUniverseRequestSchema>> {
  return create(ScanUniverseRequestSchema, { targets: [{ symbol: "SPY" }], filters: { dte: { min: 20, max: 60 } }, settings: SETTINGS, ...patch } as UniverseInit);
}

/** The field an InvalidArgument names (from its message `invalid <field>: …`). */
function fieldOf(run: () => void): string {
  try {
    run();
  } catch (error) {
    const e = ConnectError.from(error);
    expect(e.code).toBe(Code.InvalidArgument);
    return /^invalid (\S+):/.exec(e.rawMessage)?.[1] ?? e.rawMessage;
  }
  return "(accepted)";
}

const badFilters: readonly [string, SpreadsInit["filters"], string][] = [
  ["dte inverted", { dte: { min: 60, max: 20 } }, "filters.dte.min"],
  ["dte negative", { dte: { min: -1 } }, "filters.dte.min"],
  ["dte beyond LEAPS", { dte: { max: 5000 } }, "filters.dte.max"],
  ["short delta inverted", { shortDelta: { min: 0.4, max: 0.2 } }, "filters.short_delta.min"],
  ["short delta above 1", { shortDelta: { max: 1.2 } }, "filters.short_delta.max"],
  ["short delta negative", { shortDelta: { min: -0.1 } }, "filters.short_delta.min"],
  ["long delta inverted", { longDelta: { min: 0.3, max: 0.1 } }, "filters.long_delta.min"],
  ["long delta NaN", { longDelta: { min: Number.NaN } }, "filters.long_delta.min"],
  ["width inverted", { width: { min: 10, max: 5 } }, "filters.width.min"],
  ["width negative", { width: { min: -1 } }, "filters.width.min"],
  ["width max 0", { width: { max: 0 } }, "filters.width.max"],
  ["width infinite", { width: { max: Number.POSITIVE_INFINITY } }, "filters.width.max"],
  ["vega inverted", { vega: { min: 0.1, max: -0.1 } }, "filters.vega.min"],
  ["vega NaN", { vega: { max: Number.NaN } }, "filters.vega.max"],
  ["negative volume", { minVolume: -1 }, "filters.min_volume"],
  ["fractional open interest", { minOpenInterest: 1.5 }, "filters.min_open_interest"],
  ["negative bid-ask spread", { maxBidAskSpread: -0.05 }, "filters.max_bid_ask_spread"],
  ["spread percent above 100", { maxBidAskSpreadPercent: 150 }, "filters.max_bid_ask_spread_percent"],
  ["IV percentile above 100", { minIvPercentile: 101 }, "filters.min_iv_percentile"],
  ["IV rank negative", { minIvRank: -5 }, "filters.min_iv_rank"],
  ["theta NaN", { thetaAbove: Number.NaN }, "filters.theta_above"],
  ["negative gamma", { maxGamma: -0.1 }, "filters.max_gamma"],
  ["PoP above 1", { minProbabilityOfProfit: 70 }, "filters.min_probability_of_profit"],
  ["negative return on risk", { minReturnOnRisk: -0.1 }, "filters.min_return_on_risk"],
  ["credit to width above 1", { minCreditToWidth: 33 }, "filters.min_credit_to_width"],
  ["debit to width negative", { maxDebitToWidth: -0.5 }, "filters.max_debit_to_width"],
  ["expected value infinite", { minExpectedValue: Number.NEGATIVE_INFINITY }, "filters.min_expected_value"],
];

const badSettings: readonly [string, SpreadsInit["settings"], string][] = [
  ["unspecified kind", { kind: SpreadKindSelection.UNSPECIFIED }, "settings.kind"],
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- a value this build does not know, as an old or newer client may send
  ["unknown kind", { kind: 42 as SpreadKindSelection }, "settings.kind"],
  ["AUTO without direction", { kind: SpreadKindSelection.AUTO }, "settings.direction"],
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- as above
  ["unknown direction", { kind: SpreadKindSelection.BULL_PUT, direction: 9 as Direction }, "settings.direction"],
  ["threshold above 100", { kind: SpreadKindSelection.AUTO, direction: Direction.BULLISH, creditWhenIvPercentileAbove: 120 }, "settings.credit_when_iv_percentile_above"],
  ["negative limit offset", { kind: SpreadKindSelection.BULL_PUT, limitOffset: -0.01 }, "settings.limit_offset"],
  ["top_k 0", { kind: SpreadKindSelection.BULL_PUT, topK: 0 }, "settings.top_k"],
  ["top_k above the cap", { kind: SpreadKindSelection.BULL_PUT, topK: 501 }, "settings.top_k"],
  ["negative weight", { kind: SpreadKindSelection.BULL_PUT, weights: { liquidity: -1 } }, "settings.weights.liquidity"],
  ["NaN weight", { kind: SpreadKindSelection.BULL_PUT, weights: { returnOnRisk: Number.NaN } }, "settings.weights.return_on_risk"],
  ["all weights zero", { kind: SpreadKindSelection.BULL_PUT, weights: { probabilityOfProfit: 0, returnOnRisk: 0, expectedValue: 0, liquidity: 0 } }, "settings.weights"],
];

describe("validateScanSpreads", () => {
  it("accepts a fetch and an inline chain with full filters and settings", () => {
    expect(fieldOf(() => { validateScanSpreads(spreads({ filters: { shortDelta: { min: 0.15, max: 0.4 }, width: { min: 1, max: 10 }, minProbabilityOfProfit: 0.6 } })); })).toBe("(accepted)");
    expect(fieldOf(() => { validateScanSpreads(spreads({ chainSource: { case: "chain", value: tinyChain("SPY") } })); })).toBe("(accepted)");
    expect(fieldOf(() => { validateScanSpreads(spreads({ settings: { kind: SpreadKindSelection.AUTO, direction: Direction.BEARISH, topK: 500, weights: { liquidity: 0 } } })); })).toBe("(accepted)");
  });

  it.each(badFilters)("names the filter: %s", (_, filters, field) => {
    expect(fieldOf(() => { validateScanSpreads(spreads({ filters })); })).toBe(field);
  });

  it.each(badSettings)("names the setting: %s", (_, settings, field) => {
    expect(fieldOf(() => { validateScanSpreads(spreads({ settings })); })).toBe(field);
  });

  it.each([
    ["missing settings", { settings: undefined }, "settings"],
    ["missing chain source", { chainSource: { case: undefined } }, "chain_source"],
    ["fetch without query", { chainSource: { case: "fetch", value: {} } }, "fetch.query"],
    ["fetch without symbol or con id", { chainSource: { case: "fetch", value: { query: { dte: { min: 1, max: 2 } } } } }, "fetch.query.underlying_symbol"],
    ["fetch without a DTE window anywhere", { chainSource: { case: "fetch", value: { query: { underlyingSymbol: "SPY" } } } }, "fetch.query.dte.min"],
    ["fetch with only a lower DTE bound", { chainSource: { case: "fetch", value: { query: { underlyingSymbol: "SPY", dte: { min: 5 } } } } }, "fetch.query.dte.max"],
    ["fetch with inverted delta band", { chainSource: { case: "fetch", value: { query: { underlyingSymbol: "SPY", dte: { min: 5, max: 9 }, band: { case: "absDelta", value: { min: 0.5, max: 0.2 } } } } } }, "fetch.query.abs_delta.min"],
    ["fetch with zero strike", { chainSource: { case: "fetch", value: { query: { underlyingSymbol: "SPY", dte: { min: 5, max: 9 }, band: { case: "strikes", value: { min: 0 } } } } } }, "fetch.query.strikes.min"],
    ["fetch with a max age of an hour", { chainSource: { case: "fetch", value: { query: FETCH.value.query, maxAge: { seconds: 3600n } } } }, "fetch.max_age"],
    ["IV percentile given above 100", { underlying: { ivPercentile: 140 } }, "underlying.iv_percentile"],
    ["IV rank NaN", { underlying: { ivRank: Number.NaN } }, "underlying.iv_rank"],
  ] as [string, Partial<SpreadsInit>, string][])("names the field: %s", (_, patch, field) => {
    expect(fieldOf(() => { validateScanSpreads(spreads(patch)); })).toBe(field);
  });

  it("fills a missing DTE window of the fetch from filters.dte", () => {
    expect(fieldOf(() => { validateScanSpreads(spreads({ chainSource: { case: "fetch", value: { query: { underlyingSymbol: "SPY" } } }, filters: { dte: { min: 20, max: 60 } } })); })).toBe("(accepted)");
  });

  it("refuses an inline chain whose columns are not row_count long, naming the column", () => {
    const chain = tinyChain("SPY");
    chain.delta = chain.delta.slice(0, 2);
    expect(fieldOf(() => { validateScanSpreads(spreads({ chainSource: { case: "chain", value: chain } })); })).toBe("chain.delta");
    const unnamed = tinyChain("");
    expect(fieldOf(() => { validateScanSpreads(spreads({ chainSource: { case: "chain", value: unnamed } })); })).toBe("chain.underlying_symbol");
  });
});

describe("validateScanUniverse", () => {
  it("accepts targets that take settings and DTE from the request", () => {
    expect(fieldOf(() => { validateScanUniverse(universe({ targets: [{ symbol: "SPY" }, { symbol: "QQQ", settings: { kind: SpreadKindSelection.BEAR_CALL } }] })); })).toBe("(accepted)");
  });

  it.each([
    ["no targets", { targets: [] }, "targets"],
    ["too many targets", { targets: Array.from({ length: MAX_TARGETS + 1 }, () => ({ symbol: "SPY" })) }, "targets"],
    ["a blank symbol", { targets: [{ symbol: "SPY" }, { symbol: " " }] }, "targets[1].symbol"],
    ["a target query for another symbol", { targets: [{ symbol: "SPY", query: { underlyingSymbol: "QQQ" } }] }, "targets[0].query.underlying_symbol"],
    ["a target without settings anywhere", { settings: undefined, targets: [{ symbol: "SPY" }] }, "targets[0].settings"],
    ["a target's bad settings", { targets: [{ symbol: "SPY", settings: { kind: SpreadKindSelection.AUTO } }] }, "targets[0].settings.direction"],
    ["a target's bad stats", { targets: [{ symbol: "SPY", underlying: { ivPercentile: -1 } }] }, "targets[0].underlying.iv_percentile"],
    ["no DTE window for a target", { filters: {} }, "targets[0].query.dte.min"],
    ["bad filters", { filters: { dte: { min: 20, max: 60 }, shortDelta: { min: 2 } } }, "filters.short_delta.min"],
    ["too much concurrency", { maxConcurrency: 1000 }, "max_concurrency"],
    ["a negative max age", { maxAge: { seconds: -1n } }, "max_age"],
  ] as [string, Partial<UniverseInit>, string][])("names the field: %s", (_, patch, field) => {
    expect(fieldOf(() => { validateScanUniverse(universe(patch)); })).toBe(field);
  });
});
