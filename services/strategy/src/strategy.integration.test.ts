// Integration (the done-means): strategy + scanner + gateway + TWS simulator over real
// sockets, as in services/scanner/src/scanner.integration.test.ts. The simulator runs in-process
// on port 0; the gateway is the production build; the scanner runs from serviceMain, the strategy on a
// real server with Connect clients of the real upstreams. Only the open-trades port is faked (the execution
// service is built in parallel), so a daily-loss breach can be staged.
import { createClient } from "@connectrpc/connect";
import type { Client } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { Direction, DropReason, GatewayService, Indicator, ScannerService, SpreadKind, SpreadKindSelection, StrategyService } from "@spreadops/api";
import { buildGateway, gatewayAreas, gatewayOptions } from "@spreadops/gateway";
import type { Clock, RunningService } from "@spreadops/runtime";
import { buildServer, connectService, createLogger, createMetrics, defaultServerInterceptors, Lifecycle, parseConfig, Readiness, serviceMain, systemClock } from "@spreadops/runtime";
import { defaultEngine, scannerDefinition } from "@spreadops/scanner";
import type { ScannerConfig } from "@spreadops/scanner";
import type { RunningSimulator } from "@spreadops/tws-sim";
import { startSimulator } from "@spreadops/tws-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenTradesSnapshot } from "./risk-budget.js";
import { StrategyEvaluator } from "./evaluator.js";
import { registerStrategyRoutes } from "./routes.js";
import { createStrategyMetrics } from "./strategy-metrics.js";
import { StrategyServiceHandler } from "./strategy-service.js";
import { validSpec } from "./testing/specs.js";

const SESSION_START = Date.parse("2026-03-10T14:00:00Z"); // 10:00 in New York (EDT): inside 09:45–15:45
const SYMBOLS = ["SPY", "QQQ", "IWM"];
const io = { env: {}, stdout: () => undefined, stderr: () => undefined, exit: () => undefined };
const quiet = () => createLogger({ service: "strategy-it", level: "silent", destination: { write: () => true } });

// A permissive rule set the simulator's bars satisfy for every symbol: RSI is below 100 unless
// every change in 14 bars was a gain.
const SPEC = validSpec({
  universe: { symbols: SYMBOLS },
  entry: [{ indicator: Indicator.RSI, period: 14, below: 100, direction: Direction.BULLISH }],
  spread: { kind: SpreadKindSelection.BULL_PUT, dte: { min: 20, max: 60 }, shortDelta: { min: 0.15, max: 0.4 }, width: { min: 1, max: 10 } },
  risk: { maxOpenTrades: 5, maxRiskPerTrade: 2000, maxDailyLoss: 1000 },
});

