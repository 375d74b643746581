import type { Metrics } from "@spreadops/runtime";
import { OrderStatus } from "@spreadops/api";
import type { WhatIfMetrics } from "./what-if.js";

/** The order area's Prometheus series. */
export interface OrderMetrics extends WhatIfMetrics {
  placed(outcome: "sent" | "adopted" | "refused"): void;
  rejected(code: number): void;
  fillLatency(seconds: number): void;
}

/**
 * Series on the service registry: orders by state (read from `byState` at scrape time),
 * placements by outcome, rejections by IB code, what-if outcomes and unknown fields, and the
 * time from sending an order to its full fill.
 */
export function createOrderMetrics(metrics: Metrics, byState: () => ReadonlyMap<OrderStatus, number>): OrderMetrics {
  const states = metrics.gauge({
    name: "gateway_orders",
    help: "Orders the gateway's mirror knows, by IB status.",
    labelNames: ["state"],
    collect: () => {
      const counts = byState();
      for (const [name, value] of Object.entries(OrderStatus)) {
        if (typeof value === "number") states.set({ state: name.toLowerCase() }, counts.get(value) ?? 0);
      }
    },
  });
  const placed = metrics.counter({ name: "gateway_order_placements_total", help: "PlaceOrder outcomes: sent to TWS, adopted (already existed), refused before sending.", labelNames: ["outcome"] });
  const rejects = metrics.counter({ name: "gateway_order_rejections_total", help: "Orders IB rejected, by IB code (201).", labelNames: ["code"] });
  const whatIf = metrics.counter({ name: "gateway_whatif_total", help: "What-if requests by outcome (answered, timeout, rejected).", labelNames: ["outcome"] });
  const unknown = metrics.counter({ name: "gateway_whatif_unknown_fields_total", help: "What-if margin/commission fields left unknown (unset, empty or max-double)." });
  const latency = metrics.histogram({
    name: "gateway_order_fill_latency_seconds",
    help: "From sending an order to its full fill.",
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800],
  });
  return {
    placed: (outcome) => {
      placed.inc({ outcome });
    },
    rejected: (code) => {
      rejects.inc({ code: String(code) });
    },
    outcome: (outcome) => {
      whatIf.inc({ outcome });
    },
    unknownFields: (count) => {
      if (count > 0) unknown.inc(count);
    },
    fillLatency: (seconds) => {
      latency.observe(seconds);
    },
  };
}
