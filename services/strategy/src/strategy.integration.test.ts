// Integration (the done-means): strategy + scanner + gateway + TWS simulator over real
// sockets, as in services/scanner/src/scanner.integration.test.ts. The simulator runs in-process
// on port 0; the gateway is the production build; the scanner runs from serviceMain, the strategy on a
// real server with Connect clients of the real upstreams. The open-trades port is either a fake
// (to stage a P&L) or ExecutionOpenTrades over a real execution service on the same gateway, whose
// spreads the tests place and close on the simulator.
import { clone, create } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import type { Client } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { Direction, DropReason, ExecutionService, GatewayService, Indicator, ScannerService, SpreadKind, SpreadKindSelection, StrategyRiskSchema, StrategyService, StrategySpecSchema, TradePhase, TradingMode } from "@spreadops/api";
import type { ExecutionConfig } from "@spreadops/execution";
import { executionDefinition } from "@spreadops/execution";
import { buildGateway, gatewayAreas, gatewayOptions } from "@spreadops/gateway";
import type { Clock, RunningService } from "@spreadops/runtime";
import { buildServer, connectService, createLogger, createMetrics, defaultServerInterceptors, Lifecycle, parseConfig, Readiness, serviceMain, systemClock } from "@spreadops/runtime";
import { defaultEngine, scannerDefinition } from "@spreadops/scanner";
import type { ScannerConfig } from "@spreadops/scanner";
import type { RunningSimulator } from "@spreadops/tws-sim";
import { startSimulator } from "@spreadops/tws-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExecutionOpenTrades } from "./open-trades.js";
import type { OpenTradesPort } from "./ports.js";
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
  const stagedTrades: OpenTradesPort = { list: () => Promise.resolve(openTrades) };
  let openTradesPort: OpenTradesPort = stagedTrades;
  let execution: RunningService<ExecutionConfig> | undefined;
  let executionClient: Client<typeof ExecutionService>;

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
    // Tracing is process-wide: the execution service shares the scanner's; the strategy is wired
    // by hand from the same parts its definition uses, on a real server.
    const tracing = scanner?.tracing;
    if (tracing === undefined) throw new Error("the scanner did not start");
    execution = await serviceMain(executionDefinition("0.0.0-test"), {
      ...io,
      tracing,
      argv: ["--port", "0", "--host", "127.0.0.1", "--log-level", "silent", "--log-format", "json", "--gateway-url", gatewayAddress.url],
    });
    const executionConnection = connectService(ExecutionService, { baseUrl: execution?.address.url ?? "" });
    executionClient = executionConnection.client;
    closers.push(() => { executionConnection.close(); });
    const gatewayClient = connectService(GatewayService, { baseUrl: gatewayAddress.url });
    const scannerClient = connectService(ScannerService, { baseUrl: scanner?.address.url ?? "" });
    closers.push(() => { gatewayClient.close(); }, () => { scannerClient.close(); });
    const strategyMetrics = createMetrics({ service: "strategy-it", defaultMetrics: false });
    const evaluator = new StrategyEvaluator(
      { gateway: gatewayClient.client, scanner: scannerClient.client, openTrades: { list: (ref, options) => openTradesPort.list(ref, options) }, now: () => clock.now(), logger, metrics: createStrategyMetrics(strategyMetrics) },
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
    await execution?.stop();
    await scanner?.stop();
    await gatewayServer.close({ drainTimeoutMs: 500 });
    await gatewayLifecycle.shutdown();
    await sim.close();
  });

  it("proposes sized bull puts with reasons for the symbols whose signals agree", async () => {
    openTradesPort = stagedTrades;
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
    openTradesPort = stagedTrades;
    openTrades = { openTrades: [], realizedTodayUsd: -800, unrealizedUsd: -450 };
    const response = await client.evaluate({ strategyRef: "default/it", spec: SPEC }, { timeoutMs: 120_000 });
    expect(response.proposals).toEqual([]);
    expect(response.risk).toMatchObject({ dailyLossBreached: true, dayPnlUsd: -1250, maxDailyLossUsd: 1000 });
    const breached = response.dropped.filter((d) => d.reason === DropReason.MAX_DAILY_LOSS);
    expect(breached.length).toBeGreaterThan(0);
    expect(breached[0]?.message).toBe("today's P&L -1250 USD reached maxDailyLoss 1000 USD: no new entries today");
  }, 120_000);
  /** A listed SPY bull put ~2 % out of the money, 5 wide, with its natural prices now. */
  function bullPut(): { expiry: number; shortStrike: number; longStrike: number; openNatural: number; closeNatural: number } {
    const market = sim.server.world.market;
    const spot = market.quote(market.stock("SPY")?.conId ?? 0);
    const s = spot?.kind === "stock" ? (spot.bid + spot.ask) / 2 : 0;
    const expiry = market.optionChain("SPY")?.expirations.find((e) => e.lastTradeTime - sim.server.now() > 25 * 86_400_000);
    const strikes = (expiry?.strikes ?? []).filter((k) => k < s * 0.98);
    const shortStrike = strikes.at(-1) ?? 0;
    const longStrike = [...strikes].reverse().find((k) => k <= shortStrike - 5) ?? 0;
    const q = (k: number): { bid: number; ask: number } => {
      const quote = market.quote(market.findContracts({ symbol: "SPY", expiry: expiry?.expiry ?? "", strike: k, right: "P" })[0]?.conId ?? 0);
      if (quote?.kind !== "option") throw new Error(`no quote for ${k}`);
      return quote;
    };
    return {
      expiry: Number((expiry?.expiry ?? "").replaceAll("-", "")), shortStrike, longStrike,
      openNatural: q(shortStrike).bid - q(longStrike).ask,
      closeNatural: q(shortStrike).ask - q(longStrike).bid,
    };
  }
  const cents = (x: number, dir: "up" | "down"): number => (dir === "up" ? Math.ceil(x * 100 - 1e-6) : Math.floor(x * 100 + 1e-6)) / 100;
  const trade = (tradeId: string, strategyRef: string, p: ReturnType<typeof bullPut>, limitPrice: number) => ({
    tradeId, strategyRef, underlying: "SPY", kind: SpreadKind.BULL_PUT, expiry: p.expiry, shortStrike: p.shortStrike, longStrike: p.longStrike, quantity: 1, limitPrice, mode: TradingMode.PAPER,
  });
  /** Polls the execution service (without moving the clock) until the spread is in `phase`. */
  async function phase(tradeId: string, wanted: TradePhase): Promise<void> {
    const deadline = Date.now() + 15_000;
    while ((await executionClient.getSpread({ tradeId })).order?.phase !== wanted) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${tradeId} to be ${TradePhase[wanted]}`);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  }
  /**
   * Opens and closes a spread at natural within one simulated second (the market moves once per
   * simulated second), so the round trip loses exactly the legs' bid–ask spreads plus commissions.
   */
  async function roundTripAtALoss(tradeId: string, strategyRef: string): Promise<number> {
    sim.server.advanceClockTo(Math.ceil(sim.server.now() / 1000) * 1000 + 1);
    const p = bullPut();
    await executionClient.placeSpread({ trade: trade(tradeId, strategyRef, p, cents(p.openNatural, "down")), automatic: true });
    sim.server.advanceClockTo(sim.server.now() + 100); // ack 20 ms, fill 50 ms later
    await phase(tradeId, TradePhase.OPEN);
    await executionClient.closeSpread({ tradeId, limitPrice: cents(p.closeNatural, "up") });
    sim.server.advanceClockTo(sim.server.now() + 100);
    await phase(tradeId, TradePhase.CLOSED);
    return (await executionClient.getSpread({ tradeId })).order?.realizedPnlUsd ?? Number.NaN;
  }

  it("ExecutionOpenTrades over the real execution service: its open spreads and today's realized P&L", async () => {
    const ref = "default/it-open";
    const realized = await roundTripAtALoss("st-open-closed", ref);
    expect(realized).toBeLessThan(0);
    const p = bullPut();
    await executionClient.placeSpread({ trade: trade("st-open-resting", ref, p, cents(p.openNatural + 0.5, "up")), automatic: true });
    await executionClient.placeSpread({ trade: trade("st-other-strategy", "default/other", p, cents(p.openNatural + 0.5, "up")), automatic: true });
    const port = new ExecutionOpenTrades(executionClient, { now: () => Date.now(), timeZone: "America/New_York" });
    const snapshot = await port.list(ref);
    const resting = (await executionClient.getSpread({ tradeId: "st-open-resting" })).order;
    expect(snapshot.openTrades).toEqual([{ symbol: "SPY", expiry: p.expiry, maxLossUsd: resting?.maxLossUsd }]);
    expect(snapshot.realizedTodayUsd).toBeCloseTo(realized, 9);
    expect(snapshot.unrealizedUsd).toBe(0);
    for (const id of ["st-open-resting", "st-other-strategy"]) await executionClient.cancelSpread({ tradeId: id, reason: "test over" });
  }, 60_000);

  it("end to end: a loss realized through the execution service beyond maxDailyLoss blocks new entries", async () => {
    const ref = "default/it-loss";
    const realized = await roundTripAtALoss("st-loss-1", ref);
    expect(realized).toBeLessThan(-1);
    openTradesPort = new ExecutionOpenTrades(executionClient, { now: () => Date.now(), timeZone: "America/New_York" });
    try {
      const spec = clone(StrategySpecSchema, SPEC);
      spec.risk = create(StrategyRiskSchema, { ...SPEC.risk, maxDailyLoss: 1 });
      const response = await client.evaluate({ strategyRef: ref, spec }, { timeoutMs: 120_000 });
      expect(response.proposals).toEqual([]);
      expect(response.risk?.dailyLossBreached).toBe(true);
      expect(response.risk?.dayPnlUsd).toBeCloseTo(realized, 9);
      const breached = response.dropped.filter((d) => d.reason === DropReason.MAX_DAILY_LOSS);
      expect(breached.map((d) => d.symbol).sort()).toEqual(response.symbols.filter((s) => s.entryAgreed).map((s) => s.symbol).sort());
      expect(breached[0]?.message).toMatch(/^today's P&L -\d+(\.\d+)? USD reached maxDailyLoss 1 USD: no new entries today$/);
      // The same spec for a strategy without losses today still proposes.
      const clean = await client.evaluate({ strategyRef: "default/it-clean", spec }, { timeoutMs: 120_000 });
      expect(clean.risk?.dailyLossBreached).toBe(false);
      expect(clean.proposals.length).toBeGreaterThan(0);
    } finally {
      openTradesPort = stagedTrades;
    }
  }, 120_000);
});
