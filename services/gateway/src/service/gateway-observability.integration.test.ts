// Integration: what an operator watches — ConnectionStatus's host, port and identity, and the
// WatchPacingStats stream — from the whole gateway as main runs it (serviceMain, production
// areas) against the TWS simulator, over real Connect calls.
import { hostname } from "node:os";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import type { Client } from "@connectrpc/connect";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { PacingStats } from "@spreadops/api";
import { ConnectionState, GatewayService, GetConnectionStatusRequestSchema, SecType } from "@spreadops/api";
import type { RunningService } from "@spreadops/runtime";
import { createLogger, createMetrics, leaderElectionOptions, Lifecycle, parseConfig, Readiness, serviceMain } from "@spreadops/runtime";
import type { RunningSimulator } from "@spreadops/tws-sim";
import { startSimulator } from "@spreadops/tws-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { twsConnectionOptions } from "../connection/options.js";
import type { GatewayConfig } from "../gateway-main.js";
import { gatewayDefinition } from "../gateway-main.js";
import { buildGateway } from "./build.js";
import { recordingAreas } from "./testing/fake-areas.js";

const IDENTITY = "spreadops-gateway-0";
const quiet = () => createLogger({ service: "gateway-test", level: "silent", destination: { write: () => true } });

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A WatchPacingStats call whose messages are collected as they arrive. */
function watchPacing(client: Client<typeof GatewayService>, intervalMs: number) {
  const abort = new AbortController();
  const seen: { readonly receivedAt: number; readonly stats: PacingStats }[] = [];
  const startedAt = Date.now();
  const interval = { seconds: BigInt(Math.floor(intervalMs / 1000)), nanos: (intervalMs % 1000) * 1_000_000 };
  const ended = (async (): Promise<ConnectError | undefined> => {
    try {
      for await (const message of client.watchPacingStats({ interval }, { signal: abort.signal })) {
        if (message.stats !== undefined) seen.push({ receivedAt: Date.now(), stats: message.stats });
      }
      return undefined;
    } catch (error) {
      return ConnectError.from(error);
    }
  })();
  return { seen, ended, startedAt, abort: () => { abort.abort(); } };
}

