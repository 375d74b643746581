// Integration: execution service + gateway + TWS simulator over real sockets (the scanner's
// harness). The simulator's clock is stepped: nothing fills until the test moves it, so every
// fill below happens where the test says.
import { create } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import type { Client } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { SpreadOrder, StreamSpreadEventsResponse, TradeSpec } from "@spreadops/api";
import { ExecutionService, GetQuotesResponseSchema, ExitAction, ExitReason, OrderStatus, RollPhase, SpreadKind, TradePhase, TradeSpecSchema, TradingMode } from "@spreadops/api";
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
  /** Combo units the displayed sizes allow now (short leg's bid size, long leg's ask size). */
  readonly size: number;
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
  /** placeOrder messages that were real orders (a what-if is a placeOrder message too, and places nothing). */
  const realOrders = (): number => placed() - sim.server.stats().orders.whatIf;
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

  /**
   * A listed vertical ~25–60 DTE a few percent out of the money, with its quotes now; with
   * `after` (YYYYMMDD), the first expiry later than that one (a roll's target).
   */
  function pickSpread(kind: SpreadKind.BULL_PUT | SpreadKind.BEAR_CALL, after = 0): Pick {
    const market = sim.server.world.market;
    const spot = market.quote(market.stock("SPY")?.conId ?? 0);
    const s = spot?.kind === "stock" ? (spot.bid + spot.ask) / 2 : 0;
    const chain = market.optionChain("SPY");
    const expiry = chain?.expirations.find((e) => e.lastTradeTime - sim.server.now() > 25 * 86_400_000 && Number(e.expiry.replaceAll("-", "")) > after);
    const put = kind === SpreadKind.BULL_PUT;
    const strikes = (expiry?.strikes ?? []).filter((k) => (put ? k < s * 0.98 : k > s * 1.02));
    const shortStrike = (put ? strikes.at(-1) : strikes[0]) ?? 0;
    const longStrike = (put ? [...strikes].reverse().find((k) => k <= shortStrike - 5) : strikes.find((k) => k >= shortStrike + 5)) ?? 0;
    const q = (k: number): { bid: number; ask: number; bidSize?: number; askSize?: number } => {
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
      size: Math.min(sq.bidSize ?? 0, lq.askSize ?? 0),
    };
  }

  /** Orders at the broker (open and completed, no what-ifs) with this orderRef and action. */
  const brokerOrders = (ref: string, action: "BUY" | "SELL"): number => {
    const broker = sim.server.world.broker;
    return [...broker.allOpenOrders(), ...broker.completedOrders()].filter((o) => o.orderRef === ref && o.action === action).length;
  };

  /** One sample of the execution service's /metrics: the value of `name` with these labels (0 when absent). */
  async function metric(name: string, labels: Readonly<Record<string, string>> = {}): Promise<number> {
    const text = await (await fetch(`${execution?.address.url ?? ""}/metrics`)).text();
    const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    for (const line of text.split("\n")) {
      if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
      const labelText = line.slice(name.length).split(" ")[0] ?? "";
      if (wanted.every((w) => labelText.includes(w))) return Number(line.slice(line.lastIndexOf(" ") + 1));
    }
    return 0;
  }

  /** A second execution service on the same gateway: a restart, nothing in memory. */
  async function restartedService(): Promise<{ client: Client<typeof ExecutionService>; stop: () => Promise<void> }> {
    const tracing = execution?.tracing;
    if (tracing === undefined) throw new Error("the first execution service is not running");
    // One process holds both instances: the second shares the first's tracing (set up once per process).
    const running = await serviceMain(executionDefinition("0.0.0-restart"), {
      argv: ["--port", "0", "--host", "127.0.0.1", "--log-level", "silent", "--log-format", "json", "--gateway-url", gatewayUrl],
      env: {}, stdout: () => undefined, stderr: () => undefined, exit: () => undefined, tracing,
    });
    const session = new Http2SessionManager(running?.address.url ?? "");
    return {
      client: createClient(ExecutionService, createConnectTransport({ baseUrl: running?.address.url ?? "", httpVersion: "2", sessionManager: session })),
      stop: async () => { session.abort(); await running?.stop(); },
    };
  }

  /** Collects StreamSpreadEvents until `stop()`. */
  function collect(request: { tradeIds: string[]; sendInitialState?: boolean }): { events: StreamSpreadEventsResponse[]; stop: () => Promise<void> } {
    const events: StreamSpreadEventsResponse[] = [];
    const abort = new AbortController();
    const done = (async () => {
      try {
        for await (const e of client.streamSpreadEvents(request, { signal: abort.signal })) events.push(e);
      } catch { /* aborted */ }
    })();
    return { events, stop: async () => { await new Promise((resolve) => setTimeout(resolve, 150)); abort.abort(); await done; } };
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
      // Cash enough for the partial-fill test's large order; the other tests use a fraction.
      { seed: 42, clock: "stepped", startMs: SESSION_START, port: 0, host: "127.0.0.1", minTickIntervalMs: 0, loopIntervalMs: 20, maxMessagesPerSecond: 1000, startingCash: 10_000_000 },
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
    const ordersBefore = realOrders();
    void doomed.place({ $typeName: "spreadops.v1.PlaceSpreadRequest", trade: spec(id, p, limit), automatic: true, adoptOnly: false }).catch(() => undefined);
    await wasSent;
    doomed.stop();
    connection.close();
    expect(placed() - placesBefore).toBe(2); // what-if + the order
    expect(realOrders() - ordersBefore).toBe(1);
    expect(ordersWithRef(id)).toBe(1);

    const retry = await client.placeSpread({ trade: spec(id, p, limit), automatic: true });
    expect(retry.adopted).toBe(true);
    expect(retry.order?.adopted).toBe(true);
    expect(retry.order?.phase).toBe(TradePhase.SUBMITTED);
    // The retry may have sent a what-if (it runs beside the lookup and places nothing), never an order.
    expect(realOrders() - ordersBefore).toBe(1);
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
  it("a broker rejection (201) ends the spread REJECTED with its reason, counted by reason in /metrics", async () => {
    const p = pickSpread(SpreadKind.BEAR_CALL);
    const id = "it-reject-1";
    const rejectsBefore = await metric("spreadops_execution_rejects_total", { reason: "broker_201" });
    sim.faults.apply({ kind: "rejectOrders", reason: "test: no such luck", count: 1 });
    const placed = await client.placeSpread({ trade: spec(id, p, cents(p.mid + 0.5, "up")), automatic: true, adoptOnly: false });
    expect(placed.adopted).toBe(false);
    await pumpUntil(async () => (await client.getSpread({ tradeId: id })).order?.phase === TradePhase.REJECTED, "rejection");
    const order = (await client.getSpread({ tradeId: id })).order;
    expect(order?.rejection?.code).toBe(201);
    expect(order?.rejection?.message).toContain("test: no such luck");
    expect(order?.entry?.brokerStatus).toBe(OrderStatus.INACTIVE);
    expect(order?.openQuantity).toBe(0);
    expect(await metric("spreadops_execution_rejects_total", { reason: "broker_201" })).toBe(rejectsBefore + 1);
    // Terminal: a retry with the same trade id adopts the rejected order, sends nothing.
    const ordersBefore = realOrders();
    expect((await client.placeSpread({ trade: spec(id, p, cents(p.mid + 0.5, "up")), automatic: true, adoptOnly: false })).adopted).toBe(true);
    expect(realOrders()).toBe(ordersBefore);
  }, 60_000);

  it("a fill sets the metrics: orders by phase, fill latency and slippage against the mid at send", async () => {
    const p = pickSpread(SpreadKind.BULL_PUT);
    const id = "it-metrics-1";
    const before = {
      open: await metric("spreadops_execution_orders", { state: "open" }),
      latency: await metric("spreadops_execution_fill_latency_seconds_count", { action: "BUY" }),
      slippageCount: await metric("spreadops_execution_slippage_usd_per_share_count", { action: "BUY" }),
      slippageSum: await metric("spreadops_execution_slippage_usd_per_share_sum", { action: "BUY" }),
    };
    await client.placeSpread({ trade: spec(id, p, cents(p.natural, "down")), automatic: true });
    await pumpUntil(async () => (await client.getSpread({ tradeId: id })).order?.phase === TradePhase.OPEN, "opening fill");
    const order = (await client.getSpread({ tradeId: id })).order;
    const mid = order?.preview?.midPrice;
    const fill = order?.entry?.avgFillPrice;
    expect(mid).toBeDefined();
    expect(fill).toBeDefined();
    expect(await metric("spreadops_execution_orders", { state: "open" })).toBe(before.open + 1);
    expect(await metric("spreadops_execution_fill_latency_seconds_count", { action: "BUY" })).toBe(before.latency + 1);
    expect(await metric("spreadops_execution_slippage_usd_per_share_count", { action: "BUY" })).toBe(before.slippageCount + 1);
    // A credit received below the mid is slippage: mid − fill, USD per share.
    const slippage = (await metric("spreadops_execution_slippage_usd_per_share_sum", { action: "BUY" })) - before.slippageSum;
    expect(slippage).toBeCloseTo((mid ?? 0) - (fill ?? 0), 6);
  }, 60_000);

  it("StreamSpreadEvents with send_initial_state first sends each wanted non-terminal spread, not the terminal ones", async () => {
    const p = pickSpread(SpreadKind.BULL_PUT);
    const id = "it-initial-1";
    await client.placeSpread({ trade: spec(id, p, cents(p.mid + 0.5, "up")), automatic: true, adoptOnly: false }); // rests
    expect((await client.getSpread({ tradeId: `it-fill-${SpreadKind.BULL_PUT}` })).order?.phase).toBe(TradePhase.CLOSED);
    const stream = collect({ tradeIds: [id, `it-fill-${SpreadKind.BULL_PUT}`, "it-metrics-1"], sendInitialState: true });
    await stream.stop();
    const initial = stream.events.filter((e) => e.initial);
    expect(initial.map((e) => e.tradeId).sort()).toEqual([id, "it-metrics-1"]);
    expect(initial.find((e) => e.tradeId === id)?.order?.phase).toBe(TradePhase.SUBMITTED);
    expect(initial.find((e) => e.tradeId === "it-metrics-1")?.order?.phase).toBe(TradePhase.OPEN);
    expect(initial.every((e) => e.event.case === undefined)).toBe(true);
    await client.cancelSpread({ tradeId: id, reason: "test over" });
    await pumpUntil(async () => (await client.getSpread({ tradeId: id })).order?.phase === TradePhase.CANCELLED, "cancel");
  }, 60_000);

  it("walks a close that is not marketable at mid toward natural until it fills", async () => {
    const p = pickSpread(SpreadKind.BULL_PUT);
    const id = "it-walk-close-1";
    await client.placeSpread({ trade: spec(id, p, cents(p.natural, "down")), automatic: true });
    await pumpUntil(async () => (await client.getSpread({ tradeId: id })).order?.phase === TradePhase.OPEN, "opening fill");
    const stepsBefore = await metric("spreadops_execution_walk_steps_total", { outcome: "step" });
    const stream = collect({ tradeIds: [id] });
    // The market moves once per simulated second: from just after a second boundary it stands
    // still while the walk runs (the clock is not moved) and for the 70 ms of ack + fill after.
    sim.server.advanceClockTo(Math.ceil(sim.server.now() / 1000) * 1000 + 1);
    // No limit: mid (the service's own quotes), which pays less than closing costs at natural.
    const closing = await client.closeSpread({ tradeId: id, reason: ExitReason.TAKE_PROFIT, message: "test", limitOffset: 0, walk: { steps: 3, every: durationFromMs(300) } });
    expect(closing.order?.exit?.walk?.steps).toBe(3);
    const start = closing.order?.exit?.walk?.startPrice ?? 0;
    const target = closing.order?.exit?.walk?.targetPrice ?? 0;
    expect(target).toBeGreaterThan(start); // closing a credit spread walks up: we pay more
    const poll = async (check: () => Promise<boolean>, what: string): Promise<void> => {
      const deadline = Date.now() + 15_000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    };
    await poll(async () => (await client.getSpread({ tradeId: id })).order?.exit?.walk?.step === 3, "the last walk step");
    sim.server.advanceClockTo(sim.server.now() + 100);
    await poll(async () => (await client.getSpread({ tradeId: id })).order?.phase === TradePhase.CLOSED, "walked close");
    await stream.stop();
    const closed = (await client.getSpread({ tradeId: id })).order;
    expect(closed?.exit?.walk?.step).toBeGreaterThan(0);
    expect(closed?.exit?.brokerStatus).toBe(OrderStatus.FILLED);
    expect(closed?.exitInfo?.reason).toBe(ExitReason.TAKE_PROFIT);
    const steps = stream.events.filter((e) => e.event.case === "walkStep");
    expect(steps.length).toBeGreaterThan(0);
    expect(await metric("spreadops_execution_walk_steps_total", { outcome: "step" })).toBe(stepsBefore + steps.length);
    expect(brokerOrders(id, "SELL")).toBe(1);
  }, 60_000);

  it("after a restart: the spread and its working close are adopted (nothing sent), and the stop-loss anchor is recovered from bars", async () => {
    const p = pickSpread(SpreadKind.BULL_PUT);
    const id = "it-restart-1";
    await client.placeSpread({ trade: spec(id, p, cents(p.natural, "down")), automatic: true });
    await pumpUntil(async () => (await client.getSpread({ tradeId: id })).order?.phase === TradePhase.OPEN, "opening fill");
    const rules = { stopLossAtrMultiple: 2 };
    const live = (await client.evaluateExits({ tradeId: id, rules })).decision?.metrics;
    expect(live?.entryUnderlyingSource).toBe("fill");
    // A close that rests: it pays far less than closing costs.
    await client.closeSpread({ tradeId: id, reason: ExitReason.MANUAL, message: "rest", limitPrice: 0.05 });
    expect((await client.getSpread({ tradeId: id })).order?.phase).toBe(TradePhase.CLOSING);
    const ordersBefore = realOrders();

    const restarted = await restartedService();
    try {
      const other = restarted.client;
      await expect(other.getSpread({ tradeId: id })).rejects.toSatisfy((e: unknown) => e instanceof ConnectError && e.code === Code.NotFound);
      // adopt_only, as a caller that knows the trade was placed (the controller after a restart):
      // an id the broker has no order for is refused with nothing sent…
      await expect(other.placeSpread({ trade: spec(`${id}-never`, p, cents(p.natural, "down")), automatic: true, adoptOnly: true }))
        .rejects.toSatisfy((e: unknown) => e instanceof ConnectError && e.code === Code.FailedPrecondition && /adopt_only: the broker lists no order/.test(e.rawMessage));
      expect(realOrders()).toBe(ordersBefore);
      // …and the one it has is rebuilt from the broker.
      const adopted = await other.placeSpread({ trade: spec(id, p, cents(p.natural, "down")), automatic: true, adoptOnly: true });
      expect(adopted.adopted).toBe(true);
      expect(adopted.order?.phase).toBe(TradePhase.CLOSING);
      const closeAgain = await other.closeSpread({ tradeId: id, reason: ExitReason.MANUAL, message: "again", limitPrice: 0.05 });
      expect(closeAgain.adopted).toBe(true);
      expect(closeAgain.order?.exit?.orderId).toBe(adopted.order?.exit?.orderId);
      expect(realOrders()).toBe(ordersBefore);
      expect(brokerOrders(id, "SELL")).toBe(1);
      expect(brokerOrders(id, "BUY")).toBe(1);
      // Back to OPEN, then the anchor: never today's price, but the underlying at the fill time.
      await other.cancelSpread({ tradeId: id, reason: "test" });
      await pumpUntil(async () => (await other.getSpread({ tradeId: id })).order?.phase === TradePhase.OPEN, "cancelled close");
      const recovered = (await other.evaluateExits({ tradeId: id, rules, underlyingPrice: 1 })).decision?.metrics;
      expect(recovered?.entryUnderlyingSource).toBe("bars");
      // The 1-minute bar's close next to the quote seen at the fill (the clock barely moved since).
      expect(Math.abs((recovered?.entryUnderlyingPrice ?? 0) - (live?.entryUnderlyingPrice ?? 0))).toBeLessThan(0.5);
      const given = (await other.evaluateExits({ tradeId: id, rules, entryUnderlyingPrice: 612.5 })).decision?.metrics;
      expect(given?.entryUnderlyingSource).toBe("request");
      expect(given?.entryUnderlyingPrice).toBe(612.5);
      // A close once ended cannot be sent again under the same trade id: refused, not faked.
      await expect(other.closeSpread({ tradeId: id, reason: ExitReason.MANUAL, message: "x", limitPrice: 0.05 }))
        .rejects.toSatisfy((e: unknown) => e instanceof ConnectError && e.code === Code.FailedPrecondition && /one closing order per trade id/.test(e.rawMessage));
      expect(realOrders()).toBe(ordersBefore);
    } finally {
      await restarted.stop();
    }
  }, 60_000);

  it("a partial fill whose walk runs out ends OPEN with the filled quantity; the rest is cancelled", async () => {
    const p = pickSpread(SpreadKind.BULL_PUT);
    const id = "it-partial-1";
    expect(p.size).toBeGreaterThan(0);
    // More than the displayed size: the simulator fills at most that much per matching pass.
    const quantity = p.size * 3 + 7;
    const connection = connectGateway({ baseUrl: gatewayUrl });
    const executor = new SpreadExecutor(
      { gateway: connection.client, clock: systemClock, logger: quiet(), metrics: createExecutionMetrics(createMetrics({ service: "partial", defaultMetrics: false })), killSwitch: new KillSwitch(false) },
      { allowLive: false, maxRiskPerTradeUsd: 1e9, callTimeoutMs: 10_000 },
    );
    executor.start();
    try {
      const limit = cents(p.natural - 0.15, "down"); // more than marketable, so a quote move does not stop it
      await executor.place({ $typeName: "spreadops.v1.PlaceSpreadRequest", trade: spec(id, p, limit, { quantity }), walk: { $typeName: "spreadops.v1.PriceWalk", steps: 1, every: durationFromMs(400) }, automatic: true, adoptOnly: false });
      // Ack after 20 ms, one fill 50 ms later; the next part would need 50 ms more of simulated time.
      sim.server.advanceClockTo(sim.server.now() + 100);
      const until = async (check: (o: Awaited<ReturnType<SpreadExecutor["get"]>>) => boolean, what: string): Promise<void> => {
        const deadline = Date.now() + 15_000;
        while (!check(await executor.get(id))) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      await until((o) => o.phase === TradePhase.PARTIALLY_FILLED, "partial fill");
      // The walk moves once, then gives up and cancels the rest (the clock stands still meanwhile).
      await until((o) => o.entry?.walk?.exhausted === true, "walk exhausted");
      sim.server.advanceClockTo(sim.server.now() + 30); // the cancel takes 20 ms of simulated time
      await until((o) => o.phase === TradePhase.OPEN, "cancel of the rest");
      const order = await executor.get(id);
      const filled = order.entry?.filledQuantity ?? 0;
      expect(filled).toBeGreaterThan(0);
      expect(filled).toBeLessThan(quantity);
      expect(order.openQuantity).toBe(filled);
      expect(order.entry?.brokerStatus).toBe(OrderStatus.CANCELLED);
      expect(order.entry?.legFills.filter((f) => f.strike === p.shortStrike).reduce((n, f) => n + f.quantity, 0)).toBe(filled);
      expect(brokerOrders(id, "BUY")).toBe(1);
    } finally {
      executor.stop();
      connection.close();
    }
  }, 60_000);

  it("late quotes: the walk holds the price, plans once quotes arrive and fills; without quotes it still gives up", async () => {
    const p = pickSpread(SpreadKind.BULL_PUT);
    const run = async (id: string, quotesAfter: number): Promise<SpreadOrder | undefined> => {
      const connection = connectGateway({ baseUrl: gatewayUrl });
      let quoteCalls = 0;
      // The gateway's first answers carry no two-sided quote (a busy start), later ones are real.
      const late: GatewayPort = {
        ...connection.client,
        getQuotes: (request, options) => (++quoteCalls <= quotesAfter ? Promise.resolve(create(GetQuotesResponseSchema, { quotes: [] })) : connection.client.getQuotes(request, options)),
      };
      const executor = new SpreadExecutor(
        { gateway: late, clock: systemClock, logger: quiet(), metrics: createExecutionMetrics(createMetrics({ service: "late", defaultMetrics: false })), killSwitch: new KillSwitch(false) },
        { allowLive: false, maxRiskPerTradeUsd: 5000, callTimeoutMs: 10_000 },
      );
      executor.start();
      try {
        await executor.place({ $typeName: "spreadops.v1.PlaceSpreadRequest", trade: spec(id, p, cents(p.mid, "up")), walk: { $typeName: "spreadops.v1.PriceWalk", steps: 3, every: durationFromMs(300) }, automatic: true, adoptOnly: false });
        await pumpUntil(async () => { const phase = (await executor.get(id)).phase; return phase === TradePhase.OPEN || phase === TradePhase.CANCELLED; }, "walk end", 30_000);
        return await executor.get(id);
      } finally {
        executor.stop();
        connection.close();
      }
    };
    // Quotes arrive at the first step: the walk is planned then and reaches a fill.
    const walked = await run("it-late-1", 1);
    expect(walked?.phase).toBe(TradePhase.OPEN);
    expect(walked?.entry?.walk?.step).toBeGreaterThan(0);
    // Quotes never arrive: the order is not left resting; the walk's end cancels it.
    const gaveUp = await run("it-late-2", Number.POSITIVE_INFINITY);
    expect(gaveUp?.phase).toBe(TradePhase.CANCELLED);
    expect(gaveUp?.entry?.walk?.exhausted).toBe(true);
  }, 90_000);

  it("ListSpreads keeps terminal spreads of the current exchange day (New York), not the last 24 h", async () => {
    const p = pickSpread(SpreadKind.BULL_PUT);
    const id = "it-day-1";
    // 16:30 in New York on 2026-03-10 (EDT, UTC−4).
    let now = Date.parse("2026-03-10T20:30:00Z");
    const clock: Clock = { now: () => now, sleep: (ms, signal) => systemClock.sleep(ms, signal), setTimer: (ms, fn) => systemClock.setTimer(ms, fn) };
    const connection = connectGateway({ baseUrl: gatewayUrl });
    const executor = new SpreadExecutor(
      { gateway: connection.client, clock, logger: quiet(), metrics: createExecutionMetrics(createMetrics({ service: "day", defaultMetrics: false })), killSwitch: new KillSwitch(false) },
      { allowLive: false, maxRiskPerTradeUsd: 5000, callTimeoutMs: 10_000 },
    );
    try {
      await executor.place({ $typeName: "spreadops.v1.PlaceSpreadRequest", trade: spec(id, p, cents(p.mid + 0.5, "up")), automatic: true, adoptOnly: false });
      await executor.cancel(id, "test");
      await pumpUntil(async () => (await executor.get(id)).phase === TradePhase.CANCELLED, "cancel");
      const listed = (): string[] => executor.list("", []).map((o) => o.tradeId);
      expect(listed()).toContain(id);
      now = Date.parse("2026-03-11T03:59:00Z"); // 23:59 the same New York day
      expect(listed()).toContain(id);
      now = Date.parse("2026-03-11T04:01:00Z"); // 00:01 the next day, only 7.5 h later
      expect(listed()).not.toContain(id);
    } finally {
      executor.stop();
      connection.close();
    }
  }, 60_000);

  it("RollSpread: validates against the rolled spread, refuses before closing, closes, then opens the later expiry once the close filled", async () => {
    const p = pickSpread(SpreadKind.BULL_PUT);
    const id = "it-roll-1";
    const nextId = `${id}-r1`;
    await client.placeSpread({ trade: spec(id, p, cents(p.natural, "down")), automatic: true });
    await pumpUntil(async () => (await client.getSpread({ tradeId: id })).order?.phase === TradePhase.OPEN, "opening fill");
    const later = pickSpread(SpreadKind.BULL_PUT, p.expiry);
    expect(later.expiry).toBeGreaterThan(p.expiry);
    const newTrade = spec(nextId, later, cents(later.natural, "down"));
    const roll = { tradeId: id, newTrade, closeLimitPrice: marketableClose(p), automatic: true, message: "DTE" };
    const invalid = (field: string) => (e: unknown) => e instanceof ConnectError && e.code === Code.InvalidArgument && e.rawMessage.includes(`invalid ${field}:`);
    const ordersBefore = realOrders();
    await expect(client.rollSpread({ ...roll, newTrade: spec(nextId, p, 1) })).rejects.toSatisfy(invalid("new_trade.expiry"));
    await expect(client.rollSpread({ ...roll, newTrade: spec(id, later, 1) })).rejects.toSatisfy(invalid("new_trade.trade_id"));
    await expect(client.rollSpread({ ...roll, newTrade: { ...newTrade, underlying: "QQQ" } })).rejects.toSatisfy(invalid("new_trade.underlying"));
    await expect(client.rollSpread({ ...roll, newTrade: { ...newTrade, kind: SpreadKind.BULL_CALL } })).rejects.toSatisfy(invalid("new_trade.kind"));
    await expect(client.rollSpread({ ...roll, newTrade: { ...newTrade, shortStrike: later.shortStrike + 0.37 } })).rejects.toSatisfy(invalid("new_trade.short_strike"));
    // The new spread would break the per-trade limit: refused before the close is sent.
    await expect(client.rollSpread({ ...roll, newTrade: { ...newTrade, quantity: 200 } }))
      .rejects.toSatisfy((e: unknown) => e instanceof ConnectError && e.code === Code.FailedPrecondition && /nothing sent/.test(e.rawMessage));
    expect(realOrders()).toBe(ordersBefore);
    expect((await client.getSpread({ tradeId: id })).order?.phase).toBe(TradePhase.OPEN);

    const stream = collect({ tradeIds: [id, nextId] });
    const first = await client.rollSpread(roll);
    expect(first.phase).toBe(RollPhase.CLOSING);
    expect(first.closeAdopted).toBe(false);
    expect(first.closing?.phase).toBe(TradePhase.CLOSING);
    expect(first.closing?.exitInfo?.reason).toBe(ExitReason.ROLL);
    expect(first.opening).toBeUndefined();
    expect(brokerOrders(nextId, "BUY")).toBe(0); // never together: the new one waits for the close's fill
    // A retry while closing: the close is adopted, still nothing for the new spread.
    const retry = await client.rollSpread(roll);
    expect(retry.phase).toBe(RollPhase.CLOSING);
    expect(retry.closeAdopted).toBe(true);
    expect(brokerOrders(id, "SELL")).toBe(1);
    expect(brokerOrders(nextId, "BUY")).toBe(0);
    // The close fills; the service places the new spread by itself (no further call).
    await pumpUntil(() => Promise.resolve(brokerOrders(nextId, "BUY") === 1), "the new spread's order", 30_000);
    await pumpUntil(async () => (await client.getSpread({ tradeId: nextId })).order?.phase === TradePhase.OPEN, "the new spread's fill", 30_000);
    const done = await client.rollSpread(roll);
    expect(done.phase).toBe(RollPhase.OPENED);
    expect(done.closeAdopted).toBe(true);
    expect(done.openAdopted).toBe(true);
    expect(done.closing?.phase).toBe(TradePhase.CLOSED);
    expect(done.opening?.tradeId).toBe(nextId);
    expect(done.opening?.spec?.expiry).toBe(later.expiry);
    expect(done.opening?.strategyRef).toBe("default/spy");
    expect(realOrders() - ordersBefore).toBe(2); // one close, one open, whatever the retries
    expect(brokerOrders(id, "SELL")).toBe(1);
    expect(brokerOrders(nextId, "BUY")).toBe(1);
    // Rolling it again into another id is refused: one roll per spread.
    await expect(client.rollSpread({ ...roll, newTrade: { ...newTrade, tradeId: `${id}-r2` } })).rejects.toSatisfy((e: unknown) => e instanceof ConnectError && e.code === Code.AlreadyExists);
    await stream.stop();
    const progress = stream.events.flatMap((e) => (e.event.case === "roll" ? [e.event.value] : []));
    expect(progress.map((r) => r.phase)).toEqual([RollPhase.CLOSING, RollPhase.OPENED]);
    expect(progress.every((r) => r.fromTradeId === id && r.toTradeId === nextId)).toBe(true);
    expect(stream.events.some((e) => e.tradeId === nextId && e.event.case === "phaseChange" && e.event.value.to === TradePhase.OPEN)).toBe(true);
  }, 90_000);
});
