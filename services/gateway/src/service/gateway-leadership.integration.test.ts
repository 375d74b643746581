// Integration: two gateways (buildGateway, real TwsConnection, real LeaderElector on one shared
// lease store) against the TWS simulator over real sockets, with short leader-election timings.
import { create } from "@bufbuild/protobuf";
import { GetConnectionStatusRequestSchema } from "@spreadops/api";
import type { Logger } from "@spreadops/runtime";
import { createLogger, createMetrics, leaderElectionOptions, Lifecycle, MemoryLeaseStore, parseConfig, Readiness } from "@spreadops/runtime";
import { startSimulator } from "@spreadops/tws-sim";
import type { RunningSimulator } from "@spreadops/tws-sim";
import { afterEach, describe, expect, it } from "vitest";
import { twsConnectionOptions } from "../connection/options.js";
import type { Gateway } from "./build.js";
import { buildGateway } from "./build.js";
import { PartitionableStore } from "./testing/partitionable-store.js";
import { recordingAreas } from "./testing/fake-areas.js";

const CLIENT_ID = 9;
const options = { ...twsConnectionOptions, ...leaderElectionOptions("gateway") };

function quietLogger(): Logger {
  return createLogger({ service: "gateway-test", level: "silent", destination: { write: () => true } });
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sim(): Promise<RunningSimulator> {
  const s = await startSimulator(
    { seed: 42, clock: "stepped", startMs: Date.parse("2026-03-10T14:00:00Z"), port: 0, host: "127.0.0.1", minTickIntervalMs: 0, loopIntervalMs: 20, maxMessagesPerSecond: 1000 },
    quietLogger(),
  );
  cleanups.push(() => s.close());
  return s;
}

interface Replica {
  readonly name: string;
  readonly gateway: Gateway;
  readonly readiness: Readiness;
  readonly lifecycle: Lifecycle;
}

/** One gateway replica as `main` would build it, from flags. */
function replica(name: string, simPort: number, extraArgs: readonly string[], store?: PartitionableStore): Replica {
  const config = parseConfig(options, {
    argv: [
      "--tws-port", String(simPort),
      "--tws-client-id", String(CLIENT_ID),
      "--tws-restart-window", "off",
      "--tws-backoff-initial", "50ms",
      "--tws-backoff-max", "200ms",
      "--tws-connect-timeout", "2s",
      "--market-data-type", "3",
      "--lease-namespace", "test",
      "--leader-identity", name,
      // client-go's proportions, shrunk: 1 s lease, 600 ms renew deadline, 200 ms retry.
      "--lease-duration", "1s",
      "--renew-deadline", "600ms",
      "--retry-period", "200ms",
      ...extraArgs,
    ],
    env: {},
  });
  const logger = quietLogger();
  const readiness = new Readiness();
  const lifecycle = new Lifecycle({ logger });
  const areas = recordingAreas();
  const gateway = buildGateway({
    config,
    logger,
    metrics: createMetrics({ service: `gateway-${name}` }),
    readiness,
    lifecycle,
    areas: () => ({ market: areas.market, orders: areas.orders }),
    env: {},
    kubeConfig: null,
    ...(store === undefined ? {} : { leaseStore: store }),
  });
  cleanups.push(() => lifecycle.shutdown());
  return { name, gateway, readiness, lifecycle };
}

const holdsSession = (r: Replica): boolean => ["connecting", "connected", "degraded"].includes(r.gateway.connection.status.state);
const connected = (r: Replica): boolean => r.gateway.connection.status.state === "connected";

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Samples every 2 ms: the simulator's started sessions, and which replicas hold (or are opening)
 * a session or believe they lead. Any sample with two is a violation.
 */
function watchOverlap(s: RunningSimulator, replicas: readonly Replica[]) {
  const violations: string[] = [];
  let samples = 0;
  const timer = setInterval(() => {
    samples += 1;
    const { current, clientIds } = s.server.stats().connections;
    if (current > 1 || clientIds.filter((id) => id === CLIENT_ID).length > 1) violations.push(`simulator: ${current} sessions ${clientIds.join(",")}`);
    const holding = replicas.filter(holdsSession).map((r) => r.name);
    if (holding.length > 1) violations.push(`both hold a session: ${holding.join(",")}`);
    const leading = replicas.filter((r) => r.gateway.leadership.isLeader()).map((r) => r.name);
    if (leading.length > 1) violations.push(`both lead: ${leading.join(",")}`);
  }, 2);
  cleanups.push(() => { clearInterval(timer); });
  return {
    stop: () => {
      clearInterval(timer);
      return { violations, samples };
    },
  };
}

async function readinessOf(r: Replica): Promise<Record<string, boolean>> {
  const report = await r.readiness.evaluate();
  return Object.fromEntries(report.checks.map((c) => [c.name, c.ok]));
}

/** Time (Date.now) of the first status event matching `predicate` from now on. */
function whenState(r: Replica, state: string): { at?: number } {
  const seen: { at?: number } = {};
  const off = r.gateway.connection.onEvent("status", (status) => {
    if (status.state === state && seen.at === undefined) seen.at = Date.now();
  });
  cleanups.push(off);
  return seen;
}

describe("gateway leadership against the simulator", () => {
  it("hands the one TWS session over from A to B when A stops gracefully, never both", async () => {
    const s = await sim();
    const shared = new MemoryLeaseStore();
    const a = replica("a", s.address.port, [], new PartitionableStore(shared));
    const b = replica("b", s.address.port, [], new PartitionableStore(shared));
    const overlap = watchOverlap(s, [a, b]);

    a.gateway.start();
    await until(() => connected(a), 5000, "A connected");
    b.gateway.start();
    // B campaigns for a few rounds and stays a follower without a session.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(b.gateway.leadership.isLeader()).toBe(false);
    expect(b.gateway.connection.status.state).toBe("disconnected");
    expect(await readinessOf(a)).toEqual({ "tws-connected": true, leader: true });
    expect(await readinessOf(b)).toEqual({ "tws-connected": false, leader: false });
    expect(s.server.stats().connections.clientIds).toEqual([CLIENT_ID]);
    const standby = b.gateway.service.getConnectionStatus(create(GetConnectionStatusRequestSchema, {}));
    expect(standby.status?.leader).toBe(false);

    const aDown = whenState(a, "disconnected");
    const bUp = whenState(b, "connected");
    await a.lifecycle.shutdown(); // SIGTERM: stop leading (TWS closed) and release the lease
    await until(() => connected(b), 5000, "B connected");
    expect(aDown.at).toBeDefined();
    expect(bUp.at).toBeGreaterThanOrEqual(aDown.at ?? Number.POSITIVE_INFINITY);

    const { violations, samples } = overlap.stop();
    expect(samples).toBeGreaterThan(100);
    expect(violations).toEqual([]);
    expect(s.server.stats().connections.clientIds).toEqual([CLIENT_ID]);
    expect(b.gateway.connection.status.lastErrors.some((e) => e.code === 326)).toBe(false);
    expect(await readinessOf(b)).toEqual({ "tws-connected": true, leader: true });
  }, 20_000);

  it("a partitioned leader steps down and disconnects before the other replica connects", async () => {
    const s = await sim();
    const shared = new MemoryLeaseStore();
    const aStore = new PartitionableStore(shared);
    const a = replica("a", s.address.port, [], aStore);
    const b = replica("b", s.address.port, [], new PartitionableStore(shared));
    const overlap = watchOverlap(s, [a, b]);

    a.gateway.start();
    await until(() => connected(a), 5000, "A connected");
    b.gateway.start();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(b.gateway.leadership.isLeader()).toBe(false);

    const aDown = whenState(a, "disconnected");
    const bUp = whenState(b, "connected");
    const cutAt = Date.now();
    aStore.partitioned = true; // A can no longer renew; B still reaches the store
    await until(() => connected(b), 8000, "B connected");
    // A stopped within its renew deadline (plus a retry period of slack) of the cut …
    expect((aDown.at ?? Number.POSITIVE_INFINITY) - cutAt).toBeLessThan(600 + 400);
    // … and B connected only after that.
    expect(bUp.at).toBeGreaterThan(aDown.at ?? Number.POSITIVE_INFINITY);
    expect(a.gateway.leadership.isLeader()).toBe(false);
    expect(a.gateway.connection.status.state).toBe("disconnected");

    const { violations } = overlap.stop();
    expect(violations).toEqual([]);
    expect(s.server.stats().connections.clientIds).toEqual([CLIENT_ID]);
    expect(b.gateway.connection.status.lastErrors.some((e) => e.code === 326)).toBe(false);
  }, 20_000);

  it("a second gateway with the same client id gets 326, says so in its status and retries on the same id", async () => {
    const s = await sim();
    const a = replica("a", s.address.port, ["--leader-election", "off"]);
    const b = replica("b", s.address.port, ["--leader-election", "off"]);
    a.gateway.start();
    await until(() => connected(a), 5000, "A connected");
    b.gateway.start();
    await until(() => (b.gateway.connection.status.reconnects.clientIdInUse ?? 0) >= 2, 5000, "two 326 retries");

    const internal = b.gateway.connection.status;
    expect(internal.reason).toMatch(new RegExp(`client id ${CLIENT_ID} is already in use.*326.*never changed`));
    const { status } = b.gateway.service.getConnectionStatus(create(GetConnectionStatusRequestSchema, {}));
    expect(status?.clientId).toBe(CLIENT_ID);
    expect(status?.leader).toBe(true);
    expect(status?.lastErrors.find((e) => e.code === 326)?.message).toMatch(/client id/i);
    expect(s.server.stats().connections.clientIds).toEqual([CLIENT_ID]);
    expect(await readinessOf(b)).toEqual({ "tws-connected": false, leader: true });

    // When A goes away, B's next retry gets the session — still with the same id.
    await a.lifecycle.shutdown();
    await until(() => connected(b), 5000, "B connected after A left");
    expect(b.gateway.connection.status.clientId).toBe(CLIENT_ID);
    expect(s.server.stats().connections.clientIds).toEqual([CLIENT_ID]);
  }, 20_000);
});
