import type { StrategyResource, TradeResource } from "@spreadops/resources";
import type { Metrics } from "@spreadops/runtime";
import type { ReconcileOutcome } from "./controller-loop.js";
import type { RestartReason } from "./informer.js";
import type { WorkQueueObserver } from "./work-queue.js";

/** The kinds the controller reconciles, as metric label values. */
export type ControllerKind = "strategy" | "trade";

/** What the gauges are computed from at scrape time (the leader's caches; none on a standby). */
export interface MetricsSource {
  strategies(): readonly StrategyResource[];
  trades(): readonly TradeResource[];
}

/** The controller's metrics, `spreadops_controller_…`. */
export interface ControllerMetrics {
  reconciled(kind: ControllerKind, outcome: ReconcileOutcome, durationMs: number): void;
  queue(kind: ControllerKind): WorkQueueObserver;
  informerRestarted(kind: ControllerKind, reason: RestartReason): void;
  /** Where strategies/trades by phase and the P&L gauges come from; `undefined` = none (standby). */
  setSource(source: MetricsSource | undefined): void;
}

/** Registers the controller's metrics on the service's registry. */
export function createControllerMetrics(metrics: Metrics): ControllerMetrics {
  let source: MetricsSource | undefined;
  const reconciles = metrics.counter({ name: "controller_reconciles_total", help: "Reconciles by kind and outcome (success, requeue, error).", labelNames: ["kind", "outcome"] });
  const errors = metrics.counter({ name: "controller_reconcile_errors_total", help: "Reconciles that failed and were re-queued with backoff, by kind.", labelNames: ["kind"] });
  const duration = metrics.histogram({ name: "controller_reconcile_duration_seconds", help: "Time one reconcile took, by kind.", labelNames: ["kind"], buckets: [0.005, 0.02, 0.1, 0.5, 1, 5, 30, 120] });
  const depth = metrics.gauge({ name: "controller_queue_depth", help: "Keys waiting in the work queue, by kind.", labelNames: ["kind"] });
  const latency = metrics.histogram({ name: "controller_queue_latency_seconds", help: "Time a key waited in the work queue before a worker took it, by kind.", labelNames: ["kind"], buckets: [0.001, 0.01, 0.1, 0.5, 1, 5, 30] });
  const retries = metrics.counter({ name: "controller_queue_retries_total", help: "Keys re-queued with backoff, by kind.", labelNames: ["kind"] });
  const restarts = metrics.counter({ name: "controller_informer_restarts_total", help: "Informer relists (gone) and restarts after errors, by kind.", labelNames: ["kind", "reason"] });
  const strategies = metrics.gauge({
    name: "controller_strategies", help: "Strategies by phase (leader only).", labelNames: ["phase"],
    collect: () => {
      strategies.reset();
      for (const s of source?.strategies() ?? []) strategies.inc({ phase: s.status?.phase ?? "Pending" });
    },
  });
  const trades = metrics.gauge({
    name: "controller_trades", help: "Trades by phase (leader only).", labelNames: ["phase"],
    collect: () => {
      trades.reset();
      for (const t of source?.trades() ?? []) trades.inc({ phase: t.status?.phase ?? "Pending" });
    },
  });
  const pnl = metrics.gauge({
    name: "controller_strategy_pnl_usd", help: "P&L of each Strategy's trades, USD: realized, unrealized and today's (day).", labelNames: ["namespace", "strategy", "kind"],
    collect: () => {
      pnl.reset();
      for (const s of source?.strategies() ?? []) {
        const labels = { namespace: s.metadata.namespace ?? "", strategy: s.metadata.name };
        pnl.set({ ...labels, kind: "realized" }, s.status?.realizedPnl ?? 0);
        pnl.set({ ...labels, kind: "unrealized" }, s.status?.unrealizedPnl ?? 0);
        pnl.set({ ...labels, kind: "day" }, s.status?.dayPnl ?? 0);
      }
    },
  });
  const openTrades = metrics.gauge({
    name: "controller_strategy_open_trades", help: "Non-terminal trades of each Strategy.", labelNames: ["namespace", "strategy"],
    collect: () => {
      openTrades.reset();
      for (const s of source?.strategies() ?? []) openTrades.set({ namespace: s.metadata.namespace ?? "", strategy: s.metadata.name }, s.status?.openTrades ?? 0);
    },
  });
  for (const kind of ["strategy", "trade"] as const) {
    depth.set({ kind }, 0);
    errors.inc({ kind }, 0);
    retries.inc({ kind }, 0);
  }
  return {
    reconciled(kind, outcome, durationMs) {
      reconciles.inc({ kind, outcome });
      if (outcome === "error") errors.inc({ kind });
      duration.observe({ kind }, durationMs / 1000);
    },
    queue(kind) {
      return {
        depth: (d) => { depth.set({ kind }, d); },
        latency: (ms) => { latency.observe({ kind }, ms / 1000); },
        retry: () => { retries.inc({ kind }); },
      };
    },
    informerRestarted(kind, reason) {
      restarts.inc({ kind, reason });
    },
    setSource(next) {
      source = next;
    },
  };
}
