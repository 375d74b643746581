import { beforeEach, describe, expect, it } from "vitest";

import { Broker, type BrokerConfig } from "./broker.js";
import { BAG_CON_ID } from "./contract-view.js";
import { UNSET_DOUBLE } from "./numeric.js";
import type { OrderRequest } from "./order-types.js";
import { EventLog, FakeMarket, MONDAY_CLOSE_NY, SPY, SPY_P100, SPY_P95 } from "./test-support.js";

const ACK = 10;
const FILL = 100;

function setup(config: Partial<BrokerConfig> = {}): { market: FakeMarket; broker: Broker; log: EventLog } {
  const market = new FakeMarket();
  const broker = new Broker(
    { clock: market, quotes: market, contracts: market },
    { ackLatencyMs: ACK, fillLatencyMs: FILL, cancelLatencyMs: 0, ...config },
  );
  const log = new EventLog();
  broker.subscribe(log.listener);
  return { market, broker, log };
}

/** BUY the bull put as defined by its legs: SELL 100P, BUY 95P. */
const bullPut = (lmtPrice: number | undefined, extra: Partial<OrderRequest> = {}): OrderRequest => ({
  contract: {
    secType: "BAG",
    symbol: "SPY",
    exchange: "SMART",
    currency: "USD",
    comboLegs: [
      { conId: SPY_P100, ratio: 1, action: "SELL" },
      { conId: SPY_P95, ratio: 1, action: "BUY" },
    ],
  },
  action: "BUY",
  totalQuantity: 1,
  orderType: lmtPrice === undefined ? "MKT" : "LMT",
  lmtPrice,
  tif: "DAY",
  orderRef: "trade-abc",
  ...extra,
});

const stock = (action: string, qty: number, lmtPrice: number | undefined, extra: Partial<OrderRequest> = {}): OrderRequest => ({
  contract: { secType: "STK", conId: SPY, exchange: "SMART" },
  action,
  totalQuantity: qty,
  orderType: lmtPrice === undefined ? "MKT" : "LMT",
  lmtPrice,
  tif: "DAY",
  orderRef: "stk",
  ...extra,
});

const option = (conId: number, action: string, qty: number, lmtPrice: number, extra: Partial<OrderRequest> = {}): OrderRequest => ({
  contract: { secType: "OPT", conId },
  action,
  totalQuantity: qty,
  orderType: "LMT",
  lmtPrice,
  tif: "GTC",
  orderRef: "opt",
  ...extra,
});

/** Natural of BUY bull put = 95P ask − 100P bid = 1.00 − 2.10 = −1.10; mid = 0.95 − 2.15 = −1.20. */
function initialQuotes(market: FakeMarket): void {
  market.setQuote(SPY, { bid: 101.99, ask: 102.01, bidSize: 500, askSize: 500, close: 101 });
  market.setQuote(SPY_P100, { bid: 2.1, ask: 2.2, bidSize: 50, askSize: 50 });
  market.setQuote(SPY_P95, { bid: 0.9, ask: 1.0, bidSize: 50, askSize: 50 });
}

function statuses(log: EventLog, orderId: number): string[] {
  return log.of("orderStatus").filter((e) => e.status.orderId === orderId).map((e) => e.status.status);
}

