// Integration (the real path): TWS simulator + gateway + scanner + strategy + execution as
// real Connect servers on loopback (the strategy and execution integration tests' harness), and
// the controller over an EmbeddedStore talking to them through Connect clients. A paper Strategy
// with auto approval is applied; a Trade reaches Open on the simulator; `spec.close: true`
// closes it. The simulator's clock is stepped by a pump, so fills happen as time moves.
import { ExecutionService, GatewayService, ScannerService, StrategyService } from "@spreadops/api";
import { KillSwitch, SpreadExecutor, createExecutionMetrics, executionServiceHandlers } from "@spreadops/execution";
import { buildGateway, gatewayAreas, gatewayOptions } from "@spreadops/gateway";
import type { StrategyResource, TradeResource } from "@spreadops/resources";
import { API_VERSION, EmbeddedStore, STRATEGY, TRADE } from "@spreadops/resources";
import type { Clock, RunningService } from "@spreadops/runtime";
import { buildServer, connectService, createLogger, createMetrics, defaultServerInterceptors, Lifecycle, parseConfig, Readiness, serviceMain, systemClock } from "@spreadops/runtime";
import { defaultEngine, scannerDefinition } from "@spreadops/scanner";
import type { ScannerConfig } from "@spreadops/scanner";
import { ExecutionOpenTrades, StrategyEvaluator, StrategyServiceHandler, createStrategyMetrics, registerStrategyRoutes } from "@spreadops/strategy";
import type { RunningSimulator } from "@spreadops/tws-sim";
import { startSimulator } from "@spreadops/tws-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Controller } from "./build-controller.js";
import { buildController } from "./build-controller.js";

const SESSION_START = Date.parse("2026-03-10T14:00:00Z"); // 10:00 in New York: inside 09:45–15:45
const io = { env: {}, stdout: () => undefined, stderr: () => undefined, exit: () => undefined };
const quiet = () => createLogger({ service: "controller-it", level: "silent", destination: { write: () => true } });
const NS = "paper";

