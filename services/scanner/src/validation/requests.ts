import type { FilterSet, OptionChain, OptionChainQuery, ScanSpreadsRequest, ScanUniverseRequest, SpreadSettings } from "@spreadops/api";
import { OptionRight, SecType } from "@spreadops/api";
import { invalidArgument } from "@spreadops/runtime";
import { chainQueryFor } from "../chain-query.js";
import { checkDuration, checkOptionalText, enumValues, join, requireBetween, requireEnum, requireIntIn, requirePresent, requireText } from "./checks.js";
import { checkDteRange, validateFilterSet } from "./filters.js";
import { validateSpreadSettings, validateUnderlyingStats } from "./settings.js";

/** Most targets one ScanUniverse call takes; a whole-market universe is a few hundred. */
export const MAX_TARGETS = 1000;
/** The most underlyings a caller may ask to have in flight at once. */
export const MAX_CONCURRENCY_LIMIT = 64;
/** Longest chain freshness a caller may ask for (the gateway's own bound). */
export const MAX_AGE_LIMIT_MS = 10 * 60_000;
/** More rows than this is not one underlying's chain; refuse before scanning it. */
export const MAX_CHAIN_ROWS = 200_000;

const INT32_MAX = 2_147_483_647;
const UNDERLYING_TYPES = [SecType.UNSPECIFIED, SecType.STOCK, SecType.INDEX];
const RIGHTS = enumValues(OptionRight, true);

/** The columns of OptionChain, by proto name, each of which must hold `row_count` entries. */
const COLUMNS = [
  ["con_id", "conId"], ["expiry", "expiry"], ["dte", "dte"], ["strike", "strike"], ["right", "right"],
  ["bid", "bid"], ["ask", "ask"], ["last", "last"], ["bid_size", "bidSize"], ["ask_size", "askSize"],
  ["volume", "volume"], ["open_interest", "openInterest"], ["implied_vol", "impliedVol"], ["delta", "delta"],
  ["gamma", "gamma"], ["theta", "theta"], ["vega", "vega"], ["underlying_price_at_quote", "underlyingPriceAtQuote"],
  ["quote_age_ms", "quoteAgeMs"], ["flags", "flags"],
] as const satisfies readonly (readonly [string, keyof OptionChain])[];

/**
 * An inline chain's shape: a symbol, at most {@link MAX_CHAIN_ROWS} rows and every column exactly
 * `row_count` long (a short column would make the engine read past it). Values are the engine's
 * business: NaN means unknown there.
 */
export function validateInlineChain(chain: OptionChain, field: string): void {
  requireText(chain.underlyingSymbol, join(field, "underlying_symbol"));
  requireIntIn(chain.rowCount, 0, MAX_CHAIN_ROWS, join(field, "row_count"));
  for (const [name, key] of COLUMNS) {
    const column = chain[key] as ArrayLike<unknown>;
    if (column.length !== chain.rowCount) {
      throw invalidArgument(join(field, name), `exactly row_count (${chain.rowCount}) entries`, `${column.length} entries`);
    }
  }
  if (chain.multiplier !== 0) requireBetween(chain.multiplier, 0, undefined, join(field, "multiplier"), "a positive contract multiplier");
}

/**
 * A chain query as the scanner sends it to the gateway, after unset DTE bounds and band are
 * filled from the filters: an underlying (symbol or con id), a closed DTE window, a band that is
 * not inverted, known enums. `field` is the query's path (`fetch.query`, `targets[2].query`).
 */
