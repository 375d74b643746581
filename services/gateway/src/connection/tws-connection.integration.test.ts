// Integration: TwsConnection against the real TWS-protocol simulator over real sockets.
import { EventName } from "@stoqey/ib";
import { createLogger, createMetrics, Readiness } from "@spreadops/runtime";
import type { Logger } from "@spreadops/runtime";
import { startSimulator } from "@spreadops/tws-sim";
import type { RunningSimulator, SimulatorSettings } from "@spreadops/tws-sim";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../scheduler/clock.js";
import type { Clock } from "../scheduler/clock.js";
import { OutboundScheduler } from "../scheduler/outbound-scheduler.js";
import type { SchedulerOptions } from "../scheduler/outbound-scheduler.js";
import { createConnectionMetrics } from "./connection-metrics.js";
import type { TwsConnectionSettings } from "./settings.js";
import { toMarketDataType } from "./settings.js";
import type { ConnectionStatus } from "./status.js";
import { TwsConnection } from "./tws-connection.js";
import type { ConnectionEvents } from "./tws-connection.js";

const SESSION_START = Date.parse("2026-03-10T14:00:00Z");

function quietLogger(): Logger {
  return createLogger({ service: "gateway-test", level: "silent", destination: { write: () => true } });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sim(settings: Partial<SimulatorSettings> = {}): Promise<RunningSimulator> {
  const s = await startSimulator(
    { seed: 42, clock: "stepped", startMs: SESSION_START, port: 0, host: "127.0.0.1", minTickIntervalMs: 0, loopIntervalMs: 20, maxMessagesPerSecond: 1000, ...settings },
    quietLogger(),
  );
  cleanups.push(() => s.close());
  return s;
}

interface Harness {
  readonly connection: TwsConnection;
  readonly scheduler: OutboundScheduler;
  readonly statuses: ConnectionStatus[];
  readonly events: { name: keyof ConnectionEvents; value: unknown }[];
}

function connection(
  port: number,
  overrides: Partial<TwsConnectionSettings> = {},
  options: { clock?: Clock; scheduler?: SchedulerOptions } = {},
): Harness {
  const clock = options.clock ?? systemClock;
  const scheduler = new OutboundScheduler({ clock }, options.scheduler);
  const settings: TwsConnectionSettings = {
    host: "127.0.0.1",
    port,
    clientId: 1,
    mode: "paper",
    liveConfirmed: false,
    marketDataType: toMarketDataType(3),
    connectTimeoutMs: 2000,
    backoff: { initialMs: 100, maxMs: 400 },
    probeIntervalMs: 60_000,
    probeTimeoutMs: 1000,
    ...overrides,
  };
  const c = new TwsConnection(settings, { scheduler, logger: quietLogger(), clock });
  const statuses: ConnectionStatus[] = [];
  const events: { name: keyof ConnectionEvents; value: unknown }[] = [];
  c.onEvent("status", (s) => statuses.push(s));
  c.onEvent("restored", (value) => events.push({ name: "restored", value }));
  c.onEvent("resubscribeRequired", (value) => events.push({ name: "resubscribeRequired", value }));
  cleanups.push(() => {
    c.stop("test over");
  });
  return { connection: c, scheduler, statuses, events };
}

async function until(check: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const received = (s: RunningSimulator, type: string): number => s.server.stats().messages.receivedByType[type] ?? 0;

describe("TwsConnection against tws-sim", () => {
  it("connects: status connected, farms OK, masked account, restore requests sent, ids usable", async () => {
    const s = await sim();
    const metrics = createMetrics({ service: "gateway-test", defaultMetrics: false });
    const clock = systemClock;
    const scheduler = new OutboundScheduler({ clock });
    const c = new TwsConnection(
      {
        host: "127.0.0.1",
        port: s.address.port,
        clientId: 7,
        mode: "paper",
        liveConfirmed: false,
        marketDataType: toMarketDataType(3),
        connectTimeoutMs: 2000,
        backoff: { initialMs: 100, maxMs: 400 },
        probeIntervalMs: 60_000,
        probeTimeoutMs: 1000,
      },
      { scheduler, logger: quietLogger(), clock, metrics: createConnectionMetrics(metrics) },
    );
    cleanups.push(() => {
      c.stop();
    });
    const readiness = new Readiness();
    c.registerReadiness(readiness);
    expect((await readiness.evaluate()).ok).toBe(false);
    const restored = new Promise<ConnectionEvents["restored"]>((resolve) => c.onEvent("restored", resolve));
    c.start();
    const event = await restored;
    expect(event).toMatchObject({ session: 1, reconnect: false, resubscribe: false });
    expect(c.status.state).toBe("connected");
    expect(c.status.account).toBe("DU****567");
    expect(c.status.serverVersion).toBe(176);
    await until(() => Object.values(c.status.farms).every((f) => f === "ok"), 2000, "farms ok");
    await until(() => received(s, "reqPositions") === 1, 2000, "restore requests at the simulator");
    expect(received(s, "reqMarketDataType")).toBe(1);
    expect(received(s, "reqOpenOrders")).toBe(1);
    expect(s.server.stats().connections.clientIds).toEqual([7]);
    expect((await readiness.evaluate()).ok).toBe(true);
    const first = c.nextOrderId();
    const req = c.nextRequestId();
    expect(req).toBeGreaterThan(first);
    expect(c.nextOrderId()).toBeGreaterThan(req);
    // A call through the scheduler reaches TWS and its answer arrives through `on`.
    const time = new Promise<number>((resolve) => {
      const off = c.on(EventName.currentTime, (t) => {
        off();
        resolve(t);
      });
    });
    await c.send("control", (ib) => ib.reqCurrentTime());
    expect(await time).toBeGreaterThan(0);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/spreadops_gateway_tws_connection_state\{[^}]*state="connected"[^}]*\} 1/);
    expect(text).toMatch(/spreadops_gateway_tws_errors_total\{[^}]*code="2104"[^}]*\} 1/);
  });

  it("1100 → degraded; 1101 → resubscribeRequired and reqMarketDataType re-sent; 1100 → 1102 → nothing to restore", async () => {
    const s = await sim();
    const h = connection(s.address.port);
    h.connection.start();
    await until(() => h.events.some((e) => e.name === "restored"), 5000, "restored");
    await until(() => received(s, "reqMarketDataType") === 1, 2000, "reqMarketDataType at the simulator");
    const typesBefore = received(s, "reqMarketDataType");

    s.faults.apply({ kind: "connectivityLost", dataLost: true });
    await until(() => h.connection.status.state === "degraded", 2000, "degraded");
    await expect(h.connection.send("order", (ib) => ib.reqCurrentTime())).rejects.toThrow(/orders are paused/);
    s.faults.clear();
    await until(() => h.events.some((e) => e.name === "resubscribeRequired"), 2000, "resubscribeRequired");
    expect(h.events.find((e) => e.name === "resubscribeRequired")?.value).toMatchObject({ cause: "dataLost" });
    expect(h.connection.status.state).toBe("connected");
    await until(() => received(s, "reqMarketDataType") === typesBefore + 1, 2000, "reqMarketDataType re-sent");
    // The simulator sends each connectivity notice twice: still one resubscription.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.events.filter((e) => e.name === "resubscribeRequired")).toHaveLength(1);

    const eventsBefore = h.events.length;
    s.faults.apply({ kind: "connectivityLost", dataLost: false });
    await until(() => h.connection.status.state === "degraded", 2000, "degraded again");
    s.faults.clear();
    await until(() => h.connection.status.reason.includes("1102"), 2000, "1102");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.connection.status.state).toBe("connected");
    expect(h.events.length).toBe(eventsBefore);
    expect(received(s, "reqMarketDataType")).toBe(typesBefore + 1);
  });

  it("reconnects after the simulator's restart window (disconnectAll + refused connections)", async () => {
    const s = await sim();
    const h = connection(s.address.port);
    h.connection.start();
    await until(() => h.connection.status.state === "connected", 5000, "connected");
    s.faults.apply({ kind: "restartWindow", durationMs: 3_600_000 });
    await until(() => h.connection.status.state !== "connected", 2000, "disconnected");
    // Connection attempts are refused while the window lasts; the connection keeps retrying.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(h.connection.status.state).not.toBe("connected");
    expect(() => {
      h.connection.checkAvailable();
    }).toThrow(/not connected/);
    s.faults.clear();
    await until(() => h.connection.status.state === "connected", 5000, "reconnected");
    const states = h.statuses.map((st) => st.state);
    expect(states).toContain("disconnected");
    expect(states).toContain("connecting");
    expect(h.connection.status.reconnects.socketClosed).toBe(1);
    await until(() => h.events.some((e) => e.name === "restored" && (e.value as { reconnect: boolean }).reconnect), 2000, "restored");
    expect(h.events.some((e) => e.name === "resubscribeRequired" && (e.value as { cause: string }).cause === "reconnect")).toBe(true);
  });

  it("honours its own daily restart window: disconnects before it, refuses work with Unavailable, reconnects after", async () => {
    const s = await sim();
    // A clock that reads 23:44:59 New York now, so the 23:45 window begins in a second.
    const offset = Date.parse("2026-03-11T03:44:59Z") - Date.now();
    const clock: Clock = { now: () => Date.now() + offset, setTimer: (ms, fn) => systemClock.setTimer(ms, fn) };
    const h = connection(
      s.address.port,
      { restartWindow: { at: "23:45", timeZone: "America/New_York", durationMs: 2000, leadMs: 500 } },
      { clock },
    );
    h.connection.start();
    await until(() => h.connection.status.state === "connected", 3000, "connected");
    expect(h.connection.status.restartWindow?.startMs).toBe(Date.parse("2026-03-11T03:45:00Z"));
    await until(() => h.connection.status.state === "restartWindow", 3000, "restartWindow");
    expect(() => {
      h.connection.checkAvailable();
    }).toThrow(/restart window: unavailable until 2026-03-11T03:45:02.000Z/);
    await until(() => s.server.stats().connections.current === 0, 1000, "socket closed");
    await until(() => h.connection.status.state === "connected", 5000, "connected after window");
    expect(h.connection.status.reconnects.restartWindow).toBe(1);
    expect(h.connection.status.restartWindow?.startMs).toBe(Date.parse("2026-03-12T03:45:00Z"));
    const states = h.statuses.map((st) => st.state).filter((st, i, all) => st !== all[i - 1]);
    expect(states).toEqual(["disconnected", "connecting", "connected", "restartWindow", "connecting", "connected"]);
  });

  it("detects a dead socket with the reqCurrentTime probe and reconnects", async () => {
    const s = await sim();
    const h = connection(s.address.port, { probeIntervalMs: 300, probeTimeoutMs: 500 });
    h.connection.start();
    await until(() => h.connection.status.state === "connected", 3000, "connected");
    await until(() => received(s, "reqCurrentTime") >= 1, 2000, "a probe");
    s.faults.apply({ kind: "dropResponses", fraction: 1 });
    await until(() => (h.connection.status.reconnects.probeTimeout ?? 0) >= 1, 3000, "probe timeout");
    s.faults.clear();
    await until(() => h.connection.status.state === "connected", 5000, "reconnected");
    expect(s.server.stats().connections.current).toBe(1);
  });

  it("reports 326 (client id in use) clearly, retries with backoff, and never switches to another id", async () => {
    const s = await sim();
    const first = connection(s.address.port, { clientId: 5 });
    first.connection.start();
    await until(() => first.connection.status.state === "connected", 3000, "first connected");
    const second = connection(s.address.port, { clientId: 5, backoff: { initialMs: 100, maxMs: 200 } });
    second.connection.start();
    await until(() => (second.connection.status.reconnects.clientIdInUse ?? 0) >= 2, 5000, "two 326 retries");
    expect(second.connection.status.reason).toMatch(/client id 5 is already in use.*326.*never changed/);
    expect(second.connection.status.lastErrors.some((e) => e.code === 326)).toBe(true);
    expect(second.connection.status.state).not.toBe("connected");
    expect(s.server.stats().connections.clientIds).toEqual([5]);
    expect(first.connection.status.state).toBe("connected");
    // Once the first session goes (leadership lost), the second gets the same id.
    first.connection.stop("leadership lost");
    await until(() => second.connection.status.state === "connected", 3000, "second connected");
    expect(s.server.stats().connections.clientIds).toEqual([5]);
  });

  it("refuses live mode against the simulator's DU account with a fatal status", async () => {
    const s = await sim();
    const h = connection(s.address.port, { mode: "live", liveConfirmed: true });
    // The simulator listens on a random port, so only the account decides here.
    h.connection.start();
    await until(() => h.connection.status.state === "fatal", 3000, "fatal");
    expect(h.connection.status.reason).toMatch(/live mode is connected to a paper \(DU\) account.*DU\*\*\*\*567/);
    expect(h.connection.status.reason).not.toContain("DU1234567");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.server.stats().connections.current).toBe(0);
    expect(h.connection.status.state).toBe("fatal");
    expect(() => {
      h.connection.checkAvailable();
    }).toThrow(/refused/);

    const unconfirmed = connection(s.address.port, { mode: "live", liveConfirmed: false });
    unconfirmed.connection.start();
    expect(unconfirmed.connection.status.state).toBe("fatal");
    expect(unconfirmed.connection.status.reason).toMatch(/opt-in/);
  });

  it(
    "paces a burst of 2,000 reqCurrentTime: peak ≤ 50 per second at the simulator, no violation, ≥ 44/s sustained",
    async () => {
      // Real limits: 50/s per connection, disconnect after 3 violations; real clock.
      const s = await sim({ clock: "real", maxMessagesPerSecond: 50, rateDisconnectAfter: 3 });
      const h = connection(s.address.port);
      h.connection.start();
      await until(() => h.events.some((e) => e.name === "restored"), 3000, "restored");
      const before = s.server.stats().messages.receivedTotal;
      let answers = 0;
      h.connection.on(EventName.currentTime, () => {
        answers++;
      });
      const started = Date.now();
      const sends: Promise<void>[] = [];
      for (let i = 0; i < 2000; i++) sends.push(h.connection.send("bulk", (ib) => ib.reqCurrentTime()));
      await Promise.all(sends);
      const seconds = (Date.now() - started) / 1000;
      await until(() => answers >= 2000, 5000, "all answers");
      const stats = s.server.stats();
      const rate = 2000 / seconds;
      console.log(`burst: 2000 messages in ${seconds.toFixed(2)} s = ${rate.toFixed(2)}/s; sim peakPerSecond ${stats.messages.peakPerSecond}, violations ${stats.pacing.messageRateViolations}`);
      expect(stats.messages.receivedTotal - before).toBeGreaterThanOrEqual(2000);
      expect(stats.messages.peakPerSecond).toBeLessThanOrEqual(50);
      expect(stats.pacing.messageRateViolations).toBe(0);
      expect(rate).toBeGreaterThanOrEqual(44);
      expect(h.connection.status.state).toBe("connected");
    },
    90_000,
  );
});
