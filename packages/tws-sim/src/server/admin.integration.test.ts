// The admin HTTP surface against a running simulator with a real @stoqey/ib client connected.
import { EventName, SecType } from "@stoqey/ib";
import type { Contract } from "@stoqey/ib";
import { createMetrics } from "@spreadops/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimStats } from "./control.js";
import type { AdminServer } from "./admin-server.js";
import { startAdminServer } from "./admin-server.js";
import type { RunningSimulator } from "./simulator.js";
import { quietLogger, startTestSimulator, TestClient } from "./testing/sim-fixture.js";

const SPY: Contract = { symbol: "SPY", secType: SecType.STK, exchange: "SMART", currency: "USD" };
const CLIENT_ID = 7;

describe("admin HTTP against the running simulator", () => {
  let sim: RunningSimulator;
  let admin: AdminServer;
  let client: TestClient;

  const call = async (method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; text: string }> => {
    const response = await fetch(`${admin.address.url}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    return { status: response.status, text: await response.text() };
  };
  const stats = async (): Promise<SimStats> => JSON.parse((await call("GET", "/stats")).text) as SimStats;
  const clock = async (body: unknown): Promise<number> => {
    const reply = await call("POST", "/clock", body);
    expect(reply.status).toBe(200);
    return (JSON.parse(reply.text) as { simTimeMs: number }).simTimeMs;
  };

  beforeAll(async () => {
    const metrics = createMetrics({ service: "tws-sim", defaultMetrics: false });
    sim = await startTestSimulator({}, metrics);
    admin = await startAdminServer({ sim, logger: quietLogger(), metrics, host: "127.0.0.1", port: 0 });
    client = await TestClient.connect(sim.address.port, CLIENT_ID);
  });

  afterAll(async () => {
    client.disconnect();
    await admin.server.close({ drainTimeoutMs: 1000 });
    await sim.close();
  });

  it("GET /stats reflects the connection, its client id, messages by type and lines in use", async () => {
    client.ib.reqMktData(1, SPY, "", false, false);
    client.ib.reqMktData(2, SPY, "", false, false);
    await client.seenOrNext(EventName.tickPrice, (a) => a[0] === 2);
    const s = await stats();
    expect(s.connections.current).toBe(1);
    expect(s.connections.clientIds).toEqual([CLIENT_ID]);
    expect(s.messages.receivedByType.reqMktData).toBe(2);
    expect(s.messages.receivedByType.startApi).toBe(1);
    expect(s.marketDataLines.inUse).toBe(2);
    client.ib.cancelMktData(2);
  });

  it("GET /metrics exposes the same numbers as spreadops_sim_* series", async () => {
    const time = client.next(EventName.currentTime);
    client.ib.reqCurrentTime(); // the cancel above has been handled once this is answered
    await time;
    const reply = await call("GET", "/metrics");
    expect(reply.status).toBe(200);
    const sample = (name: string): number | undefined => {
      const line = reply.text.split("\n").find((l) => l.startsWith(name) && !l.startsWith("#") && /[\s{]/.test(l.charAt(name.length)));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
    };
    expect(sample("spreadops_sim_connections")).toBe(1);
    expect(sample("spreadops_sim_market_data_lines_in_use")).toBe(1);
    expect(reply.text).toMatch(/^spreadops_sim_messages_received_total\{[^}]*type="reqMktData"[^}]*\} 2$/m);
    expect(reply.text).toMatch(/^spreadops_sim_messages_received_total\{[^}]*type="cancelMktData"[^}]*\} 1$/m);
  });

  it("POST /faults/connectivity-lost → 1100; the clock restores it with 1102 or, with data lost, 1101", async () => {
    const lost = client.next(EventName.info, (a) => a[1] === 1100);
    expect((await call("POST", "/faults/connectivity-lost", { durationMs: 60_000 })).status).toBeLessThan(300);
    await lost;
    const kept = client.next(EventName.info, (a) => a[1] === 1102);
    await clock({ advanceBy: "61s" });
    await kept;
    expect((await stats()).marketDataLines.inUse).toBe(1);

    const lostAgain = client.next(EventName.info, (a) => a[1] === 1100);
    await call("POST", "/faults/connectivity-lost", { durationMs: 30_000, dataLost: true });
    await lostAgain;
    const dropped = client.next(EventName.info, (a) => a[1] === 1101);
    await clock({ advanceBy: "31s" });
    await dropped;
    expect((await stats()).marketDataLines.inUse).toBe(0);
  });

  it("POST /clock moves simulated time: reqCurrentTime answers the new time and quotes update", async () => {
    client.ib.reqMktData(3, SPY, "", false, false);
    await client.seenOrNext(EventName.tickPrice, (a) => a[0] === 3 && a[1] === 1);
    const before = sim.server.now();
    const bids = (): number => client.all(EventName.tickPrice, (a) => a[0] === 3 && a[1] === 1).length;
    const bidsBefore = bids();
    const update = client.next(EventName.tickPrice, (a) => a[0] === 3 && a[1] === 1);
    const after = await clock({ advanceBy: "15m" });
    expect(after).toBe(before + 15 * 60_000);
    await update;
    expect(bids()).toBeGreaterThan(bidsBefore);
    const time = client.next(EventName.currentTime);
    client.ib.reqCurrentTime();
    expect((await time).args[0]).toBe(Math.floor(after / 1000));
  });

  it("POST /reset disconnects the client and zeroes the counters", async () => {
    const closed = client.next(EventName.disconnected);
    expect((await call("POST", "/reset")).status).toBe(200);
    await closed;
    const s = await stats();
    expect(s.connections.current).toBe(0);
    expect(s.connections.total).toBe(0);
    expect(s.messages.receivedTotal).toBe(0);
    expect(s.messages.receivedByType).toEqual({});
    expect(s.marketDataLines.inUse).toBe(0);
    expect(s.marketDataLines.peak).toBe(0);
  });
});
