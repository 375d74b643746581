/**
 * The dashboards, the alerts and docs/observability.md against what the services really
 * export: starts the compiled `spreadops all` and `spreadops sim` as child processes on
 * ephemeral ports, scrapes every /metrics, and checks each metric name (and label name) the
 * artifacts use. Needs `npm run build` (npm test builds first).
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderChart } from "../helm.js";
import {
  alertRules,
  dashboardQueries,
  documentedLabels,
  EXTERNAL_METRICS,
  loadDashboards,
  markdownMetricTables,
  OBSERVABILITY_GUIDE,
  TARGET_LABELS,
} from "./artifacts.js";
import type { MetricFamily } from "./exposition.js";
import { allFamilies, HOSTED_SERVICES, inventory, startAllInOne, startSimulator, type MetricInventory, type StartedProcess } from "./platform.js";
import { familyOf, parseSelectors } from "./promql.js";

/** One PromQL text to check, and where it comes from. */
interface Query {
  readonly where: string;
  readonly expr: string;
}

let processes: StartedProcess[] = [];
let metrics: MetricInventory;
let families: Map<string, MetricFamily>;
let dashboardQueryList: Query[];
let alertQueryList: Query[];

beforeAll(async () => {
  const started = await Promise.allSettled([startAllInOne(), startSimulator()]);
  processes = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  metrics = await inventory(processes.flatMap((p) => p.targets));
  families = allFamilies(metrics);
  const [dashboards, rendered] = await Promise.all([
    loadDashboards(),
    renderChart([], { "monitoring.prometheusRule.enabled": "true" }),
  ]);
  dashboardQueryList = dashboards.flatMap(dashboardQueries);
  alertQueryList = alertRules(rendered).map((r) => ({ where: `alert ${r.alert}`, expr: r.expr }));
}, 240_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
}, 60_000);

/** The exported family a series name belongs to (`x_bucket` → histogram `x`), if any. */
function resolve(series: string): MetricFamily | undefined {
  const exact = families.get(series);
  if (exact !== undefined) return exact;
  const name = familyOf(series, (base) => {
    const type = families.get(base)?.type;
    return type === "histogram" || type === "summary";
  });
  return families.get(name);
}

/** `where: metric` for every selector of `queries` whose metric the services do not export. */
function unknownMetrics(queries: readonly Query[], allowed: (name: string) => boolean): string[] {
  return queries.flatMap((q) =>
    parseSelectors(q.expr)
      .filter((s) => resolve(s.metric) === undefined && !allowed(s.metric))
      .map((s) => `${q.where}: ${s.metric}`),
  );
}

describe("the inventory", () => {
  it("scraped every hosted service, the all-in-one's own port and the simulator", () => {
    expect([...metrics.keys()].sort()).toEqual([...HOSTED_SERVICES, "platform", "sim"].sort());
    for (const service of HOSTED_SERVICES) {
      const names = [...(metrics.get(service)?.keys() ?? [])];
      expect(names.filter((n) => n.startsWith(`spreadops_${service}_`)).length, `${service} exports spreadops_${service}_*`).toBeGreaterThan(0);
      expect(names, service).toContain("spreadops_rpc_server_handled_total");
      expect(names, service).toContain("process_cpu_seconds_total");
    }
    expect([...(metrics.get("sim")?.keys() ?? [])].filter((n) => n.startsWith("spreadops_sim_")).length).toBeGreaterThan(0);
    for (const component of ["gateway", "controller"]) {
      expect(metrics.get(component)?.get("spreadops_leader_is_leader")?.labelNames, component).toContain("component");
    }
  });

  it("declares a type for every spreadops_ family", () => {
    const untyped = [...families.values()].filter((f) => f.name.startsWith("spreadops_") && f.type === "untyped").map((f) => f.name);
    expect(untyped).toEqual([]);
  });
});

