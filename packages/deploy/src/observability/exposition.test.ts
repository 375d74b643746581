import { describe, expect, it } from "vitest";
import { ExpositionError, parseExposition } from "./exposition.js";

const SCRAPE = `# HELP spreadops_gateway_tws_connection_state TWS session state.
# TYPE spreadops_gateway_tws_connection_state gauge
spreadops_gateway_tws_connection_state{state="connected",service="gateway"} 1
spreadops_gateway_tws_connection_state{state="fatal",service="gateway"} 0

# HELP spreadops_gateway_tws_reconnects_total Reconnects to TWS by cause.
# TYPE spreadops_gateway_tws_reconnects_total counter
# HELP spreadops_scanner_scan_duration_seconds Engine time per underlying.
# TYPE spreadops_scanner_scan_duration_seconds histogram
spreadops_scanner_scan_duration_seconds_bucket{le="0.1",service="scanner",outcome="ok"} 3
spreadops_scanner_scan_duration_seconds_bucket{le="+Inf",service="scanner",outcome="ok"} 4
spreadops_scanner_scan_duration_seconds_sum{service="scanner",outcome="ok"} 0.5
spreadops_scanner_scan_duration_seconds_count{service="scanner",outcome="ok"} 4
# a comment
process_cpu_seconds_total 1.5 1700000000000
weird{msg="a \\"quoted\\", comma"} 2
`;

describe("parseExposition", () => {
  const families = parseExposition(SCRAPE);

  it("reads type, help and label names of each family", () => {
    const state = families.get("spreadops_gateway_tws_connection_state");
    expect(state?.type).toBe("gauge");
    expect(state?.help).toBe("TWS session state.");
    expect([...(state?.labelNames ?? [])].sort()).toEqual(["service", "state"]);
    expect(state?.samples).toBe(2);
  });

  it("keeps a family declared without series", () => {
    const reconnects = families.get("spreadops_gateway_tws_reconnects_total");
    expect(reconnects).toMatchObject({ type: "counter", samples: 0 });
    expect(reconnects?.labelNames.size).toBe(0);
  });

  it("files _bucket/_sum/_count under the histogram and drops le", () => {
    const h = families.get("spreadops_scanner_scan_duration_seconds");
    expect(h?.samples).toBe(4);
    expect([...(h?.labelNames ?? [])].sort()).toEqual(["outcome", "service"]);
    expect(families.has("spreadops_scanner_scan_duration_seconds_bucket")).toBe(false);
    expect(families.has("spreadops_scanner_scan_duration_seconds_count")).toBe(false);
  });

  it("accepts untyped samples with timestamps and escaped label values", () => {
    expect(families.get("process_cpu_seconds_total")).toMatchObject({ type: "untyped", samples: 1 });
    expect([...(families.get("weird")?.labelNames ?? [])]).toEqual(["msg"]);
  });

  it("rejects lines that are not exposition", () => {
    expect(() => parseExposition("not a metric line at all {")).toThrow(ExpositionError);
    expect(() => parseExposition('m{a="x" b} 1')).toThrow(/bad label set/);
    expect(() => parseExposition("# TYPE m sometype")).toThrow(/unknown metric type/);
  });
});
