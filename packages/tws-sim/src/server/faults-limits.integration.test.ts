// Other clients' startup, bad input, every fault and every limit, through real sockets.
import { BarSizeSetting, EventName, OrderAction, OrderType, SecType, WhatToShow } from "@stoqey/ib";
import type { Contract } from "@stoqey/ib";
import { afterEach, describe, expect, it } from "vitest";
import { encodeFrame } from "../protocol/index.js";
import type { RunningSimulator, SimulatorSettings } from "./simulator.js";
import { RawClient, sleep, startTestSimulator, TestClient } from "./testing/sim-fixture.js";

const SPY: Contract = { symbol: "SPY", secType: SecType.STK, exchange: "SMART", currency: "USD" };
const isError = (code: number) => (f: readonly string[]) => f[0] === "4" && f[3] === String(code);

describe("faults, limits and other clients", () => {
  const open: { sims: RunningSimulator[]; clients: TestClient[]; raws: RawClient[] } = { sims: [], clients: [], raws: [] };
  const sim = async (settings: Partial<SimulatorSettings> = {}): Promise<RunningSimulator> => {
    const s = await startTestSimulator(settings);
    open.sims.push(s);
    return s;
  };
  const connect = async (s: RunningSimulator, clientId: number): Promise<TestClient> => {
    const c = await TestClient.connect(s.address.port, clientId);
    open.clients.push(c);
    return c;
  };
  const raw = async (s: RunningSimulator, version?: string): Promise<RawClient> => {
    const r = await RawClient.connect(s.address.port, version);
    open.raws.push(r);
    return r;
  };
  afterEach(async () => {
    for (const c of open.clients.splice(0)) c.disconnect();
    for (const r of open.raws.splice(0)) r.close();
    for (const s of open.sims.splice(0)) await s.close();
  });

  it("answers ib_async's startup sequence (§3.1) with every End within 500 ms", async () => {
    const s = await sim();
    const client = await raw(s, "v157..178");
    const reply = await client.frame((f) => f.length === 2);
    expect(reply[0]).toBe("176");
    client.send("71", "2", "0", "");
    await client.frame((f) => f[0] === "9");
    const accounts = await client.frame((f) => f[0] === "15");
    expect(accounts).toEqual(["15", "1", "DU1234567"]);
    const started = Date.now();
    client.send("15", "1", "1");
    client.send("61", "1");
    client.send("5", "1");
    client.send("99", "0");
    client.send("6", "2", "1", "DU1234567");
    client.send("76", "1", "9001", "DU1234567", "", "0");
    await Promise.all([
      client.frame((f) => f[0] === "62"),
      client.frame((f) => f[0] === "53"),
      client.frame((f) => f.length === 1 && f[0] === "102"),
      client.frame((f) => f[0] === "54" && f[2] === "DU1234567"),
      client.frame((f) => f[0] === "74" && f[2] === "9001"),
    ]);
    client.send("7", "3", "9002", "0", "", "", "", "", "", "");
    await client.frame((f) => f[0] === "55" && f[2] === "9002");
    expect(Date.now() - started).toBeLessThan(500);
    // No error was sent for any of them.
    expect(client.frames.filter((f) => f.fields[0] === "4" && !["2104", "2106", "2158"].includes(f.fields[3] ?? ""))).toEqual([]);
  });

  it("survives malformed input: bad frames, unknown ids, wrong field counts, garbage connections", async () => {
    const s = await sim();
    const bystander = await connect(s, 5);
    const client = await raw(s, "v100..193");
    await client.frame((f) => f.length === 2);
    client.send("71", "2", "3", "");
    await client.frame((f) => f[0] === "9");
    client.send("999", "1", "x"); // unknown id
    client.send("1", "11", "abc"); // reqMktData with a non-numeric ticker id
    client.send("9", "8", "77", "0", "SPY"); // reqContractDetails with too few fields
    client.send("abc"); // not even a message id
    client.write(encodeFrame([]));
    const errors = await Promise.all([
      client.frame((f) => isError(320)(f) && f[4]?.includes("999") === true),
      client.frame((f) => isError(320)(f) && f[2] === "77"),
    ]);
    expect(errors).toHaveLength(2);
    // The connection still works, and so does everyone else's.
    client.send("49", "1");
    await client.frame((f) => f[0] === "49");
    const garbage = await raw(s, "v1");
    await garbage.whenClosed();
    const notApi = new RawClientLike(s.address.port);
    await notApi.closed;
    const time = bystander.next(EventName.currentTime);
    bystander.ib.reqCurrentTime();
    await time;
  });

  it("connectivity lost → 1100, orders refused; restored with 1102 (data kept) or 1101 (lines dropped)", async () => {
    const s = await sim();
    const client = await connect(s, 1);
    client.ib.reqMktData(1, SPY, "", false, false);
    await client.seenOrNext(EventName.tickPrice, (a) => a[0] === 1);
    s.faults.apply({ kind: "connectivityLost", dataLost: false, durationMs: 60_000 });
    await client.next(EventName.info, (a) => a[1] === 1100);
    const refused = client.next(EventName.error, (a) => a[2] === 500 && a[1] === 201);
    client.ib.placeOrder(500, SPY, { action: OrderAction.BUY, orderType: OrderType.MKT, totalQuantity: 1, transmit: true });
    await refused;
    expect(s.server.stats().activeFaults.map((f) => f.kind)).toContain("connectivityLost");
    const kept = client.next(EventName.info, (a) => a[1] === 1102);
    s.server.advanceClockTo(s.server.now() + 61_000);
    await kept;
    expect(s.server.stats().marketDataLines.inUse).toBe(1);

    s.faults.apply({ kind: "connectivityLost", dataLost: true, durationMs: 60_000 });
    await client.next(EventName.info, (a) => a[1] === 1100);
    const lost = client.next(EventName.info, (a) => a[1] === 1101);
    s.server.advanceClockTo(s.server.now() + 61_000);
    await lost;
    expect(s.server.stats().marketDataLines.inUse).toBe(0);
  });

  it("farm broken/ok notices, competing session 10197 and order rejection 201", async () => {
    const s = await sim();
    const client = await connect(s, 1);
    s.faults.apply({ kind: "farm", farm: "historical", ok: false });
    await client.next(EventName.info, (a) => a[1] === 2105);
    const hmds = client.next(EventName.error, (a) => a[2] === 7 && a[1] === 162);
    client.ib.reqHistoricalData(7, SPY, "", "1 M", BarSizeSetting.DAYS_ONE, WhatToShow.TRADES, 1, 1, false);
    await hmds;
    s.server.setFarmStatus("historical", true);
    await client.next(EventName.info, (a) => a[1] === 2106);

    s.faults.apply({ kind: "competingSession" });
    await client.next(EventName.info, (a) => a[1] === 10197);

    s.faults.apply({ kind: "rejectOrders", reason: "simulated rejection", count: 1 });
    const rejected = client.next(EventName.error, (a) => a[2] === 600 && a[1] === 201);
    client.ib.placeOrder(600, SPY, { action: OrderAction.BUY, orderType: OrderType.LMT, lmtPrice: 1, totalQuantity: 1, transmit: true });
    expect(String((await rejected).args[0])).toContain("simulated rejection");
    // Only the next order: the one after it is accepted.
    const accepted = client.next(EventName.orderStatus, (a) => a[0] === 601);
    client.ib.placeOrder(601, SPY, { action: OrderAction.BUY, orderType: OrderType.LMT, lmtPrice: 1, totalQuantity: 1, transmit: true });
    expect((await accepted).args[1]).not.toBe("Inactive");
  });

  it("restart window closes every socket and refuses connections until it ends", async () => {
    const s = await sim();
    const client = await raw(s);
    await client.frame((f) => f.length === 2);
    client.send("71", "2", "1", "");
    await client.frame((f) => f[0] === "9");
    s.faults.apply({ kind: "restartWindow", durationMs: 5 * 60_000 });
    await client.whenClosed();
    const refused = await raw(s);
    await refused.whenClosed();
    expect(s.server.stats().connections.refused).toBeGreaterThanOrEqual(1);
    s.server.advanceClockTo(s.server.now() + 6 * 60_000);
    const back = await connect(s, 2);
    expect(back.all(EventName.nextValidId)).toHaveLength(1);
  });

  it("slow responses are delayed; dropped responses never arrive", async () => {
    const s = await sim();
    const client = await raw(s);
    await client.frame((f) => f.length === 2);
    client.send("71", "2", "1", "");
    await client.frame((f) => f[0] === "9");
    s.faults.apply({ kind: "slowResponses", delayMs: 300 });
    const sent = Date.now();
    client.send("49", "1");
    await client.frame((f) => f[0] === "49");
    expect(Date.now() - sent).toBeGreaterThanOrEqual(280);
    s.faults.clear();
    s.faults.apply({ kind: "dropResponses", fraction: 1 });
    client.send("8", "1", "1");
    await sleep(200);
    expect(client.frames.filter((f) => f.fields[0] === "9")).toHaveLength(1);
    s.faults.clear();
    client.send("8", "1", "1");
    await client.frame((f) => f[0] === "9" && client.frames.filter((x) => x.fields[0] === "9").length === 2);
  });

  it("error 100 past 50 messages in a second, then disconnects after repeated violations", async () => {
    const s = await sim({ maxMessagesPerSecond: 50, rateDisconnectAfter: 2 });
    const client = await raw(s);
    await client.frame((f) => f.length === 2);
    client.send("71", "2", "1", "");
    await client.frame((f) => f[0] === "9");
    for (let i = 0; i < 50; i++) client.send("49", "1");
    await sleep(50);
    expect(client.frames.filter((f) => isError(100)(f.fields))).toHaveLength(0);
    client.send("49", "1");
    await client.frame(isError(100));
    // One error 100 per offending second: the next burst, a second later, is the 2nd violation.
    await sleep(1050);
    for (let i = 0; i < 60; i++) client.send("49", "1");
    await client.whenClosed();
    const stats = s.server.stats();
    expect(stats.pacing.messageRateViolations).toBeGreaterThanOrEqual(2);
    expect(stats.pacing.disconnects).toBe(1);
    expect(stats.messages.peakPerSecond).toBeGreaterThan(50);
  });

  it("error 101 past the market-data line limit; a cancelled line frees its slot", async () => {
    const s = await sim({ lineLimit: 3 });
    const client = await connect(s, 1);
    for (const id of [1, 2, 3]) client.ib.reqMktData(id, SPY, "", false, false);
    const over = client.next(EventName.error, (a) => a[2] === 4 && a[1] === 101);
    client.ib.reqMktData(4, SPY, "", false, false);
    await over;
    client.ib.cancelMktData(1);
    client.ib.reqMktData(5, SPY, "", false, false);
    await client.next(EventName.tickPrice, (a) => a[0] === 5);
    const stats = s.server.stats().marketDataLines;
    expect(stats).toMatchObject({ inUse: 3, limit: 3, rejected: 1 });
  });

  it("error 162 for historical-data pacing (identical request within 15 s)", async () => {
    const s = await sim();
    const client = await connect(s, 1);
    const first = client.next(EventName.historicalData, (a) => a[0] === 1 && String(a[1]).startsWith("finished"));
    client.ib.reqHistoricalData(1, SPY, "", "1 M", BarSizeSetting.DAYS_ONE, WhatToShow.TRADES, 1, 1, false);
    await first;
    const paced = client.next(EventName.error, (a) => a[2] === 2 && a[1] === 162);
    client.ib.reqHistoricalData(2, SPY, "", "1 M", BarSizeSetting.DAYS_ONE, WhatToShow.TRADES, 1, 1, false);
    expect(String((await paced).args[0])).toContain("pacing violation");
    expect(s.server.stats().pacing.historicalViolations).toBe(1);
  });
});

/** A connection that sends HTTP instead of the API handshake: the server must close it. */
class RawClientLike {
  readonly closed: Promise<void>;
  constructor(port: number) {
    this.closed = import("node:net").then(
      (net) =>
        new Promise<void>((resolve) => {
          const socket = net.connect(port, "127.0.0.1", () => socket.write("GET / HTTP/1.1\r\n\r\n"));
          socket.on("error", () => undefined);
          socket.on("close", () => {
            resolve();
          });
        }),
    );
  }
}
