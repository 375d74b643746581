/**
 * GetOptionChain: option parameters (cached) → plan (DTE window, strike or delta band) →
 * per-contract cache → option listings (conIds, cached) → snapshots of the rest → columnar chain.
 *
 * @packageDocumentation
 */
import type { MarketDataType } from "@spreadops/api";
import { SecType, type ContractSpec, type OptionChain, type OptionChainQuery } from "@spreadops/api";
import { create } from "@bufbuild/protobuf";
import { ContractSpecSchema } from "@spreadops/api";
import { failedPrecondition, notFound, unavailable, type Clock, type Logger } from "@spreadops/runtime";
import type { ContractDetails as IbContractDetails } from "@stoqey/ib";
import { assembleOptionChain, planOptionChain, type ChainCache, type OptionQuoteResult, type PlannedOption } from "../budgets/index.js";
import type { ContractDirectory } from "./contract-directory.js";
import { chooseParams, exchangeDate, rightsOf, strikeBandOf } from "./chain-query.js";
import type { MarketLines } from "./market-lines.js";
import type { MarketMetrics } from "./market-metrics.js";
import { genericTicksFor, lineKeyOf, marketContractOf } from "./quotes.js";
import type { QuoteState } from "./quote-state.js";
import type { SnapshotFetcher } from "./snapshot-fetcher.js";

/** A chain with where its rows came from. */
export interface ChainFetch {
  readonly chain: OptionChain;
  /** Contracts requested from TWS for this chain. */
  readonly requested: number;
  /** Contracts served from the chain cache. */
  readonly cached: number;
}

/** Collaborators of {@link OptionChainService}. */
export interface OptionChainServiceDeps {
  readonly directory: ContractDirectory;
  readonly lines: MarketLines;
  readonly snapshots: SnapshotFetcher;
  readonly cache: ChainCache;
  readonly clock: Pick<Clock, "now" | "sleep">;
  readonly logger: Logger;
  readonly metrics: MarketMetrics;
  /** The session's market-data type (1 live … 4 delayed frozen). */
  readonly marketDataType: () => MarketDataType;
}

/** Options of {@link OptionChainService}. */
export interface OptionChainServiceOptions {
  /** Snapshot deadline when the request gives none; default 8 s. */
  readonly timeoutMs?: number;
  /** Contracts one chain may request at most (the plan is cut, nearest the money kept); default 400. */
  readonly maxContracts?: number;
  /** How long to wait for the underlying's first price and IV; default 2 s. */
  readonly underlyingWaitMs?: number;
  /** Rate for greeks computed here; default 0.04. */
  readonly rate?: number;
}

/** Builds option chains within the line budget. */
export class OptionChainService {
  readonly #deps: OptionChainServiceDeps;
  readonly #timeoutMs: number;
  readonly #maxContracts: number;
  readonly #underlyingWaitMs: number;
  readonly #rate: number;

  constructor(deps: OptionChainServiceDeps, opts: OptionChainServiceOptions = {}) {
    this.#deps = deps;
    this.#timeoutMs = opts.timeoutMs ?? 8_000;
    this.#maxContracts = opts.maxContracts ?? 400;
    this.#underlyingWaitMs = opts.underlyingWaitMs ?? 2_000;
    this.#rate = opts.rate ?? 0.04;
  }

