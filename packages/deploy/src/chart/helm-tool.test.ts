// The helm lookup and the parsing of rendered output (src/helm.ts).
import { afterEach, describe, expect, it } from "vitest";
import { CHART_DIR, HelmError, helmBinary, parseObjects, runHelm, templateArgs, templateChart } from "../helm.js";

describe("helmBinary", () => {
  const saved = process.env["SPREADOPS_HELM"];
  afterEach(() => {
    if (saved === undefined) delete process.env["SPREADOPS_HELM"];
    else process.env["SPREADOPS_HELM"] = saved;
  });

  it("refuses a SPREADOPS_HELM that is not an executable, and does not cache the failure", async () => {
    process.env["SPREADOPS_HELM"] = "/nonexistent/helm";
    await expect(helmBinary()).rejects.toThrow("SPREADOPS_HELM=/nonexistent/helm is not an executable file");
    if (saved === undefined) delete process.env["SPREADOPS_HELM"];
    else process.env["SPREADOPS_HELM"] = saved;
    const binary = await helmBinary();
    expect(binary).toMatch(/helm$/);
    const version = await runHelm(["version", "--short"]);
    expect(version.stdout).toMatch(/^v3\.\d+\.\d+/);
  }, 300_000);
});

describe("templateChart", () => {
  it("renders the chart with the fixed release, namespace and Kubernetes version", async () => {
    expect(templateArgs({ includeCrds: true, includeTests: false, valuesFiles: ["a.yaml"], set: { "x.y": "1" } })).toEqual([
      "template", "spreadops", CHART_DIR, "--namespace", "spreadops", "--kube-version", "1.28.0", "--include-crds", "--skip-tests", "--values", "a.yaml", "--set", "x.y=1",
    ]);
    const text = await templateChart({ includeCrds: true });
    expect(parseObjects(text).filter((o) => o.kind === "CustomResourceDefinition")).toHaveLength(2);
  }, 300_000);

  it("throws HelmError with helm's message on a bad render", async () => {
    const error: unknown = await templateChart({ set: { "gateway.replicas": "[" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HelmError);
    expect((error as HelmError).result.code).not.toBe(0);
  }, 300_000);
});

describe("parseObjects", () => {
  it("skips empty documents and keeps objects", () => {
    expect(parseObjects("---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n")).toEqual([
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } },
    ]);
  });

  it("rejects documents that are not Kubernetes objects", () => {
    expect(() => parseObjects("just: text\n")).toThrow("not a Kubernetes object");
    expect(() => parseObjects("apiVersion: v1\nkind: X\nmetadata: {}\n")).toThrow("has no metadata.name");
    expect(() => parseObjects("a: [\n")).toThrow("invalid YAML");
  });
});
