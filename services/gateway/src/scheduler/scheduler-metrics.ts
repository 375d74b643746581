import type { Metrics } from "@spreadops/runtime";
import type { Priority } from "./priority.js";

/** The scheduler's Prometheus series. */
export interface SchedulerMetrics {
  sent(priority: Priority, cost: number): void;
  budget(ratePerSecond: number): void;
  depth(priority: Priority, depth: number): void;
  waited(priority: Priority, seconds: number): void;
  violation(): void;
  rejected(priority: Priority, reason: "queue_full" | "aborted" | "cleared"): void;
}

/** Series on the service registry: messages sent, budget, queue depth, wait time, violations, rejections. */
export function createSchedulerMetrics(metrics: Metrics): SchedulerMetrics {
  const sent = metrics.counter({
    name: "gateway_tws_messages_sent_total",
    help: "Messages sent to TWS through the outbound scheduler, by priority.",
    labelNames: ["priority"],
  });
  const budget = metrics.gauge({ name: "gateway_tws_message_budget", help: "Current outbound message budget, messages per second." });
  const depth = metrics.gauge({
    name: "gateway_tws_queue_depth",
    help: "Calls waiting in the outbound scheduler, by priority.",
    labelNames: ["priority"],
  });
  const wait = metrics.histogram({
    name: "gateway_tws_queue_wait_seconds",
    help: "Time from submit to send in the outbound scheduler, by priority.",
    labelNames: ["priority"],
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  const violations = metrics.counter({ name: "gateway_tws_pacing_violations_total", help: "Error 100 (message rate exceeded) received from TWS." });
  const rejected = metrics.counter({
    name: "gateway_tws_queue_rejected_total",
    help: "Calls refused or removed by the outbound scheduler, by priority and reason.",
    labelNames: ["priority", "reason"],
  });
  return {
    sent: (priority, cost) => {
      sent.inc({ priority }, cost);
    },
    budget: (rate) => {
      budget.set(rate);
    },
    depth: (priority, value) => {
      depth.set({ priority }, value);
    },
    waited: (priority, seconds) => {
      wait.observe({ priority }, seconds);
    },
    violation: () => {
      violations.inc();
    },
    rejected: (priority, reason) => {
      rejected.inc({ priority, reason });
    },
  };
}
