/**
 * Contract details, option parameters and option listings from TWS, cached: they do not change
 * intraday, and every quote, chain and bar request needs them.
 *
 * @packageDocumentation
 */
import { EventName, OptionType, SecType as IbSecType, type Contract as IbContract, type ContractDetails as IbContractDetails } from "@stoqey/ib";
import type { ContractSpec, PriceIncrement } from "@spreadops/api";
import { notFound, type Logger } from "@spreadops/runtime";
import { Code, ConnectError } from "@connectrpc/connect";
import { TtlCache, type OptionChainParams } from "../budgets/index.js";
import type { TwsConnection } from "../connection/index.js";
import { describeSpec, ibContractOf, priceIncrementsOf, specKey } from "./contract-mapping.js";
import type { IbRequestError } from "./request-router.js";
import { twsRequest } from "./tws-request.js";
import type { TwsRequestDeps } from "./tws-request-deps.js";

/** Options of {@link ContractDirectory}. */
export interface ContractDirectoryOptions {
  /** Lifetime of cached details, listings and option parameters; default 6 h. */
  readonly ttlMs?: number;
  /** Deadline of one TWS request; default 10 s. */
  readonly requestTimeoutMs?: number;
}

/** Collaborators of {@link ContractDirectory}. */
export interface ContractDirectoryDeps extends TwsRequestDeps {
  readonly connection: Pick<TwsConnection, "send" | "nextRequestId" | "on">;
  readonly logger: Logger;
}

/** A TWS error as a Connect error: 200 → NotFound naming the contract, others by kind. */
export function contractError(error: IbRequestError, what: string): ConnectError {
  if (error.code === 200) return notFound("contract", what);
  if (error.code === 354 || error.code === 10089 || error.code === 10168) {
    return new ConnectError(`${what}: market data not subscribed (IB ${error.code}: ${error.message})`, Code.PermissionDenied);
  }
  if (error.code === 321 || error.code === 322) return new ConnectError(`${what}: IB refused the request (IB ${error.code}: ${error.message})`, Code.InvalidArgument);
  return new ConnectError(`${what}: IB error ${error.code}: ${error.message}`, Code.Unavailable);
}

/** Caches and coalesces contract lookups at TWS. */
export class ContractDirectory {
  readonly #deps: ContractDirectoryDeps;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #details = new TtlCache<readonly IbContractDetails[]>({ maxEntries: 5_000 });
  readonly #params = new TtlCache<readonly OptionChainParams[]>({ maxEntries: 1_000 });
  readonly #rules = new TtlCache<readonly PriceIncrement[]>({ maxEntries: 200 });
  readonly #inflight = new Map<string, Promise<unknown>>();
  readonly #ruleWaiters = new Map<number, ((increments: readonly PriceIncrement[]) => void)[]>();
  readonly #offRule: () => void;

