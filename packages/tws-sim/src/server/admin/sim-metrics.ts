/**
 * Prometheus metrics of the simulator, read from {@link SimStats} at scrape time.
 *
 * @packageDocumentation
 */

import type { Metrics } from "@spreadops/runtime";
import type { SimStats } from "../control.js";

/** The subset of prom-client's metric API used here (both counters and gauges have it). */
interface Resettable {
  reset(): void;
}

/** Sets a counter to a total kept elsewhere: a drop (simulator reset) reads as a counter reset. */
function setTotal(counter: Resettable & { inc(value: number): void }, total: number): void {
  counter.reset();
  counter.inc(total);
}

/**
 * Declares the `spreadops_sim_*` metrics on the service's registry, each filled from `stats()`
 * when Prometheus scrapes. `stats()` is called once per scrape (the snapshot is shared by every
 * metric of that scrape), so the series of one scrape agree with each other.
 *
 * Totals kept by the server (messages, violations, rejections…) are real counters (`_total`),
 * set to the server's total at each scrape; after `POST /reset` they drop to 0, which Prometheus
 * handles as a counter reset.
 */
export function registerSimMetrics(metrics: Metrics, stats: () => SimStats): void {
  let snapshot: SimStats | undefined;
  const current = (): SimStats => {
    if (snapshot === undefined) {
      snapshot = stats();
      // Every metric's collect of one scrape runs in the same synchronous turn.
      queueMicrotask(() => {
        snapshot = undefined;
      });
    }
    return snapshot;
  };

  const gauge = (name: string, help: string, value: (s: SimStats) => number): void => {
    const g = metrics.gauge({
      name,
      help,
      collect: () => {
        g.set(value(current()));
      },
    });
  };
  const counter = (name: string, help: string, value: (s: SimStats) => number): void => {
    const c = metrics.counter({
      name,
      help,
      collect: () => {
        setTotal(c, value(current()));
      },
    });
  };

  gauge("sim_connections", "Connected clients (handshake done and startApi received).", (s) => s.connections.current);
  counter("sim_connections_accepted_total", "TCP connections accepted since start or reset.", (s) => s.connections.total);
  counter(
    "sim_connections_refused_total",
    "Connections refused (duplicate client id, version too old, restart window).",
    (s) => s.connections.refused,
  );

  const received = metrics.counter<"type">({
    name: "sim_messages_received_total",
    help: "Client messages received, by request type (unknown for unknown message ids).",
    labelNames: ["type"],
    collect: () => {
      received.reset();
      for (const [type, count] of Object.entries(current().messages.receivedByType)) received.inc({ type }, count);
    },
  });
  counter("sim_messages_sent_total", "Server messages sent.", (s) => s.messages.sentTotal);
  gauge(
    "sim_messages_peak_per_second",
    "Highest number of client messages from one connection in any one-second window.",
    (s) => s.messages.peakPerSecond,
  );

  const violations = metrics.counter<"kind">({
    name: "sim_pacing_violations_total",
    help: "Pacing violations reported: message_rate (error 100) and historical (error 162).",
    labelNames: ["kind"],
    collect: () => {
      const s = current();
      violations.reset();
      violations.inc({ kind: "message_rate" }, s.pacing.messageRateViolations);
      violations.inc({ kind: "historical" }, s.pacing.historicalViolations);
    },
  });
  counter("sim_rate_disconnects_total", "Connections closed for repeated message-rate violations.", (s) => s.pacing.disconnects);

  gauge("sim_market_data_lines_in_use", "Market-data lines held now (account-wide).", (s) => s.marketDataLines.inUse);
  gauge("sim_market_data_lines_peak", "Most market-data lines held at once.", (s) => s.marketDataLines.peak);
  gauge("sim_market_data_lines_limit", "Market-data line limit.", (s) => s.marketDataLines.limit);
  counter(
    "sim_market_data_lines_rejected_total",
    "Market-data requests refused with error 101 (line budget full).",
    (s) => s.marketDataLines.rejected,
  );

  const orders = metrics.gauge<"state">({ name: "sim_orders", help: "Orders by TWS status.", labelNames: ["state"],
    collect: () => {
      orders.reset();
      for (const [state, count] of Object.entries(current().orders.byState)) orders.set({ state }, count);
    },
  });
  counter("sim_whatif_orders_total", "What-if orders answered.", (s) => s.orders.whatIf);
  counter("sim_executions_total", "Executions reported.", (s) => s.orders.executions);

  const faults = metrics.gauge<"kind">({ name: "sim_active_faults", help: "Faults in effect, by kind (1 each).", labelNames: ["kind"],
    collect: () => {
      faults.reset();
      for (const fault of current().activeFaults) faults.inc({ kind: fault.kind }, 1);
    },
  });
  gauge("sim_time_seconds", "Simulated time, Unix seconds.", (s) => s.simTimeMs / 1_000);
}
