import { describe, expect, it } from "vitest";
import { createMetrics, metricName } from "./metrics.js";

describe("createMetrics", () => {
  it("uses its own registry, not prom-client's global one", async () => {
    const a = createMetrics({ service: "a", defaultMetrics: false });
    const b = createMetrics({ service: "b", defaultMetrics: false });
    a.counter({ name: "orders_total", help: "orders" }).inc();
    expect(await a.registry.metrics()).toContain('spreadops_orders_total{service="a"} 1');
    expect(await b.registry.metrics()).not.toContain("spreadops_orders_total");
  });

  it("prepends the prefix, keeps it when present, and labels every series with the service", async () => {
    const metrics = createMetrics({ service: "scanner", defaultMetrics: false });
    metrics.gauge({ name: "candidates", help: "candidates found" }).set(4);
    metrics.histogram({ name: "spreadops_scan_duration_seconds", help: "scan time", buckets: [1, 5] }).observe(2);
    const text = await metrics.registry.metrics();
    expect(text).toContain('spreadops_candidates{service="scanner"} 4');
    expect(text).toContain('spreadops_scan_duration_seconds_bucket{le="5",service="scanner"} 1');
    expect(text).not.toContain("spreadops_spreadops_");
  });

  it("enforces the naming convention", () => {
    const metrics = createMetrics({ service: "x", defaultMetrics: false });
    expect(() => metrics.counter({ name: "orders", help: "h" })).toThrow(/must end in _total/);
    expect(() => metrics.gauge({ name: "Queue-Depth", help: "h" })).toThrow(/snake_case/);
    expect(() => metrics.gauge({ name: "depth", help: "h", labelNames: ["service"] })).toThrow(/set for every metric/);
    expect(metricName("fills_total")).toBe("spreadops_fills_total");
  });

  it("returns the existing metric when asked twice, and refuses a type clash", () => {
    const metrics = createMetrics({ service: "x", defaultMetrics: false });
    const first = metrics.counter({ name: "rejects_total", help: "h" });
    expect(metrics.counter({ name: "rejects_total", help: "h" })).toBe(first);
    expect(() => metrics.gauge({ name: "rejects_total", help: "h" })).toThrow(/another type/);
  });

  it("includes default Node metrics unless turned off", async () => {
    expect(await createMetrics({ service: "x" }).registry.metrics()).toContain("nodejs_eventloop_lag_seconds");
    expect(await createMetrics({ service: "y", defaultMetrics: false }).registry.metrics()).not.toContain("nodejs_");
  });

  it("reads collect-time values at every scrape, and the latest registration's source wins", async () => {
    const metrics = createMetrics({ service: "x", defaultMetrics: false });
    let depth = 3;
    const gauge = metrics.gauge({ name: "queue_depth", help: "h", collect: () => { gauge.set(depth); } });
    expect(await metrics.registry.metrics()).toMatch(/^spreadops_queue_depth\{service="x"\} 3$/m);
    depth = 9;
    expect(await metrics.registry.metrics()).toMatch(/^spreadops_queue_depth\{service="x"\} 9$/m);
    const again = metrics.gauge({ name: "queue_depth", help: "h", collect: () => { again.set(42); } });
    expect(again).toBe(gauge);
    expect(await metrics.registry.metrics()).toMatch(/^spreadops_queue_depth\{service="x"\} 42$/m);
  });
});
