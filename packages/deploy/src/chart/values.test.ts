// values.yaml is documented key by key and values.schema.json is strict: helm refuses unknown
// keys, wrong types and combinations that cannot work, with a message that names the problem.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isMap, isPair, isScalar, parseDocument, type Pair, type YAMLMap } from "yaml";
import { CHART_DIR, HelmError, renderChart, runHelm, templateArgs } from "../helm.js";

/** `helm template` that must fail; resolves to helm's error output. */
async function refused(set: Record<string, string>, valuesFiles: string[] = []): Promise<string> {
  try {
    await renderChart(valuesFiles, set);
  } catch (error) {
    if (error instanceof HelmError) return error.result.stderr;
    throw error;
  }
  throw new Error(`helm template accepted ${JSON.stringify(set)}`);
}

describe("values.schema.json", () => {
  it("accepts the defaults", async () => {
    const result = await runHelm(templateArgs());
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  }, 300_000);

  it.each([
    [{ bogus: "1" }, "Additional property bogus is not allowed"],
    [{ "gateway.bogus": "1" }, "Additional property bogus is not allowed"],
    [{ "sim.service.bogus": "1" }, "Additional property bogus is not allowed"],
    [{ "networkPolicy.dns.bogus": "1" }, "Additional property bogus is not allowed"],
    [{ "monitoring.serviceMonitor.bogus": "1" }, "Additional property bogus is not allowed"],
    [{ "monitoring.dashboards.bogus": "1" }, "Additional property bogus is not allowed"],
    [{ "tws.existingSecretKeys.password": "pw" }, "Additional property password is not allowed"],
    [{ "console.bogus": "1" }, "Additional property bogus is not allowed"],
    [{ "console.ingress.bogus": "1" }, "Additional property bogus is not allowed"],
    [{ "console.ingress.tls.bogus": "1" }, "Additional property bogus is not allowed"],
    [{ "console.token": "s3cret-in-values" }, "Additional property token is not allowed"],
  ])("rejects the unknown key %j", async (set, message) => {
    expect(await refused(set)).toContain(message);
  });

  it.each([
    [{ "gateway.replicas": "two" }, "gateway.replicas: Invalid type. Expected: integer, given: string"],
    [{ "tws.port": "seventy" }, "tws.port: Invalid type"],
    [{ "tws.port": "70000" }, "tws.port: Must be less than or equal to 65535"],
    [{ "tws.tradingMode": "yolo" }, "tws.tradingMode: tws.tradingMode must be one of the following"],
    [{ "log.format": "yaml" }, "log.format: log.format must be one of the following"],
    [{ "sim.enabled": "yes" }, "sim.enabled: Invalid type. Expected: boolean, given: string"],
    [{ "scanner.autoscaling.targetCPUUtilizationPercentage": "150" }, "Must be less than or equal to 100"],
    [{ "gateway.resources.requests.cpu": "lots" }, "gateway.resources.requests.cpu"],
    [{ "image.digest": "latest" }, "image.digest: Does not match pattern"],
    [{ "otel.endpoint": "otel-collector:4318" }, "otel.endpoint: Does not match pattern"],
    [{ clockOffsetSeconds: "-99999999" }, "clockOffsetSeconds: Must be greater than or equal to"],
    [{ "console.enabled": "maybe" }, "console.enabled: Invalid type. Expected: boolean, given: string"],
    [{ "console.replicas": "0" }, "console.replicas: Must be greater than or equal to 1"],
    [{ "console.allowedOrigins": "ops.example.com" }, "console.allowedOrigins: Does not match pattern"],
    [{ "console.allowedOrigins": "https://ops.example.com/console" }, "console.allowedOrigins: Does not match pattern"],
    [{ "console.ingress.host": "https://console.example.com" }, "console.ingress.host: Does not match pattern"],
    [{ "console.service.type": "Ingress" }, "console.service.type: console.service.type must be one of the following"],
  ])("rejects the bad value %j", async (set, message) => {
    expect(await refused(set)).toContain(message);
  });
});

