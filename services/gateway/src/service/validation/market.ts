import type {
  GetHistoricalBarsRequest,
  GetOptionChainRequest,
  GetQuotesRequest,
  ResolveContractRequest,
  SearchUniverseRequest,
  StreamQuotesRequest,
  WatchPacingStatsRequest,
} from "@spreadops/api";
import { BarSize, HistorySpanUnit, OptionRight, SecType, WhatToShow } from "@spreadops/api";
import { invalidArgument } from "@spreadops/runtime";
import {
  checkDuration,
  checkOptionalText,
  checkTimestamp,
  enumValues,
  requireAtLeast,
  requireEnum,
  requireIntIn,
  requireOrdered,
  requirePresent,
  requireText,
} from "./checks.js";
import { validateContractSpec } from "./contract.js";

/** Market-data requests: contracts, universe, quotes, chains, historical bars. */

/** More contracts than this in one quote call is a caller bug, not a workload (the line budget is ~100). */
export const MAX_QUOTE_CONTRACTS = 500;
/** Symbols checked by one SearchUniverse call. */
export const MAX_UNIVERSE_SYMBOLS = 2000;
/** IB caps a market scan at 50 rows. */
export const MAX_SCAN_RESULTS = 50;
/** Longest wait/freshness a caller may ask for. */
export const MAX_WAIT_MS = 10 * 60_000;
/** DTE beyond this has no listed options (LEAPS reach ~3 years). */
export const MAX_DTE = 1500;
/** WatchPacingStats interval when unset. */
export const DEFAULT_PACING_INTERVAL_MS = 1000;
/** Shortest WatchPacingStats interval: faster than 4/s is polling in disguise (one timer per stream). */
export const MIN_PACING_INTERVAL_MS = 250;
/** Longest WatchPacingStats interval. */
export const MAX_PACING_INTERVAL_MS = 60_000;

const INT32_MAX = 2_147_483_647;
const UNDERLYING_TYPES = [SecType.UNSPECIFIED, SecType.STOCK, SecType.INDEX];
const RIGHTS = enumValues(OptionRight, true);
const BAR_SIZES = enumValues(BarSize, false);
const WHAT_TO_SHOW = enumValues(WhatToShow, false);
const SPAN_UNITS = enumValues(HistorySpanUnit, false);

/** ResolveContract: a contract. */
export function validateResolveContract(request: ResolveContractRequest): void {
  validateContractSpec(request.contract, "contract");
}

/** SearchUniverse: symbols not blank; bounds finite, non-negative and not inverted; at most 50 scan rows. */
export function validateSearchUniverse(request: SearchUniverseRequest): void {
  if (request.symbols.length > MAX_UNIVERSE_SYMBOLS) {
    throw invalidArgument("symbols", `at most ${MAX_UNIVERSE_SYMBOLS} symbols`, `${request.symbols.length} symbols`);
  }
  request.symbols.forEach((symbol, i) => { requireText(symbol, `symbols[${i}]`); });
  for (const [field, value] of [
    ["min_price", request.minPrice],
    ["max_price", request.maxPrice],
    ["min_avg_volume", request.minAvgVolume],
    ["min_market_cap", request.minMarketCap],
  ] as const) {
    if (value !== undefined) requireAtLeast(value, 0, field);
  }
  if (request.minPrice !== undefined && request.maxPrice !== undefined && request.minPrice > request.maxPrice) {
    throw invalidArgument("min_price", `at most max_price (${request.maxPrice})`, request.minPrice);
  }
  checkOptionalText(request.scanCode, "scan_code", 64);
  checkOptionalText(request.location, "location", 64);
  requireIntIn(request.maxResults, 0, MAX_SCAN_RESULTS, "max_results");
}

/** GetQuotes: 1–500 valid contracts; durations within bounds. */
export function validateGetQuotes(request: GetQuotesRequest): void {
  validateContractList(request.contracts, "contracts");
  checkDuration(request.maxAge, "max_age", MAX_WAIT_MS);
  checkDuration(request.timeout, "timeout", MAX_WAIT_MS);
}

/** StreamQuotes: 1–500 valid contracts; a non-negative coalescing interval. */
export function validateStreamQuotes(request: StreamQuotesRequest): void {
  validateContractList(request.contracts, "contracts");
  checkDuration(request.minInterval, "min_interval", MAX_WAIT_MS);
}

