// `helm lint --strict` passes for every install scenario, and NOTES.txt renders and tells the
// user what they installed and what to do next.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CHART_DIR, RELEASE_NAME, RELEASE_NAMESPACE, RENDER_KUBE_VERSION, runHelm } from "../helm.js";
import { isRecord, scenarios } from "./scenarios.js";

describe.each(scenarios().map((scenario) => [scenario.name, scenario.file] as const))("helm lint --strict with ci/%s", (_name, file) => {
  it("passes", async () => {
    const result = await runHelm(["lint", "--strict", CHART_DIR, "--namespace", RELEASE_NAMESPACE, "--values", file]);
    expect(`${result.stdout}${result.stderr}`).toContain("1 chart(s) linted, 0 chart(s) failed");
    expect(result.code).toBe(0);
  }, 300_000);
});

describe("NOTES.txt", () => {
  // helm template does not print NOTES.txt: render it through a ConfigMap in a copy of the chart.
  const copy = mkdtempSync(join(tmpdir(), "spreadops-notes-"));
  const chart = join(copy, "spreadops");
  cpSync(CHART_DIR, chart, { recursive: true });
  writeFileSync(join(chart, "templates", "zz-rendered-notes.yaml"),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rendered-notes\ndata:\n  notes: {{ include "spreadops/templates/NOTES.txt" . | quote }}\n');
  afterAll(() => {
    rmSync(copy, { recursive: true, force: true });
  });

  async function notes(valuesFile: string): Promise<string> {
    const result = await runHelm(["template", RELEASE_NAME, chart, "--namespace", RELEASE_NAMESPACE, "--kube-version", RENDER_KUBE_VERSION,
      "--values", join(CHART_DIR, "ci", valuesFile), "--show-only", "templates/zz-rendered-notes.yaml"]);
    expect(result.stderr).toBe("");
    const object: unknown = parse(result.stdout);
    if (!isRecord(object) || !isRecord(object["data"]) || typeof object["data"]["notes"] !== "string") throw new Error("no rendered notes");
    return object["data"]["notes"];
  }

  it("with the simulator: paper market, how to wait, apply a Strategy, watch trades, uninstall", async () => {
    const text = await notes("default-values.yaml");
    expect(text).toContain("built-in TWS simulator");
    expect(text).not.toContain("LIVE TRADING");
    expect(text).toContain("kubectl -n spreadops apply -f k8s/examples/strategy-bull-put.yaml");
    expect(text).toContain("kubectl -n spreadops get trades -w");
    expect(text).toContain("helm test spreadops -n spreadops");
    expect(text).toContain("kubectl delete crd strategies.trading.spreadops.dev trades.trading.spreadops.dev");
  }, 300_000);

  it("tells how to reach the console and read its token, or nothing about it when it is off", async () => {
    const text = await notes("default-values.yaml");
    expect(text).toContain("kubectl -n spreadops port-forward svc/spreadops-console 8085");
    expect(text).toContain("kubectl -n spreadops get secret spreadops-console-token -o jsonpath='{.data.token}' | base64 -d");
    const ingress = await notes("console-ingress-values.yaml");
    expect(ingress).toContain("https://console.trading.example.com/");
    expect(ingress).toContain("kubectl -n spreadops get secret console-auth -o jsonpath='{.data.token}' | base64 -d");
    expect(await notes("console-disabled-values.yaml")).not.toContain("console");
  }, 300_000);

  it("in live mode: says so loudly and names the TWS", async () => {
    const text = await notes("live-values.yaml");
    expect(text).toContain("*** LIVE TRADING IS ENABLED ***");
    expect(text).toContain("ib-gateway.trading.svc.cluster.local:4001");
  }, 300_000);

  it("with the example Strategy and all namespaces: names it and the scope", async () => {
    const text = await notes("all-namespaces-values.yaml");
    expect(text).toContain('The example Strategy "index-bull-put" is installed');
    expect(text).toContain("the controller watches every namespace");
  }, 300_000);
});
