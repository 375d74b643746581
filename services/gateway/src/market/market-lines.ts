/**
 * Streaming market-data lines at TWS, executing the {@link LineBudget}'s decisions: one
 * `reqMktData` per contract key however many callers hold it, cancels for evicted and swept idle
 * lines, error 101 handling, and re-subscription with fresh ticker ids after 1101 or a reconnect.
 *
 * @packageDocumentation
 */
import { EventName, type Contract as IbContract } from "@stoqey/ib";
import { resourceExhausted, type Logger } from "@spreadops/runtime";
import type { LineBudget, LineHandle } from "../budgets/index.js";
import type { TwsConnection } from "../connection/index.js";
import type { Clock } from "../scheduler/clock.js";
import type { MarketMetrics } from "./market-metrics.js";
import { QuoteState } from "./quote-state.js";
import type { IbRequestError, RequestRouter } from "./request-router.js";

/** A TWS failure of a line (the line is gone). */
export interface LineFailure {
  readonly code: number;
  readonly message: string;
}

interface Line {
  readonly key: string;
  readonly contract: IbContract;
  readonly genericTicks: string;
  readonly state: QuoteState;
  readonly listeners: Set<() => void>;
  tickerId: number;
  unroute: () => void;
  failure: LineFailure | undefined;
  /** Re-sends after a 101 that freed room by evicting; bounded so a 101 loop cannot form. */
  retries: number;
}

/** A caller's hold on a streaming line. */
export interface LineSubscription {
  readonly key: string;
  /** The line's current quote (shared by every holder). */
  readonly state: QuoteState;
  /** Set when TWS refused or ended the line. */
  failure(): LineFailure | undefined;
  /** Calls `listener` after every change (and on failure) until the returned function is called. */
  onChange(listener: () => void): () => void;
  /** Drops this hold; the line stays warm (idle) until evicted or swept. Idempotent. */
  release(): void;
}

/** Collaborators of {@link MarketLines}. */
export interface MarketLinesDeps {
  readonly connection: Pick<TwsConnection, "send" | "nextRequestId" | "onEvent">;
  readonly router: RequestRouter;
  readonly budget: LineBudget;
  readonly logger: Logger;
  readonly metrics: MarketMetrics;
  readonly clock: Pick<Clock, "now">;
  /** Idle lines older than this are cancelled on the next acquisition; default 5 minutes. */
  readonly idleLineTtlMs?: number;
}

/** Keeps the gateway's streaming market-data lines at TWS in step with the line budget. */
export class MarketLines {
  readonly #deps: MarketLinesDeps;
  readonly #lines = new Map<string, Line>();
  readonly #idleTtlMs: number;
  readonly #offResubscribe: () => void;
  #maxTickerErrors = 0;