describe("combinations the chart refuses", () => {
  it.each([
    [{ "sim.enabled": "false", "tws.host": "10.0.0.5", "tws.tradingMode": "live" }, "needs the explicit opt-in tws.liveTradingConfirmed=true"],
    [{ "tws.tradingMode": "live", "tws.liveTradingConfirmed": "true" }, "cannot use the simulator"],
    [{ "sim.enabled": "false" }, "sim.enabled=false needs tws.host"],
    [{ "tws.host": "10.0.0.5" }, "set sim.enabled=false to use tws.host"],
    [{ "sim.enabled": "false", "tws.existingSecretKeys.host": "host" }, "name the Secret too"],
    [{ "sim.enabled": "false", "tws.host": "10.0.0.5", clockOffsetSeconds: "-3600" }, "set it to 0 with a real TWS"],
    [{ "console.ingress.enabled": "true" }, "console.ingress.enabled needs console.ingress.host"],
    [{ "console.namespace": "desk" }, "console.namespace outside the release namespace needs controller.watchAllNamespaces=true"],
  ])("%j", async (set, message) => {
    expect(await refused(set)).toContain(message);
  });
});

/**
 * A key is documented by a `# --` comment above it, or (a map) by documenting every key inside.
 * The yaml parser keeps the comment above a map's first key on the map itself.
 */
function undocumented(pair: Pair, path: string, inherited: string): string[] {
  const key = isScalar(pair.key) ? String(pair.key.value) : "?";
  const here = path === "" ? key : `${path}.${key}`;
  const comment = `${inherited}\n${(isScalar(pair.key) ? pair.key.commentBefore : undefined) ?? ""}`;
  if (/^ ?-- /m.test(comment)) return [];
  if (isMap(pair.value) && pair.value.items.length > 0) return undocumentedIn(pair.value, here);
  return [here];
}

function undocumentedIn(map: YAMLMap, path: string): string[] {
  return map.items.flatMap((item, index) => (isPair(item) ? undocumented(item, path, index === 0 ? (map.commentBefore ?? "") : "") : []));
}

describe("values.yaml", () => {
  const text = readFileSync(join(CHART_DIR, "values.yaml"), "utf8");

  it("points editors at the schema", () => {
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=values.schema.json");
  });

  it("documents every key with a `# --` comment (helm-docs)", () => {
    const document = parseDocument(text);
    expect(isMap(document.contents)).toBe(true);
    const root = document.contents as YAMLMap;
    // The document's leading comment block ends with the first key's `# --` line.
    root.commentBefore = `${document.commentBefore ?? ""}\n${root.commentBefore ?? ""}`;
    const missing = undocumentedIn(root, "");
    expect(missing).toEqual([]);
  });

  it("the documentation check notices an undocumented key", () => {
    const document = parseDocument("a:\n  # -- documented\n  b: 1\n  c: 2\n# -- fine\nd: {}\n");
    expect(undocumentedIn(document.contents as YAMLMap, "")).toEqual(["a.c"]);
  });

  it("reserves the observability keys with their defaults", () => {
    const values = parseDocument(text).toJS() as Record<string, unknown>;
    expect(values["monitoring"]).toEqual({
      serviceMonitor: { enabled: false, interval: "30s", labels: {} },
      prometheusRule: { enabled: false, labels: {} },
      dashboards: { enabled: true, labels: { grafana_dashboard: "1" }, namespace: "" },
    });
  });
});

describe("clockOffsetSeconds", () => {
  it("gives the simulator and every service that judges dates (the console too) the same offset, and the scanner none", async () => {
    const objects = await renderChart([], { clockOffsetSeconds: "-129600" });
    const offsets = new Map<string, string | undefined>();
    for (const object of objects) {
      if (object.kind !== "Deployment") continue;
      const spec = (object as { spec?: { template?: { spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } } }).spec;
      for (const env of spec?.template?.spec?.containers?.[0]?.env ?? []) {
        if (env.name.endsWith("_CLOCK_OFFSET")) offsets.set(env.name, env.value);
      }
    }
    expect(Object.fromEntries(offsets)).toEqual({
      SPREADOPS_GATEWAY_CLOCK_OFFSET: "-129600",
      SPREADOPS_STRATEGY_CLOCK_OFFSET: "-129600",
      SPREADOPS_EXECUTION_CLOCK_OFFSET: "-129600",
      SPREADOPS_CONTROLLER_CLOCK_OFFSET: "-129600",
      SPREADOPS_CONSOLE_CLOCK_OFFSET: "-129600",
      SPREADOPS_SIM_CLOCK_OFFSET: "-129600",
    });
  }, 300_000);
});