describe("dashboards and alerts use exported metrics only", () => {
  it("every metric a dashboard panel or variable reads is exported (or a listed external metric)", () => {
    expect(dashboardQueryList.length).toBeGreaterThan(50);
    expect(unknownMetrics(dashboardQueryList, (name) => name in EXTERNAL_METRICS)).toEqual([]);
  });

  it("every metric an alert expression reads is exported by SpreadOps", () => {
    expect(alertQueryList.length).toBeGreaterThanOrEqual(8);
    expect(unknownMetrics(alertQueryList, () => false)).toEqual([]);
  });

  it("lists as external only names SpreadOps does not export and a dashboard does use", () => {
    const used = new Set(dashboardQueryList.flatMap((q) => parseSelectors(q.expr).map((s) => s.metric)));
    for (const [name, source] of Object.entries(EXTERNAL_METRICS)) {
      expect(resolve(name), `${name} is exported by SpreadOps, not ${source}`).toBeUndefined();
      expect(used, `${name} is allowed but unused`).toContain(name);
    }
  });

  it("reads histograms through their _bucket, _sum or _count series, never by the base name", () => {
    const misuse = [...dashboardQueryList, ...alertQueryList].flatMap((q) =>
      parseSelectors(q.expr)
        .filter((s) => families.get(s.metric)?.type === "histogram")
        .map((s) => `${q.where}: ${s.metric}`),
    );
    expect(misuse).toEqual([]);
  });

  it("matches only on label names the metric has (or Prometheus' target labels)", () => {
    const wrong: string[] = [];
    for (const q of [...dashboardQueryList, ...alertQueryList]) {
      for (const s of parseSelectors(q.expr)) {
        const family = resolve(s.metric);
        // Label names are only visible on series; a family with none yet cannot be checked.
        if (family === undefined || family.samples === 0) continue;
        for (const m of s.matchers) {
          const known = family.labelNames.has(m.label) || TARGET_LABELS.has(m.label) || (m.label === "le" && s.metric.endsWith("_bucket"));
          if (!known) wrong.push(`${q.where}: ${s.metric}{${m.label}} (has ${[...family.labelNames].join(", ")})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe("docs/observability.md", () => {
  let rows: ReturnType<typeof markdownMetricTables>;

  beforeAll(async () => {
    rows = markdownMetricTables(await readFile(OBSERVABILITY_GUIDE, "utf8"));
  });

  it("names only real metrics in its metric tables", () => {
    expect(rows.length).toBeGreaterThan(50);
    const unknown = rows.map((r) => r.metric).filter((name) => resolve(name) === undefined && !(name in EXTERNAL_METRICS));
    expect(unknown).toEqual([]);
  });

  it("documents every spreadops_ metric the services export", () => {
    const documented = new Set(rows.map((r) => r.metric));
    const missing = [...families.keys()].filter((name) => name.startsWith("spreadops_") && !documented.has(name)).sort();
    expect(missing).toEqual([]);
  });

  it("states each metric's real type", () => {
    const wrong = rows
      .filter((r) => r.cells["type"] !== undefined && resolve(r.metric) !== undefined)
      .filter((r) => r.cells["type"] !== resolve(r.metric)?.type)
      .map((r) => `${r.metric}: documented ${String(r.cells["type"])}, exported ${String(resolve(r.metric)?.type)}`);
    expect(wrong).toEqual([]);
  });

  it("lists the label names of every metric that has series", () => {
    const wrong: string[] = [];
    for (const r of rows) {
      const family = resolve(r.metric);
      const cell = r.cells["labels"];
      if (family === undefined || family.samples === 0 || cell === undefined) continue;
      const actual = [...family.labelNames].filter((l) => l !== "service").sort();
      const documented = documentedLabels(cell).sort();
      if (JSON.stringify(actual) !== JSON.stringify(documented)) wrong.push(`${r.metric}: documented [${documented.join(", ")}], exported [${actual.join(", ")}]`);
    }
    expect(wrong).toEqual([]);
  });
});
