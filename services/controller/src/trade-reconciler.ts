import type { TradeResource } from "@spreadops/resources";
import type { ReconcileResult } from "./controller-loop.js";
import { TradeMonitor } from "./trade-monitor.js";
import { PRE_ORDER_PHASES, isTerminal } from "./trade-phases.js";
import { TradePlacement } from "./trade-placement.js";
import type { StepOutcome, TradeStepDeps, TradeTimings } from "./trade-steps.js";
import { DEFAULT_TRADE_TIMINGS, stop } from "./trade-steps.js";

/** Reads Trades from the synced cache. */
export interface TradeCache {
  get(key: string): TradeResource | undefined;
}

export interface TradeReconcilerDeps extends TradeStepDeps {
  readonly trades: TradeCache;
}

/** More steps than a lifecycle has: a guard against a step that never settles. */
const MAX_STEPS = 8;

/**
 * The Trade reconciler: one lifecycle step after another (placement, then monitoring) within a
 * reconcile, each step persisted in status before the next, until a step waits for something —
 * a person's approval, a fill, the next exit check — or the Trade is over.
 */
export class TradeReconciler {
  readonly #trades: TradeCache;
  readonly #placement: TradePlacement;
  readonly #monitor: TradeMonitor;

  constructor(deps: TradeReconcilerDeps, timings: Partial<TradeTimings> = {}) {
    const all = { ...DEFAULT_TRADE_TIMINGS, ...timings };
    this.#trades = deps.trades;
    this.#placement = new TradePlacement(deps, all);
    this.#monitor = new TradeMonitor(deps, all);
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult | undefined> {
    let trade = this.#trades.get(key);
    if (trade?.spec === undefined || trade.metadata.deletionTimestamp !== undefined) return undefined;
    for (let i = 0; i < MAX_STEPS; i++) {
      if (signal.aborted) return undefined;
      const outcome: StepOutcome = await this.#step(trade, signal);
      if (outcome.kind === "done") return outcome.result;
      trade = outcome.trade;
    }
    return undefined;
  }

  #step(trade: TradeResource, signal: AbortSignal): Promise<StepOutcome> {
    const phase = trade.status?.phase;
    if (isTerminal(phase)) return Promise.resolve(stop());
    if (phase === undefined || PRE_ORDER_PHASES.has(phase)) return this.#placement.step(trade, signal);
    return this.#monitor.step(trade, signal);
  }
}