export function validateChainQuery(
  query: OptionChainQuery | undefined,
  symbol: string,
  filters: FilterSet | undefined,
  settings: SpreadSettings | undefined,
  field: string,
): void {
  const f = (name: string): string => join(field, name);
  if (query !== undefined) {
    requireIntIn(query.underlyingConId, 0, INT32_MAX, f("underlying_con_id"));
    if (query.underlyingConId === 0 && symbol === "") requireText(query.underlyingSymbol, f("underlying_symbol"));
    else checkOptionalText(query.underlyingSymbol, f("underlying_symbol"));
    requireEnum(query.underlyingSecType, UNDERLYING_TYPES, f("underlying_sec_type"), "STOCK or INDEX (or unspecified = stock)");
    checkDteRange(query.dte, f("dte"));
    const band = query.band;
    switch (band.case) {
      case "strikes":
        for (const [bound, value] of [["min", band.value.min], ["max", band.value.max]] as const) {
          if (value !== undefined) requireBetween(value, Number.MIN_VALUE, undefined, f(`strikes.${bound}`), "a strike above 0 USD per share");
        }
        if (band.value.min !== undefined && band.value.max !== undefined && band.value.min > band.value.max) {
          throw invalidArgument(f("strikes.min"), `at most ${f("strikes.max")} (${band.value.max})`, band.value.min);
        }
        break;
      case "absDelta":
        for (const [bound, value] of [["min", band.value.min], ["max", band.value.max]] as const) {
          if (value !== undefined) requireBetween(value, 0, 1, f(`abs_delta.${bound}`), "an |delta| from 0 to 1");
        }
        if (band.value.min !== undefined && band.value.max !== undefined && band.value.min > band.value.max) {
          throw invalidArgument(f("abs_delta.min"), `at most ${f("abs_delta.max")} (${band.value.max})`, band.value.min);
        }
        break;
      case "moneynessPercent":
        for (const [bound, value] of [["min", band.value.min], ["max", band.value.max]] as const) {
          if (value !== undefined && !(Number.isFinite(value) && value > -100)) {
            throw invalidArgument(f(`moneyness_percent.${bound}`), "a percent above -100", value);
          }
        }
        if (band.value.min !== undefined && band.value.max !== undefined && band.value.min > band.value.max) {
          throw invalidArgument(f("moneyness_percent.min"), `at most ${f("moneyness_percent.max")} (${band.value.max})`, band.value.min);
        }
        break;
      default:
        break;
    }
    requireEnum(query.right, RIGHTS, f("right"), "CALL, PUT or unspecified (both)");
    checkOptionalText(query.tradingClass, f("trading_class"));
    checkOptionalText(query.exchange, f("exchange"));
  }
  // The gateway needs a closed DTE window; say where it can come from.
  const filled = chainQueryFor(query, symbol, filters, settings);
  if (filled.dte?.min === undefined) throw invalidArgument(f("dte.min"), `a DTE lower bound here or in filters.dte`, undefined);
  if (filled.dte.max === undefined) throw invalidArgument(f("dte.max"), `a DTE upper bound here or in filters.dte`, undefined);
  if (filled.dte.min > filled.dte.max) throw invalidArgument(f("dte.min"), `at most the DTE upper bound (${filled.dte.max})`, filled.dte.min);
}

/**
 * ScanSpreads: a chain source (a fetch with a usable query, or an inline chain of consistent
 * shape), valid filters, settings and underlying stats.
 */
export function validateScanSpreads(request: ScanSpreadsRequest): void {
  validateFilterSet(request.filters, "filters");
  validateSpreadSettings(request.settings, "settings");
  validateUnderlyingStats(request.underlying, "underlying");
  const source = request.chainSource;
  switch (source.case) {
    case "fetch": {
      const query = requirePresent(source.value.query, "fetch.query", "an option chain query with an underlying");
      validateChainQuery(query, "", request.filters, request.settings, "fetch.query");
      checkDuration(source.value.maxAge, "fetch.max_age", MAX_AGE_LIMIT_MS);
      break;
    }
    case "chain":
      validateInlineChain(source.value, "chain");
      break;
    default:
      throw invalidArgument("chain_source", "fetch (a chain query) or chain (an inline chain)", undefined);
  }
}

/**
 * ScanUniverse: 1–{@link MAX_TARGETS} targets, each with a symbol, a usable query and settings
 * (its own or the request's); valid filters; max_age and max_concurrency within bounds.
 */
export function validateScanUniverse(request: ScanUniverseRequest): void {
  if (request.targets.length === 0 || request.targets.length > MAX_TARGETS) {
    throw invalidArgument("targets", `1 to ${MAX_TARGETS} targets`, `${request.targets.length} targets`);
  }
  validateFilterSet(request.filters, "filters");
  if (request.settings !== undefined) validateSpreadSettings(request.settings, "settings");
  checkDuration(request.maxAge, "max_age", MAX_AGE_LIMIT_MS);
  requireIntIn(request.maxConcurrency, 0, MAX_CONCURRENCY_LIMIT, "max_concurrency");
  request.targets.forEach((target, i) => {
    const field = `targets[${i}]`;
    requireText(target.symbol, `${field}.symbol`);
    if (target.settings !== undefined) validateSpreadSettings(target.settings, `${field}.settings`);
    else if (request.settings === undefined) {
      throw invalidArgument(`${field}.settings`, "spread settings here or in the request's settings", undefined);
    }
    validateUnderlyingStats(target.underlying, `${field}.underlying`);
    const query = target.query;
    if (query !== undefined && query.underlyingSymbol !== "" && query.underlyingSymbol !== target.symbol) {
      throw invalidArgument(`${field}.query.underlying_symbol`, `empty or the target's symbol (${target.symbol})`, query.underlyingSymbol);
    }
    validateChainQuery(query, target.symbol, request.filters, target.settings ?? request.settings, `${field}.query`);
  });
}
