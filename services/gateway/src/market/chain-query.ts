/**
 * Pure translation of an `OptionChainQuery` into the planner's inputs.
 *
 * @packageDocumentation
 */
import { OptionRight, type OptionChainQuery } from "@spreadops/api";
import type { OptionChainParams, StrikeBand } from "../budgets/index.js";

/** The planner's strike band of a query; `vol` is the assumed vol of a delta band (e.g. the underlying's IV). */
export function strikeBandOf(query: OptionChainQuery, vol: number | undefined, marginStrikes?: number): StrikeBand {
  const band = query.band;
  switch (band.case) {
    case "strikes":
      return { kind: "absolute", min: band.value.min ?? 0, max: band.value.max ?? Number.POSITIVE_INFINITY };
    case "moneynessPercent":
      return { kind: "percent", min: band.value.min ?? -100, max: band.value.max ?? 1e6 };
    case "absDelta":
      return {
        kind: "absDelta",
        min: band.value.min ?? 0,
        max: band.value.max ?? 1,
        ...(vol === undefined ? {} : { vol }),
        ...(marginStrikes === undefined ? {} : { marginStrikes }),
      };
    default:
      return { kind: "all" };
  }
}

/** The rights a query asks for. */
export function rightsOf(query: OptionChainQuery): ("call" | "put")[] {
  if (query.right === OptionRight.CALL) return ["call"];
  if (query.right === OptionRight.PUT) return ["put"];
  return ["call", "put"];
}

/**
 * The parameters of the query's exchange and trading class: the class asked for, else the one
 * named like the symbol, else the one with the most expiries.
 */
export function chooseParams(all: readonly OptionChainParams[], query: OptionChainQuery, symbol: string): OptionChainParams | undefined {
  const exchange = query.exchange === "" ? "SMART" : query.exchange;
  const onExchange = all.filter((p) => p.exchange === exchange);
  if (query.tradingClass !== "") return onExchange.find((p) => p.tradingClass === query.tradingClass);
  return onExchange.find((p) => p.tradingClass === symbol) ?? [...onExchange].sort((a, b) => b.expirations.length - a.expirations.length)[0];
}

/** The exchange's calendar date (America/New_York) at `ms`, as YYYY-MM-DD. */
export function exchangeDate(ms: number, timeZone = "America/New_York"): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(ms));
}
