/**
 * Snapshot market data (`reqMktData` with snapshot = true) for many contracts, paced by the
 * {@link SnapshotThrottle} (≤ 90/s) and by free market-data lines (each outstanding snapshot holds
 * one), with a deadline after which unanswered contracts come back without data.
 *
 * @packageDocumentation
 */
import { EventName, type Contract as IbContract } from "@stoqey/ib";
import type { Clock, Logger } from "@spreadops/runtime";
import type { SnapshotThrottle } from "../budgets/index.js";
import type { TwsConnection } from "../connection/index.js";
import type { MarketLines } from "./market-lines.js";
import type { MarketMetrics } from "./market-metrics.js";
import { QuoteState } from "./quote-state.js";
import type { RequestRouter } from "./request-router.js";

/** Outcome of one snapshot. */
export interface SnapshotResult {
  readonly state: QuoteState;
  /** `ended`: TWS sent tickSnapshotEnd; `timeout`: the deadline passed first; `error`: see `error`. */
  readonly outcome: "ended" | "timeout" | "error";
  readonly error?: { readonly code: number; readonly message: string };
}

/** Collaborators of {@link SnapshotFetcher}. */
export interface SnapshotFetcherDeps {
  readonly connection: Pick<TwsConnection, "send" | "nextRequestId">;
  readonly router: RequestRouter;
  readonly lines: Pick<MarketLines, "reserveSnapshotLine">;
  readonly throttle: SnapshotThrottle;
  readonly clock: Pick<Clock, "now" | "sleep">;
  readonly logger: Logger;
  readonly metrics: MarketMetrics;
}

/** Code given to snapshots that could not get a line before the deadline. */
export const NO_LINE_CODE = -101;

/** Issues snapshots as the throttle and the free lines allow, and collects their ticks. */
export class SnapshotFetcher {
  readonly #deps: SnapshotFetcherDeps;

  constructor(deps: SnapshotFetcherDeps) {
    this.#deps = deps;
  }

  /**
   * Snapshots of `contracts`, in the same order. Never throws for one contract's failure: it
   * comes back as `outcome: "error"` (or `"timeout"`).
   */
  async fetch(contracts: readonly IbContract[], timeoutMs: number, signal?: AbortSignal): Promise<SnapshotResult[]> {
    const { clock, throttle } = this.#deps;
    const deadline = clock.now() + timeoutMs;
    const results: (SnapshotResult | undefined)[] = contracts.map(() => undefined);
    const inflight = new Map<number, () => void>();
    let wake: (() => void) | undefined;
    const settled = (): void => {
      wake?.();
    };
    let next = 0;
    while (next < contracts.length || inflight.size > 0) {
      const now = clock.now();
      if (now >= deadline || signal?.aborted === true) break;
      const allowance = throttle.allowance(now);
      let issued = 0;
      while (next < contracts.length && issued < allowance.count) {
        const tickerId = this.#deps.connection.nextRequestId();
        const line = this.#deps.lines.reserveSnapshotLine(tickerId);
        if (line === undefined) break; // every line is held: wait for one of ours to finish
        throttle.issue(1, now);
        issued += 1;
        const index = next;
        next += 1;
        const contract = contracts[index];
        if (contract === undefined) continue;
        inflight.set(tickerId, this.#issue(tickerId, contract, (result) => {
          inflight.delete(tickerId);
          line.release();
          throttle.complete();
          results[index] = result;
          this.#deps.metrics.snapshot(result.outcome === "ended" ? "ok" : result.outcome);
          settled();
        }));
      }
      if (next >= contracts.length && inflight.size === 0) break;
      if (issued === 0 && inflight.size === 0 && allowance.nextAtMs === undefined) {
        // No line can be had and none of ours will free one: the budget is held by streams.
        break;
      }
      const waitUntil = Math.min(deadline, allowance.count === 0 && allowance.nextAtMs !== undefined ? allowance.nextAtMs : deadline);
      const woke = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const stop = new AbortController();
      await Promise.race([woke, clock.sleep(Math.max(1, waitUntil - clock.now()), stop.signal)]);
      stop.abort();
      wake = undefined;
    }
    for (const finish of [...inflight.values()]) finish();
    return results.map(
      (r) => r ?? { state: new QuoteState(), outcome: "error", error: { code: NO_LINE_CODE, message: "no market-data line became free before the deadline" } },
    );
  }

  /** Sends one snapshot request; returns the function that ends it on timeout. */
  #issue(tickerId: number, contract: IbContract, done: (result: SnapshotResult) => void): () => void {
    const state = new QuoteState();
    const now = (): number => this.#deps.clock.now();
    let finished = false;
    const finish = (result: SnapshotResult): void => {
      if (finished) return;
      finished = true;
      unroute();
      done(result);
    };
    const unroute = this.#deps.router.route(tickerId, {
      context: { tickerId, symbol: contract.symbol, conId: contract.conId, snapshot: true },
      [EventName.tickPrice]: (_id, field, value) => state.price(field, value, now()),
      [EventName.tickSize]: (_id, field, value) => {
        if (field !== undefined && value !== undefined) state.size(field, value, now());
      },
      [EventName.tickGeneric]: (_id, field, value) => state.generic(field, value, now()),
      [EventName.tickOptionComputation]: (_id, field, _attrib, iv, delta, price, pvDividend, gamma, vega, theta, und) =>
        state.optionComputation(field, { iv, delta, price, pvDividend, gamma, vega, theta, und }, now()),
      [EventName.marketDataType]: (_id, type) => {
        state.marketDataType = type;
      },
      [EventName.tickSnapshotEnd]: () => {
        finish({ state, outcome: "ended" });
      },
      onError: (error) => {
        finish({ state, outcome: "error", error: { code: error.code, message: error.message } });
      },
    });
    this.#deps.connection
      .send("marketData", (ib) => ib.reqMktData(tickerId, contract, "", true, false))
      .catch((error: unknown) => {
        finish({ state, outcome: "error", error: { code: 0, message: error instanceof Error ? error.message : String(error) } });
      });
    return () => {
      if (finished) return;
      // TWS may still hold the line: cancel it (a 300 back means it had just ended).
      void this.#deps.connection.send("cancel", (ib) => ib.cancelMktData(tickerId)).catch(() => undefined);
      finish({ state, outcome: "timeout" });
    };
  }
}
