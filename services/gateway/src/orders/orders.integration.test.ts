// Integration: OrdersService against the TWS simulator over real sockets (stepped clock).
import { create } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { OrderAction, OrderRequestSchema, OrderStatus, OrderType, SecType, TimeInForce } from "@spreadops/api";
import type { OrderRequest, StreamOrderEventsResponse } from "@spreadops/api";
import { createLogger, createMetrics } from "@spreadops/runtime";
import type { Logger } from "@spreadops/runtime";
import { startSimulator } from "@spreadops/tws-sim";
import type { RunningSimulator } from "@spreadops/tws-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toMarketDataType } from "../connection/settings.js";
import { TwsConnection } from "../connection/tws-connection.js";
import { systemClock } from "../scheduler/clock.js";
import { OutboundScheduler } from "../scheduler/outbound-scheduler.js";
import { OrdersService } from "./orders-service.js";

const SESSION_START = Date.parse("2026-03-10T14:00:00Z");

function quietLogger(): Logger {
  return createLogger({ service: "gateway-test", level: "silent", destination: { write: () => true } });
}

interface Gateway {
  readonly connection: TwsConnection;
  readonly orders: OrdersService;
  close(): void;
}

async function gateway(port: number): Promise<Gateway> {
  const scheduler = new OutboundScheduler({ clock: systemClock });
  const connection = new TwsConnection(
    {
      host: "127.0.0.1",
      port,
      clientId: 1,
      mode: "paper",
      liveConfirmed: false,
      marketDataType: toMarketDataType(3),
      connectTimeoutMs: 2000,
      backoff: { initialMs: 100, maxMs: 400 },
      probeIntervalMs: 60_000,
      probeTimeoutMs: 1000,
    },
    { scheduler, logger: quietLogger(), clock: systemClock },
  );
  const orders = new OrdersService({
    connection,
    clock: systemClock,
    logger: quietLogger(),
    clientId: 1,
    metrics: createMetrics({ service: "gateway-test", defaultMetrics: false }),
    timeouts: { ackMs: 300, whatIfMs: 2000, queryMs: 3000, pnlMs: 500 },
  });
  const restored = new Promise<void>((resolve) => connection.onEvent("restored", () => {
    resolve();
  }));
  connection.start();
  await restored;
  return {
    connection,
    orders,
    close: () => {
      orders.close();
      connection.stop("test over");
    },
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const round05 = (x: number): number => Math.round(x * 20) / 20;

describe("OrdersService against tws-sim", () => {
  let sim: RunningSimulator;
  let gw: Gateway;
  let shortConId = 0;
  let longConId = 0;
  let width = 0;
  let credit = 0;
  let markCredit = 0;

  const placed = (): number => sim.server.stats().messages.receivedByType.placeOrder ?? 0;
  const advance = (ms: number): void => {
    sim.server.advanceClockTo(sim.server.now() + ms);
  };
  const bullPut = (orderRef: string, limit: number, action = OrderAction.BUY): OrderRequest =>
    create(OrderRequestSchema, {
      orderRef,
      action,
      quantity: 1,
      orderType: OrderType.LIMIT,
      limitPrice: limit,
      timeInForce: TimeInForce.DAY,
      contract: {
        instrument: {
          case: "combo",
          value: {
            symbol: "SPY",
            legs: [
              { conId: longConId, ratio: 1, action: OrderAction.BUY },
              { conId: shortConId, ratio: 1, action: OrderAction.SELL },
            ],
          },
        },
      },
    });

  beforeAll(async () => {
    sim = await startSimulator(
      { seed: 42, clock: "stepped", startMs: SESSION_START, port: 0, host: "127.0.0.1", minTickIntervalMs: 0, loopIntervalMs: 20, maxMessagesPerSecond: 1000 },
      quietLogger(),
    );
    gw = await gateway(sim.address.port);
    const market = sim.server.world.market;
    const spot = market.quote(market.stock("SPY")?.conId ?? 0);
    const mid = spot?.kind === "stock" ? (spot.bid + spot.ask) / 2 : 0;
    const chain = market.optionChain("SPY");
    const expiry = chain?.expirations.find((e) => e.lastTradeTime - sim.server.now() > 20 * 86_400_000);
    const strikes = (expiry?.strikes ?? []).filter((k) => k < mid * 0.98);
    const k2 = strikes.at(-1) ?? 0;
    const k1 = [...strikes].reverse().find((k) => k <= k2 - 5) ?? 0;
    width = k2 - k1;
    const find = (k: number): number => market.findContracts({ symbol: "SPY", expiry: expiry?.expiry ?? "", strike: k, right: "P" })[0]?.conId ?? 0;
    shortConId = find(k2);
    longConId = find(k1);
    const q = (conId: number): { bid: number; ask: number } => {
      const quote = market.quote(conId);
      if (quote?.kind !== "option") throw new Error(`no option quote for ${conId}`);
      return quote;
    };
    credit = q(shortConId).bid - q(longConId).ask;
    markCredit = (q(shortConId).bid + q(shortConId).ask) / 2 - (q(longConId).bid + q(longConId).ask) / 2;
    expect(width).toBeGreaterThanOrEqual(5);
    expect(credit).toBeGreaterThan(0);
  });

  afterAll(async () => {
    gw.close();
    await sim.close();
  });

  it("what-if of a bull put BAG: margin = max loss, commission present, no order created", async () => {
    const before = placed();
    const { result } = await gw.orders.whatIfOrder({ $typeName: "spreadops.v1.WhatIfOrderRequest", order: bullPut("whatif-1", -round05(credit + 0.5)) });
    expect(result?.initMarginChange).toBeCloseTo(width * 100 - markCredit * 100, 1);
    expect(result?.commission).toBeGreaterThan(0);
    expect(placed()).toBe(before + 1);
    expect(sim.server.world.broker.allOpenOrders()).toHaveLength(0);
    expect(gw.orders.mirror.orders()).toHaveLength(0);
  });

  it("refuses a combo limit whose sign contradicts the spread before sending", async () => {
    const before = placed();
    await expect(gw.orders.placeOrder({ $typeName: "spreadops.v1.PlaceOrderRequest", order: bullPut("bad-sign", round05(credit)) })).rejects.toThrow(/wrong sign/);
    expect(placed()).toBe(before);
  });

  it("places the bull put, fills it after the clock moves, lists it with executions and leg commissions, and streams events", async () => {
    const events: StreamOrderEventsResponse[] = [];
    const streamAbort = new AbortController();
    const streaming = (async () => {
      for await (const e of gw.orders.streamOrderEvents({ $typeName: "spreadops.v1.StreamOrderEventsRequest", orderRefs: ["trade-bp-1"] }, { signal: streamAbort.signal } as HandlerContext)) events.push(e);
    })();

    const first = await gw.orders.placeOrder({ $typeName: "spreadops.v1.PlaceOrderRequest", order: bullPut("trade-bp-1", -round05(credit + 0.5)) });
    expect(first.adopted).toBe(false);
    const orderId = first.order?.orderId ?? 0;
    advance(100);
    await until(() => gw.orders.mirror.byOrderId(orderId)?.status === OrderStatus.SUBMITTED, "Submitted");
    advance(200);
    expect(gw.orders.mirror.byOrderId(orderId)?.status).toBe(OrderStatus.SUBMITTED);

    const modified = await gw.orders.modifyOrder({ $typeName: "spreadops.v1.ModifyOrderRequest", orderId, limitPrice: -round05(credit - 0.5) });
    expect(modified.order?.order?.limitPrice).toBe(-round05(credit - 0.5));
    advance(100);
    await until(() => gw.orders.mirror.byOrderId(orderId)?.status === OrderStatus.FILLED, "Filled");

    const list = await gw.orders.listOrders({ $typeName: "spreadops.v1.ListOrdersRequest", orderRefs: ["trade-bp-1"], includeCompleted: true });
    expect(list.orders).toHaveLength(1);
    const order = list.orders[0]!;
    expect(order.status).toBe(OrderStatus.FILLED);
    expect(order.avgFillPrice).toBeLessThan(0);
    expect(order.order?.contract?.instrument.case).toBe("combo");
    expect(order.executions.map((e) => e.secType).sort()).toEqual([SecType.OPTION, SecType.OPTION, SecType.COMBO]);
    for (const leg of order.executions.filter((e) => e.secType === SecType.OPTION)) expect(leg.commissionReport?.commission).toBeGreaterThan(0);
    expect(order.executions.find((e) => e.secType === SecType.COMBO)?.commissionReport).toBeUndefined();
    expect(list.orphanExecutions).toEqual([]);

    await until(() => events.some((e) => e.event.case === "status" && e.event.value.status === OrderStatus.FILLED) && events.filter((e) => e.event.case === "commission").length >= 2, "stream events");
    expect(events.filter((e) => e.event.case === "execution")).toHaveLength(3);
    expect(events.every((e) => e.orderRef === "trade-bp-1")).toBe(true);
    streamAbort.abort();
    await streaming;
  });

  it("adopts an existing order by orderRef and action and sends nothing", async () => {
    const before = placed();
    const again = await gw.orders.placeOrder({ $typeName: "spreadops.v1.PlaceOrderRequest", order: bullPut("trade-bp-1", -round05(credit - 0.5)) });
    expect(again.adopted).toBe(true);
    expect(again.order?.status).toBe(OrderStatus.FILLED);
    expect(placed()).toBe(before);
  });

  it("reads completed orders and executions once per TWS session, not before every placement", async () => {
    const reads = (): number => sim.server.stats().messages.receivedByType.reqCompletedOrders ?? 0;
    const before = reads();
    await gw.orders.placeOrder({ $typeName: "spreadops.v1.PlaceOrderRequest", order: bullPut("trade-synced-1", -round05(credit + 1)) });
    await gw.orders.placeOrder({ $typeName: "spreadops.v1.PlaceOrderRequest", order: bullPut("trade-synced-2", -round05(credit + 1)) });
    // The mirror was synced by the earlier calls of this session and has stayed complete since.
    expect(reads()).toBe(before);
    // An adoption still finds an order the mirror learnt of by TWS's own pushes.
    const again = await gw.orders.placeOrder({ $typeName: "spreadops.v1.PlaceOrderRequest", order: bullPut("trade-synced-1", -round05(credit + 1)) });
    expect(again.adopted).toBe(true);
  });

  it("reports positions and the account summary after the fill", async () => {
    const { positions } = await gw.orders.getPositions({ $typeName: "spreadops.v1.GetPositionsRequest", symbol: "SPY" });
    const byConId = new Map(positions.map((p) => [p.contract?.conId, p]));
    expect(byConId.get(longConId)?.quantity).toBe(1);
    expect(byConId.get(shortConId)?.quantity).toBe(-1);
    expect(byConId.get(longConId)?.avgCostPerContract).toBeGreaterThan(0);
    expect(byConId.get(longConId)?.accountMasked).not.toContain("1234567");
    const { summary } = await gw.orders.getAccountSummary();
    expect(summary?.currency).toBe("USD");
    expect(summary?.netLiquidation).toBeGreaterThan(0);
    expect(summary?.initMargin).toBeGreaterThan(0);
    expect(summary?.accountMasked).toMatch(/\*\*\*\*/);
  });

  it("cancels a resting order", async () => {
    const { order } = await gw.orders.placeOrder({ $typeName: "spreadops.v1.PlaceOrderRequest", order: bullPut("trade-cancel", -round05(credit + 1)) });
    const orderId = order?.orderId ?? 0;
    advance(100);
    await until(() => gw.orders.mirror.byOrderId(orderId)?.status === OrderStatus.SUBMITTED, "Submitted");
    const cancel = await gw.orders.cancelOrder({ $typeName: "spreadops.v1.CancelOrderRequest", target: { case: "orderId", value: orderId } });
    expect([OrderStatus.PENDING_CANCEL, OrderStatus.CANCELLED]).toContain(cancel.orders[0]?.status);
    advance(100);
    await until(() => gw.orders.mirror.byOrderId(orderId)?.status === OrderStatus.CANCELLED, "Cancelled");
    expect(gw.orders.mirror.byOrderId(orderId)?.errors.every((e) => e.code !== 202 || e.warning)).toBe(true);
  });

  it("reports a forced rejection as a terminal order with IB's reason", async () => {
    sim.server.rejectNextOrders("simulated: no trading permissions", 1);
    const { order } = await gw.orders.placeOrder({ $typeName: "spreadops.v1.PlaceOrderRequest", order: bullPut("trade-reject", -round05(credit + 1)) });
    expect(order?.status).toBe(OrderStatus.INACTIVE);
    expect(order?.errors.find((e) => e.code === 201)?.message).toContain("no trading permissions");
    expect(order?.errors.find((e) => e.code === 201)?.warning).toBe(false);
  });

  it("still adopts after a gateway crash (new connection, new service)", async () => {
    gw.close();
    await until(() => sim.server.stats().connections.current === 0, "old session gone");
    gw = await gateway(sim.address.port);
    const before = placed();
    const again = await gw.orders.placeOrder({ $typeName: "spreadops.v1.PlaceOrderRequest", order: bullPut("trade-bp-1", -round05(credit - 0.5)) });
    expect(again.adopted).toBe(true);
    expect(again.order?.orderRef).toBe("trade-bp-1");
    expect(again.order?.executions.length).toBeGreaterThanOrEqual(3);
    expect(placed()).toBe(before);
    // A closing SELL with the same orderRef is a different key: it is not adopted.
    const closing = await gw.orders.whatIfOrder({ $typeName: "spreadops.v1.WhatIfOrderRequest", order: bullPut("trade-bp-1", -round05(credit + 2), OrderAction.SELL) });
    expect(closing.result).toBeDefined();
  });
});
