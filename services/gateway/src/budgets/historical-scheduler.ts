/**
 * Decides, for each historical-data request, whether to serve it from cache, join an identical
 * one in flight, send it now, or wait until IB's pacing rules allow it.
 *
 * @packageDocumentation
 */

import { HistoricalPacingWindow, type HistoricalPacingRule, type HistoricalPacingRules } from "@spreadops/core";
import {
  DEFAULT_HISTORICAL_TTL,
  historicalIdentity,
  historicalPacingRequest,
  historicalTtlMs,
  type HistoricalRequestSpec,
  type HistoricalTtlPolicy,
} from "./historical-request.js";
import { TtlCache } from "./ttl-cache.js";

/** Options of {@link HistoricalScheduler}. */
export interface HistoricalSchedulerOptions {
  /** IB's pacing limits; default IB's documented ones. */
  readonly pacing?: Partial<HistoricalPacingRules>;
  /** Longest a request may wait for pacing, from when it was first asked; default 60 s. */
  readonly maxWaitMs?: number;
  /** Cache lifetimes; default {@link DEFAULT_HISTORICAL_TTL}. */
  readonly ttl?: Partial<HistoricalTtlPolicy>;
  /** Completed results kept at most; default 500. */
  readonly maxCacheEntries?: number;
}

/**
 * What the data layer should do with a request:
 * - `cached`: answer with `value`, nothing goes to TWS;
 * - `join`: an identical request is already in flight (or waiting): await its result;
 * - `send`: send it to TWS now (already recorded against the pacing rules), then report
 *   {@link HistoricalScheduler.complete} or {@link HistoricalScheduler.fail};
 * - `wait`: pacing forbids it until `atMs`; wait, then call {@link HistoricalScheduler.retry}
 *   (identical requests asked meanwhile are told to `join`);
 * - `exhausted`: it would have to wait past the bound; answer ResourceExhausted, retry at `retryAtMs`.
 */
export type HistoricalDecision<T> =
  | { readonly kind: "cached"; readonly identity: string; readonly value: T }
  | { readonly kind: "join"; readonly identity: string }
  | { readonly kind: "send"; readonly identity: string }
  | { readonly kind: "wait"; readonly identity: string; readonly atMs: number; readonly rule: HistoricalPacingRule }
  | {
      readonly kind: "exhausted";
      readonly identity: string;
      readonly retryAtMs: number;
      readonly rule: HistoricalPacingRule;
      readonly message: string;
    };

/** Counters for metrics. */
export interface HistoricalSchedulerStats {
  readonly cacheHits: number;
  readonly joined: number;
  readonly sent: number;
  readonly waits: number;
  readonly exhausted: number;
  /** Requests in flight or waiting. */
  readonly pending: number;
}

interface Pending {
  readonly spec: HistoricalRequestSpec;
  /** When the request was first asked: the wait bound counts from here. */
  readonly firstAskedMs: number;
  /** True once sent to TWS; false while waiting for pacing. */
  sent: boolean;
}

/**
 * Cache + coalescing + IB pacing for historical data, as decisions; the data layer does the I/O
 * and owns the promises (one per identity). Pure: time comes in with every call.
 *
 * Completed results are cached for at least a minute, longer than IB's 15 s identical-request
 * window, so the identical rule is avoided by construction; the other two rules are met by
 * waiting until the pacing window says the request is allowed.
 */
export class HistoricalScheduler<T> {
  readonly #pacing: HistoricalPacingWindow;
  readonly #maxWaitMs: number;
  readonly #ttl: HistoricalTtlPolicy;
  readonly #cache: TtlCache<T>;
  readonly #pending = new Map<string, Pending>();
  #cacheHits = 0;
  #joined = 0;
  #sent = 0;
  #waits = 0;
  #exhausted = 0;

  /** @throws RangeError on invalid options. */
  constructor(opts: HistoricalSchedulerOptions = {}) {
    this.#pacing = new HistoricalPacingWindow(opts.pacing);
    const maxWait = opts.maxWaitMs ?? 60_000;
    if (!(maxWait >= 0)) throw new RangeError(`maxWaitMs must be ≥ 0, got ${maxWait}`);
    this.#maxWaitMs = maxWait;
    this.#ttl = { ...DEFAULT_HISTORICAL_TTL, ...opts.ttl };
    this.#cache = new TtlCache<T>({ maxEntries: opts.maxCacheEntries ?? 500 });
  }

  /** Counters for metrics. */
  stats(): HistoricalSchedulerStats {
    return {
      cacheHits: this.#cacheHits,
      joined: this.#joined,
      sent: this.#sent,
      waits: this.#waits,
      exhausted: this.#exhausted,
      pending: this.#pending.size,
    };
  }

  /** A new request asked at `nowMs`. */
  request(spec: HistoricalRequestSpec, nowMs: number): HistoricalDecision<T> {
    const identity = historicalIdentity(spec);
    const value = this.#cache.get(identity, nowMs);
    if (value !== undefined) {
      this.#cacheHits += 1;
      return { kind: "cached", identity, value };
    }
    if (this.#pending.has(identity)) {
      this.#joined += 1;
      return { kind: "join", identity };
    }
    const pending: Pending = { spec, firstAskedMs: nowMs, sent: false };
    this.#pending.set(identity, pending);
    return this.#paced(identity, pending, nowMs);
  }

  /**
   * The owner of a `wait` decision, at or after its `atMs`: send now, wait again (others may have
   * taken the slot), or give up.
   * @throws Error when `identity` is not waiting (unknown, completed, or already sent).
   */
  retry(identity: string, nowMs: number): HistoricalDecision<T> {
    const pending = this.#pending.get(identity);
    if (pending?.sent !== false) throw new Error(`historical request ${identity} is not waiting for pacing`);
    return this.#paced(identity, pending, nowMs);
  }

  /** The request's result arrived: cache it (lifetime per the TTL policy) and end its flight. */
  complete(identity: string, value: T, nowMs: number): void {
    const pending = this.#pending.get(identity);
    if (pending === undefined) return;
    this.#pending.delete(identity);
    this.#cache.set(identity, value, historicalTtlMs(pending.spec, nowMs, this.#ttl), nowMs);
  }

  /**
   * The request failed (TWS error, timeout, or a `wait` abandoned): end its flight without caching.
   * Its pacing record stays: IB counted the request.
   */
  fail(identity: string): void {
    this.#pending.delete(identity);
  }

  /** Forgets cached results (e.g. after a reconnect). Pacing records and flights are kept. */
  clearCache(): void {
    this.#cache.clear();
  }

  #paced(identity: string, pending: Pending, nowMs: number): HistoricalDecision<T> {
    const req = historicalPacingRequest(pending.spec);
    const decision = this.#pacing.check(req, nowMs);
    if (decision.ok) {
      this.#pacing.record(req, nowMs);
      pending.sent = true;
      this.#sent += 1;
      return { kind: "send", identity };
    }
    if (decision.retryAtMs - pending.firstAskedMs > this.#maxWaitMs) {
      this.#pending.delete(identity);
      this.#exhausted += 1;
      const inS = Math.ceil((decision.retryAtMs - nowMs) / 1_000);
      return {
        kind: "exhausted",
        identity,
        retryAtMs: decision.retryAtMs,
        rule: decision.rule,
        message: `historical-data pacing (${decision.rule} rule): next slot in ${inS} s, past the ${this.#maxWaitMs} ms wait bound`,
      };
    }
    this.#waits += 1;
    return { kind: "wait", identity, atMs: decision.retryAtMs, rule: decision.rule };
  }
}
