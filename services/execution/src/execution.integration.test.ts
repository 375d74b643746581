// Integration: execution service + gateway + TWS simulator over real sockets (the scanner's
// harness). The simulator's clock is stepped: nothing fills until the test moves it, so every
// fill below happens where the test says.
import { create } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import type { Client } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { StreamSpreadEventsResponse, TradeSpec } from "@spreadops/api";
import { ExecutionService, ExitAction, ExitReason, OrderStatus, SpreadKind, TradePhase, TradeSpecSchema, TradingMode } from "@spreadops/api";
import { buildGateway, gatewayAreas, gatewayOptions } from "@spreadops/gateway";
import type { Clock, RunningService } from "@spreadops/runtime";
import { buildServer, createLogger, createMetrics, defaultServerInterceptors, Lifecycle, parseConfig, Readiness, serviceMain, systemClock } from "@spreadops/runtime";
import type { RunningSimulator } from "@spreadops/tws-sim";
import { startSimulator } from "@spreadops/tws-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecutionConfig } from "./execution-main.js";
import { executionDefinition } from "./execution-main.js";
import { createExecutionMetrics } from "./execution-metrics.js";
import { connectGateway } from "./gateway-client.js";
import type { GatewayPort } from "./gateway-port.js";
import { KillSwitch } from "./kill-switch.js";
import { SpreadExecutor } from "./spread-executor.js";

const SESSION_START = Date.parse("2026-03-10T14:00:00Z");
const quiet = () => createLogger({ service: "execution-it", level: "silent", destination: { write: () => true } });

interface Pick {
  readonly kind: SpreadKind;
  readonly expiry: number;
  readonly shortStrike: number;
  readonly longStrike: number;
  readonly natural: number;
  readonly mid: number;
}

