import type { Metrics } from "@spreadops/runtime";

/**
 * The execution service's own metrics (the runtime adds RPC counts): `orders` (spreads tracked
 * by phase), `fillLatency` (send → fully filled, by action BUY/SELL), `slippage` (average fill
 * premium vs the mid at send, USD per share, positive = worse), `rejects` (by reason:
 * risk_gate, kill_switch, mode, broker_<code>) and `walks` (step, exhausted).
 */
export type ExecutionMetrics = ReturnType<typeof createExecutionMetrics>;

/** Registers (or finds) the execution metrics on the service's registry. */
export function createExecutionMetrics(metrics: Metrics) {
  return {
    orders: metrics.gauge({ name: "execution_orders", help: "Spreads tracked by the execution service, by phase.", labelNames: ["state"] as const }),
    fillLatency: metrics.histogram({ name: "execution_fill_latency_seconds", help: "Order sent to fully filled, by action (BUY opens, SELL closes).", labelNames: ["action"] as const, buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] }),
    slippage: metrics.histogram({ name: "execution_slippage_usd_per_share", help: "Average fill premium vs mid at send, USD per share; positive = worse than mid.", labelNames: ["action"] as const, buckets: [-0.1, -0.05, 0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5] }),
    rejects: metrics.counter({ name: "execution_rejects_total", help: "Orders refused or rejected, by reason (risk_gate, kill_switch, mode, broker_<code>).", labelNames: ["reason"] as const }),
    walks: metrics.counter({ name: "execution_walk_steps_total", help: "Price-walk events: step (a price move) or exhausted (cancelled after the last step).", labelNames: ["outcome"] as const }),
  };
}