describe("Evaluate over strategy + scanner + gateway + simulator", () => {
  let sim: RunningSimulator;
  let gatewayLifecycle: Lifecycle;
  let gatewayServer: ReturnType<typeof buildServer>;
  let scanner: RunningService<ScannerConfig> | undefined;
  let strategyServer: ReturnType<typeof buildServer>;
  const closers: (() => void)[] = [];
  let sessions: Http2SessionManager;
  let client: Client<typeof StrategyService>;
  let openTrades: OpenTradesSnapshot = { openTrades: [], realizedTodayUsd: 0, unrealizedUsd: 0 };

  beforeAll(async () => {
    sim = await startSimulator(
      { seed: 42, clock: "stepped", startMs: SESSION_START, port: 0, host: "127.0.0.1", minTickIntervalMs: 0, loopIntervalMs: 20, maxMessagesPerSecond: 1000 },
      quiet(),
    );
    const offset = sim.server.now() - Date.now();
    const clock: Clock = { now: () => Date.now() + offset, sleep: (ms, signal) => systemClock.sleep(ms, signal), setTimer: (ms, fn) => systemClock.setTimer(ms, fn) };
    const parsed = parseConfig(gatewayOptions(), {
      argv: ["--leader-election", "off", "--tws-port", String(sim.address.port), "--tws-client-id", "6", "--tws-restart-window", "off"],
      env: {},
    });
    const config = { ...parsed, twsMessageBudget: 400, twsMessageCap: 500 };
    const logger = quiet();
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
      ...io,
      argv: ["--port", "0", "--host", "127.0.0.1", "--log-level", "silent", "--gateway-url", gatewayAddress.url, "--fetch-timeout", "60s", "--scan-timeout", "90s"],
    });
    // One serviceMain per process (tracing is process-wide): the strategy is wired by hand from
    // the same parts its definition uses, on a real server.
    const gatewayClient = connectService(GatewayService, { baseUrl: gatewayAddress.url });
    const scannerClient = connectService(ScannerService, { baseUrl: scanner?.address.url ?? "" });
    closers.push(() => { gatewayClient.close(); }, () => { scannerClient.close(); });
    const strategyMetrics = createMetrics({ service: "strategy-it", defaultMetrics: false });
    const evaluator = new StrategyEvaluator(
      { gateway: gatewayClient.client, scanner: scannerClient.client, openTrades: { list: () => Promise.resolve(openTrades) }, now: () => clock.now(), logger, metrics: createStrategyMetrics(strategyMetrics) },
      { gatewayTimeoutMs: 60_000 },
    );
    const handler = new StrategyServiceHandler({ evaluator });
    strategyServer = buildServer({ routes: (router) => { registerStrategyRoutes(router, handler); }, interceptors: defaultServerInterceptors({ logger, metrics: strategyMetrics }), logger, metrics: strategyMetrics, readiness: new Readiness() });
    const strategyAddress = await strategyServer.listen(0, "127.0.0.1");
    sessions = new Http2SessionManager(strategyAddress.url);
    client = createClient(StrategyService, createConnectTransport({ baseUrl: strategyAddress.url, httpVersion: "2", sessionManager: sessions }));
  }, 30_000);

  afterAll(async () => {
    sessions.abort();
    await strategyServer.close({ drainTimeoutMs: 500 });
    for (const close of closers) close();
    await scanner?.stop();
    await gatewayServer.close({ drainTimeoutMs: 500 });
    await gatewayLifecycle.shutdown();
    await sim.close();
  });

  it("proposes sized bull puts with reasons for the symbols whose signals agree", async () => {
    openTrades = { openTrades: [], realizedTodayUsd: 0, unrealizedUsd: 0 };
    const response = await client.evaluate({ strategyRef: "default/it", spec: SPEC }, { timeoutMs: 120_000 });
    const detail = JSON.stringify(response.dropped.map((d) => [d.symbol, DropReason[d.reason], d.message]));
    expect(response.inTradingWindow).toBe(true);
    expect(response.symbols.map((s) => s.symbol)).toEqual(SYMBOLS);
    for (const s of response.symbols) {
      expect(s.signals).toHaveLength(1);
      expect(s.signals[0]?.values[0]?.label).toBe("rsi(14)");
    }
    const agreed = response.symbols.filter((s) => s.entryAgreed).map((s) => s.symbol);
    expect(agreed.length, detail).toBeGreaterThan(0);
    expect(response.proposals.length, detail).toBeGreaterThan(0);
    for (const p of response.proposals) {
      expect(agreed).toContain(p.symbol);
      expect(p.candidate?.kind).toBe(SpreadKind.BULL_PUT);
      expect(p.quantity).toBe(Math.floor(2000 / (p.candidate?.maxLossPerSpreadUsd ?? Infinity)));
      expect(p.riskUsedUsd).toBeLessThanOrEqual(2000);
      expect(p.reason).toMatch(/^RSI\(14\) \d+\.\d < 100: bullish → enter bullish; fixed by spec: bull put; bull put /);
      expect(p.proposalKey).toBe(`default/it/${p.candidate?.key ?? ""}/20260310`);
    }
    expect(response.risk?.proposedRiskUsd).toBeCloseTo(response.proposals.reduce((s, p) => s + p.riskUsedUsd, 0), 6);
  }, 120_000);

  it("a daily loss beyond maxDailyLoss blocks new entries, saying why", async () => {
    openTrades = { openTrades: [], realizedTodayUsd: -800, unrealizedUsd: -450 };
    const response = await client.evaluate({ strategyRef: "default/it", spec: SPEC }, { timeoutMs: 120_000 });
    expect(response.proposals).toEqual([]);
    expect(response.risk).toMatchObject({ dailyLossBreached: true, dayPnlUsd: -1250, maxDailyLossUsd: 1000 });
    const breached = response.dropped.filter((d) => d.reason === DropReason.MAX_DAILY_LOSS);
    expect(breached.length).toBeGreaterThan(0);
    expect(breached[0]?.message).toBe("today's P&L -1250 USD reached maxDailyLoss 1000 USD: no new entries today");
  }, 120_000);
});
