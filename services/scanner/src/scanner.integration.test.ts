// Integration (the done-means): scanner + gateway + TWS simulator over real sockets. The
// simulator runs in-process on port 0; the gateway is the production build (buildGateway with
// gatewayAreas, leader election off) on a real server; the scanner runs from serviceMain with the
// real engine and a connect-node client of that gateway.
import { Code, createClient } from "@connectrpc/connect";
import type { Client } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { ScanResult, ScanUniverseResponse } from "@spreadops/api";
import { ErrorCode, OptionRight, ScannerService, SpreadKind, SpreadKindSelection } from "@spreadops/api";
import { buildGateway, gatewayAreas, gatewayOptions } from "@spreadops/gateway";
import type { Clock, RunningService } from "@spreadops/runtime";
import { buildServer, createLogger, createMetrics, defaultServerInterceptors, Lifecycle, parseConfig, Readiness, serviceMain, systemClock } from "@spreadops/runtime";
import type { RunningSimulator } from "@spreadops/tws-sim";
import { startSimulator } from "@spreadops/tws-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultEngine } from "./default-engine.js";
import type { ScannerConfig } from "./scanner-main.js";
import { scannerDefinition } from "./scanner-main.js";

const SESSION_START = Date.parse("2026-03-10T14:00:00Z");
const SYMBOLS = ["SPY", "QQQ", "IWM", "DIA", "AAPL", "MSFT", "NVDA", "AMZN", "META", "GOOGL"];
const FILTERS = { dte: { min: 20, max: 60 }, shortDelta: { min: 0.15, max: 0.4 }, width: { min: 1, max: 10 } };

const quiet = () => createLogger({ service: "scanner-it", level: "silent", destination: { write: () => true } });