  constructor(deps: MarketLinesDeps) {
    this.#deps = deps;
    this.#idleTtlMs = deps.idleLineTtlMs ?? 300_000;
    this.#offResubscribe = deps.connection.onEvent("resubscribeRequired", ({ cause }) => {
      this.resubscribeAll(cause);
    });
  }

  /** IB error 101 received so far. */
  get maxTickerErrors(): number {
    return this.#maxTickerErrors;
  }

  /** The quote of `key` if a line is subscribed for it (held or idle). */
  peek(key: string): QuoteState | undefined {
    const line = this.#lines.get(key);
    return line?.failure === undefined ? line?.state : undefined;
  }

  /**
   * Holds a line for `key`, subscribing at TWS when it is new.
   * @throws ConnectError ResourceExhausted when every line is held; Unavailable / ResourceExhausted
   *   from the connection when the request cannot be sent.
   */
  async acquire(key: string, contract: IbContract, genericTicks: string): Promise<LineSubscription> {
    this.#cancel(this.#deps.budget.sweepIdle(this.#idleTtlMs), "swept");
    const outcome = this.#deps.budget.acquire(key);
    if (!outcome.ok) throw resourceExhausted(`${outcome.message} (${outcome.inUse}/${outcome.limit}); release streams or retry later`);
    this.#cancel(outcome.evicted, "evicted");
    this.#deps.metrics.lineEvicted(outcome.evicted.length);
    let line = this.#lines.get(key);
    if (outcome.subscribe || line === undefined) {
      line = { key, contract, genericTicks, state: new QuoteState(), listeners: new Set(), tickerId: 0, unroute: () => undefined, failure: undefined, retries: 0 };
      this.#lines.set(key, line);
      try {
        await this.#subscribe(line);
      } catch (error) {
        outcome.handle.release();
        this.#forget(line);
        throw error;
      }
    }
    return this.#subscription(line, outcome.handle);
  }

  /**
   * Reserves a line for one snapshot (`reqMktData` with snapshot = true holds a line at TWS
   * until answered): evicts idle lines if needed. Undefined when every line is held.
   */
  reserveSnapshotLine(tickerId: number): { release(): void } | undefined {
    const key = `snapshot:${tickerId}`;
    const outcome = this.#deps.budget.acquire(key);
    if (!outcome.ok) return undefined;
    this.#cancel(outcome.evicted, "evicted");
    this.#deps.metrics.lineEvicted(outcome.evicted.length);
    let done = false;
    return {
      release: () => {
        if (done) return;
        done = true;
        // A snapshot line ends with its answer: never left idle.
        this.#deps.budget.drop(key);
      },
    };
  }

  /**
   * TWS lost every subscription (1101, or a new socket): forget idle lines and subscribe every
   * held one again with a fresh ticker id; the quote state and the holders carry on.
   */
  resubscribeAll(cause: string): void {
    const active = new Set(this.#deps.budget.reset());
    let resent = 0;
    for (const line of [...this.#lines.values()]) {
      if (!active.has(line.key)) {
        this.#forget(line);
        continue;
      }
      resent += 1;
      line.retries = 0;
      void this.#subscribe(line).catch((error: unknown) => {
        this.#deps.logger.warn({ err: error, key: line.key, cause }, "re-subscribing a market-data line failed; it is retried on the next restore");
      });
    }
    this.#deps.logger.info({ cause, lines: resent }, "market-data lines re-subscribed");
  }

  /** Cancels every line at TWS and forgets them (shutdown). */
  close(): void {
    this.#offResubscribe();
    this.#cancel([...this.#lines.keys()], "closed");
  }

  async #subscribe(line: Line): Promise<void> {
    line.unroute();
    const tickerId = this.#deps.connection.nextRequestId();
    line.tickerId = tickerId;
    const now = (): number => this.#deps.clock.now();
    const changed = (did: boolean): void => {
      if (did) for (const listener of [...line.listeners]) listener();
    };
    line.unroute = this.#deps.router.route(tickerId, {
      context: { key: line.key, tickerId, symbol: line.contract.symbol, conId: line.contract.conId },
      [EventName.tickPrice]: (_id, field, value) => {
        changed(line.state.price(field, value, now()));
      },
      [EventName.tickSize]: (_id, field, value) => {
        if (field !== undefined && value !== undefined) changed(line.state.size(field, value, now()));
      },
      [EventName.tickGeneric]: (_id, field, value) => {
        changed(line.state.generic(field, value, now()));
      },
      [EventName.tickOptionComputation]: (_id, field, _attrib, iv, delta, price, pvDividend, gamma, vega, theta, und) => {
        changed(line.state.optionComputation(field, { iv, delta, price, pvDividend, gamma, vega, theta, und }, now()));
      },
      [EventName.marketDataType]: (_id, type) => {
        line.state.marketDataType = type;
      },
      onError: (error) => {
        this.#onLineError(line, error);
      },
    });
    await this.#deps.connection.send("marketData", (ib) => ib.reqMktData(tickerId, line.contract, line.genericTicks, false, false));
  }

  #onLineError(line: Line, error: IbRequestError): void {
    if (error.reqId !== line.tickerId) return;
    if (error.code === 101) {
      this.#maxTickerErrors += 1;
      this.#deps.metrics.maxTickers();
      // TWS has fewer lines than we thought (another session, a smaller account): lower the
      // limit to what we really hold, which evicts idle lines, then try once more with the room.
      const subscribed = this.#deps.budget.inUse + this.#deps.budget.idle;
      const evicted = this.#deps.budget.setLimit(Math.max(0, subscribed - 1));
      this.#cancel(evicted, "evicted");
      this.#deps.metrics.lineEvicted(evicted.length);
      this.#deps.logger.warn({ key: line.key, limit: this.#deps.budget.limit, evicted: evicted.length }, "TWS max tickers (101): line budget lowered");
      if (evicted.length > 0 && line.retries < 1) {
        line.retries += 1;
        void this.#subscribe(line).catch(() => {
          this.#fail(line, { code: 101, message: error.message });
        });
        return;
      }
    }
    this.#fail(line, { code: error.code, message: error.message });
  }

  #fail(line: Line, failure: LineFailure): void {
    line.failure = failure;
    this.#deps.budget.drop(line.key);
    line.unroute();
    this.#lines.delete(line.key);
    for (const listener of [...line.listeners]) listener();
  }

  #subscription(line: Line, handle: LineHandle): LineSubscription {
    return {
      key: line.key,
      state: line.state,
      failure: () => line.failure,
      onChange: (listener) => {
        line.listeners.add(listener);
        return () => line.listeners.delete(listener);
      },
      release: () => {
        handle.release();
      },
    };
  }

  /** Cancels lines at TWS (evicted, swept or closed) and forgets them. */
  #cancel(keys: readonly string[], why: string): void {
    for (const key of keys) {
      const line = this.#lines.get(key);
      if (line === undefined) continue;
      this.#forget(line);
      this.#deps.budget.drop(key);
      const tickerId = line.tickerId;
      void this.#deps.connection.send("cancel", (ib) => ib.cancelMktData(tickerId)).catch((error: unknown) => {
        // Without a session there is nothing to cancel: TWS dropped the line with it.
        this.#deps.logger.debug({ err: error, key, tickerId, why }, "cancelMktData not sent");
      });
    }
  }

  #forget(line: Line): void {
    line.unroute();
    if (this.#lines.get(line.key) === line) this.#lines.delete(line.key);
  }
}