describe("controller over the real services and the simulator", () => {
  let sim: RunningSimulator;
  let gatewayLifecycle: Lifecycle;
  const servers: ReturnType<typeof buildServer>[] = [];
  const closers: (() => void)[] = [];
  let scanner: RunningService<ScannerConfig> | undefined;
  let executor: SpreadExecutor;
  let store: EmbeddedStore;
  let controller: Controller;
  let pumping = true;
  let pump: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    sim = await startSimulator(
      { seed: 42, clock: "stepped", startMs: SESSION_START, port: 0, host: "127.0.0.1", minTickIntervalMs: 0, loopIntervalMs: 20, maxMessagesPerSecond: 1000 },
      quiet(),
    );
    const offset = sim.server.now() - Date.now();
    const clock: Clock = { now: () => Date.now() + offset, sleep: (ms, signal) => systemClock.sleep(ms, signal), setTimer: (ms, fn) => systemClock.setTimer(ms, fn) };
    const logger = quiet();

    // Gateway: the production build on the simulator.
    const parsed = parseConfig(gatewayOptions(), { argv: ["--leader-election", "off", "--tws-port", String(sim.address.port), "--tws-client-id", "7", "--tws-restart-window", "off"], env: {} });
    const gatewayMetrics = createMetrics({ service: "gateway-it", defaultMetrics: false });
    const readiness = new Readiness();
    gatewayLifecycle = new Lifecycle({ logger });
    const gateway = buildGateway({ config: { ...parsed, twsMessageBudget: 400, twsMessageCap: 500 }, logger, metrics: gatewayMetrics, readiness, lifecycle: gatewayLifecycle, areas: gatewayAreas, clock, kubeConfig: null });
    const restored = new Promise<void>((resolve) => gateway.connection.onEvent("restored", () => { resolve(); }));
    gateway.start();
    const gatewayServer = buildServer({ routes: gateway.routes, interceptors: defaultServerInterceptors({ logger, metrics: gatewayMetrics }), logger, metrics: gatewayMetrics, readiness });
    servers.push(gatewayServer);
    const gatewayUrl = (await gatewayServer.listen(0, "127.0.0.1")).url;
    await restored;

    // Scanner: its own serviceMain (one per process: tracing is process-wide).
    scanner = await serviceMain(scannerDefinition("0.0.0-test", { engine: defaultEngine }), {
      ...io, argv: ["--port", "0", "--host", "127.0.0.1", "--log-level", "silent", "--gateway-url", gatewayUrl, "--fetch-timeout", "60s", "--scan-timeout", "90s"],
    });
    const client = <S extends Parameters<typeof connectService>[0]>(service: S, baseUrl: string) => {
      const connection = connectService(service, { baseUrl });
      closers.push(() => { connection.close(); });
      return connection.client;
    };

    // Execution: the production executor and handlers on a real server.
    const executionMetrics = createMetrics({ service: "execution-it", defaultMetrics: false });
    executor = new SpreadExecutor(
      { gateway: client(GatewayService, gatewayUrl), clock, logger, metrics: createExecutionMetrics(executionMetrics), killSwitch: new KillSwitch(false) },
      { allowLive: false, maxRiskPerTradeUsd: 5000, callTimeoutMs: 20_000 },
    );
    executor.start();
    const executionServer = buildServer({ routes: (router) => { router.service(ExecutionService, executionServiceHandlers(executor, () => clock.now())); }, interceptors: defaultServerInterceptors({ logger, metrics: executionMetrics }), logger, metrics: executionMetrics, readiness: new Readiness() });
    servers.push(executionServer);
    const executionUrl = (await executionServer.listen(0, "127.0.0.1")).url;

    // Strategy: the production evaluator and handler on a real server.
    const strategyMetrics = createMetrics({ service: "strategy-it", defaultMetrics: false });
    const evaluator = new StrategyEvaluator(
      { gateway: client(GatewayService, gatewayUrl), scanner: client(ScannerService, scanner?.address.url ?? ""), openTrades: new ExecutionOpenTrades(client(ExecutionService, executionUrl), { now: () => clock.now(), timeZone: "America/New_York" }), now: () => clock.now(), logger, metrics: createStrategyMetrics(strategyMetrics) },
      { gatewayTimeoutMs: 60_000 },
    );
    const strategyServer = buildServer({ routes: (router) => { registerStrategyRoutes(router, new StrategyServiceHandler({ evaluator })); }, interceptors: defaultServerInterceptors({ logger, metrics: strategyMetrics }), logger, metrics: strategyMetrics, readiness: new Readiness() });
    servers.push(strategyServer);
    const strategyUrl = (await strategyServer.listen(0, "127.0.0.1")).url;

    // The controller over an embedded store, through Connect clients of the three services.
    store = new EmbeddedStore({ types: [{ type: STRATEGY }, { type: TRADE }], clock });
    controller = buildController({
      store,
      strategy: client(StrategyService, strategyUrl),
      execution: client(ExecutionService, executionUrl),
      gateway: client(GatewayService, gatewayUrl),
      clock, logger, metrics: createMetrics({ service: "controller-it", defaultMetrics: false }),
      tuning: { trade: { pollIntervalMs: 250, exitCheckIntervalMs: 2_000, rpcTimeoutMs: 60_000 }, evaluateTimeoutMs: 120_000, rateLimit: { baseDelayMs: 250, maxDelayMs: 5_000 } },
    });
    await controller.start();

    // Simulated time moves (the simulator matches orders only as its clock advances).
    pump = (async () => {
      while (pumping) {
        sim.server.advanceClockTo(sim.server.now() + 100);
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
  }, 60_000);

  afterAll(async () => {
    pumping = false;
    await pump;
    await controller.stop();
    executor.stop();
    for (const close of closers) close();
    for (const server of servers.reverse()) await server.close({ drainTimeoutMs: 500 });
    await scanner?.stop();
    await gatewayLifecycle.shutdown();
    await sim.close();
  });

  const trades = async (): Promise<TradeResource[]> => (await store.list<TradeResource>(TRADE, NS)).items;
  async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value, null, 1).slice(0, 2_000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it("a paper Strategy with auto approval opens a Trade on the simulator; spec.close: true closes it", async () => {
    await store.create<StrategyResource>(STRATEGY, {
      apiVersion: API_VERSION, kind: "Strategy", metadata: { name: "spy-paper", namespace: NS },
      spec: {
        mode: "paper",
        universe: { symbols: ["SPY"] },
        schedule: { scanInterval: "5m", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } },
        // The simulator's bars satisfy this for SPY: RSI is below 100 unless every bar gained.
        entry: [{ indicator: "rsi", period: 14, below: 100, direction: "bullish" }],
        spread: { kind: "bullPut", dte: { min: 20, max: 60 }, shortDelta: { min: 0.15, max: 0.4 }, width: { min: 1, max: 10 } },
        risk: { maxOpenTrades: 1, maxRiskPerTrade: 2000, maxDailyLoss: 1000, takeProfitPercent: 90 },
        execution: { approval: "auto", limitOffset: 0.05, walk: { steps: 3, every: "1s" } },
      },
    });

    const [opened] = await waitFor(trades, (ts) => ts[0]?.status?.phase === "Open" || ts[0]?.status?.phase === "Rejected", "a trade to open", 150_000);
    expect(opened?.status?.phase, opened?.status?.message).toBe("Open");
    const uid = opened?.metadata.uid ?? "";
    expect(opened?.spec).toMatchObject({ strategyRef: "spy-paper", underlying: "SPY", kind: "bullPut", approved: true, mode: "paper" });
    expect(opened?.status).toMatchObject({ orderRef: uid, filledQuantity: opened?.spec?.quantity });
    expect(opened?.status?.fills?.length).toBeGreaterThanOrEqual(2);
    expect(opened?.status?.preview?.maxLoss).toBeGreaterThan(0);
    // The order at the broker carries the trade's uid as its orderRef, exactly once.
    const atBroker = sim.server.world.broker.allOpenOrders().filter((o) => o.orderRef === uid);
    expect(atBroker.length).toBeLessThanOrEqual(1);
    const strategy = await waitFor(() => store.get<StrategyResource>(STRATEGY, NS, "spy-paper"), (s) => s.status?.openTrades === 1, "strategy roll-up", 10_000);
    expect(strategy.status?.phase).toBe("Active");
    expect(strategy.status?.conditions?.find((c) => c.type === "BrokerConnected")?.status).toBe("True");

    await store.patch(TRADE, NS, opened?.metadata.name ?? "", { spec: { close: true } });
    const [closed] = await waitFor(trades, (ts) => ts[0]?.status?.phase === "Closed", "the trade to close", 90_000);
    expect(closed?.status?.exit?.reason).toBe("manual");
    expect(closed?.status?.realizedPnl).toBeDefined();
    expect(closed?.status?.closeOrderId).toBeGreaterThan(0);
    // The Event follows the status write that decided it.
    const reasons = await waitFor(async () => (await store.listEvents(NS, { kind: "Trade", name: closed?.metadata.name ?? "" })).map((e) => e.reason), (r) => r.includes("Closed"), "the Closed event", 5_000);
    expect(reasons).toEqual(expect.arrayContaining(["Proposed", "Approved", "Previewed", "Submitted", "Opened", "Closing", "Closed"]));
    expect(await trades()).toHaveLength(1);
  }, 300_000);
});
