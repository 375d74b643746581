/**
 * Reads the observability artifacts the checks look at: the Grafana dashboards
 * (charts/spreadops/dashboards/*.json), the alert rules of a rendered PrometheusRule, and the
 * Markdown of docs/runbook.md and docs/observability.md.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { CHART_DIR, REPO_ROOT, type KubeObject } from "../helm.js";

/** Where the dashboards' JSON lives. */
export const DASHBOARD_DIR = join(CHART_DIR, "dashboards");
/** The runbook the alerts link to, and the observability guide. */
export const RUNBOOK = join(REPO_ROOT, "docs", "runbook.md");
export const OBSERVABILITY_GUIDE = join(REPO_ROOT, "docs", "observability.md");

/** Metrics the dashboards may use that SpreadOps does not export, and who exports them. */
export const EXTERNAL_METRICS: Readonly<Record<string, string>> = {
  kube_horizontalpodautoscaler_status_current_replicas: "kube-state-metrics",
  kube_horizontalpodautoscaler_status_desired_replicas: "kube-state-metrics",
  kube_horizontalpodautoscaler_spec_min_replicas: "kube-state-metrics",
  kube_horizontalpodautoscaler_spec_max_replicas: "kube-state-metrics",
};

/** Labels Prometheus attaches to every series scraped through a ServiceMonitor (target labels). */
export const TARGET_LABELS: ReadonlySet<string> = new Set([
  "namespace", "pod", "instance", "job", "container", "endpoint", "service",
  // honorLabels: false renames a service's own clashing labels to exported_<name>.
  "exported_service", "exported_namespace",
]);

/** The parts of a Grafana panel the checks read. */
export interface GrafanaPanel {
  readonly id?: unknown;
  readonly type?: unknown;
  readonly title?: unknown;
  readonly datasource?: unknown;
  readonly gridPos?: { readonly x?: unknown; readonly y?: unknown; readonly w?: unknown; readonly h?: unknown };
  readonly targets?: readonly { readonly refId?: unknown; readonly expr?: unknown; readonly datasource?: unknown }[];
  readonly panels?: readonly GrafanaPanel[];
}

/** The parts of a Grafana template variable the checks read. */
export interface GrafanaVariable {
  readonly name?: unknown;
  readonly type?: unknown;
  readonly query?: unknown;
  readonly definition?: unknown;
  readonly datasource?: unknown;
}

/** The parts of a Grafana dashboard the checks read. */
export interface GrafanaDashboard {
  readonly uid?: unknown;
  readonly title?: unknown;
  readonly panels?: readonly GrafanaPanel[];
  readonly templating?: { readonly list?: readonly GrafanaVariable[] };
}

/** One dashboard file. */
export interface DashboardFile {
  readonly file: string;
  readonly text: string;
  readonly dashboard: GrafanaDashboard;
}

/** One PromQL query of a dashboard: a panel target or a query variable. */
export interface DashboardQuery {
  readonly where: string;
  readonly expr: string;
}

/** The file names in DASHBOARD_DIR ending in .json, sorted. */
export async function dashboardFileNames(): Promise<string[]> {
  return (await readdir(DASHBOARD_DIR)).filter((f) => f.endsWith(".json")).sort();
}

/** Reads and parses every dashboard (JSON.parse errors name the file). */
export async function loadDashboards(): Promise<DashboardFile[]> {
  const files = await dashboardFileNames();
  return Promise.all(files.map(async (file) => {
    const text = await readFile(join(DASHBOARD_DIR, file), "utf8");
    try {
      return { file, text, dashboard: JSON.parse(text) as GrafanaDashboard };
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
    }
  }));
}

/** Every panel, rows' nested panels included, depth first. */
export function allPanels(dashboard: GrafanaDashboard): GrafanaPanel[] {
  const out: GrafanaPanel[] = [];
  const walk = (panels: readonly GrafanaPanel[] | undefined): void => {
    for (const panel of panels ?? []) {
      out.push(panel);
      walk(panel.panels);
    }
  };
  walk(dashboard.panels);
  return out;
}

function variableQuery(variable: GrafanaVariable): string | undefined {
  if (typeof variable.query === "string") return variable.query;
  if (typeof variable.query === "object" && variable.query !== null) {
    const inner = (variable.query as { query?: unknown }).query;
    if (typeof inner === "string") return inner;
  }
  return undefined;
}

/** Every PromQL query of a dashboard: panel targets and query variables. */
export function dashboardQueries(file: DashboardFile): DashboardQuery[] {
  const queries: DashboardQuery[] = [];
  for (const panel of allPanels(file.dashboard)) {
    for (const target of panel.targets ?? []) {
      if (typeof target.expr === "string" && target.expr.trim() !== "") {
        queries.push({ where: `${file.file} panel ${String(panel.id)} "${String(panel.title)}" ${String(target.refId)}`, expr: target.expr });
      }
    }
  }
  for (const variable of file.dashboard.templating?.list ?? []) {
    if (variable.type !== "query") continue;
    const query = variableQuery(variable);
    if (query !== undefined) queries.push({ where: `${file.file} variable ${String(variable.name)}`, expr: query });
    if (typeof variable.definition === "string" && variable.definition !== query) {
      queries.push({ where: `${file.file} variable ${String(variable.name)} (definition)`, expr: variable.definition });
    }
  }
  return queries;
}

