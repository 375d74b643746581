import { describe, expect, it } from "vitest";
import type { KubeObject } from "../helm.js";
import {
  alertRules,
  allPanels,
  dashboardQueries,
  documentedLabels,
  githubSlug,
  markdownHeadings,
  markdownMetricTableNames,
  markdownMetricTables,
  type DashboardFile,
} from "./artifacts.js";

describe("githubSlug / markdownHeadings", () => {
  it("slugs headings the way GitHub does", () => {
    expect(githubSlug("SpreadOpsTwsDisconnected")).toBe("spreadopstwsdisconnected");
    expect(githubSlug("One scan, end to end")).toBe("one-scan-end-to-end");
    expect(githubSlug("Simulator (`spreadops sim`, `sim.enabled`)")).toBe("simulator-spreadops-sim-simenabled");
    expect(githubSlug("Labels as Prometheus sees them")).toBe("labels-as-prometheus-sees-them");
  });

  it("numbers duplicates and ignores headings inside code fences", () => {
    const md = "# Title\n## Check\n```sh\n# not a heading\n```\n## Check\n### `code` heading\n";
    expect(markdownHeadings(md).map((h) => h.anchor)).toEqual(["title", "check", "check-1", "code-heading"]);
    expect(markdownHeadings(md).map((h) => h.level)).toEqual([1, 2, 2, 3]);
  });
});

describe("markdownMetricTableNames", () => {
  it("reads the first column of tables headed 'metric' only", () => {
    const md = [
      "| metric | labels |",
      "|---|---|",
      "| `a_total` | `x` |",
      "| `b_seconds{le}`, `c` | |",
      "",
      "| alert | metric |",
      "|---|---|",
      "| `NotAMetric` | `d_total` |",
      "",
      "```",
      "| metric |",
      "|---|",
      "| `in_code` |",
      "```",
    ].join("\n");
    expect(markdownMetricTableNames(md)).toEqual(["a_total", "b_seconds", "c"]);
  });
});

describe("dashboardQueries", () => {
  const file: DashboardFile = {
    file: "x.json",
    text: "",
    dashboard: {
      panels: [
        { id: 1, type: "row", title: "r", panels: [{ id: 2, title: "nested", targets: [{ refId: "A", expr: "nested_metric" }] }] },
        { id: 3, title: "top", targets: [{ refId: "A", expr: "top_metric" }, { refId: "B", expr: "" }, { refId: "C" }] },
      ],
      templating: {
        list: [
          { name: "datasource", type: "datasource", query: "prometheus" },
          { name: "namespace", type: "query", query: { query: "label_values(v_metric, namespace)" }, definition: "label_values(v_metric, namespace)" },
          { name: "legacy", type: "query", query: "label_values(w_metric, pod)", definition: "label_values(other_metric, pod)" },
        ],
      },
    },
  };

  it("walks nested panels and query variables, skipping empty targets and datasource variables", () => {
    expect(allPanels(file.dashboard).map((p) => p.id)).toEqual([1, 2, 3]);
    expect(dashboardQueries(file).map((q) => q.expr)).toEqual([
      "nested_metric",
      "top_metric",
      "label_values(v_metric, namespace)",
      "label_values(w_metric, pod)",
      "label_values(other_metric, pod)",
    ]);
    expect(dashboardQueries(file)[0]?.where).toBe('x.json panel 2 "nested" A');
  });
});

describe("alertRules", () => {
  it("reads alerting rules of PrometheusRules and skips recording rules and other kinds", () => {
    const objects: KubeObject[] = [
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, spec: { groups: [{ rules: [{ alert: "Nope", expr: "x" }] }] } },
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: "r" },
        spec: {
          groups: [
            { name: "g", rules: [{ record: "a:b", expr: "a" }, { alert: "A", expr: "up == 0", for: "5m", labels: { severity: "critical" }, annotations: { runbook_url: "u" } }] },
            { name: "h", rules: [{ alert: "B", expr: 1 }] },
          ],
        },
      },
    ];
    expect(alertRules(objects)).toEqual([
      { group: "g", alert: "A", expr: "up == 0", for: "5m", labels: { severity: "critical" }, annotations: { runbook_url: "u" } },
      { group: "h", alert: "B", expr: "1", labels: {}, annotations: {} },
    ]);
  });
});

describe("markdownMetricTables / documentedLabels", () => {
  it("keys cells by lower-cased header", () => {
    const md = "| Metric | Type | Labels |\n|---|---|---|\n| `a_total` | counter | `x` (`1`, `2`), `y` |\n";
    expect(markdownMetricTables(md)).toEqual([{ metric: "a_total", cells: { metric: "`a_total`", type: "counter", labels: "`x` (`1`, `2`), `y`" } }]);
  });

  it("reads label names outside parentheses only", () => {
    expect(documentedLabels("`state` (`connected`, `fatal`), `code` (`ok` or the Connect code)")).toEqual(["state", "code"]);
    expect(documentedLabels("")).toEqual([]);
    expect(documentedLabels("`outcome` (`ok` (nested) or `x`)")).toEqual(["outcome"]);
  });
});