function validateContractList(contracts: GetQuotesRequest["contracts"], field: string): void {
  if (contracts.length === 0 || contracts.length > MAX_QUOTE_CONTRACTS) {
    throw invalidArgument(field, `1 to ${MAX_QUOTE_CONTRACTS} contracts`, `${contracts.length} contracts`);
  }
  contracts.forEach((contract, i) => validateContractSpec(contract, `${field}[${i}]`));
}

/**
 * GetOptionChain: an underlying (symbol or con_id), a closed DTE window 0 ≤ min ≤ max, and a
 * band that is not inverted: strikes > 0, |delta| within 0..1, moneyness above −100 %.
 */
export function validateGetOptionChain(request: GetOptionChainRequest): void {
  const query = requirePresent(request.query, "query", "an option chain query");
  requireIntIn(query.underlyingConId, 0, INT32_MAX, "query.underlying_con_id");
  if (query.underlyingConId === 0) requireText(query.underlyingSymbol, "query.underlying_symbol");
  else checkOptionalText(query.underlyingSymbol, "query.underlying_symbol");
  requireEnum(query.underlyingSecType, UNDERLYING_TYPES, "query.underlying_sec_type", "STOCK or INDEX (or unspecified = stock)");
  const dte = requirePresent(query.dte, "query.dte", "a DTE window with min and max");
  const dteMin = requirePresent(dte.min, "query.dte.min", `a whole number of days from 0 to ${MAX_DTE}`);
  const dteMax = requirePresent(dte.max, "query.dte.max", `a whole number of days from 0 to ${MAX_DTE}`);
  requireIntIn(dteMin, 0, MAX_DTE, "query.dte.min");
  requireIntIn(dteMax, 0, MAX_DTE, "query.dte.max");
  requireOrdered(dteMin, dteMax, "query.dte");
  const band = query.band;
  switch (band.case) {
    case "strikes":
      if (band.value.min !== undefined) requireAtLeast(band.value.min, 0, "query.strikes.min", true);
      if (band.value.max !== undefined) requireAtLeast(band.value.max, 0, "query.strikes.max", true);
      requireOrdered(band.value.min, band.value.max, "query.strikes");
      break;
    case "absDelta":
      for (const [bound, value] of [["min", band.value.min], ["max", band.value.max]] as const) {
        if (value !== undefined && !(Number.isFinite(value) && value >= 0 && value <= 1)) {
          throw invalidArgument(`query.abs_delta.${bound}`, "a |delta| from 0 to 1", value);
        }
      }
      requireOrdered(band.value.min, band.value.max, "query.abs_delta");
      break;
    case "moneynessPercent":
      if (band.value.min !== undefined) requireAtLeast(band.value.min, -100, "query.moneyness_percent.min", true);
      if (band.value.max !== undefined) requireAtLeast(band.value.max, -100, "query.moneyness_percent.max", true);
      requireOrdered(band.value.min, band.value.max, "query.moneyness_percent");
      break;
    default:
      break;
  }
  requireEnum(query.right, RIGHTS, "query.right", "CALL, PUT or unspecified (both)");
  checkOptionalText(query.tradingClass, "query.trading_class");
  checkOptionalText(query.exchange, "query.exchange");
  checkDuration(request.maxAge, "max_age", MAX_WAIT_MS);
  checkDuration(request.timeout, "timeout", MAX_WAIT_MS);
}

/** GetHistoricalBars: a contract, a span of count > 0 in a known unit, a bar size and what to show. */
export function validateGetHistoricalBars(request: GetHistoricalBarsRequest): void {
  validateContractSpec(request.contract, "contract");
  checkTimestamp(request.endTime, "end_time");
  const span = requirePresent(request.span, "span", "a history span (count and unit)");
  requireIntIn(span.count, 1, 10_000, "span.count");
  requireEnum(span.unit, SPAN_UNITS, "span.unit", "a HistorySpanUnit other than UNSPECIFIED");
  requireEnum(request.barSize, BAR_SIZES, "bar_size", "a BarSize other than UNSPECIFIED");
  requireEnum(request.whatToShow, WHAT_TO_SHOW, "what_to_show", "a WhatToShow other than UNSPECIFIED");
}

/** WatchPacingStats: an interval from 250 ms to 1 min, when set. */
export function validateWatchPacingStats(request: WatchPacingStatsRequest): void {
  checkDuration(request.interval, "interval", MAX_PACING_INTERVAL_MS, MIN_PACING_INTERVAL_MS);
}
