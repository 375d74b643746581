import type { StrategyResource } from "@spreadops/resources";
import { API_VERSION, EmbeddedStore, STRATEGY, TRADE } from "@spreadops/resources";
import { parseConfig, renderHelp, serviceMain } from "@spreadops/runtime";
import { describe, expect, it } from "vitest";
import type { Controller } from "./build-controller.js";
import { controllerDefinition, controllerOptions } from "./controller-main.js";
import { FakeExecutionService, FakeGateway, FakeStrategyService } from "./testing/fake-services.js";
import { strategySpec, until } from "./testing/harness.js";

describe("controllerDefinition", () => {
  it("parses its options with the documented defaults, env vars and flags", () => {
    const defaults = parseConfig(controllerOptions(), { argv: [], env: {} });
    expect(defaults).toMatchObject({
      port: 8084, strategyUrl: "http://127.0.0.1:8082", executionUrl: "http://127.0.0.1:8083", gatewayUrl: "http://127.0.0.1:8080",
      workers: 4, exitCheckInterval: 60_000, pollInterval: 2_000, leaderElection: "on", leaseName: "spreadops-controller",
    });
    expect(defaults.namespace).toBeUndefined();
    const set = parseConfig(controllerOptions(), { argv: ["--namespace", "trading", "--workers", "8"], env: { SPREADOPS_CONTROLLER_STRATEGY_URL: "http://strategy:8082" } });
    expect(set).toMatchObject({ namespace: "trading", workers: 8, strategyUrl: "http://strategy:8082" });
    expect(() => parseConfig(controllerOptions(), { argv: ["--workers", "0"], env: {} })).toThrow(/workers/);
    expect(renderHelp(controllerOptions(), { program: "spreadops-controller" })).toContain("--execution-url");
  });

  it("runs as a service: reconciles over the given store and serves its metrics", async () => {
    const store = new EmbeddedStore({ types: [{ type: STRATEGY }, { type: TRADE }] });
    let controller: Controller | undefined;
    const execution = new FakeExecutionService();
    const running = await serviceMain(
      controllerDefinition("0.0.0-test", {
        store: () => store, strategy: () => new FakeStrategyService(), execution: () => execution, gateway: () => new FakeGateway(),
        env: {}, onController: (c) => { controller = c; },
      }),
      { argv: ["--port", "0", "--host", "127.0.0.1", "--log-level", "silent", "--log-format", "json", "--leader-election", "off"], env: {}, stdout: () => undefined, stderr: () => undefined, exit: () => undefined },
    );
    try {
      expect(controller?.isActive()).toBe(true);
      await store.create<StrategyResource>(STRATEGY, { apiVersion: API_VERSION, kind: "Strategy", metadata: { name: "any", namespace: "default" }, spec: strategySpec() });
      // Active (scanning, or waiting for the window on the real clock): reconciled either way.
      await until(async () => (await store.get<StrategyResource>(STRATEGY, "default", "any")).status?.phase === "Active", "reconciled", 2_000);
      const metrics = await (await fetch(`${running?.address.url ?? ""}/metrics`)).text();
      expect(metrics).toContain("spreadops_controller_reconciles_total");
      expect(metrics).toContain('spreadops_leader_is_leader{component="controller",service="controller"} 1');
      const ready = await fetch(`${running?.address.url ?? ""}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      await running?.stop();
    }
    expect(controller?.isActive()).toBe(false);
  });
});
