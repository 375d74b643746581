/**
 * reqContractDetails-style matching of a {@link ContractQuery} against contracts: empty fields
 * match anything, IB spellings are accepted (right "CALL"/"C", expiry `YYYYMMDD`, `YYYY-MM-DD`
 * or a contract month `YYYYMM`).
 *
 * @packageDocumentation
 */

import { isoFromDays, tryParseDate } from "./civil-date.js";
import type { Contract, ContractQuery, OptionContract, StockContract } from "./market-source.js";

/** A query with its fields normalised; `invalid` when some field can never match. */
export interface NormalizedQuery {
  readonly invalid: boolean;
  readonly conId?: number;
  readonly symbol?: string;
  /** The secType asked for; undefined when blank (see {@link impliedSecType}). */
  readonly secType?: "STK" | "OPT";
  /** Exact expiry date, or a `YYYY-MM` month prefix. */
  readonly expiry?: { readonly exact: string } | { readonly month: string };
  readonly strike?: number;
  readonly right?: "C" | "P";
  readonly exchange?: string;
  readonly currency?: string;
  readonly tradingClass?: string;
  readonly multiplier?: number;
  readonly includeExpired: boolean;
}

function blank(value: string | undefined): boolean {
  return value === undefined || value.trim() === "";
}

/** Normalises a query. */
export function normalizeQuery(query: ContractQuery): NormalizedQuery {
  let invalid = false;
  let right: "C" | "P" | undefined;
  if (!blank(query.right)) {
    const r = (query.right ?? "").trim().toUpperCase();
    if (r === "C" || r === "CALL") right = "C";
    else if (r === "P" || r === "PUT") right = "P";
    else invalid = true;
  }
  let expiry: NormalizedQuery["expiry"];
  if (!blank(query.expiry)) {
    const text = (query.expiry ?? "").trim();
    const day = tryParseDate(text);
    const month = /^(\d{4})-?(\d{2})$/.exec(text);
    if (day !== undefined) expiry = { exact: isoFromDays(day) };
    else if (month !== null) expiry = { month: `${month[1] ?? ""}-${month[2] ?? ""}` };
    else invalid = true;
  }
  const strike = query.strike !== undefined && query.strike !== 0 ? query.strike : undefined;
  const secType = (query.secType ?? "").trim().toUpperCase();
  if (secType !== "" && secType !== "STK" && secType !== "OPT") invalid = true;
  return {
    invalid,
    ...(query.conId !== undefined && query.conId > 0 ? { conId: query.conId } : {}),
    ...(blank(query.symbol) ? {} : { symbol: (query.symbol ?? "").trim().toUpperCase() }),
    ...(secType === "STK" || secType === "OPT" ? { secType } : {}),
    ...(expiry === undefined ? {} : { expiry }),
    ...(strike === undefined ? {} : { strike }),
    ...(right === undefined ? {} : { right }),
    ...(blank(query.exchange) ? {} : { exchange: (query.exchange ?? "").trim().toUpperCase() }),
    ...(blank(query.currency) ? {} : { currency: (query.currency ?? "").trim().toUpperCase() }),
    ...(blank(query.tradingClass) ? {} : { tradingClass: (query.tradingClass ?? "").trim().toUpperCase() }),
    ...(query.multiplier !== undefined && query.multiplier !== 0 ? { multiplier: query.multiplier } : {}),
    includeExpired: query.includeExpired === true,
  };
}

/** Option exchanges a query may name (SMART routes to them). */
const OPTION_EXCHANGES: ReadonlySet<string> = new Set(["SMART", "CBOE", "AMEX", "ISE", "PHLX", "BOX", "MIAX", "NASDAQOM", "BATS", "ARCA"]);

/**
 * The secType a query without an explicit one means: OPT when it names an expiry, strike or
 * right, otherwise STK (a conId query matches either).
 */
export function impliedSecType(q: NormalizedQuery): "STK" | "OPT" {
  return q.secType ?? (q.expiry !== undefined || q.strike !== undefined || q.right !== undefined ? "OPT" : "STK");
}

function commonMatches(contract: Contract, q: NormalizedQuery): boolean {
  if (q.conId !== undefined && contract.conId !== q.conId) return false;
  if (q.symbol !== undefined && contract.symbol !== q.symbol) return false;
  if (q.secType !== undefined && contract.secType !== q.secType) return false;
  if (q.currency !== undefined && contract.currency !== q.currency) return false;
  if (q.tradingClass !== undefined && contract.tradingClass !== q.tradingClass) return false;
  return true;
}

/** True when a stock matches. */
export function stockMatches(contract: StockContract, q: NormalizedQuery): boolean {
  if (q.invalid || !commonMatches(contract, q)) return false;
  if (q.exchange !== undefined && q.exchange !== "SMART" && q.exchange !== contract.primaryExchange) return false;
  return q.expiry === undefined && q.strike === undefined && q.right === undefined && q.multiplier === undefined;
}

/** True when an option matches (listing and expiry state are checked by the caller). */
export function optionMatches(contract: OptionContract, q: NormalizedQuery): boolean {
  if (q.invalid || !commonMatches(contract, q)) return false;
  if (q.exchange !== undefined && !OPTION_EXCHANGES.has(q.exchange)) return false;
  if (q.right !== undefined && contract.right !== q.right) return false;
  if (q.strike !== undefined && Math.abs(contract.strike - q.strike) > 1e-9) return false;
  if (q.multiplier !== undefined && contract.multiplier !== q.multiplier) return false;
  if (q.expiry !== undefined) {
    if ("exact" in q.expiry ? contract.expiry !== q.expiry.exact : !contract.expiry.startsWith(q.expiry.month)) return false;
  }
  return true;
}

/** Sort order of results: expiry, strike, calls before puts. */
export function compareContracts(a: Contract, b: Contract): number {
  if (a.secType === "STK" || b.secType === "STK") return a.secType === b.secType ? a.conId - b.conId : a.secType === "STK" ? -1 : 1;
  if (a.expiry !== b.expiry) return a.expiry < b.expiry ? -1 : 1;
  if (a.strike !== b.strike) return a.strike - b.strike;
  return a.right === b.right ? 0 : a.right === "C" ? -1 : 1;
}