/** One alerting rule of a PrometheusRule. */
export interface AlertRule {
  readonly group: string;
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record(value))) {
    if (typeof v === "string") out[k] = v;
  }
  return out;
}

/** The alerting rules of every PrometheusRule among rendered objects (recording rules skipped). */
export function alertRules(objects: readonly KubeObject[]): AlertRule[] {
  const rules: AlertRule[] = [];
  for (const object of objects) {
    if (object.kind !== "PrometheusRule") continue;
    const groups = record(object["spec"])["groups"];
    for (const group of Array.isArray(groups) ? (groups as unknown[]) : []) {
      const g = record(group);
      const ruleList = g["rules"];
      for (const rule of Array.isArray(ruleList) ? (ruleList as unknown[]) : []) {
        const r = record(rule);
        if (typeof r["alert"] !== "string") continue;
        rules.push({
          group: typeof g["name"] === "string" ? g["name"] : "",
          alert: r["alert"],
          expr: typeof r["expr"] === "string" ? r["expr"] : String(r["expr"]),
          ...(typeof r["for"] === "string" ? { for: r["for"] } : {}),
          labels: stringRecord(r["labels"]),
          annotations: stringRecord(r["annotations"]),
        });
      }
    }
  }
  return rules;
}

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]*>/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Lines outside fenced code blocks. */
function proseLines(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split("\n")) {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (marker !== undefined) {
      if (fence === undefined) fence = marker;
      else if (fence === marker) fence = undefined;
      continue;
    }
    if (fence === undefined) lines.push(line);
  }
  return lines;
}

/** A Markdown heading: its level, text and GitHub anchor (duplicates get -1, -2, … as on GitHub). */
export interface Heading {
  readonly level: number;
  readonly text: string;
  readonly anchor: string;
}

/** The headings of a Markdown document, outside code blocks. */
export function markdownHeadings(markdown: string): Heading[] {
  const seen = new Map<string, number>();
  const headings: Heading[] = [];
  for (const line of proseLines(markdown)) {
    const m = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (m?.[1] === undefined || m[2] === undefined) continue;
    const text = m[2].replace(/`/g, "");
    const base = githubSlug(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    headings.push({ level: m[1].length, text, anchor: count === 0 ? base : `${base}-${String(count)}` });
  }
  return headings;
}

/** One row of a Markdown metric table: the metric named in its first column, and every cell by header. */
export interface MetricTableRow {
  readonly metric: string;
  readonly cells: Readonly<Record<string, string>>;
}

function tableCells(line: string): string[] {
  return line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((c) => c.trim());
}

/**
 * The rows of every Markdown table whose header's first cell is "metric" (any case), one per
 * backticked name in the first column (`{…}` label sets dropped); headers are lower-cased.
 */
export function markdownMetricTables(markdown: string): MetricTableRow[] {
  const rows: MetricTableRow[] = [];
  let header: string[] | undefined;
  let inTable = false;
  for (const line of proseLines(markdown)) {
    if (!line.trim().startsWith("|")) {
      inTable = false;
      header = undefined;
      continue;
    }
    const cells = tableCells(line);
    if (!inTable) {
      inTable = true;
      header = (cells[0] ?? "").toLowerCase() === "metric" ? cells.map((c) => c.toLowerCase()) : undefined;
      continue;
    }
    if (header === undefined || cells.every((c) => /^:?-+:?$/.test(c))) continue;
    const byHeader: Record<string, string> = {};
    header.forEach((h, i) => {
      byHeader[h] = cells[i] ?? "";
    });
    for (const m of (cells[0] ?? "").matchAll(/`([^`]+)`/g)) {
      const metric = (m[1] ?? "").replace(/\{.*$/, "").trim();
      if (metric !== "") rows.push({ metric, cells: byHeader });
    }
  }
  return rows;
}

/** The metric names of markdownMetricTables, in order. */
export function markdownMetricTableNames(markdown: string): string[] {
  return markdownMetricTables(markdown).map((r) => r.metric);
}

/**
 * The label names a "labels" cell documents: backticked names outside parentheses, so
 * "`state` (`connected`, …), `code`" gives state and code.
 */
export function documentedLabels(cell: string): string[] {
  let depth = 0;
  let outside = "";
  for (const c of cell) {
    if (c === "(") depth += 1;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0) outside += c;
  }
  return [...outside.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? "").filter((l) => l !== "");
}
