/**
 * The Grafana dashboards as files: they parse, are well-formed for Grafana (unique panel ids
 * and uids, panels inside the 24-column grid without overlaps), use the `${datasource}` and
 * `namespace` variables, and cover what issue 8 asks of each. Whether their metrics exist is
 * checked against the running services in metrics-inventory.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { allPanels, dashboardFileNames, dashboardQueries, loadDashboards, type DashboardFile, type GrafanaPanel } from "./artifacts.js";
import { metricNames, parseSelectors } from "./promql.js";

let dashboards: DashboardFile[];

beforeAll(async () => {
  dashboards = await loadDashboards();
});

function byTitle(title: string): DashboardFile {
  const found = dashboards.find((d) => d.dashboard.title === title);
  if (found === undefined) throw new Error(`no dashboard titled ${title}: ${dashboards.map((d) => String(d.dashboard.title)).join(", ")}`);
  return found;
}

function metricsOf(file: DashboardFile): Set<string> {
  return new Set(dashboardQueries(file).flatMap((q) => metricNames(q.expr)));
}

const DATASOURCE = { type: "prometheus", uid: "${datasource}" };

describe("dashboard files", () => {
  it("are the four dashboards, each valid JSON", async () => {
    expect(await dashboardFileNames()).toEqual(["controller.json", "scanner.json", "trading-overview.json", "tws-gateway.json"]);
    expect(dashboards.map((d) => d.dashboard.title).sort()).toEqual([
      "SpreadOps / Controller",
      "SpreadOps / Scanner",
      "SpreadOps / TWS gateway",
      "SpreadOps / Trading overview",
    ]);
  });

  it("have distinct uids and no fixed numeric id (so imports never clash)", () => {
    const uids = dashboards.map((d) => d.dashboard.uid);
    expect(new Set(uids).size).toBe(dashboards.length);
    for (const d of dashboards) {
      expect(typeof d.dashboard.uid, d.file).toBe("string");
      expect((d.dashboard as { id?: unknown }).id ?? null, d.file).toBeNull();
    }
  });

  it("have unique panel ids, rows' nested panels included", () => {
    for (const d of dashboards) {
      const ids = allPanels(d.dashboard).map((p) => p.id);
      expect(ids.every((id) => typeof id === "number" && Number.isInteger(id) && id > 0), d.file).toBe(true);
      const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
      expect(duplicates, `${d.file}: duplicate panel ids`).toEqual([]);
    }
  });

  it("place every panel inside the 24-column grid without overlaps", () => {
    for (const d of dashboards) {
      const boxes: { id: unknown; x: number; y: number; w: number; h: number }[] = [];
      for (const p of allPanels(d.dashboard)) {
        const g = p.gridPos ?? {};
        const [x, y, w, h] = [g.x, g.y, g.w, g.h].map(Number) as [number, number, number, number];
        expect([x, y, w, h].every(Number.isInteger), `${d.file} panel ${String(p.id)} gridPos`).toBe(true);
        expect(x >= 0 && w > 0 && x + w <= 24 && h > 0 && y >= 0, `${d.file} panel ${String(p.id)} outside the grid`).toBe(true);
        boxes.push({ id: p.id, x, y, w, h });
      }
      for (const [i, a] of boxes.entries()) {
        for (const b of boxes.slice(i + 1)) {
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
          expect(overlap, `${d.file}: panels ${String(a.id)} and ${String(b.id)} overlap`).toBe(false);
        }
      }
    }
  });

  it("declare the datasource and namespace variables", () => {
    for (const d of dashboards) {
      const vars = d.dashboard.templating?.list ?? [];
      const datasource = vars.find((v) => v.name === "datasource");
      expect(datasource, d.file).toMatchObject({ type: "datasource", query: "prometheus" });
      const namespace = vars.find((v) => v.name === "namespace");
      expect(namespace, d.file).toMatchObject({ type: "query", datasource: DATASOURCE });
      const query = dashboardQueries(d).find((q) => q.where.endsWith("variable namespace"));
      expect(query?.expr, d.file).toMatch(/^label_values\(spreadops_\w+, namespace\)$/);
    }
  });

  it("query through ${datasource} and filter every series on $namespace", () => {
    for (const d of dashboards) {
      const panels = allPanels(d.dashboard).filter((p): p is GrafanaPanel & { targets: NonNullable<GrafanaPanel["targets"]> } => p.type !== "row");
      for (const p of panels) {
        expect(p.datasource, `${d.file} panel ${String(p.id)}`).toEqual(DATASOURCE);
        expect(p.targets.length, `${d.file} panel ${String(p.id)} has no query`).toBeGreaterThan(0);
        for (const t of p.targets) expect(t.datasource, `${d.file} panel ${String(p.id)} ${String(t.refId)}`).toEqual(DATASOURCE);
      }
      for (const q of dashboardQueries(d).filter((q) => !q.where.includes("variable"))) {
        for (const s of parseSelectors(q.expr)) {
          expect(s.matchers, `${q.where}: ${s.metric} is not filtered on the namespace`).toContainEqual({ label: "namespace", op: "=", value: "$namespace" });
        }
      }
    }
  });
});

describe("dashboard coverage (issue 8)", () => {
  it("Trading overview shows P&L, open trades, orders, fills and rejects", () => {
    const m = metricsOf(byTitle("SpreadOps / Trading overview"));
    for (const name of [
      "spreadops_controller_strategy_pnl_usd",
      "spreadops_controller_strategy_open_trades",
      "spreadops_execution_orders",
      "spreadops_gateway_orders",
      "spreadops_execution_fill_latency_seconds_count",
      "spreadops_execution_rejects_total",
    ]) expect(m, name).toContain(name);
  });

  it("TWS gateway shows connection, message rate vs budget, pacing, lines used/limit and reconnects", () => {
    const m = metricsOf(byTitle("SpreadOps / TWS gateway"));
    for (const name of [
      "spreadops_gateway_tws_connection_state",
      "spreadops_gateway_tws_messages_sent_total",
      "spreadops_gateway_tws_message_budget",
      "spreadops_gateway_tws_pacing_violations_total",
      "spreadops_gateway_market_data_lines_used",
      "spreadops_gateway_market_data_lines_limit",
      "spreadops_gateway_tws_reconnects_total",
      "spreadops_leader_is_leader",
    ]) expect(m, name).toContain(name);
    // Rate and budget on one panel.
    const panel = allPanels(byTitle("SpreadOps / TWS gateway").dashboard).find((p) => p.title === "Message rate vs budget");
    const exprs = (panel?.targets ?? []).map((t) => String(t.expr));
    expect(exprs.some((e) => e.includes("rate(spreadops_gateway_tws_messages_sent_total"))).toBe(true);
    expect(exprs.some((e) => e.includes("spreadops_gateway_tws_message_budget"))).toBe(true);
  });

  it("Scanner shows latency histograms, throughput and the HPA's replicas", () => {
    const file = byTitle("SpreadOps / Scanner");
    const m = metricsOf(file);
    for (const name of [
      "spreadops_scanner_scan_duration_seconds_bucket",
      "spreadops_scanner_fetch_duration_seconds_bucket",
      "spreadops_scanner_scan_duration_seconds_count",
      "spreadops_scanner_candidates_returned_total",
      "kube_horizontalpodautoscaler_status_current_replicas",
    ]) expect(m, name).toContain(name);
    const heatmaps = allPanels(file.dashboard).filter((p) => p.type === "heatmap");
    expect(heatmaps.length).toBeGreaterThanOrEqual(1);
    for (const h of heatmaps) expect(String(h.targets?.[0]?.expr)).toMatch(/_bucket\{/);
  });

  it("Controller shows reconciles, queue and errors", () => {
    const m = metricsOf(byTitle("SpreadOps / Controller"));
    for (const name of [
      "spreadops_controller_reconciles_total",
      "spreadops_controller_reconcile_errors_total",
      "spreadops_controller_queue_depth",
      "spreadops_controller_queue_latency_seconds_bucket",
      "spreadops_controller_reconcile_duration_seconds_bucket",
    ]) expect(m, name).toContain(name);
  });
});
