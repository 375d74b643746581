import type { Metrics } from "@spreadops/runtime";

/**
 * The strategy's own metrics (the runtime adds RPC counts and latencies): `evaluations` by
 * outcome (`ok` or the error code), `symbols` by outcome (`proposed` or the drop reason),
 * `proposals`, and `evaluationDuration`; for WatchEvaluations, `evaluationWatchers` (open
 * streams), `evaluationsRemembered` (strategies whose latest evaluation is kept) and
 * `evaluationFeedSkipped` by reason (`replaced` by a newer one of the same strategy before a
 * slow subscriber took it, `overflow` of its pending strategies).
 */
export type StrategyMetrics = ReturnType<typeof createStrategyMetrics>;

/** The strategy's metrics on the service's registry. */
export function createStrategyMetrics(metrics: Metrics) {
  return {
    evaluations: metrics.counter({ name: "strategy_evaluations_total", help: "Evaluate calls, by outcome.", labelNames: ["outcome"] as const }),
    symbols: metrics.counter({ name: "strategy_symbols_total", help: "Evaluated symbols, by outcome (proposed or the drop reason).", labelNames: ["outcome"] as const }),
    proposals: metrics.counter({ name: "strategy_proposals_total", help: "Spread proposals returned." }),
    evaluationDuration: metrics.histogram({
      name: "strategy_evaluation_duration_seconds",
      help: "Time per Evaluate call, including gateway and scanner calls.",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    }),
    evaluationWatchers: metrics.gauge({ name: "strategy_evaluation_watchers", help: "Open WatchEvaluations streams." }),
    evaluationsRemembered: metrics.gauge({ name: "strategy_evaluations_remembered", help: "Strategies whose latest non-dry-run evaluation is kept for WatchEvaluations." }),
    evaluationFeedSkipped: metrics.counter({
      name: "strategy_evaluation_feed_skipped_total",
      help: "Evaluations a slow WatchEvaluations subscriber never got, by reason (replaced by a newer one of the same strategy, or overflow).",
      labelNames: ["reason"] as const,
    }),
  };
}