describe("bull put credit spread (BAG)", () => {
  let market: FakeMarket;
  let broker: Broker;
  let log: EventLog;

  beforeEach(() => {
    ({ market, broker, log } = setup());
    initialQuotes(market);
  });

  it("what-if: margin is the max loss, width × 100 × qty − credit, and nothing is created", () => {
    const result = broker.placeOrder(1, 1, bullPut(-1.2, { whatIf: true }));
    expect(result.kind).toBe("whatIf");
    if (result.kind !== "whatIf") return;
    const s = result.state;
    // width 5 × 100 × 1 − credit 1.20 × 100 (legs marked at 2.15 / 0.95).
    expect(s.initMarginBefore).toBe(0);
    expect(s.initMarginChange).toBeCloseTo(380, 6);
    expect(s.initMarginAfter).toBeCloseTo(380, 6);
    expect(s.maintMarginChange).toBeCloseTo(380, 6);
    // Filled at the limit = the mid: equity only loses the two $1.00 leg minimums.
    expect(s.commission).toBeCloseTo(2, 6);
    expect(s.equityWithLoanBefore).toBe(100_000);
    expect(s.equityWithLoanChange).toBeCloseTo(-2, 6);
    expect(s.warningText).toBe("");
    expect(s.commissionCurrency).toBe("USD");

    expect(log.events).toHaveLength(0);
    expect(broker.allOpenOrders()).toHaveLength(0);
    expect(broker.completedOrders()).toHaveLength(0);
    expect(broker.executions()).toHaveLength(0);
    expect(broker.positions()).toHaveLength(0);
    expect(broker.nextValidOrderId()).toBe(1);
    expect(broker.accountSnapshot().totalCashValue).toBe(100_000);
  });

  it("rests at −1.20 while the natural is −1.10, fills after the latency once the natural reaches −1.25", () => {
    const placed = broker.placeOrder(1, 1, bullPut(-1.2));
    expect(placed.kind).toBe("accepted");
    expect(statuses(log, 1)).toEqual(["PreSubmitted"]);

    market.advance(ACK);
    broker.match();
    expect(statuses(log, 1)).toEqual(["PreSubmitted", "Submitted"]);
    market.advance(5_000);
    broker.match();
    expect(broker.order(1, 1)?.status).toBe("Submitted");
    expect(broker.executions()).toHaveLength(0);

    // Natural BUY = 95P ask − 100P bid = 1.10 − 2.35 = −1.25: at least 1.20 of credit is there.
    market.setQuote(SPY_P100, { bid: 2.35, ask: 2.45, bidSize: 50, askSize: 50 });
    market.setQuote(SPY_P95, { bid: 1.05, ask: 1.1, bidSize: 50, askSize: 50 });
    broker.onQuotesChanged();
    const marketableAt = market.now();
    expect(broker.executions()).toHaveLength(0);
    expect(broker.nextWakeup()).toBe(marketableAt + FILL);
    market.advance(FILL - 1);
    broker.match();
    expect(broker.executions()).toHaveLength(0);

    log.clear();
    market.advance(1);
    broker.match();

    const order = broker.order(1, 1);
    expect(order?.status).toBe("Filled");
    expect(order?.filled).toBe(1);
    expect(order?.remaining).toBe(0);
    // It rested, so it is hit at its own limit.
    expect(order?.avgFillPrice).toBeCloseTo(-1.2, 9);
    expect(order?.commission).toBeCloseTo(2, 9);

    const execs = broker.executions();
    expect(execs).toHaveLength(3);
    const [combo, shortLeg, longLeg] = execs.map((r) => r.execution);
    expect(combo?.contract.secType).toBe("BAG");
    expect(combo?.contract.conId).toBe(BAG_CON_ID);
    expect(combo?.side).toBe("BOT");
    expect(combo?.price).toBeCloseTo(-1.2, 9);
    expect(combo?.shares).toBe(1);
    expect(combo?.cumQty).toBe(1);
    expect(combo?.lastLiquidity).toBe(1);
    expect(execs[0]?.commissionReport).toBeUndefined();

    expect(shortLeg?.contract.conId).toBe(SPY_P100);
    expect(shortLeg?.side).toBe("SLD");
    expect(longLeg?.contract.conId).toBe(SPY_P95);
    expect(longLeg?.side).toBe("BOT");
    // Leg prices add up to the combo price: the short at its bid, the long carries the rest.
    expect(shortLeg?.price).toBeCloseTo(2.35, 9);
    expect(longLeg?.price).toBeCloseTo(1.15, 9);
    for (const e of execs.map((r) => r.execution)) {
      expect(e.orderRef).toBe("trade-abc");
      expect(e.orderId).toBe(1);
      expect(e.clientId).toBe(1);
      expect(e.permId).toBe(order?.permId);
      expect(e.account).toBe("DU1234567");
      expect(e.exchange).not.toBe("SMART");
      expect(e.execId).toMatch(/^[0-9a-f]{8}\.[0-9a-f]{8}\.\d{2}\.01$/);
    }
    expect(new Set(execs.map((r) => r.execution.execId)).size).toBe(3);

    // Commissions only on the legs: $1.00 minimum each, execIds matching.
    const reports = log.of("commissionReport").map((e) => e.report);
    expect(reports.map((r) => r.execId)).toEqual([shortLeg?.execId, longLeg?.execId]);
    expect(reports.map((r) => r.commission)).toEqual([1, 1]);
    expect(reports.every((r) => r.realizedPNL === UNSET_DOUBLE)).toBe(true);

    // TWS's order: execDetails, openOrder, orderStatus, commissionReport, then positions/account.
    expect(log.events.map((e) => e.type).slice(0, 7)).toEqual([
      "execution",
      "execution",
      "execution",
      "openOrder",
      "orderStatus",
      "commissionReport",
      "commissionReport",
    ]);
    expect(log.of("position").map((e) => [e.position.contract.conId, e.position.position])).toEqual([
      [SPY_P100, -1],
      [SPY_P95, 1],
    ]);

    // avgCost includes the multiplier and the commission: short (235 − 1), long (115 + 1).
    const positions = new Map(broker.positions().map((p) => [p.contract.conId, p]));
    expect(positions.get(SPY_P100)?.position).toBe(-1);
    expect(positions.get(SPY_P100)?.avgCost).toBeCloseTo(234, 9);
    expect(positions.get(SPY_P95)?.position).toBe(1);
    expect(positions.get(SPY_P95)?.avgCost).toBeCloseTo(116, 9);

    // Cash: + credit 120 − commissions 2.
    expect(broker.accountSnapshot().totalCashValue).toBeCloseTo(100_118, 6);
    expect(broker.openOrders(1)).toHaveLength(0);
    expect(broker.completedOrders().map((o) => o.orderId)).toEqual([1]);

    // Marks move: 100P mid 1.55, 95P mid 0.55.
    market.setQuote(SPY_P100, { bid: 1.5, ask: 1.6 });
    market.setQuote(SPY_P95, { bid: 0.5, ask: 0.6 });
    // Short: −1 × (155 − 234) = 79; long: 55 − 116 = −61.
    expect(broker.pnlSingle(SPY_P100)?.unrealizedPnL).toBeCloseTo(79, 6);
    expect(broker.pnlSingle(SPY_P95)?.unrealizedPnL).toBeCloseTo(-61, 6);
    expect(broker.pnlSingle(SPY_P100)?.value).toBeCloseTo(-155, 6);
    const pnl = broker.pnl();
    expect(pnl.unrealizedPnL).toBeCloseTo(18, 6);
    // Opened today: daily = NLV change = 100118 − 155 + 55 − 100000.
    expect(pnl.dailyPnL).toBeCloseTo(18, 6);
    expect(pnl.realizedPnL).toBe(0);
    const account = broker.accountSnapshot();
    expect(account.netLiquidation).toBeCloseTo(100_018, 6);
    // Pair margin at the new marks: (0.55 − 1.55 + 5) × 100.
    expect(account.initMarginReq).toBeCloseTo(400, 6);

    // Close it: SELL the combo at market = BUY 100P at 1.60, SELL 95P at 0.50.
    log.clear();
    broker.placeOrder(1, 2, bullPut(undefined, { action: "SELL" }));
    market.advance(ACK);
    broker.match();
    market.advance(FILL);
    broker.match();
    expect(broker.order(1, 2)?.status).toBe("Filled");
    expect(broker.order(1, 2)?.avgFillPrice).toBeCloseTo(-1.1, 9);
    const closing = log.of("commissionReport").map((e) => e.report.realizedPNL);
    // Short: 234 − 160 − 1 = 73; long: 50 − 116 − 1 = −67.
    expect(closing[0]).toBeCloseTo(73, 6);
    expect(closing[1]).toBeCloseTo(-67, 6);
    // 120 credit − 110 debit − 4 commissions.
    expect(broker.pnl().realizedPnL).toBeCloseTo(6, 6);
    expect(broker.accountSnapshot().totalCashValue).toBeCloseTo(100_006, 6);
    expect(broker.positions().every((p) => p.position === 0)).toBe(true);
  });

  it("settles at intrinsic value when the options expire", () => {
    broker.placeOrder(1, 1, bullPut(-1.0));
    market.advance(ACK + FILL);
    broker.match();
    market.advance(FILL);
    broker.match();
    // Marketable on arrival: filled at the natural −1.10 (short 2.10, long 1.00).
    expect(broker.order(1, 1)?.avgFillPrice).toBeCloseTo(-1.1, 9);
    const avgShort = broker.positions().find((p) => p.contract.conId === SPY_P100)?.avgCost;
    expect(avgShort).toBeCloseTo(209, 9);

    // Underlying 97 at expiry: the 100P is worth 3.00, the 95P nothing.
    const short = broker.expireOption(SPY_P100, 97);
    const long = broker.expireOption(SPY_P95, 97);
    expect(short.quantity).toBe(-1);
    expect(short.settlementPrice).toBeCloseTo(3, 9);
    expect(short.cashDelta).toBeCloseTo(-300, 6);
    expect(short.realizedPnL).toBeCloseTo(209 - 300, 6);
    expect(long.settlementPrice).toBe(0);
    expect(long.realizedPnL).toBeCloseTo(-101, 6);
    // 110 credit − 2 commissions − 300 assignment value.
    expect(broker.accountSnapshot().totalCashValue).toBeCloseTo(100_000 + 110 - 2 - 300, 6);
    expect(broker.pnl().realizedPnL).toBeCloseTo(-192, 6);
    expect(broker.positions().every((p) => p.position === 0)).toBe(true);
    expect(broker.accountSnapshot().initMarginReq).toBe(0);
  });

  it("expiry cancels open orders that trade the contract", () => {
    broker.placeOrder(1, 1, bullPut(-2.0, { tif: "GTC" }));
    market.advance(ACK);
    broker.match();
    const result = broker.expireOption(SPY_P95, 101);
    expect(result.quantity).toBe(0);
    expect(result.cancelledOrders.map((o) => o.orderId)).toEqual([1]);
    expect(broker.order(1, 1)?.status).toBe("Cancelled");
  });
});

