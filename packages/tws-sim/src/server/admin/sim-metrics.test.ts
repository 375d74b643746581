import { createMetrics } from "@spreadops/runtime";
import { describe, expect, it } from "vitest";
import type { SimStats } from "../control.js";
import { emptyStats } from "../faults/test-support.js";
import { registerSimMetrics } from "./sim-metrics.js";

type Json = Awaited<ReturnType<ReturnType<typeof createMetrics>["registry"]["getMetricsAsJSON"]>>;

function value(json: Json, name: string, labels: Record<string, string> = {}): number | undefined {
  const metric = json.find((m) => m.name === name);
  const values = (metric as { values?: { value: number; labels: Record<string, string | number> }[] } | undefined)?.values ?? [];
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe("registerSimMetrics", () => {
  it("reads SimStats at scrape time, once per scrape", async () => {
    const metrics = createMetrics({ service: "tws-sim", defaultMetrics: false });
    let stats: SimStats = {
      ...emptyStats(1_700_000_000_000),
      connections: { current: 2, total: 5, refused: 1, clientIds: [0, 1] },
      messages: { receivedTotal: 9, receivedByType: { reqMktData: 7, placeOrder: 2 }, peakPerSecond: 51, sentTotal: 40 },
      pacing: { messageRateViolations: 3, historicalViolations: 1, disconnects: 1 },
      marketDataLines: { inUse: 90, peak: 100, limit: 100, rejected: 4 },
      orders: { byState: { Submitted: 2, Filled: 3 }, whatIf: 1, executions: 6 },
      activeFaults: [{ kind: "farm:historical" }],
    };
    let calls = 0;
    registerSimMetrics(metrics, () => {
      calls += 1;
      return stats;
    });

    const json = await metrics.registry.getMetricsAsJSON();
    expect(calls).toBe(1);
    expect(value(json, "spreadops_sim_connections")).toBe(2);
    expect(value(json, "spreadops_sim_connections_accepted_total")).toBe(5);
    expect(value(json, "spreadops_sim_messages_received_total", { type: "reqMktData" })).toBe(7);
    expect(value(json, "spreadops_sim_messages_received_total", { type: "placeOrder" })).toBe(2);
    expect(value(json, "spreadops_sim_messages_peak_per_second")).toBe(51);
    expect(value(json, "spreadops_sim_pacing_violations_total", { kind: "message_rate" })).toBe(3);
    expect(value(json, "spreadops_sim_pacing_violations_total", { kind: "historical" })).toBe(1);
    expect(value(json, "spreadops_sim_market_data_lines_in_use")).toBe(90);
    expect(value(json, "spreadops_sim_market_data_lines_limit")).toBe(100);
    expect(value(json, "spreadops_sim_market_data_lines_rejected_total")).toBe(4);
    expect(value(json, "spreadops_sim_orders", { state: "Filled" })).toBe(3);
    expect(value(json, "spreadops_sim_active_faults", { kind: "farm:historical" })).toBe(1);
    expect(value(json, "spreadops_sim_time_seconds")).toBe(1_700_000_000);

    // After a simulator reset the totals drop and old label sets disappear.
    stats = emptyStats(1_700_000_100_000);
    const text = await metrics.registry.metrics();
    expect(calls).toBe(2);
    expect(text).toContain('spreadops_sim_connections_accepted_total{service="tws-sim"} 0');
    expect(text).not.toContain("reqMktData");
    expect(text).not.toContain("farm:historical");
  });

  it("can be registered again on the same registry (the latest source wins)", async () => {
    const metrics = createMetrics({ service: "tws-sim", defaultMetrics: false });
    registerSimMetrics(metrics, () => emptyStats(0));
    registerSimMetrics(metrics, () => ({ ...emptyStats(0), connections: { current: 7, total: 7, refused: 0, clientIds: [] } }));
    expect(value(await metrics.registry.getMetricsAsJSON(), "spreadops_sim_connections")).toBe(7);
  });
});
