import { EventEmitter } from "node:events";
import { gatewayDefinition } from "@spreadops/gateway";
import { createLogger, Lifecycle, Readiness, setupTracing, type RunningService, type Tracing } from "@spreadops/runtime";
import { startSimulator, type RunningSimulator } from "@spreadops/tws-sim";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../testing/wait-for.js";
import { hostRestartableGateway } from "./gateway-restart.js";
import { hostService } from "./host-service.js";

const silent = createLogger({ service: "test", level: "silent", destination: { write: () => true } });

/** The all-in-one's side: its logger (lines kept), lifecycle, readiness and a signal source the test fires. */
function host() {
  const lines: string[] = [];
  const logger = createLogger({ service: "all", level: "info", destination: { write: (line: string) => { lines.push(line); return true; } } });
  const signals = new EventEmitter();
  return {
    lines,
    logger,
    lifecycle: new Lifecycle({ logger }),
    readiness: new Readiness(),
    signals: { on: (s: NodeJS.Signals, l: (s: NodeJS.Signals) => void) => signals.on(s, l), off: (s: NodeJS.Signals, l: (s: NodeJS.Signals) => void) => signals.off(s, l) },
    emit: (signal: NodeJS.Signals) => signals.emit(signal, signal),
    listeners: (signal: NodeJS.Signals) => signals.listenerCount(signal),
  };
}

/** The gateway's state through its Connect JSON API (as the runbook's curl asks it), or undefined when it does not answer. */
async function connectionState(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}/spreadops.v1.GatewayService/GetConnectionStatus`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    if (!response.ok) return undefined;
    return ((await response.json()) as { status?: { state?: string } }).status?.state;
  } catch {
    return undefined;
  }
}

/** A promise the test resolves by hand. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => { open = resolve; });
  return { promise, open };
}

describe("the all-in-one's gateway restart drill (SIGUSR2)", () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it("stops the real gateway, starts a new one on the same port, and it serves CONNECTED again", { timeout: 60_000 }, async () => {
    const sim: RunningSimulator = await startSimulator({ seed: 42, host: "127.0.0.1", port: 0, clock: "real" }, silent);
    cleanup.push(() => sim.close());
    const tracing: Tracing = setupTracing({ serviceName: "test" });
    cleanup.push(() => tracing.shutdown());
    const all = host();
    cleanup.push(() => all.lifecycle.shutdown());

    const ports: number[] = [];
    let held = Promise.resolve();
    const gatewayLog: string[] = [];
    const gateway = await hostRestartableGateway({
      start: async (port) => {
        ports.push(port);
        await held;
        return hostService(gatewayDefinition("0.0.0-test"), [
          "--port", String(port), "--host", "127.0.0.1", "--log-level", "warn", "--log-format", "json",
          "--tws-port", String(sim.address.port), "--tws-client-id", "17", "--leader-election", "off", "--tws-restart-window", "off",
        ], { env: {}, stdout: (t) => gatewayLog.push(t), stderr: (t) => gatewayLog.push(t) }, tracing);
      },
      port: 0,
      logger: all.logger,
      lifecycle: all.lifecycle,
      readiness: all.readiness,
      signals: all.signals,
    });
    const url = gateway.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await waitFor(async () => ((await connectionState(url)) === "CONNECTION_STATE_CONNECTED" ? true : undefined), 20_000, "the first gateway to connect")).toBe(true);
    expect((await all.readiness.evaluate()).ok).toBe(true);

    // Hold the new gateway's start, so the gap a restarting pod leaves can be looked at.
    const hold = gate();
    held = hold.promise;
    all.emit("SIGUSR2");
    await waitFor(() => (ports.length === 2 ? true : undefined), 20_000, "the old gateway to stop");
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(await connectionState(url)).toBeUndefined();
    const during = await all.readiness.evaluate();
    expect(during.ok).toBe(false);
    expect(during.checks.find((c) => c.name === "gateway")?.message).toContain("restarting");
    hold.open();

    // Back on the port the first start got (it asked for 0), with a new TWS session.
    expect(await waitFor(async () => ((await connectionState(url)) === "CONNECTION_STATE_CONNECTED" ? true : undefined), 30_000, "the new gateway to connect")).toBe(true);
    expect(ports).toEqual([0, Number(new URL(url).port)]);
    expect(gateway.current()?.address.url).toBe(url);
    await waitFor(async () => ((await all.readiness.evaluate()).ok ? true : undefined), 20_000, "readiness");
    const messages = all.lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toContain("restarting the gateway (SIGUSR2)");
    expect(messages).toContain(`gateway back on ${url}`);

    // Shutdown stops the gateway running now and stops listening for the drill.
    await all.lifecycle.shutdown();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(all.listeners("SIGUSR2")).toBe(0);
    expect(ports).toHaveLength(2);
  });
});

/** A stand-in gateway: enough of a RunningService for the restart logic, with its stops counted. */
function fakeGateway(port: number, stops: number[]) {
  const readiness = new Readiness();
  const service = {
    address: { host: "127.0.0.1", port, url: `http://127.0.0.1:${port}` },
    readiness,
    stop: () => {
      stops.push(port);
      return Promise.resolve({ reason: "stop", ok: true, results: [] });
    },
  };
  return service as unknown as RunningService<unknown>;
}

describe("hostRestartableGateway", () => {
  it("shares one restart between signals, and shutdown during it stops the gateway it started", async () => {
    const all = host();
    const stops: number[] = [];
    let starts = 0;
    let held = Promise.resolve();
    const gateway = await hostRestartableGateway({
      start: async (port) => {
        starts++;
        await held;
        return fakeGateway(port === 0 ? 40_001 : port, stops);
      },
      port: 0, logger: all.logger, lifecycle: all.lifecycle, readiness: all.readiness, signals: all.signals,
    });
    const hold = gate();
    held = hold.promise;
    all.emit("SIGUSR2");
    all.emit("SIGUSR2");
    const restarted = gateway.restart();
    await waitFor(() => (starts === 2 ? true : undefined));
    expect(gateway.current()).toBeUndefined();

    const shutdown = all.lifecycle.shutdown();
    // Shutting down: the drill no longer answers.
    all.emit("SIGUSR2");
    hold.open();
    await restarted;
    expect((await shutdown).ok).toBe(true);
    expect(starts).toBe(2);
    // The first gateway by the restart, the second by shutdown.
    expect(stops).toEqual([40_001, 40_001]);
    expect(all.listeners("SIGUSR2")).toBe(0);
  });

  it("tries again until the new gateway starts (the port not free yet)", async () => {
    const all = host();
    const stops: number[] = [];
    let starts = 0;
    const gateway = await hostRestartableGateway({
      start: (port) => {
        starts++;
        if (starts === 2 || starts === 3) return Promise.reject(new Error("listen EADDRINUSE"));
        return Promise.resolve(fakeGateway(port === 0 ? 40_002 : port, stops));
      },
      port: 0, logger: all.logger, lifecycle: all.lifecycle, readiness: all.readiness, retryDelayMs: 1,
    });
    await gateway.restart();
    expect(starts).toBe(4);
    expect(gateway.current()?.address.port).toBe(40_002);
    expect(all.lines.filter((line) => line.includes("the gateway did not come back"))).toHaveLength(2);
    expect((await all.readiness.evaluate()).ok).toBe(true);
    await all.lifecycle.shutdown();
    expect(stops).toEqual([40_002, 40_002]);
  });
});
