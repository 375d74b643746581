// Integration: the whole gateway as main runs it (serviceMain, real areas) against the simulator.
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { ConnectionState, GatewayService, TradingMode } from "@spreadops/api";
import { createLogger, serviceMain } from "@spreadops/runtime";
import { startSimulator } from "@spreadops/tws-sim";
import { expect, it } from "vitest";
import { gatewayDefinition } from "../gateway-main.js";

it("serves GatewayService and /readyz from serviceMain with the production areas", async () => {
  const sim = await startSimulator(
    { seed: 42, clock: "stepped", startMs: Date.parse("2026-03-10T14:00:00Z"), port: 0, host: "127.0.0.1", minTickIntervalMs: 0, loopIntervalMs: 20, maxMessagesPerSecond: 1000 },
    createLogger({ service: "sim", level: "silent", destination: { write: () => true } }),
  );
  const out: string[] = [];
  const running = await serviceMain(gatewayDefinition("0.0.0-test"), {
    argv: ["--port", "0", "--host", "127.0.0.1", "--log-level", "warn", "--log-format", "json", "--leader-election", "off", "--tws-port", String(sim.address.port), "--tws-client-id", "4", "--tws-restart-window", "off"],
    env: {},
    stdout: (t) => out.push(t),
    stderr: (t) => out.push(t),
    exit: () => undefined,
  });
  const sessions = new Http2SessionManager(running?.address.url ?? "");
  try {
    expect(running).toBeDefined();
    if (running === undefined) return;
    const client = createClient(GatewayService, createConnectTransport({ baseUrl: running.address.url, httpVersion: "2", sessionManager: sessions }));
    const deadline = Date.now() + 5000;
    let state = ConnectionState.UNSPECIFIED;
    while (state !== ConnectionState.CONNECTED && Date.now() < deadline) {
      state = (await client.getConnectionStatus({})).status?.state ?? ConnectionState.UNSPECIFIED;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { status } = await client.getConnectionStatus({});
    expect(status).toMatchObject({ state: ConnectionState.CONNECTED, leader: true, clientId: 4, mode: TradingMode.PAPER });
    expect(status?.accountMasked).toMatch(/^DU\*{4}\d{3}$/);
    const ready = (await (await fetch(`${running.address.url}/readyz`)).json()) as { ok: boolean; checks: { name: string; ok: boolean }[] };
    expect(ready.ok).toBe(true);
    expect(ready.checks.map((c) => c.name).sort()).toEqual(expect.arrayContaining(["leader", "tws-connected"]));
    // The full account number never reaches the logs.
    expect(out.join("")).not.toContain("DU1234567");
  } finally {
    sessions.abort();
    await running?.stop();
    await sim.close();
  }
  expect(sim.server.stats().connections.current).toBe(0);
}, 20_000);