describe("ScanUniverse over scanner + gateway + simulator", () => {
  let sim: RunningSimulator;
  let gatewayLifecycle: Lifecycle;
  let gatewayServer: ReturnType<typeof buildServer>;
  let scanner: RunningService<ScannerConfig> | undefined;
  let sessions: Http2SessionManager;
  let client: Client<typeof ScannerService>;
  /** Per symbol, the simulator's listed options by con id. */
  let listedOptions: Map<string, Map<number, { expiry: number; strike: number; right: string }>>;

  beforeAll(async () => {
    sim = await startSimulator(
      { seed: 42, clock: "stepped", startMs: SESSION_START, port: 0, host: "127.0.0.1", minTickIntervalMs: 0, loopIntervalMs: 20, maxMessagesPerSecond: 1000 },
      quiet(),
    );
    // The gateway's clock follows simulated time (DTE counts from the simulator's date) yet moves
    // with the wall clock, so its throttles and timeouts work while the stepped simulator stands still.
    const offset = sim.server.now() - Date.now();
    const clock: Clock = { now: () => Date.now() + offset, sleep: (ms, signal) => systemClock.sleep(ms, signal), setTimer: (ms, fn) => systemClock.setTimer(ms, fn) };
    const parsed = parseConfig(gatewayOptions(), {
      argv: ["--leader-election", "off", "--tws-port", String(sim.address.port), "--tws-client-id", "5", "--tws-restart-window", "off"],
      env: {},
    });
    // Lines stay at IB's default 100 on both sides: ten concurrent chains compete for them.
    // The simulator accepts 1000 msg/s in tests, so the gateway's budget is raised past IB's 50
    // (beyond what the option's validation allows) to keep the suite fast.
    const config = { ...parsed, twsMessageBudget: 400, twsMessageCap: 500 };
    // DEBUG_IT=1 shows the gateway's warnings and errors when this test needs diagnosing.
    const logger = process.env.DEBUG_IT ? createLogger({ service: "gw", level: "warn", destination: { write: (t: string) => { process.stderr.write(t); return true; } } }) : quiet();
    const metrics = createMetrics({ service: "gateway-it", defaultMetrics: false });
    const readiness = new Readiness();
    gatewayLifecycle = new Lifecycle({ logger });
    const gateway = buildGateway({ config, logger, metrics, readiness, lifecycle: gatewayLifecycle, areas: gatewayAreas, clock, kubeConfig: null });
    const restored = new Promise<void>((resolve) => gateway.connection.onEvent("restored", () => { resolve(); }));
    gateway.start();
    gatewayServer = buildServer({ routes: gateway.routes, interceptors: defaultServerInterceptors({ logger, metrics }), logger, metrics, readiness });
    const gatewayAddress = await gatewayServer.listen(0, "127.0.0.1");
    await restored;

    scanner = await serviceMain(scannerDefinition("0.0.0-test", { engine: defaultEngine }), {
      argv: ["--port", "0", "--host", "127.0.0.1", "--log-level", "silent", "--log-format", "json", "--gateway-url", gatewayAddress.url, "--fetch-timeout", "60s", "--scan-timeout", "90s"],
      env: {},
      stdout: () => undefined,
      stderr: () => undefined,
      exit: () => undefined,
    });
    sessions = new Http2SessionManager(scanner?.address.url ?? "");
    client = createClient(ScannerService, createConnectTransport({ baseUrl: scanner?.address.url ?? "", httpVersion: "2", sessionManager: sessions }));

    // What the simulator lists, to check every candidate's legs against.
    listedOptions = new Map();
    for (const symbol of SYMBOLS) {
      const listed = new Map<number, { expiry: number; strike: number; right: string }>();
      for (const contract of sim.server.world.market.findContracts({ symbol, secType: "OPT" })) {
        if (contract.secType !== "OPT") continue;
        listed.set(contract.conId, { expiry: Number(contract.expiry.replaceAll("-", "")), strike: contract.strike, right: contract.right });
      }
      listedOptions.set(symbol, listed);
    }
  }, 30_000);

  afterAll(async () => {
    sessions.abort();
    await scanner?.stop();
    await gatewayServer.close({ drainTimeoutMs: 500 });
    await gatewayLifecycle.shutdown();
    await sim.close();
  });

  it("returns ranked bull put candidates for 10 symbols and a per-symbol error for an unknown one", async () => {
    const targets = [...SYMBOLS.slice(0, 5), "ZZZZ", ...SYMBOLS.slice(5)].map((symbol) => ({ symbol }));
    const messages: ScanUniverseResponse[] = [];
    for await (const message of client.scanUniverse(
      { targets, filters: FILTERS, settings: { kind: SpreadKindSelection.BULL_PUT, topK: 5 }, maxConcurrency: 4 },
      { timeoutMs: 120_000 },
    )) {
      messages.push(message);
    }
    expect(messages).toHaveLength(11);
    expect(messages.map((m) => m.completed)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(new Set(messages.map((m) => m.targetIndex)).size).toBe(11);

    const unknown = messages.find((m) => m.symbol === "ZZZZ");
    expect(unknown?.outcome.case).toBe("error");
    if (unknown?.outcome.case === "error") {
      expect(unknown.outcome.value.code).toBe(ErrorCode.NOT_FOUND);
      expect(unknown.outcome.value.message).toContain("ZZZZ");
    }

    for (const symbol of SYMBOLS) {
      const message = messages.find((m) => m.symbol === symbol);
      expect({ symbol, outcome: message?.outcome.case, error: message?.outcome.case === "error" ? message.outcome.value.message : undefined }).toEqual({ symbol, outcome: "result", error: undefined });
      if (message?.outcome.case !== "result") continue;
      checkRanked(symbol, message.outcome.value);
    }
  }, 120_000);

  function checkRanked(symbol: string, result: ScanResult): void {
    const listed = listedOptions.get(symbol);
    expect(result.underlyingSymbol).toBe(symbol);
    expect(result.candidates.length, `${symbol} has candidates`).toBeGreaterThan(0);
    expect(result.candidates.length).toBeLessThanOrEqual(5);
    expect(result.candidates.map((c) => c.rank)).toEqual(result.candidates.map((_, i) => i + 1));
    for (let i = 1; i < result.candidates.length; i++) {
      expect(result.candidates[i]?.score ?? 0).toBeLessThanOrEqual(result.candidates[i - 1]?.score ?? 0);
    }
    for (const c of result.candidates) {
      expect(c.kind).toBe(SpreadKind.BULL_PUT);
      expect(c.right).toBe(OptionRight.PUT);
      expect(c.dte).toBeGreaterThanOrEqual(20);
      expect(c.dte).toBeLessThanOrEqual(60);
      expect(c.width).toBeGreaterThanOrEqual(1);
      expect(c.width).toBeLessThanOrEqual(10);
      expect(Math.abs(c.shortLeg?.delta ?? Number.NaN)).toBeGreaterThanOrEqual(0.15);
      expect(Math.abs(c.shortLeg?.delta ?? Number.NaN)).toBeLessThanOrEqual(0.4);
      // Both legs are listed puts of this underlying with the chain's expiry and strikes.
      for (const leg of [c.shortLeg, c.longLeg]) {
        expect(leg?.expiry).toBe(c.expiry);
        expect(listed?.get(leg?.conId ?? 0), `${c.key} leg ${leg?.conId} listed`).toEqual({ expiry: c.expiry, strike: leg?.strike, right: "P" });
      }
      expect((c.shortLeg?.strike ?? 0) - (c.longLeg?.strike ?? 0)).toBeCloseTo(c.width, 9);
    }
  }

  it("ScanSpreads of an unknown symbol answers NotFound from the gateway", async () => {
    await expect(
      client.scanSpreads({ chainSource: { case: "fetch", value: { query: { underlyingSymbol: "ZZZZ" } } }, filters: FILTERS, settings: { kind: SpreadKindSelection.BULL_PUT } }),
    ).rejects.toMatchObject({ code: Code.NotFound });
  });
});
