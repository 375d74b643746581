import { clone, create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { ConnectionState, DropReason, EvaluateResponseSchema, SpreadCandidateSchema, SpreadLegSchema, ExitReason, OrderAction, SpreadOrderSchema, TradePhase, TradingMode } from "@spreadops/api";
import type { StreamSpreadEventsResponse } from "@spreadops/api";
import type { TradeResource } from "@spreadops/resources";
import { StoreError } from "@spreadops/resources";
import { createMetrics } from "@spreadops/runtime";
import { describe, expect, it } from "vitest";
import { BrokerStatusCache, brokerCondition } from "./broker-status.js";
import { createControllerMetrics } from "./controller-metrics.js";
import { EventRecorder } from "./event-recorder.js";
import { statusFromSpread } from "./execution-mapping.js";
import { RISK_ANNOTATION, STRATEGY_GENERATION_ANNOTATION } from "./names.js";
import { classifyRpcError } from "./rpc-errors.js";
import { candidatesOf, scanMessage } from "./scan-report.js";
import { SpreadEventFollower } from "./spread-events.js";
import { FakeClock, settle } from "./testing/fake-clock.js";
import { proposal } from "./testing/fake-services.js";
import { strategySpec } from "./testing/harness.js";
import { quietLogger } from "./testing/quiet-logger.js";
import { rollUp, tradeRiskUsd, tradesOnPreviousSpec } from "./trade-rollup.js";

const NOW = Date.parse("2026-03-10T15:00:00Z");

function trade(name: string, status: TradeResource["status"], extra: Partial<TradeResource["metadata"]> = {}): TradeResource {
  return {
    apiVersion: "trading.spreadops.dev/v1alpha1", kind: "Trade", metadata: { name, namespace: "ns", ...extra }, status,
    spec: { strategyRef: "s", underlying: name.toUpperCase(), kind: "bullPut", expiry: "2026-04-17", shortStrike: 580, longStrike: 575, quantity: 2, limitPrice: 1.25, mode: "paper" },
  };
}

describe("trade roll-up", () => {
  it("counts non-terminal trades, their risk and symbols; today's P&L excludes trades closed on other days", () => {
    const r = rollUp([
      trade("spy", { phase: "Open", unrealizedPnl: -40, preview: { maxLoss: 750, maxProfit: 250, breakeven: 578.75 } }),
      trade("qqq", { phase: "Proposed" }, { annotations: { [RISK_ANNOTATION]: "300" } }),
      trade("iwm", { phase: "Closed", realizedPnl: 55, closedAt: "2026-03-10T14:30:00Z" }),
      trade("dia", { phase: "Closed", realizedPnl: -500, closedAt: "2026-03-09T19:00:00Z" }),
    ], NOW, "America/New_York");
    expect(r).toEqual({ openTrades: 2, openRiskUsd: 1050, openSymbols: ["QQQ", "SPY"], realizedPnl: -445, unrealizedPnl: -40, dayPnl: 15 });
  });

  it("estimates the risk of a trade without preview from its spec (credit: width − credit)", () => {
    expect(tradeRiskUsd(trade("x", { phase: "Proposed" }))).toBeCloseTo((5 - 1.25) * 100 * 2, 9);
  });

  it("finds open trades proposed from an older generation with different exits", () => {
    const spec = strategySpec();
    const old = trade("old", { phase: "Open" }, { annotations: { [STRATEGY_GENERATION_ANNOTATION]: "1" } });
    old.spec = { ...old.spec!, exits: { takeProfitPercent: 30 }, execution: { limitOffset: 0.02 } };
    const same = trade("same", { phase: "Open" }, { annotations: { [STRATEGY_GENERATION_ANNOTATION]: "1" } });
    same.spec = { ...same.spec!, exits: { takeProfitPercent: 50, exitAtDte: 7 }, execution: { limitOffset: 0.02 } };
    const done = trade("done", { phase: "Closed" }, { annotations: { [STRATEGY_GENERATION_ANNOTATION]: "1" } });
    expect(tradesOnPreviousSpec([old, same, done], spec, 2).map((t) => t.metadata.name)).toEqual(["old"]);
  });
});

describe("statusFromSpread", () => {
  it("records ids, fills, P&L, exit and the times phases were reached", () => {
    const order = create(SpreadOrderSchema, {
      tradeId: "uid-1", phase: TradePhase.CLOSED, shortConId: 11, realizedPnlUsd: 42.5,
      entry: { orderId: 7, permId: "123456", filledQuantity: 1, avgFillPrice: 1.2, legFills: [{ execId: "e1", conId: 11, action: OrderAction.SELL, quantity: 1, price: 3.2, time: timestampFromMs(NOW), commissionUsd: 0.65 }] },
      exit: { orderId: 8 },
      exitInfo: { reason: ExitReason.TAKE_PROFIT, message: "50% captured", at: timestampFromMs(NOW) },
    });
    const status = statusFromSpread({ phase: "Closing", openedAt: "2026-03-10T14:00:00.000Z", unrealizedPnl: 10 }, order, NOW);
    expect(status).toMatchObject({
      phase: "Closed", orderRef: "uid-1", orderId: 7, permId: 123456, closeOrderId: 8, filledQuantity: 1, avgFillPrice: 1.2, realizedPnl: 42.5,
      openedAt: "2026-03-10T14:00:00.000Z", closedAt: new Date(NOW).toISOString(),
      exit: { reason: "takeProfit", message: "50% captured", at: new Date(NOW).toISOString() },
      fills: [{ leg: "short", action: "SELL", quantity: 1, price: 3.2, execId: "e1", commission: 0.65, time: new Date(NOW).toISOString() }],
    });
    expect(status.unrealizedPnl).toBeUndefined();
  });

  it("names the broker's rejection", () => {
    const order = create(SpreadOrderSchema, { tradeId: "u", phase: TradePhase.REJECTED, rejection: { code: 201, message: "Order rejected - reason: margin" } });
    expect(statusFromSpread(undefined, order, NOW).message).toBe("IB 201: Order rejected - reason: margin");
  });
});

describe("scan report", () => {
  it("lists proposals first, then the best of the rest, and summarizes drops by reason", () => {
    const p = proposal("ns/s");
    const other = clone(SpreadCandidateSchema, p.candidate!);
    Object.assign(other, { key: "SPY other", score: 0.9, shortLeg: create(SpreadLegSchema, { strike: 570 }), longLeg: create(SpreadLegSchema, { strike: 565 }) });
    const response = create(EvaluateResponseSchema, {
      proposals: [p],
      symbols: [{ symbol: "SPY", topCandidates: [p.candidate!, other] }, { symbol: "QQQ" }],
      dropped: [{ symbol: "QQQ", reason: DropReason.NO_SIGNAL, message: "RSI 55 ≥ 30" }, { symbol: "SPY", candidateKey: "SPY other", reason: DropReason.OUTRANKED, message: "outranked" }],
    });
    const candidates = candidatesOf(response);
    expect(candidates.map((c) => `${c.shortStrike}/${c.longStrike} ${c.reason?.split(":")[0] ?? ""}`)).toEqual(["580/575 proposed", "570/565 not proposed"]);
    expect(scanMessage(response, ["s-spy-1"])).toBe("scanned 2 symbols: 1 proposal (new trades s-spy-1); dropped NO_SIGNAL QQQ; OUTRANKED SPY");
  });
});

describe("broker status", () => {
  it("asks the gateway at most once per TTL and maps the state to BrokerConnected", async () => {
    const clock = new FakeClock();
    let calls = 0;
    let state = ConnectionState.CONNECTED;
    const cache = new BrokerStatusCache({
      getConnectionStatus: () => { calls++; return Promise.resolve({ $typeName: "spreadops.v1.GetConnectionStatusResponse", status: { $typeName: "spreadops.v1.ConnectionStatus", state, mode: TradingMode.PAPER, accountMasked: "DU****567" } } as never); },
    }, clock, { ttlMs: 5_000 });
    const [a, b] = await Promise.all([cache.get(), cache.get()]);
    expect(calls).toBe(1);
    expect(a).toEqual(b);
    expect(brokerCondition(a, "paper", 3)).toMatchObject({ status: "True", reason: "Connected", message: "connected (paper, DU****567)", observedGeneration: 3 });
    expect(brokerCondition(a, "live", 3)).toMatchObject({ status: "False", reason: "ModeMismatch" });
    state = ConnectionState.RESTART_WINDOW;
    await clock.advance(4_999);
    await cache.get();
    expect(calls).toBe(1);
    await clock.advance(1);
    expect(brokerCondition(await cache.get(), "paper", 3)).toMatchObject({ status: "False", reason: "Disconnected", message: "in TWS's daily restart window" });
    const down = new BrokerStatusCache({ getConnectionStatus: () => Promise.reject(new ConnectError("down", Code.Unavailable)) }, clock);
    expect(brokerCondition(await down.get(), "paper", 1)).toMatchObject({ status: "Unknown", reason: "GatewayUnreachable" });
  });
});

describe("event recorder", () => {
  it("records through the store and never fails the caller when the store refuses", async () => {
    const recorded: unknown[] = [];
    const ok = new EventRecorder({ recordEvent: (_ns, e) => { recorded.push(e); return Promise.resolve(); } }, quietLogger());
    await ok.warning(trade("spy", undefined, { uid: "u1" }), "Rejected", "no margin");
    expect(recorded).toEqual([{ involvedObject: { apiVersion: "trading.spreadops.dev/v1alpha1", kind: "Trade", namespace: "ns", name: "spy", uid: "u1" }, type: "Warning", reason: "Rejected", message: "no margin", component: "spreadops-controller" }]);
    const failing = new EventRecorder({ recordEvent: () => Promise.reject(new StoreError("Unavailable", "down")) }, quietLogger());
    await expect(failing.normal(trade("spy", undefined), "Scanned", "x")).resolves.toBeUndefined();
  });
});

describe("rpc errors", () => {
  it("retries outages and unknown failures, reports refusals and bad requests", () => {
    expect(classifyRpcError(new ConnectError("x", Code.Unavailable))).toBe("unavailable");
    expect(classifyRpcError(new ConnectError("x", Code.DeadlineExceeded))).toBe("unavailable");
    expect(classifyRpcError(new Error("socket hang up"))).toBe("unavailable");
    expect(classifyRpcError(new ConnectError("x", Code.FailedPrecondition))).toBe("refused");
    expect(classifyRpcError(new ConnectError("x", Code.InvalidArgument))).toBe("invalid");
    expect(classifyRpcError(new ConnectError("x", Code.NotFound))).toBe("notFound");
  });
});

describe("spread event follower", () => {
  it("enqueues the trade of each event and reconnects with backoff when the stream fails", async () => {
    const clock = new FakeClock();
    let connects = 0;
    const enqueued: string[] = [];
    const follower = new SpreadEventFollower({
      execution: {
        streamSpreadEvents: () => {
          connects++;
          const n = connects;
          return (async function* () {
            await Promise.resolve();
            yield { tradeId: n === 1 ? "uid-a" : "uid-unknown" } as StreamSpreadEventsResponse;
            throw new ConnectError("reset", Code.Unavailable);
          })();
        },
      },
      keyOf: (id) => (id === "uid-a" ? "ns/a" : undefined),
      enqueue: (key) => enqueued.push(key),
      clock, logger: quietLogger(), backoff: { baseDelayMs: 100, maxDelayMs: 1_000 },
    });
    follower.start();
    await settle();
    expect(enqueued).toEqual(["ns/a"]);
    expect(connects).toBe(1);
    await clock.advance(100);
    expect(connects).toBe(2); // an event arrived before the failure: the backoff starts over
    await clock.advance(100);
    expect(connects).toBe(3);
    await follower.stop();
  });
});

describe("controller metrics", () => {
  it("counts reconciles and reads phases and P&L from the leader's caches at scrape time", async () => {
    const metrics = createMetrics({ service: "c", defaultMetrics: false });
    const m = createControllerMetrics(metrics);
    m.reconciled("trade", "error", 20);
    m.setSource({
      strategies: () => [{ apiVersion: "v", kind: "Strategy", metadata: { name: "s", namespace: "ns" }, status: { phase: "Active", realizedPnl: 10, unrealizedPnl: -2, dayPnl: 8, openTrades: 1 } }],
      trades: () => [trade("a", { phase: "Open" }), trade("b", { phase: "Open" }), trade("c", undefined)],
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('spreadops_controller_reconcile_errors_total{kind="trade",service="c"} 1');
    expect(text).toContain('spreadops_controller_trades{phase="Open",service="c"} 2');
    expect(text).toContain('spreadops_controller_trades{phase="Pending",service="c"} 1');
    expect(text).toContain('spreadops_controller_strategies{phase="Active",service="c"} 1');
    expect(text).toContain('spreadops_controller_strategy_pnl_usd{namespace="ns",strategy="s",kind="day",service="c"} 8');
    m.setSource(undefined);
    expect(await metrics.registry.metrics()).not.toContain("spreadops_controller_trades{");
  });
});
