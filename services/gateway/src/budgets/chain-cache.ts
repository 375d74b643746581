/**
 * Recently fetched option quotes, so that overlapping chain requests (the same chain asked by
 * several scans, or windows that share expiries) do not spend lines on the same contracts again.
 *
 * @packageDocumentation
 */

import { plannedOptionKey, type ChainPlanInput, type PlannedOption, type StrikeBand } from "./chain-plan.js";
import type { OptionQuoteResult } from "./chain-assembly.js";
import { TtlCache } from "./ttl-cache.js";

/** Default lifetime of a cached option quote. */
export const DEFAULT_CHAIN_TTL_MS = 60_000;

/** Options of {@link ChainCache}. */
export interface ChainCacheOptions {
  /** Lifetime of a cached quote, ms; default {@link DEFAULT_CHAIN_TTL_MS}. */
  readonly ttlMs?: number;
  /** Quotes kept at most; default 20,000. */
  readonly maxEntries?: number;
}

/** Result of {@link ChainCache.split}. */
export interface ChainCacheSplit {
  /** Quotes served from cache. */
  readonly cached: readonly OptionQuoteResult[];
  /** Contracts to request from TWS, in the plan's priority order. */
  readonly toRequest: readonly PlannedOption[];
}

/** The shape of a chain request, as a stable key (for a whole-chain cache or logs). */
export function chainRequestKey(input: Pick<ChainPlanInput, "symbol" | "params" | "today" | "dte" | "band" | "rights">): string {
  const rights = [...(input.rights ?? ["call", "put"])].sort().join(",");
  return [input.symbol, input.params.tradingClass, input.params.exchange, input.today, input.dte.min, input.dte.max, bandKey(input.band), rights].join("|");
}

function bandKey(band: StrikeBand): string {
  switch (band.kind) {
    case "all":
      return "all";
    case "absolute":
    case "percent":
      return `${band.kind}:${band.min}:${band.max}`;
    case "absDelta":
      return `absDelta:${band.min}:${band.max}:${band.vol ?? ""}:${band.marginStrikes ?? ""}`;
  }
}

/**
 * Per-contract quote cache with a TTL. A quote is keyed by contract (symbol, class, exchange,
 * expiry, strike, right) — not by DTE, which changes at midnight without changing the contract;
 * the cached row is re-stamped with the planned contract on the way out.
 */
export class ChainCache {
  readonly #ttlMs: number;
  readonly #cache: TtlCache<OptionQuoteResult>;
  #fromCache = 0;
  #requested = 0;

  constructor(opts: ChainCacheOptions = {}) {
    this.#ttlMs = opts.ttlMs ?? DEFAULT_CHAIN_TTL_MS;
    this.#cache = new TtlCache({ maxEntries: opts.maxEntries ?? 20_000 });
  }

  /** Contracts served from cache so far, and contracts that had to be requested. */
  get counts(): { readonly fromCache: number; readonly requested: number } {
    return { fromCache: this.#fromCache, requested: this.#requested };
  }

  /** Splits planned contracts into those fresh in cache and those to request. */
  split(contracts: readonly PlannedOption[], nowMs: number): ChainCacheSplit {
    const cached: OptionQuoteResult[] = [];
    const toRequest: PlannedOption[] = [];
    for (const contract of contracts) {
      const hit = this.#cache.get(plannedOptionKey(contract), nowMs);
      if (hit === undefined) toRequest.push(contract);
      else cached.push({ ...hit, contract });
    }
    this.#fromCache += cached.length;
    this.#requested += toRequest.length;
    return { cached, toRequest };
  }

  /** Stores fresh results. */
  store(results: readonly OptionQuoteResult[], nowMs: number): void {
    for (const r of results) this.#cache.set(plannedOptionKey(r.contract), r, this.#ttlMs, nowMs);
  }

  /** Forgets everything (e.g. on reconnect). */
  clear(): void {
    this.#cache.clear();
  }
}
