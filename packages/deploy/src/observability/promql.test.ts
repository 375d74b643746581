import { describe, expect, it } from "vitest";
import { familyOf, metricNames, parseSelectors, PromQlSyntaxError } from "./promql.js";

describe("parseSelectors", () => {
  it("finds a bare metric and one with matchers", () => {
    expect(parseSelectors('up + spreadops_leader_is_leader{component="gateway", namespace=~"$namespace"}')).toEqual([
      { metric: "up", matchers: [] },
      {
        metric: "spreadops_leader_is_leader",
        matchers: [
          { label: "component", op: "=", value: "gateway" },
          { label: "namespace", op: "=~", value: "$namespace" },
        ],
      },
    ]);
  });

  it("skips functions, aggregations, by/on label lists, ranges and numbers", () => {
    const expr =
      'histogram_quantile(0.95, sum by (le, action) (rate(spreadops_execution_fill_latency_seconds_bucket{namespace="$namespace"}[$__rate_interval])))';
    expect(metricNames(expr)).toEqual(["spreadops_execution_fill_latency_seconds_bucket"]);
    expect(metricNames("sum(rate(a_total[5m])) by (job) / on (instance) group_left (pod) b offset 5m")).toEqual(["a_total", "b"]);
    expect(metricNames("topk(10, sum without (code) (increase(c_total[1h]))) or vector(0)")).toEqual(["c_total"]);
  });

  it("reads every operand of set operators", () => {
    const expr = `(x{state="connected"} == 0) and on (namespace, instance) (y == 1) unless on (namespace, instance) (x{state="restartWindow"} == 1)`;
    expect(parseSelectors(expr).map((s) => s.metric)).toEqual(["x", "y", "x"]);
    expect(parseSelectors(expr)[2]?.matchers).toEqual([{ label: "state", op: "=", value: "restartWindow" }]);
  });

  it("understands label_values: the label argument is not a metric", () => {
    expect(metricNames("label_values(spreadops_controller_reconciles_total, namespace)")).toEqual(["spreadops_controller_reconciles_total"]);
    expect(metricNames('label_values(kube_pod_info{namespace="x"}, pod)')).toEqual(["kube_pod_info"]);
    expect(metricNames("label_values(namespace)")).toEqual([]);
  });

  it("takes __name__ and quoted names inside braces as the metric", () => {
    expect(parseSelectors('{__name__="foo_total", a!="b"}')).toEqual([{ metric: "foo_total", matchers: [{ label: "a", op: "!=", value: "b" }] }]);
    expect(parseSelectors('{"foo.bar", a!~"x|y"}')).toEqual([{ metric: "foo.bar", matchers: [{ label: "a", op: "!~", value: "x|y" }] }]);
  });

  it("ignores strings, escaped quotes and comments", () => {
    const expr = 'label_replace(m{a="x\\"y"}, "dst", "$1", "src", "(.*)") # not_a_metric\n';
    expect(parseSelectors(expr)).toEqual([{ metric: "m", matchers: [{ label: "a", op: "=", value: 'x"y' }] }]);
  });

  it("keeps scientific numbers and arithmetic out of the names", () => {
    expect(metricNames("a * 1e-3 + b / 2.5E+2 - 60")).toEqual(["a", "b"]);
  });

  it("rejects unterminated text", () => {
    expect(() => parseSelectors('m{a="x}')).toThrow(PromQlSyntaxError);
    expect(() => parseSelectors("rate(m[5m)")).toThrow(PromQlSyntaxError);
    expect(() => parseSelectors("m{a}")).toThrow(/matcher operator/);
  });
});

describe("familyOf", () => {
  const histograms = new Set(["h_seconds"]);
  const isHistogram = (name: string): boolean => histograms.has(name);
  it("maps histogram series to the base family", () => {
    expect(familyOf("h_seconds_bucket", isHistogram)).toBe("h_seconds");
    expect(familyOf("h_seconds_sum", isHistogram)).toBe("h_seconds");
    expect(familyOf("h_seconds_count", isHistogram)).toBe("h_seconds");
  });
  it("leaves other names alone, even with a histogram-like suffix", () => {
    expect(familyOf("requests_count", isHistogram)).toBe("requests_count");
    expect(familyOf("h_seconds", isHistogram)).toBe("h_seconds");
  });
});
