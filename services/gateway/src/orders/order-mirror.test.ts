import { OrderAction, OrderStatus } from "@spreadops/api";
import { OrderAction as IbAction, OrderType as IbOrderType, SecType as IbSecType } from "@stoqey/ib";
import type { Contract, Execution, Order, OrderState } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { OrderMirror } from "./order-mirror.js";
import type { MirrorEvent } from "./mirror-types.js";

const BAG: Contract = { symbol: "SPY", secType: IbSecType.BAG, conId: 28812380 };
const LONG: Contract = { symbol: "SPY", secType: IbSecType.OPT, conId: 101 };
const SHORT: Contract = { symbol: "SPY", secType: IbSecType.OPT, conId: 102 };
const order: Order = { orderId: 7, clientId: 1, permId: 9001, orderRef: "trade-1", action: IbAction.BUY, totalQuantity: 2, orderType: IbOrderType.LMT, lmtPrice: -1.2 };
const state = (status: string): OrderState => ({ status } as unknown as OrderState);
const submitted = state("Submitted");

function exec(execId: string, shares: number, price: number, side: string, extra: Partial<Execution> = {}): Execution {
  return { execId, orderId: 7, clientId: 1, permId: 9001, orderRef: "trade-1", shares, price, side, ...extra };
}

function mirror(): { m: OrderMirror; events: MirrorEvent[] } {
  let t = 1000;
  const m = new OrderMirror({ clientId: 1, now: () => (t += 1) });
  const events: MirrorEvent[] = [];
  m.subscribe((e) => events.push(e));
  return { m, events };
}

describe("OrderMirror", () => {
  it("keeps executions that arrive before their order and attaches them when the order appears", () => {
    const { m } = mirror();
    m.onExecution(BAG, exec("e0", 2, -1.2, "BOT"));
    m.onExecution(LONG, exec("e1", 2, 0.8, "BOT"));
    m.onExecution(SHORT, exec("e2", 2, 2.0, "SLD"));
    expect(m.orphanExecutions("trade-1").map((e) => e.execId)).toEqual(["e0", "e1", "e2"]);
    m.onOpenOrder(7, BAG, order, submitted);
    const o = m.byOrderRef("trade-1")[0]!;
    expect(m.executionsOf(o).map((e) => e.execId)).toEqual(["e0", "e1", "e2"]);
    expect(m.orphanExecutions()).toEqual([]);
  });

  it("matches by permId across sessions (orderId 0 from completed orders)", () => {
    const { m } = mirror();
    m.onExecution(LONG, exec("e1", 1, 0.8, "BOT", { orderId: 3, clientId: 5 }));
    m.onCompletedOrder(BAG, { ...order, orderId: 0, clientId: 5 }, state("Filled"));
    const o = m.byOrderRef("trade-1")[0]!;
    expect(o.completed).toBe(true);
    expect(o.status).toBe(OrderStatus.FILLED);
    expect(m.executionsOf(o).map((e) => e.execId)).toEqual(["e1"]);
  });

  it("collects commissions per leg, including reports that come before their execution", () => {
    const { m, events } = mirror();
    m.onOpenOrder(7, BAG, order, submitted);
    m.onCommissionReport({ execId: "e1", commission: 1.3, currency: "USD" });
    m.onExecution(BAG, exec("e0", 2, -1.2, "BOT"));
    m.onExecution(LONG, exec("e1", 2, 0.8, "BOT"));
    m.onExecution(SHORT, exec("e2", 2, 2.0, "SLD"));
    m.onCommissionReport({ execId: "e2", commission: 1.4, currency: "USD" });
    const o = m.byOrderRef("trade-1")[0]!;
    const legs = new Map(m.legFills(o).map((l) => [l.conId, l]));
    expect(legs.get(101)).toMatchObject({ side: OrderAction.BUY, quantity: 2, avgPrice: 0.8, commission: 1.3, commissionsPending: 0 });
    expect(legs.get(102)).toMatchObject({ side: OrderAction.SELL, quantity: 2, avgPrice: 2.0, commission: 1.4, commissionsPending: 0 });
    expect(legs.get(28812380)).toMatchObject({ secType: "BAG", quantity: 2, avgPrice: -1.2, commission: 0, commissionsPending: 0 });
    expect(events.filter((e) => e.kind === "commission")).toHaveLength(1); // e1's came with its execution
    expect(m.executionsOf(o).find((e) => e.execId === "e1")?.commission?.commission).toBe(1.3);
  });

  it("tracks filled/remaining/avg price and ignores duplicate statuses", () => {
    const { m, events } = mirror();
    m.onOpenOrder(7, BAG, order, submitted);
    expect(m.byOrderId(7)).toMatchObject({ remaining: 2, filled: 0, avgFillPrice: undefined });
    m.onOrderStatus(7, "Submitted", 0, 2, 0, 9001, 0, 1, "");
    const before = events.length;
    m.onOrderStatus(7, "Submitted", 0, 2, 0, 9001, 0, 1, "");
    expect(events.length).toBe(before);
    m.onOrderStatus(7, "Filled", 2, 0, -1.15, 9001, -1.15, 1, "");
    expect(m.byOrderId(7)).toMatchObject({ status: OrderStatus.FILLED, filled: 2, remaining: 0, avgFillPrice: -1.15, completed: true });
  });

  it("makes 201 terminal with its reason; warnings and 202 after our cancel are warnings", () => {
    const { m } = mirror();
    const placed = m.expect({ orderId: 8, orderRef: "trade-2", action: OrderAction.BUY, request: {} as never });
    expect(m.onError(8, 399, "Order will be placed at the open")).toBe(true);
    expect(placed.status).toBe(OrderStatus.UNSPECIFIED);
    m.onError(8, 201, "Order rejected - reason: no margin");
    m.onOrderStatus(8, "Submitted", 0, 1, 0);
    expect(placed).toMatchObject({ status: OrderStatus.INACTIVE, completed: true });
    expect(placed.rejection?.message).toContain("no margin");
    expect(placed.errors.map((e) => [e.code, e.warning])).toEqual([[399, true], [201, false]]);

    m.onOpenOrder(7, BAG, order, submitted);
    m.markCancelRequested(m.byOrderId(7)!);
    m.onError(7, 202, "Order Canceled - reason:");
    expect(m.byOrderId(7)?.errors[0]?.warning).toBe(true);
    expect(m.byOrderId(7)?.status).toBe(OrderStatus.CANCELLED);
    expect(m.onError(999, 200, "No security definition")).toBe(false);
  });

  it("ignores what-if openOrders and forgets placements that were never sent", () => {
    const { m } = mirror();
    m.onOpenOrder(9, BAG, { ...order, whatIf: true }, state("PreSubmitted"));
    expect(m.orders()).toEqual([]);
    m.expect({ orderId: 10, orderRef: "x", action: OrderAction.SELL, request: {} as never });
    m.forget(10);
    expect(m.byOrderRef("x")).toEqual([]);
  });
});