describe("order ids", () => {
  let market: FakeMarket;
  let broker: Broker;
  let log: EventLog;

  beforeEach(() => {
    ({ market, broker, log } = setup());
    initialQuotes(market);
  });

  it("rejects an id not above the client's previous ids with 103, per client", () => {
    expect(broker.placeOrder(1, 5, stock("BUY", 10, 100)).kind).toBe("accepted");
    const dup = broker.placeOrder(1, 3, stock("BUY", 10, 100));
    expect(dup).toMatchObject({ kind: "error", code: 103 });
    expect(log.of("error").at(-1)).toMatchObject({ clientId: 1, id: 3, code: 103, message: "Duplicate order id" });
    expect(broker.order(1, 3)).toBeUndefined();
    // Another client has its own sequence.
    expect(broker.placeOrder(2, 3, stock("BUY", 10, 100)).kind).toBe("accepted");
    expect(broker.nextValidOrderId()).toBe(6);
    // permIds are unique across clients.
    expect(broker.order(1, 5)?.permId).not.toBe(broker.order(2, 3)?.permId);
  });

  it("placing on an open id modifies it; a new price is re-matched at the touch", () => {
    broker.placeOrder(1, 1, stock("BUY", 10, 101.5));
    market.advance(ACK + FILL * 3);
    broker.match();
    expect(broker.order(1, 1)?.status).toBe("Submitted");

    const modified = broker.placeOrder(1, 1, stock("BUY", 10, 102.05));
    expect(modified.kind).toBe("modified");
    expect(broker.order(1, 1)?.lmtPrice).toBe(102.05);
    expect(broker.allOpenOrders()).toHaveLength(1);
    market.advance(FILL);
    broker.match();
    const order = broker.order(1, 1);
    expect(order?.status).toBe("Filled");
    // Marketable on arrival of the new price: takes the ask, not the limit.
    expect(order?.avgFillPrice).toBeCloseTo(102.01, 9);

    // The id of a filled order: 103 (neither a modification nor a new order).
    expect(broker.placeOrder(1, 1, stock("BUY", 10, 103))).toMatchObject({ kind: "error", code: 103 });
    expect(broker.order(1, 1)?.totalQuantity).toBe(10);
  });

  it("a modification may change quantity but not the contract or side", () => {
    broker.placeOrder(1, 1, stock("BUY", 10, 100));
    expect(broker.placeOrder(1, 1, stock("SELL", 10, 100))).toMatchObject({ kind: "error", code: 105 });
    expect(broker.placeOrder(1, 1, stock("BUY", 0, 100))).toMatchObject({ kind: "error", code: 321 });
    expect(broker.placeOrder(1, 1, stock("BUY", 25, 100)).kind).toBe("modified");
    expect(broker.order(1, 1)).toMatchObject({ totalQuantity: 25, remaining: 25, orderRef: "stk", open: true });
  });

  it("cancel: resting order → Cancelled with 202; unknown id → 10147; finished → 10148", () => {
    broker.placeOrder(1, 1, stock("BUY", 10, 100));
    market.advance(ACK);
    broker.match();
    const cancelled = broker.cancelOrder(1, 1);
    expect(cancelled.kind).toBe("cancelled");
    expect(broker.order(1, 1)?.status).toBe("Cancelled");
    expect(log.of("error").at(-1)).toMatchObject({ id: 1, code: 202, message: "Order Canceled - reason:" });
    expect(broker.completedOrders().map((o) => o.status)).toEqual(["Cancelled"]);

    expect(broker.cancelOrder(1, 42)).toMatchObject({ kind: "error", code: 10147 });
    expect(log.of("error").at(-1)?.message).toBe("OrderId 42 that needs to be cancelled is not found.");
    // Another client's order is "not found" too.
    expect(broker.cancelOrder(2, 1)).toMatchObject({ kind: "error", code: 10147 });
    expect(broker.cancelOrder(1, 1)).toMatchObject({ kind: "error", code: 10148 });
  });

  it("cancel before the acknowledgement → ApiCancelled; with cancel latency → PendingCancel, then Cancelled", () => {
    broker.placeOrder(1, 1, stock("BUY", 10, 100));
    broker.cancelOrder(1, 1);
    expect(broker.order(1, 1)?.status).toBe("ApiCancelled");

    ({ market, broker, log } = setup({ cancelLatencyMs: 30 }));
    initialQuotes(market);
    broker.placeOrder(1, 1, stock("BUY", 10, 100));
    market.advance(ACK);
    broker.match();
    expect(broker.cancelOrder(1, 1).kind).toBe("pendingCancel");
    expect(broker.order(1, 1)?.status).toBe("PendingCancel");
    expect(broker.nextWakeup()).toBe(market.now() + 30);
    market.advance(30);
    broker.match();
    expect(statuses(log, 1)).toEqual(["PreSubmitted", "Submitted", "PendingCancel", "Cancelled"]);
  });

  it("a fill that comes due while the cancel is pending still happens", () => {
    ({ market, broker, log } = setup({ cancelLatencyMs: 30 }));
    initialQuotes(market);
    broker.placeOrder(1, 1, stock("BUY", 10, 103));
    market.advance(ACK);
    broker.match(); // marketable now: fill due after FILL
    market.advance(FILL - 10);
    broker.cancelOrder(1, 1); // effective 20 ms after the fill is due
    market.advance(30);
    broker.match();
    expect(broker.order(1, 1)?.status).toBe("Filled");
    expect(statuses(log, 1)).toEqual(["PreSubmitted", "Submitted", "PendingCancel", "Filled"]);
    expect(log.of("error").filter((e) => e.code === 202)).toHaveLength(0);
  });

  it("DAY orders expire at the close with status Cancelled; GTC orders stay", () => {
    broker.placeOrder(1, 1, stock("BUY", 10, 100, { tif: "DAY" }));
    broker.placeOrder(1, 2, stock("BUY", 10, 100, { tif: "GTC" }));
    market.advance(ACK);
    broker.match();
    expect(broker.nextWakeup()).toBe(MONDAY_CLOSE_NY);
    market.time = MONDAY_CLOSE_NY - 1;
    broker.match();
    expect(broker.order(1, 1)?.status).toBe("Submitted");
    market.time = MONDAY_CLOSE_NY;
    broker.match();
    expect(broker.order(1, 1)?.status).toBe("Cancelled");
    expect(broker.order(1, 1)?.completedStatus).toMatch(/expired/);
    expect(broker.order(1, 2)?.status).toBe("Submitted");
    expect(broker.openOrders(1).map((o) => o.orderId)).toEqual([2]);
  });

  it("partial fills at the displayed size add up; avgFillPrice is volume-weighted; commission minimum once per order", () => {
    market.setQuote(SPY_P95, { bid: 0.9, ask: 1.0, bidSize: 20, askSize: 3 });
    broker.placeOrder(1, 1, option(SPY_P95, "BUY", 10, 1.0));
    market.advance(ACK);
    broker.match();
    market.advance(FILL);
    broker.match(); // 3 @ 1.00 (ask)
    market.setQuote(SPY_P95, { bid: 0.9, ask: 0.98, bidSize: 20, askSize: 4 });
    market.advance(FILL);
    broker.match(); // 4 @ 0.98 (ask)
    market.setQuote(SPY_P95, { bid: 0.9, ask: 1.05, bidSize: 20, askSize: 5 });
    market.advance(FILL);
    broker.match(); // not marketable: rests
    market.setQuote(SPY_P95, { bid: 0.85, ask: 0.95, bidSize: 20, askSize: 10 });
    broker.match();
    market.advance(FILL);
    broker.match(); // 3 @ 1.00 (its limit: it was resting)

    const fills = broker.executions().map((r) => r.execution);
    expect(fills.map((e) => e.shares)).toEqual([3, 4, 3]);
    expect(fills.map((e) => e.price)).toEqual([1.0, 0.98, 1.0]);
    expect(fills.map((e) => e.cumQty)).toEqual([3, 7, 10]);
    expect(fills[1]?.avgPrice).toBeCloseTo((3 * 1.0 + 4 * 0.98) / 7, 8);
    expect(fills.map((e) => e.lastLiquidity)).toEqual([2, 2, 1]);
    const order = broker.order(1, 1);
    expect(order?.status).toBe("Filled");
    expect(order?.avgFillPrice).toBeCloseTo((3 * 1.0 + 4 * 0.98 + 3 * 1.0) / 10, 8);
    expect(order?.lastFillPrice).toBe(1.0);
    // 0.65 × 10 in total; the $1.00 minimum does not apply per execution.
    const commissions = broker.executions().map((r) => r.commissionReport?.commission);
    expect(commissions[0]).toBeCloseTo(1.95, 9);
    expect(commissions[1]).toBeCloseTo(2.6, 9);
    expect(commissions[2]).toBeCloseTo(1.95, 9);
    expect(statuses(log, 1).filter((s) => s === "Filled")).toHaveLength(1);
    expect(log.of("orderStatus").filter((e) => e.status.status === "Submitted").map((e) => e.status.filled)).toEqual([0, 3, 7]);
  });

  it("two orders share the displayed size within one pass, earlier order first", () => {
    market.setQuote(SPY_P95, { bid: 0.9, ask: 1.0, bidSize: 20, askSize: 5 });
    broker.placeOrder(1, 1, option(SPY_P95, "BUY", 4, 1.0));
    broker.placeOrder(1, 2, option(SPY_P95, "BUY", 4, 1.0));
    market.advance(ACK);
    broker.match();
    market.advance(FILL);
    broker.match();
    expect(broker.order(1, 1)?.filled).toBe(4);
    expect(broker.order(1, 2)?.filled).toBe(1);
  });

  it("transmit=false holds the order (Inactive, never matched) until re-placed with transmit", () => {
    broker.placeOrder(1, 1, stock("BUY", 10, 103, { transmit: false }));
    market.advance(ACK + FILL * 2);
    broker.match();
    expect(broker.order(1, 1)).toMatchObject({ status: "Inactive", open: true, filled: 0 });
    expect(broker.openOrders(1)).toHaveLength(1);
    broker.placeOrder(1, 1, stock("BUY", 10, 103, { transmit: true }));
    expect(broker.order(1, 1)?.status).toBe("PreSubmitted");
    market.advance(ACK);
    broker.match();
    market.advance(FILL);
    broker.match();
    expect(broker.order(1, 1)?.status).toBe("Filled");
  });

  it("open orders per client vs all; client 0 sees the manual orders", () => {
    broker.placeOrder(1, 1, stock("BUY", 1, 100));
    broker.placeOrder(2, 1, stock("BUY", 1, 100));
    const manual = broker.placeManualOrder(stock("BUY", 1, 100));
    expect(manual.kind).toBe("accepted");
    if (manual.kind !== "accepted") return;
    expect(manual.order.orderId).toBeLessThan(0);
    expect(manual.order.manual).toBe(true);
    expect(broker.openOrders(1).map((o) => o.clientId)).toEqual([1]);
    expect(broker.openOrders(0).map((o) => o.orderId)).toEqual([manual.order.orderId]);
    expect(broker.allOpenOrders()).toHaveLength(3);
    expect(broker.cancelOrder(0, manual.order.orderId).kind).toBe("cancelled");
    expect(broker.completedOrders(true)).toHaveLength(0);
    expect(broker.completedOrders(false)).toHaveLength(1);
    broker.globalCancel();
    expect(broker.allOpenOrders()).toHaveLength(0);
  });
});