  /**
   * The chain of `query`. Contracts cached within their TTL (and within `maxAgeMs` when given)
   * are not requested again.
   * @throws ConnectError NotFound (unknown underlying, no options), Unavailable (no underlying price).
   */
  async fetch(query: OptionChainQuery, opts: { maxAgeMs?: number | undefined; timeoutMs?: number | undefined; signal?: AbortSignal | undefined } = {}): Promise<ChainFetch> {
    const { directory, clock } = this.#deps;
    const underlying = await directory.one(underlyingSpec(query), opts.signal);
    const symbol = underlying.contract.symbol ?? query.underlyingSymbol;
    const conId = underlying.contract.conId ?? 0;
    const allParams = await directory.optionParams({ symbol, conId, secType: underlying.contract.secType ?? "STK" });
    const params = chooseParams(allParams, query, symbol);
    if (params === undefined) throw notFound("option chain", `${symbol} ${query.tradingClass === "" ? "" : query.tradingClass + " "}@${query.exchange === "" ? "SMART" : query.exchange}`.trim());

    const { spot, iv } = await this.#underlyingPrice(underlying, opts.signal);
    const nowMs = clock.now();
    const today = exchangeDate(nowMs);
    const plan = planOptionChain({
      symbol,
      params,
      spot,
      today,
      dte: { min: query.dte?.min ?? 0, max: query.dte?.max ?? 3650 },
      band: strikeBandOf(query, iv),
      rights: rightsOf(query),
      rate: this.#rate,
    });
    const planned = plan.contracts.slice(0, this.#maxContracts);
    const split = this.#deps.cache.split(planned, nowMs);
    const maxAge = opts.maxAgeMs;
    const fresh = maxAge === undefined ? split.cached : split.cached.filter((r) => r.lastTickMs !== undefined && nowMs - r.lastTickMs <= maxAge);
    const stale = split.cached.filter((r) => !fresh.includes(r)).map((r) => r.contract);
    const toRequest = [...split.toRequest, ...stale];

    const fetched = await this.#request(toRequest, params.exchange, opts);
    this.#deps.cache.store(fetched.rows.filter((r) => r.lastTickMs !== undefined), clock.now());
    this.#deps.metrics.chainContracts("cache", fresh.length);
    this.#deps.metrics.chainContracts("requested", fetched.requested);

    const first = fetched.details[0];
    const chain = assembleOptionChain({
      underlyingSymbol: symbol,
      underlyingConId: conId,
      underlyingPrice: spot,
      asOfMs: clock.now(),
      asOfDate: today,
      marketDataType: this.#deps.marketDataType(),
      tradingClass: params.tradingClass,
      exchange: params.exchange,
      currency: first?.contract.currency ?? underlying.contract.currency ?? "USD",
      multiplier: Number(first?.contract.multiplier) || params.multiplier,
      minTick: first?.minTick ?? 0.01,
      rate: this.#rate,
      dividendYield: 0,
      rows: [...fresh, ...fetched.rows],
    });
    this.#deps.logger.debug({ symbol, planned: planned.length, cached: fresh.length, requested: fetched.requested, rows: chain.rowCount }, "option chain assembled");
    return { chain, requested: fetched.requested, cached: fresh.length };
  }

  /** Resolves the planned contracts' conIds (one listing per expiry and right) and snapshots them. */
  async #request(
    contracts: readonly PlannedOption[],
    exchange: string,
    opts: { timeoutMs?: number | undefined; signal?: AbortSignal | undefined },
  ): Promise<{ rows: OptionQuoteResult[]; requested: number; details: IbContractDetails[] }> {
    if (contracts.length === 0) return { rows: [], requested: 0, details: [] };
    const groups = new Map<string, PlannedOption[]>();
    for (const c of contracts) {
      const key = `${c.expiry}|${c.right}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    const resolved: { planned: PlannedOption; details: IbContractDetails }[] = [];
    await Promise.all(
      [...groups.values()].map(async (group) => {
        const head = group[0];
        if (head === undefined) return;
        const listing = await this.#deps.directory.optionListing({
          symbol: head.symbol,
          expiry: head.expiry,
          right: head.right === "call" ? "C" : "P",
          tradingClass: head.tradingClass,
          exchange,
          currency: "USD",
        });
        for (const planned of group) {
          // Sec-def strikes are the union over expiries: a strike this expiry lacks is dropped.
          const details = listing.get(planned.strike);
          if (details !== undefined) resolved.push({ planned, details });
        }
      }),
    );
    const results = await this.#deps.snapshots.fetch(
      resolved.map((r) => marketContractOf(r.details)),
      opts.timeoutMs ?? this.#timeoutMs,
      opts.signal,
    );
    const rows = resolved.map((r, i) => {
      const state = results[i]?.state;
      const conId = r.details.contract.conId ?? 0;
      return state === undefined ? { contract: r.planned, conId } : state.toOptionResult(r.planned, conId);
    });
    return { rows, requested: resolved.length, details: resolved.map((r) => r.details) };
  }

  /**
   * Spot and implied vol of the underlying from a streaming line (held only for this call, then
   * warm for the next chain): a snapshot carries no generic ticks, and the IV centres the delta band.
   */
  async #underlyingPrice(underlying: IbContractDetails, signal?: AbortSignal): Promise<{ spot: number; iv: number | undefined }> {
    const generic = genericTicksFor(underlying.contract.secType);
    const sub = await this.#deps.lines.acquire(lineKeyOf(underlying.contract.conId ?? 0, generic), marketContractOf(underlying), generic);
    try {
      const deadline = this.#deps.clock.now() + this.#underlyingWaitMs;
      while (!ready(sub.state) && sub.failure() === undefined && this.#deps.clock.now() < deadline && signal?.aborted !== true) {
        await this.#deps.clock.sleep(20, signal);
      }
      const failure = sub.failure();
      if (failure !== undefined) throw unavailable(`no price for ${underlying.contract.symbol ?? ""}: IB ${failure.code}: ${failure.message}`);
      const spot = spotOf(sub.state);
      if (spot === undefined) throw failedPrecondition(`no price for ${underlying.contract.symbol ?? ""} yet; retry shortly`);
      const iv = sub.state.values.impliedVol;
      return { spot, iv: iv !== undefined && iv > 0.01 && iv < 5 ? iv : undefined };
    } finally {
      sub.release();
    }
  }
}

function ready(state: QuoteState): boolean {
  return spotOf(state) !== undefined && state.values.impliedVol !== undefined;
}

/** Last, else mid, else close. */
function spotOf(state: QuoteState): number | undefined {
  const v = state.values;
  if (v.last !== undefined && v.last > 0) return v.last;
  if (v.bid !== undefined && v.ask !== undefined && v.bid > 0 && v.ask >= v.bid) return (v.bid + v.ask) / 2;
  return v.close !== undefined && v.close > 0 ? v.close : undefined;
}

function underlyingSpec(query: OptionChainQuery): ContractSpec {
  return create(ContractSpecSchema, {
    conId: query.underlyingConId,
    symbol: query.underlyingSymbol,
    secType: query.underlyingSecType === SecType.UNSPECIFIED ? SecType.STOCK : query.underlyingSecType,
  });
}