describe("gateway status and pacing stream against the simulator", () => {
  let sim: RunningSimulator;
  let running: RunningService<GatewayConfig> | undefined;
  let sessions: Http2SessionManager;
  let client: Client<typeof GatewayService>;

  beforeAll(async () => {
    sim = await startSimulator(
      { seed: 42, clock: "stepped", startMs: Date.parse("2026-03-10T14:00:00Z"), port: 0, host: "127.0.0.1", minTickIntervalMs: 0, loopIntervalMs: 20, maxMessagesPerSecond: 1000 },
      quiet(),
    );
    running = await serviceMain(gatewayDefinition("0.0.0-test"), {
      argv: [
        "--port", "0", "--host", "127.0.0.1", "--log-level", "silent",
        "--leader-election", "off", "--leader-identity", IDENTITY,
        "--tws-host", "127.0.0.1", "--tws-port", String(sim.address.port), "--tws-client-id", "5", "--tws-restart-window", "off",
      ],
      env: {},
      stdout: () => undefined,
      stderr: () => undefined,
      exit: () => undefined,
    });
    if (running === undefined) throw new Error("gateway did not start");
    sessions = new Http2SessionManager(running.address.url);
    client = createClient(GatewayService, createConnectTransport({ baseUrl: running.address.url, httpVersion: "2", sessionManager: sessions }));
    let state = ConnectionState.UNSPECIFIED;
    const deadline = Date.now() + 5000;
    while (state !== ConnectionState.CONNECTED && Date.now() < deadline) {
      state = (await client.getConnectionStatus({})).status?.state ?? ConnectionState.UNSPECIFIED;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(state).toBe(ConnectionState.CONNECTED);
  }, 20_000);

  afterAll(async () => {
    sessions.abort();
    await running?.stop();
    await sim.close();
  });

  it("ConnectionStatus names the configured TWS host and port and this replica's identity, unary and streamed", async () => {
    const { status } = await client.getConnectionStatus({});
    expect(status).toMatchObject({ state: ConnectionState.CONNECTED, leader: true, twsHost: "127.0.0.1", twsPort: sim.address.port, identity: IDENTITY });
    for await (const message of client.watchConnectionStatus({})) {
      expect(message.status).toMatchObject({ twsHost: "127.0.0.1", twsPort: sim.address.port, identity: IDENTITY });
      break;
    }
  });

  it("WatchPacingStats sends the current counters at once, without waiting for the interval", async () => {
    const watch = watchPacing(client, 60_000);
    await until(() => watch.seen.length > 0, 5000, "the first message");
    expect(watch.seen[0]?.stats.messageLimitPerSecond).toBe(50);
    expect(watch.seen[0]?.stats.messageBudgetPerSecond).toBe(45);
    watch.abort();
    expect((await watch.ended)?.code).toBe(Code.Canceled);
    expect(watch.seen).toHaveLength(1);
  });

  it("WatchPacingStats sends one message per interval, reflecting the requests sent and lines held", async () => {
    const watch = watchPacing(client, 250);
    await until(() => watch.seen.length >= 3, 5000, "three messages");
    const before = watch.seen.length;
    // Hold a market-data line: resolving SPY and subscribing send messages to TWS.
    const quotesAbort = new AbortController();
    const quotes = client.streamQuotes({ contracts: [{ symbol: "SPY", secType: SecType.STOCK }] }, { signal: quotesAbort.signal })[Symbol.asyncIterator]();
    expect((await quotes.next()).done).toBe(false);
    await until(() => watch.seen.slice(before).some((m) => m.stats.marketDataLinesUsed >= 1 && m.stats.messagesLastSecond > 0), 5000, "the line and the messages in the stats");
    quotesAbort.abort();
    await quotes.return?.().catch(() => undefined);

    watch.abort();
    expect((await watch.ended)?.code).toBe(Code.Canceled);
    const count = watch.seen.length;
    const asOf = watch.seen.map((m) => timestampMs(m.stats.asOf ?? timestampFromMs(0)));
    // Spaced by the interval (fixed delay after each message), not faster.
    for (let i = 1; i < asOf.length; i++) expect((asOf[i] ?? 0) - (asOf[i - 1] ?? 0)).toBeGreaterThanOrEqual(245);
    expect(watch.seen[0]?.stats.marketDataLinesUsed).toBe(0);
    // Nothing more arrives after the cancel.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(watch.seen).toHaveLength(count);
  }, 20_000);

  it("WatchPacingStats refuses an interval of 100 ms with InvalidArgument naming the field, the range and the value", async () => {
    const watch = watchPacing(client, 100);
    const error = await watch.ended;
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toBe('invalid interval: expected a duration from 0.25 to 60 s, got "0s 100000000ns"');
    expect(watch.seen).toEqual([]);
  });
});

describe("the identity a gateway reports without --leader-identity", () => {
  it.each(["off", "on"] as const)("is the runtime's default (HOSTNAME plus a suffix) with --leader-election %s and no cluster", async (election) => {
    const config = parseConfig({ ...twsConnectionOptions, ...leaderElectionOptions("gateway") }, { argv: ["--leader-election", election, "--tws-host", "tws.internal", "--tws-port", "4002"], env: {} });
    const lifecycle = new Lifecycle({ logger: quiet() });
    const areas = recordingAreas();
    const gateway = buildGateway({
      config,
      logger: quiet(),
      metrics: createMetrics({ service: "gateway-identity-test", defaultMetrics: false }),
      readiness: new Readiness(),
      lifecycle,
      areas: () => ({ market: areas.market, orders: areas.orders }),
      env: { HOSTNAME: "spreadops-gateway-7d9f8-x2k4q" },
      kubeConfig: null,
    });
    try {
      const { status } = gateway.service.getConnectionStatus(create(GetConnectionStatusRequestSchema, {}));
      expect(status?.identity).toMatch(/^spreadops-gateway-7d9f8-x2k4q_[0-9a-f]{8}$/);
      expect(status?.identity).toBe(gateway.leadership.identity);
      expect(status).toMatchObject({ twsHost: "tws.internal", twsPort: 4002 });
    } finally {
      await lifecycle.shutdown();
    }
  });

  it("falls back to the machine's host name when HOSTNAME is unset", async () => {
    const config = parseConfig({ ...twsConnectionOptions, ...leaderElectionOptions("gateway") }, { argv: ["--leader-election", "off"], env: {} });
    const lifecycle = new Lifecycle({ logger: quiet() });
    const areas = recordingAreas();
    const gateway = buildGateway({
      config,
      logger: quiet(),
      metrics: createMetrics({ service: "gateway-identity-test", defaultMetrics: false }),
      readiness: new Readiness(),
      lifecycle,
      areas: () => ({ market: areas.market, orders: areas.orders }),
      env: {},
      kubeConfig: null,
    });
    try {
      const { status } = gateway.service.getConnectionStatus(create(GetConnectionStatusRequestSchema, {}));
      expect(status?.identity.startsWith(`${hostname()}_`)).toBe(true);
    } finally {
      await lifecycle.shutdown();
    }
  });
});