  constructor(deps: ContractDirectoryDeps, opts: ContractDirectoryOptions = {}) {
    this.#deps = deps;
    this.#ttlMs = opts.ttlMs ?? 6 * 3_600_000;
    this.#timeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.#offRule = deps.connection.on(EventName.marketRule, (ruleId, increments) => {
      const parsed = priceIncrementsOf(increments);
      this.#rules.set(String(ruleId), parsed, this.#ttlMs, deps.clock.now());
      for (const waiter of this.#ruleWaiters.get(ruleId) ?? []) waiter(parsed);
      this.#ruleWaiters.delete(ruleId);
    });
  }

  /**
   * Every contract matching `spec` (reqContractDetails).
   * @throws ConnectError NotFound (IB 200) naming the contract.
   */
  details(spec: ContractSpec, signal?: AbortSignal): Promise<readonly IbContractDetails[]> {
    return this.#cached(this.#details, `d|${specKey(spec)}`, () => this.#fetchDetails(ibContractOf(spec), describeSpec(spec), signal));
  }

  /** The one contract `spec` names (the first when ambiguous). */
  async one(spec: ContractSpec, signal?: AbortSignal): Promise<IbContractDetails> {
    const found = await this.details(spec, signal);
    const first = found[0];
    if (first === undefined) throw notFound("contract", describeSpec(spec));
    return first;
  }

  /** The listed options of one expiry and right (one request for every strike), by strike. */
  async optionListing(q: { symbol: string; expiry: string; right: "C" | "P"; tradingClass: string; exchange: string; currency: string }): Promise<ReadonlyMap<number, IbContractDetails>> {
    const contract: IbContract = {
      symbol: q.symbol,
      secType: IbSecType.OPT,
      lastTradeDateOrContractMonth: q.expiry,
      right: q.right === "C" ? OptionType.Call : OptionType.Put,
      tradingClass: q.tradingClass,
      exchange: q.exchange,
      currency: q.currency,
    };
    const what = `${q.symbol} ${q.tradingClass} ${q.expiry} ${q.right} options @${q.exchange}`;
    const key = `l|${q.symbol}|${q.tradingClass}|${q.exchange}|${q.expiry}|${q.right}`;
    let all: readonly IbContractDetails[];
    try {
      all = await this.#cached(this.#details, key, () => this.#fetchDetails(contract, what));
    } catch (error) {
      if (error instanceof ConnectError && error.code === Code.NotFound) return new Map();
      throw error;
    }
    return new Map(all.map((d) => [d.contract.strike ?? NaN, d]));
  }

  /** reqSecDefOptParams of an underlying: one entry per (exchange, trading class). */
  optionParams(underlying: { symbol: string; conId: number; secType: string }): Promise<readonly OptionChainParams[]> {
    const key = `${underlying.symbol}|${underlying.conId}`;
    return this.#cached(this.#params, key, () => {
      const rows: OptionChainParams[] = [];
      return twsRequest(this.#deps, {
        priority: "marketData",
        what: `option parameters of ${underlying.symbol}`,
        timeoutMs: this.#timeoutMs,
        send: (ib, reqId) => ib.reqSecDefOptParams(reqId, underlying.symbol, "", underlying.secType, underlying.conId),
        handlers: (_reqId, done) => ({
          [EventName.securityDefinitionOptionParameter]: (_id, exchange, _underConId, tradingClass, multiplier, expirations, strikes) => {
            rows.push({ exchange, tradingClass, multiplier: Number(multiplier) || 100, expirations: [...expirations], strikes: [...strikes] });
          },
          [EventName.securityDefinitionOptionParameterEnd]: () => {
            done();
          },
        }),
        result: () => rows,
        onError: (error) => contractError(error, `option parameters of ${underlying.symbol}`),
      });
    });
  }

  /** Price increments of a market rule; empty when TWS does not answer within 2 s (min tick applies). */
  async marketRule(ruleId: number): Promise<readonly PriceIncrement[]> {
    const hit = this.#rules.get(String(ruleId), this.#deps.clock.now());
    if (hit !== undefined) return hit;
    return new Promise((resolve) => {
      let waiters = this.#ruleWaiters.get(ruleId);
      const first = waiters === undefined;
      if (waiters === undefined) {
        waiters = [];
        this.#ruleWaiters.set(ruleId, waiters);
      }
      const cancel = this.#deps.clock.setTimer(2_000, () => {
        resolve([]);
      });
      waiters.push((increments) => {
        cancel();
        resolve(increments);
      });
      if (first) {
        this.#deps.connection.send("marketData", (ib) => ib.reqMarketRule(ruleId)).catch((error: unknown) => {
          this.#deps.logger.debug({ err: error, ruleId }, "reqMarketRule not sent");
        });
      }
    });
  }

  /** Detaches from the connection. */
  close(): void {
    this.#offRule();
  }

  #fetchDetails(contract: IbContract, what: string, signal?: AbortSignal): Promise<readonly IbContractDetails[]> {
    const rows: IbContractDetails[] = [];
    return twsRequest(this.#deps, {
      priority: "marketData",
      what: `contract details of ${what}`,
      timeoutMs: this.#timeoutMs,
      signal,
      send: (ib, reqId) => ib.reqContractDetails(reqId, contract),
      handlers: (_reqId, done) => ({
        [EventName.contractDetails]: (_id, details) => {
          rows.push(details);
        },
        [EventName.contractDetailsEnd]: () => {
          done();
        },
      }),
      result: () => rows,
      onError: (error) => contractError(error, what),
    });
  }

  /** Cache, then one in-flight request per key shared by concurrent callers. */
  async #cached<T>(cache: TtlCache<T>, key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key, this.#deps.clock.now());
    if (hit !== undefined) return hit;
    const pending = this.#inflight.get(key) as Promise<T> | undefined;
    if (pending !== undefined) return pending;
    const promise = load().then(
      (value) => {
        cache.set(key, value, this.#ttlMs, this.#deps.clock.now());
        return value;
      },
    );
    this.#inflight.set(key, promise);
    try {
      return await promise;
    } finally {
      this.#inflight.delete(key);
    }
  }
}