describe("ExecutionService over gateway + simulator", () => {
  let sim: RunningSimulator;
  let gatewayLifecycle: Lifecycle;
  let gatewayServer: ReturnType<typeof buildServer>;
  let gatewayUrl = "";
  let execution: RunningService<ExecutionConfig> | undefined;
  let killSwitch: KillSwitch | undefined;
  let sessions: Http2SessionManager;
  let client: Client<typeof ExecutionService>;

  const placed = (): number => sim.server.stats().messages.receivedByType.placeOrder ?? 0;
  const ordersWithRef = (ref: string): number => sim.server.world.broker.allOpenOrders().filter((o) => o.orderRef === ref).length;

  /** Moves simulated time in small steps until `check` passes (fills need the clock to move). */
  async function pumpUntil(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      sim.server.advanceClockTo(sim.server.now() + 100);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  }

  /** A listed vertical ~25–60 DTE a few percent out of the money, with its quotes now. */
  function pickSpread(kind: SpreadKind.BULL_PUT | SpreadKind.BEAR_CALL): Pick {
    const market = sim.server.world.market;
    const spot = market.quote(market.stock("SPY")?.conId ?? 0);
    const s = spot?.kind === "stock" ? (spot.bid + spot.ask) / 2 : 0;
    const chain = market.optionChain("SPY");
    const expiry = chain?.expirations.find((e) => e.lastTradeTime - sim.server.now() > 25 * 86_400_000);
    const put = kind === SpreadKind.BULL_PUT;
    const strikes = (expiry?.strikes ?? []).filter((k) => (put ? k < s * 0.98 : k > s * 1.02));
    const shortStrike = (put ? strikes.at(-1) : strikes[0]) ?? 0;
    const longStrike = (put ? [...strikes].reverse().find((k) => k <= shortStrike - 5) : strikes.find((k) => k >= shortStrike + 5)) ?? 0;
    const q = (k: number): { bid: number; ask: number } => {
      const conId = market.findContracts({ symbol: "SPY", expiry: expiry?.expiry ?? "", strike: k, right: put ? "P" : "C" })[0]?.conId ?? 0;
      const quote = market.quote(conId);
      if (quote?.kind !== "option") throw new Error(`no quote for ${k}`);
      return quote;
    };
    const sq = q(shortStrike);
    const lq = q(longStrike);
    return {
      kind,
      expiry: Number((expiry?.expiry ?? "").replaceAll("-", "")),
      shortStrike,
      longStrike,
      natural: sq.bid - lq.ask,
      mid: (sq.bid + sq.ask) / 2 - (lq.bid + lq.ask) / 2,
    };
  }

  /** What closing costs now (short ask − long bid) from the simulator's own book, plus a margin that makes it marketable. */
  function marketableClose(p: Pick): number {
    const market = sim.server.world.market;
    const exp = `${String(p.expiry).slice(0, 4)}-${String(p.expiry).slice(4, 6)}-${String(p.expiry).slice(6)}`;
    const right = p.kind === SpreadKind.BULL_PUT ? "P" : "C";
    const q = (k: number): { bid: number; ask: number } => {
      const quote = market.quote(market.findContracts({ symbol: "SPY", expiry: exp, strike: k, right })[0]?.conId ?? 0);
      if (quote?.kind !== "option") throw new Error(`no quote for ${k}`);
      return quote;
    };
    return cents(q(p.shortStrike).ask - q(p.longStrike).bid + 0.05, "up");
  }

  const spec = (tradeId: string, p: Pick, limitPrice: number, over: { quantity?: number; mode?: TradingMode } = {}): TradeSpec =>
    create(TradeSpecSchema, {
      tradeId, strategyRef: "default/spy", underlying: "SPY", kind: p.kind, expiry: p.expiry, shortStrike: p.shortStrike, longStrike: p.longStrike,
      quantity: 1, limitPrice, mode: TradingMode.PAPER, ...over,
    });
  const cents = (x: number, dir: "up" | "down"): number => (dir === "up" ? Math.ceil(x * 100 - 1e-6) : Math.floor(x * 100 + 1e-6)) / 100;

  beforeAll(async () => {
    sim = await startSimulator(
      { seed: 42, clock: "stepped", startMs: SESSION_START, port: 0, host: "127.0.0.1", minTickIntervalMs: 0, loopIntervalMs: 20, maxMessagesPerSecond: 1000 },
      quiet(),
    );
    const offset = sim.server.now() - Date.now();
    const clock: Clock = { now: () => Date.now() + offset, sleep: (ms, signal) => systemClock.sleep(ms, signal), setTimer: (ms, fn) => systemClock.setTimer(ms, fn) };
    const parsed = parseConfig(gatewayOptions(), {
      argv: ["--leader-election", "off", "--tws-port", String(sim.address.port), "--tws-client-id", "5", "--tws-restart-window", "off"],
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
    gatewayUrl = (await gatewayServer.listen(0, "127.0.0.1")).url;
    await restored;

    execution = await serviceMain(executionDefinition("0.0.0-test", { onExecutor: (_, ks) => { killSwitch = ks; } }), {
      argv: ["--port", "0", "--host", "127.0.0.1", "--log-level", "silent", "--log-format", "json", "--gateway-url", gatewayUrl],
      env: {},
      stdout: () => undefined,
      stderr: () => undefined,
      exit: () => undefined,
    });
    sessions = new Http2SessionManager(execution?.address.url ?? "");
    client = createClient(ExecutionService, createConnectTransport({ baseUrl: execution?.address.url ?? "", httpVersion: "2", sessionManager: sessions }));
  }, 30_000);

  afterAll(async () => {
    sessions.abort();
    await execution?.stop();
    await gatewayServer.close({ drainTimeoutMs: 500 });
    await gatewayLifecycle.shutdown();
    await sim.close();
  });

  it("previews a bull put: margin, commission, max profit/loss, breakeven; places nothing", async () => {
    const p = pickSpread(SpreadKind.BULL_PUT);
    const before = ordersWithRef("");
    const limit = cents(p.mid, "up");
    const { preview } = await client.previewSpread({ trade: spec("", p, limit) });
    const width = p.shortStrike - p.longStrike;
    expect(preview?.initMargin).toBeGreaterThan(0);
    expect(preview?.commissionUsd).toBeGreaterThan(0);
    expect(preview?.multiplier).toBe(100);
    expect(preview?.maxProfitUsd).toBeCloseTo(limit * 100, 6);
    expect(preview?.maxLossUsd).toBeCloseTo((width - limit) * 100, 6);
    expect(preview?.breakeven).toBeCloseTo(p.shortStrike - limit, 9);
    expect(preview?.brokerLimitPrice).toBe(-limit);
    expect(preview?.automaticExecutionAllowed).toBe(true);
    expect(preview?.naturalPrice).toBeCloseTo(p.natural, 6);
    expect(ordersWithRef("")).toBe(before);
  });

  for (const kind of [SpreadKind.BULL_PUT, SpreadKind.BEAR_CALL] as const) {
    it(`places and fills a ${SpreadKind[kind]} at natural, then closes it`, async () => {
      const p = pickSpread(kind);
      const id = `it-fill-${kind}`;
      const first = await client.placeSpread({ trade: spec(id, p, cents(p.natural, "down")), automatic: true });
      expect(first.adopted).toBe(false);
      expect(first.order?.entry?.brokerLimitPrice).toBeLessThan(0);
      await pumpUntil(async () => (await client.getSpread({ tradeId: id })).order?.phase === TradePhase.OPEN, "opening fill");
      const open = (await client.getSpread({ tradeId: id })).order;
      expect(open?.openQuantity).toBe(1);
      expect(open?.entry?.legFills).toHaveLength(2);
      expect(open?.entry?.avgFillPrice).toBeGreaterThan(0);

      const closing = await client.closeSpread({ tradeId: id, reason: ExitReason.MANUAL, message: "test", limitPrice: marketableClose(p) });
      expect(closing.order?.exit?.action).toBe(2);
      await pumpUntil(async () => (await client.getSpread({ tradeId: id })).order?.phase === TradePhase.CLOSED, "closing fill", 30_000);
      const closed = (await client.getSpread({ tradeId: id })).order;
      expect(closed?.openQuantity).toBe(0);
      expect(closed?.realizedPnlUsd).toBeDefined();
    }, 60_000);
  }

  it("a crash between sending and recording: a new instance adopts the order, exactly one order at the broker", async () => {
    const p = pickSpread(SpreadKind.BULL_PUT);
    const id = "it-crash-1";
    const limit = cents(p.mid + 0.5, "up"); // far from marketable: it stays working
    const connection = connectGateway({ baseUrl: gatewayUrl });
    let sent!: () => void;
    const wasSent = new Promise<void>((resolve) => { sent = resolve; });
    // The first instance's placeOrder reaches the broker, but its answer is lost with the process.
    const crashing: GatewayPort = {
      ...connection.client,
      placeOrder: async (req, options) => {
        await connection.client.placeOrder(req, options);
        sent();
        return new Promise(() => undefined);
      },
    };
    const deps = { clock: systemClock, logger: quiet(), metrics: createExecutionMetrics(createMetrics({ service: "x", defaultMetrics: false })), killSwitch: new KillSwitch(false) };
    const options = { allowLive: false, maxRiskPerTradeUsd: 5000, callTimeoutMs: 10_000 };
    const doomed = new SpreadExecutor({ ...deps, gateway: crashing }, options);
    const placesBefore = placed();
    void doomed.place({ $typeName: "spreadops.v1.PlaceSpreadRequest", trade: spec(id, p, limit), automatic: true }).catch(() => undefined);
    await wasSent;
    doomed.stop();
    connection.close();
    const placesAfterCrash = placed();
    expect(placesAfterCrash - placesBefore).toBe(2); // what-if + the order
    expect(ordersWithRef(id)).toBe(1);

    const retry = await client.placeSpread({ trade: spec(id, p, limit), automatic: true });
    expect(retry.adopted).toBe(true);
    expect(retry.order?.adopted).toBe(true);
    expect(retry.order?.phase).toBe(TradePhase.SUBMITTED);
    expect(placed()).toBe(placesAfterCrash);
    expect(ordersWithRef(id)).toBe(1);
    // Same trade id, different spread: refused.
    await expect(client.placeSpread({ trade: spec(id, p, limit, { quantity: 2 }) })).rejects.toSatisfy((e: unknown) => e instanceof ConnectError && e.code === Code.AlreadyExists);
    const cancelled = await client.cancelSpread({ tradeId: id, reason: "test over" });
    expect(cancelled.cancelSent).toBe(true);
    await pumpUntil(async () => (await client.getSpread({ tradeId: id })).order?.phase === TradePhase.CANCELLED, "cancel");
  }, 60_000);

  it("walks a bull put that is not marketable at mid toward natural until it fills, streaming the steps", async () => {
    const p = pickSpread(SpreadKind.BULL_PUT);
    const id = "it-walk-1";
    const limit = cents(p.mid, "up");
    expect(limit).toBeGreaterThan(p.natural);
    const events: StreamSpreadEventsResponse[] = [];
    const abort = new AbortController();
    const streaming = (async () => {
      try {
        for await (const e of client.streamSpreadEvents({ tradeIds: [id] }, { signal: abort.signal })) events.push(e);
      } catch { /* aborted */ }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.placeSpread({ trade: spec(id, p, limit), walk: { steps: 3, every: durationFromMs(300) }, automatic: true });
    await pumpUntil(async () => (await client.getSpread({ tradeId: id })).order?.phase === TradePhase.OPEN, "walk fill", 30_000);
    const order = (await client.getSpread({ tradeId: id })).order;
    expect(order?.entry?.walk?.step).toBeGreaterThan(0);
    expect(order?.entry?.brokerStatus).toBe(OrderStatus.FILLED);
    await new Promise((resolve) => setTimeout(resolve, 200));
    abort.abort();
    await streaming;
    expect(events.some((e) => e.event.case === "walkStep")).toBe(true);
    expect(events.some((e) => e.event.case === "phaseChange" && e.event.value.to === TradePhase.OPEN)).toBe(true);
    expect(events.filter((e) => e.event.case === "fill")).toHaveLength(2);
  }, 60_000);

  it("stop loss: ATR from the gateway's daily bars; the underlying beyond the stop decides CLOSE, and the close fills", async () => {
    const p = pickSpread(SpreadKind.BULL_PUT);
    const id = "it-stop-1";
    await client.placeSpread({ trade: spec(id, p, cents(p.natural, "down")), automatic: true });
    await pumpUntil(async () => (await client.getSpread({ tradeId: id })).order?.phase === TradePhase.OPEN, "opening fill");
    const rules = { stopLossAtrMultiple: 2, takeProfitPercent: 90 };
    const hold = await client.evaluateExits({ tradeId: id, rules });
    expect(hold.decision?.action).toBe(ExitAction.HOLD);
    const atr = hold.decision?.metrics?.atr ?? 0;
    const entry = hold.decision?.metrics?.entryUnderlyingPrice ?? 0;
    expect(atr).toBeGreaterThan(0);
    expect(entry).toBeGreaterThan(0);
    const crash = await client.evaluateExits({ tradeId: id, rules, underlyingPrice: entry - 2.5 * atr });
    expect(crash.decision?.action).toBe(ExitAction.CLOSE);
    expect(crash.decision?.reason).toBe(ExitReason.STOP_LOSS);
    expect(crash.decision?.metrics?.stopPrice).toBeCloseTo(entry - 2 * atr, 6);
    await client.closeSpread({ tradeId: id, reason: ExitReason.STOP_LOSS, message: crash.decision?.message ?? "", limitPrice: marketableClose(p) });
    await pumpUntil(async () => (await client.getSpread({ tradeId: id })).order?.phase === TradePhase.CLOSED, "stop-loss close", 30_000);
    expect((await client.getSpread({ tradeId: id })).order?.exitInfo?.reason).toBe(ExitReason.STOP_LOSS);
  }, 60_000);

  it("refuses: kill switch, live trade on a paper gateway (naming both), risk limit, unknown trade", async () => {
    const p = pickSpread(SpreadKind.BEAR_CALL);
    const before = placed();
    const code = (c: Code, text: RegExp) => (e: unknown) => e instanceof ConnectError && e.code === c && text.test(e.rawMessage);
    // The runtime toggle: POST /kill-switch on the service's port.
    const toggle = async (engaged: boolean) => (await fetch(`${execution?.address.url ?? ""}/kill-switch?engaged=${engaged}&reason=test`, { method: "POST" })).json() as Promise<{ engaged: boolean }>;
    expect(await toggle(true)).toMatchObject({ engaged: true });
    expect(killSwitch?.engaged).toBe(true);
    await expect(client.placeSpread({ trade: spec("it-ks", p, cents(p.mid, "up")) })).rejects.toSatisfy(code(Code.FailedPrecondition, /kill switch/));
    expect(await toggle(false)).toMatchObject({ engaged: false });
    await expect(client.placeSpread({ trade: spec("it-live", p, cents(p.mid, "up"), { mode: TradingMode.LIVE }) }))
      .rejects.toSatisfy(code(Code.FailedPrecondition, /trade mode TRADING_MODE_LIVE|LIVE.*PAPER/));
    await expect(client.placeSpread({ trade: spec("it-risk", p, cents(p.mid, "up"), { quantity: 200 }) })).rejects.toSatisfy(code(Code.FailedPrecondition, /risk gate/));
    expect((await client.getSpread({ tradeId: "it-risk" })).order?.phase).toBe(TradePhase.REJECTED);
    await expect(client.getSpread({ tradeId: "nope" })).rejects.toSatisfy(code(Code.NotFound, /nope/));
    expect(placed() - before).toBe(1); // only the risk-gated trade's what-if
  });
});