describe("re-entrant subscribers", () => {
  it("a subscriber placing an order on a fill sees its events after the fill's, and state stays consistent", () => {
    const { market, broker, log } = setup({ ackLatencyMs: 0, fillLatencyMs: 0 });
    initialQuotes(market);
    let placed = false;
    broker.subscribe((e) => {
      if (e.type === "execution" && e.execution.orderId === 1 && !placed) {
        placed = true;
        broker.placeOrder(1, 2, stock("SELL", 100, undefined));
      }
    });
    broker.placeOrder(1, 1, stock("BUY", 100, undefined));
    expect(broker.order(1, 1)?.status).toBe("Filled");
    expect(broker.order(1, 2)?.status).toBe("Filled");
    expect(broker.positions().find((p) => p.contract.conId === SPY)?.position).toBe(0);
    const types = log.events.map((e) => (e.type === "orderStatus" ? `${e.status.orderId}:${e.status.status}` : e.type));
    const order1Filled = types.indexOf("1:Filled");
    const order2First = types.indexOf("2:PreSubmitted");
    expect(order1Filled).toBeGreaterThan(-1);
    expect(order2First).toBeGreaterThan(order1Filled);
  });
});

describe("rejections (201)", () => {
  let market: FakeMarket;
  let broker: Broker;
  let log: EventLog;

  beforeEach(() => {
    ({ market, broker, log } = setup());
    initialQuotes(market);
  });

  function expectRejected(orderId: number, reason: RegExp): void {
    const error = log.of("error").find((e) => e.id === orderId);
    expect(error?.code).toBe(201);
    expect(error?.message).toMatch(/^Order rejected - reason:/);
    expect(error?.message).toMatch(reason);
    const order = broker.order(1, orderId);
    expect(order?.status).toBe("Inactive");
    expect(order?.open).toBe(false);
    expect(order?.rejectReason).toMatch(reason);
    expect(broker.completedOrders().some((o) => o.orderId === orderId)).toBe(true);
    expect(broker.openOrders(1).some((o) => o.orderId === orderId)).toBe(false);
  }

  it("insufficient funds: buying 2000 SPY needs 102,000 initial margin on ~100,000 equity", () => {
    const result = broker.placeOrder(1, 1, stock("BUY", 2000, 102.01));
    expect(result).toMatchObject({ kind: "rejected", code: 201 });
    // EWL after = 100000 − 2000 × (102.01 − 102) − 10 commission; init = 50% × 2000 × 102.
    expectRejected(1, /EQUITY WITH LOAN VALUE \[99970\.00 USD\] MUST EXCEED THE INITIAL MARGIN \[102000\.00 USD\]/);
    expect(broker.placeOrder(1, 2, stock("BUY", 1000, 102.01)).kind).toBe("accepted");
  });

  it("what-if of an order too big reports the shortfall in warningText and still creates nothing", () => {
    const result = broker.placeOrder(1, 1, stock("BUY", 2000, 102.01, { whatIf: true }));
    expect(result.kind).toBe("whatIf");
    if (result.kind === "whatIf") expect(result.state.warningText).toMatch(/NOT ACCEPTED/);
    expect(broker.completedOrders()).toHaveLength(0);
  });

  it("unknown conId, unknown combo leg, bad ratio, missing limit, non-positive quantity", () => {
    broker.placeOrder(1, 1, { ...stock("BUY", 1, 100), contract: { secType: "STK", conId: 999 } });
    expectRejected(1, /Unknown contract: conId 999/);
    broker.placeOrder(1, 2, bullPut(-1.2, { contract: { secType: "BAG", comboLegs: [{ conId: SPY_P100, ratio: 1, action: "SELL" }, { conId: 998, ratio: 1, action: "BUY" }] } }));
    expectRejected(2, /conId 998/);
    broker.placeOrder(1, 3, bullPut(-1.2, { contract: { secType: "BAG", comboLegs: [{ conId: SPY_P100, ratio: 0, action: "SELL" }, { conId: SPY_P95, ratio: 1, action: "BUY" }] } }));
    expectRejected(3, /ratio 0/);
    broker.placeOrder(1, 4, stock("BUY", 1, undefined, { orderType: "LMT" }));
    expectRejected(4, /Limit price is required/);
    broker.placeOrder(1, 5, stock("BUY", 0, 100));
    expectRejected(5, /quantity must be positive/);
    broker.placeOrder(1, 6, stock("BUY", 1, UNSET_DOUBLE, { orderType: "LMT" }));
    expectRejected(6, /Limit price is required/);
    expect(broker.executions()).toHaveLength(0);
    // The ids are used up.
    expect(broker.placeOrder(1, 6, stock("BUY", 1, 100))).toMatchObject({ kind: "error", code: 103 });
  });

  it("injected rejection hits the next order only", () => {
    broker.injectRejection("Simulated: exchange unavailable");
    broker.placeOrder(1, 1, stock("BUY", 1, 100));
    expectRejected(1, /Simulated: exchange unavailable/);
    expect(statuses(log, 1)).toEqual(["Inactive"]);
    expect(broker.placeOrder(1, 2, stock("BUY", 1, 100)).kind).toBe("accepted");
  });

  it("closing trades pass the funds check even when they lower equity", () => {
    broker.placeOrder(1, 1, stock("BUY", 1000, 102.01));
    market.advance(ACK + FILL);
    broker.match();
    market.advance(FILL);
    broker.match();
    // 500 shown at the ask: the rest comes one fill latency later.
    expect(broker.order(1, 1)?.filled).toBe(500);
    market.advance(FILL);
    broker.match();
    expect(broker.order(1, 1)?.status).toBe("Filled");
    // After a crash, even a sale far below the market (it lowers equity) reduces the margin.
    market.setQuote(SPY, { bid: 39.9, ask: 40.1 });
    expect(broker.placeOrder(1, 2, stock("SELL", 1000, 1)).kind).toBe("accepted");
  });
});

describe("account values", () => {
  it("identities hold and match hand-computed values after a stock buy and a spread", () => {
    const { market, broker } = setup({ ackLatencyMs: 0, fillLatencyMs: 0 });
    initialQuotes(market);
    broker.placeOrder(1, 1, stock("BUY", 100, undefined));
    // 100 × 102.01 + $1.00 minimum (0.005 × 100 = 0.50).
    let s = broker.accountSnapshot();
    expect(s.totalCashValue).toBeCloseTo(100_000 - 10_201 - 1, 6);
    expect(s.stockMarketValue).toBeCloseTo(10_200, 6);
    expect(s.netLiquidation).toBeCloseTo(99_998, 6);
    expect(s.initMarginReq).toBeCloseTo(5_100, 6);
    expect(s.maintMarginReq).toBeCloseTo(2_550, 6);
    expect(s.availableFunds).toBeCloseTo(94_898, 6);
    expect(s.excessLiquidity).toBeCloseTo(97_448, 6);
    expect(s.buyingPower).toBeCloseTo(4 * 94_898, 6);
    expect(s.cushion).toBeCloseTo(97_448 / 99_998, 9);

    broker.placeOrder(1, 2, bullPut(-1.0));
    s = broker.accountSnapshot();
    const marketValue = broker.portfolio().reduce((sum, p) => sum + p.marketValue, 0);
    expect(s.netLiquidation).toBeCloseTo(s.totalCashValue + marketValue, 6);
    expect(s.equityWithLoanValue).toBeCloseTo(s.netLiquidation, 6);
    expect(s.excessLiquidity).toBeCloseTo(s.equityWithLoanValue - s.maintMarginReq, 6);
    expect(s.availableFunds).toBeCloseTo(s.equityWithLoanValue - s.initMarginReq, 6);
    expect(s.grossPositionValue).toBeCloseTo(10_200 + 215 + 95, 6);
    // Stock 5100 + spread (0.95 − 2.15 + 5) × 100.
    expect(s.initMarginReq).toBeCloseTo(5_100 + 380, 6);

    const rows = new Map(broker.accountValues().map((v) => [v.key, v]));
    for (const key of ["NetLiquidation", "TotalCashValue", "SettledCash", "BuyingPower", "AvailableFunds", "ExcessLiquidity", "InitMarginReq", "MaintMarginReq", "EquityWithLoanValue", "GrossPositionValue", "RealizedPnL", "UnrealizedPnL"]) {
      expect(rows.get(key)?.currency, key).toBe("USD");
      expect(rows.get(key)?.account).toBe("DU1234567");
    }
    expect(rows.get("NetLiquidation")?.value).toBe(s.netLiquidation.toFixed(2));
    expect(rows.get("Cushion")?.currency).toBe("");
    expect(rows.get("AccountCode")?.value).toBe("DU1234567");
  });

  it("daily P&L is measured from the previous close after a day roll", () => {
    const { market, broker } = setup({ ackLatencyMs: 0, fillLatencyMs: 0 });
    initialQuotes(market);
    broker.placeOrder(1, 1, stock("BUY", 100, undefined));
    broker.rollDay(); // previous close of SPY = 101 (quote.close)
    market.setQuote(SPY, { bid: 102.99, ask: 103.01, close: 101 });
    const single = broker.pnlSingle(SPY);
    expect(single?.dailyPnL).toBeCloseTo(100 * (103 - 101), 6);
    // Unrealized against the cost 102.01 + 0.01 commission per share.
    expect(single?.unrealizedPnL).toBeCloseTo(100 * 103 - 10_202, 6);
    expect(broker.pnl().realizedPnL).toBe(0);
  });
});
