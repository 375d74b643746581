import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { BrokerOrderSchema, OrderStatus } from "@spreadops/api";
import type {
  BrokerOrder,
  OrderAction,
  CancelOrderRequest,
  CancelOrderResponse,
  GetAccountSummaryResponse,
  GetPositionsRequest,
  GetPositionsResponse,
  ListOrdersRequest,
  ListOrdersResponse,
  ModifyOrderRequest,
  ModifyOrderResponse,
  OrderRequest,
  PlaceOrderRequest,
  PlaceOrderResponse,
  StreamOrderEventsRequest,
  StreamOrderEventsResponse,
  WhatIfOrderRequest,
  WhatIfOrderResponse,
} from "@spreadops/api";
import type { HandlerContext } from "@connectrpc/connect";
import { failedPrecondition, invalidArgument, notFound } from "@spreadops/runtime";
import type { Logger, Metrics } from "@spreadops/runtime";
import type { Clock } from "../scheduler/clock.js";
import type { OrdersArea } from "../service/areas.js";
import { AccountReader } from "./account-reader.js";
import { isTerminalStatus, ORDER_REJECTED, secTypeText, toOrderAction } from "./ib-values.js";
import { KeyedLock } from "./keyed-lock.js";
import { TwsLegFacts } from "./leg-facts.js";
import type { LegFactsSource } from "./leg-facts.js";
import { feedMirror } from "./mirror-feed.js";
import { MirrorRefresher } from "./mirror-refresh.js";
import type { MirrorEvent, MirrorExecution, MirrorOrder } from "./mirror-types.js";
import { buildIbOrder, idempotencyKey } from "./order-builder.js";
import { streamOrderEvents } from "./order-events.js";
import { createOrderMetrics } from "./order-metrics.js";
import type { OrderMetrics } from "./order-metrics.js";
import { OrderMirror } from "./order-mirror.js";
import { requestFromIb, toBrokerOrder, toExecution } from "./proto-mapping.js";
import type { OrderConnection } from "./wait-event.js";
import { WhatIfRunner } from "./what-if.js";

/** Time bounds of the order area, ms. */
export interface OrdersTimeouts {
  /** What-if: wait this long for numeric margins, then answer with unknowns. */
  readonly whatIfMs: number;
  /** PlaceOrder / ModifyOrder / CancelOrder: answer with the state known after this long at most. */
  readonly ackMs: number;
  /** Each TWS query (open/completed orders, executions, contract details, positions, summary). */
  readonly queryMs: number;
  /** How long an account summary is served from cache. */
  readonly summaryCacheMs: number;
  /** Wait for the first reqPnL update before leaving P&L unknown. */
  readonly pnlMs: number;
}

/** Defaults of {@link OrdersTimeouts}. */
export const DEFAULT_ORDERS_TIMEOUTS: OrdersTimeouts = { whatIfMs: 5000, ackMs: 2000, queryMs: 5000, summaryCacheMs: 2000, pnlMs: 1000 };

/** Collaborators of an {@link OrdersService}. */
export interface OrdersServiceDeps {
  readonly connection: OrderConnection;
  readonly clock: Clock;
  readonly logger: Logger;
  /** API client id of the session (orders without a client id in TWS's messages are ours). */
  readonly clientId: number;
  readonly metrics?: Metrics;
  /** Describes combo legs for the limit-sign check; default: reqContractDetails through the connection. */
  readonly legFacts?: LegFactsSource;
  readonly timeouts?: Partial<OrdersTimeouts>;
}

/**
 * The gateway's orders and account area: what-if, placement (idempotent by orderRef + action),
 * modification, cancellation, listing and streaming of orders from a mirror of TWS's order
 * book, and positions and account summary. Money paths fail closed: when the gateway cannot
 * tell whether an order exists, or cannot check a combo price's sign, nothing is sent.
 * Call {@link close} to detach from the connection.
 */
export class OrdersService implements OrdersArea {
  readonly #connection: OrderConnection;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #timeouts: OrdersTimeouts;
  readonly #mirror: OrderMirror;
  readonly #refresher: MirrorRefresher;
  readonly #whatIf: WhatIfRunner;
  readonly #legFacts: LegFactsSource;
  readonly #account: AccountReader;
  readonly #metrics: OrderMetrics | undefined;
  readonly #locks = new KeyedLock();
  readonly #sentAt = new Map<number, number>();
  readonly #lifetime = new AbortController();

  constructor(deps: OrdersServiceDeps) {
    this.#connection = deps.connection;
    this.#clock = deps.clock;
    this.#logger = deps.logger.child({ component: "orders" });
    this.#timeouts = { ...DEFAULT_ORDERS_TIMEOUTS, ...deps.timeouts };
    const clock = deps.clock;
    this.#mirror = new OrderMirror({ clientId: deps.clientId, now: () => clock.now() });
    this.#metrics = deps.metrics === undefined ? undefined : createOrderMetrics(deps.metrics, () => this.#countByState());
    const { connection } = deps;
    const signal = this.#lifetime.signal;
    this.#refresher = new MirrorRefresher({ connection, clock, timeoutMs: this.#timeouts.queryMs });
    this.#whatIf = new WhatIfRunner({ connection, clock, timeoutMs: this.#timeouts.whatIfMs, ...(this.#metrics === undefined ? {} : { metrics: this.#metrics }) });
    this.#legFacts = deps.legFacts ?? new TwsLegFacts({ connection, clock, timeoutMs: this.#timeouts.queryMs });
    this.#account = new AccountReader(
      { connection, clock, timeoutMs: this.#timeouts.queryMs, cacheMs: this.#timeouts.summaryCacheMs, pnlTimeoutMs: this.#timeouts.pnlMs },
      signal,
    );
    feedMirror(connection, this.#mirror, signal);
    this.#mirror.subscribe((event) => {
      this.#observe(event);
    });
    // The connection re-requests open orders itself; completed orders and executions (fills
    // while the socket was down) are fetched here.
    // A session that ends may take pushed updates with it: the next session starts unsynced.
    connection.onEvent("status", (status) => {
      if (status.state !== "connected") this.#refresher.invalidate();
    }, signal);
    connection.onEvent("restored", () => {
      this.#refresher.invalidate();
      this.#refresher.refresh("control").catch((error: unknown) => {
        this.#logger.warn({ err: error }, "order mirror refresh after (re)connect failed");
      });
    }, signal);
  }

  /** Detaches every handler from the connection. */
  close(): void {
    this.#lifetime.abort();
  }

  /** The mirror (read-only use: tests, diagnostics). */
  get mirror(): OrderMirror {
    return this.#mirror;
  }

  // ---- RPCs -----------------------------------------------------------------------------------

  async whatIfOrder(request: WhatIfOrderRequest, context?: HandlerContext): Promise<WhatIfOrderResponse> {
    const order = requireOrder(request.order);
    const ib = await buildIbOrder(order, this.#legFacts, { whatIf: true });
    const result = await this.#whatIf.run(ib, context?.signal);
    this.#logger.info({ orderRef: order.orderRef, initMarginChange: result.initMarginChange, commission: result.commission }, "what-if answered");
    return { $typeName: "spreadops.v1.WhatIfOrderResponse", result };
  }

  async placeOrder(request: PlaceOrderRequest): Promise<PlaceOrderResponse> {
    const order = requireOrder(request.order);
    const { orderRef, action } = idempotencyKey(order);
    return this.#locks.run(`${orderRef}\u0000${action}`, async () => {
      this.#connection.checkAvailable("order");
      // Fail closed: without a complete view of open/completed orders and executions on this
      // TWS session we cannot know that no order carries this orderRef, so nothing is placed.
      await this.#refresher.ensureSynced("order");
      const existing = this.#findExisting(orderRef, order.action);
      if (existing !== undefined) {
        this.#metrics?.placed("adopted");
        this.#logger.info({ orderRef, action, orderId: existing.orderId }, "order already exists: adopted, nothing sent");
        return { $typeName: "spreadops.v1.PlaceOrderResponse", order: existing, adopted: true };
      }
      let ib;
      try {
        ib = await buildIbOrder(order, this.#legFacts, { whatIf: false });
      } catch (error) {
        this.#metrics?.placed("refused");
        throw error;
      }
      const orderId = this.#connection.nextOrderId();
      const record = this.#mirror.expect({ orderId, orderRef, action: order.action, request: order });
      try {
        await this.#waitAck(record, () => this.#connection.send("order", (api) => api.placeOrder(orderId, ib.contract, ib.order)), (o) => o.status !== OrderStatus.UNSPECIFIED || o.rejection !== undefined);
      } catch (error) {
        this.#mirror.forget(orderId);
        // The order may have reached TWS without its acknowledgment reaching us: re-read
        // everything before the next placement decides that no order carries this orderRef.
        this.#refresher.invalidate();
        throw error;
      }
      this.#sentAt.set(orderId, this.#clock.now());
      this.#metrics?.placed("sent");
      this.#logger.info({ orderRef, action, orderId, limit: ib.order.lmtPrice, quantity: ib.order.totalQuantity, status: OrderStatus[record.status] }, "order placed");
      return { $typeName: "spreadops.v1.PlaceOrderResponse", order: toBrokerOrder(this.#mirror, record), adopted: false };
    });
  }

  async modifyOrder(request: ModifyOrderRequest): Promise<ModifyOrderResponse> {
    const record = this.#mirror.byOrderId(request.orderId);
    if (record === undefined) throw notFound("order", request.orderId);
    if (record.completed || isTerminalStatus(record.status)) {
      throw failedPrecondition(`order ${request.orderId} is no longer working (${OrderStatus[record.status]})`);
    }
    this.#connection.checkAvailable("order");
    const base = record.request ?? requestFromIb(record.contract, record.order);
    const modified: OrderRequest = { ...base, orderRef: record.orderRef || base.orderRef };
    if (request.limitPrice !== undefined) modified.limitPrice = request.limitPrice;
    if (request.quantity !== undefined) {
      if (request.quantity <= record.filled) throw invalidArgument("quantity", `more than the ${record.filled} already filled`, request.quantity);
      modified.quantity = request.quantity;
    }
    const ib = await buildIbOrder(modified, this.#legFacts, { whatIf: false });
    const limit = ib.order.lmtPrice;
    await this.#waitAck(record, () => this.#connection.send("order", (api) => api.placeOrder(record.orderId, ib.contract, ib.order)), (o) => o.order?.lmtPrice === limit || isTerminalStatus(o.status));
    record.request = modified;
    this.#logger.info({ orderRef: record.orderRef, orderId: record.orderId, limit, quantity: ib.order.totalQuantity }, "order modified");
    return { $typeName: "spreadops.v1.ModifyOrderResponse", order: toBrokerOrder(this.#mirror, record) };
  }

  async cancelOrder(request: CancelOrderRequest): Promise<CancelOrderResponse> {
    const target = request.target;
    let records: MirrorOrder[];
    if (target.case === "orderId") {
      const record = this.#mirror.byOrderId(target.value);
      if (record === undefined) throw notFound("order", target.value);
      records = [record];
    } else if (target.case === "orderRef") {
      records = this.#mirror.byOrderRef(target.value);
    } else {
      throw invalidArgument("target", "an order_id or an order_ref", "nothing");
    }
    const working = records.filter((o) => !o.completed && !isTerminalStatus(o.status) && o.orderId !== 0);
    if (working.length > 0) this.#connection.checkAvailable("cancel");
    await Promise.all(
      working.map((o) => {
        this.#mirror.markCancelRequested(o);
        return this.#waitAck(o, () => this.#connection.send("cancel", (api) => api.cancelOrder(o.orderId)), (x) => x.status === OrderStatus.PENDING_CANCEL || isTerminalStatus(x.status));
      }),
    );
    for (const o of working) this.#logger.info({ orderRef: o.orderRef, orderId: o.orderId }, "cancel sent");
    return { $typeName: "spreadops.v1.CancelOrderResponse", orders: records.map((o) => toBrokerOrder(this.#mirror, o)) };
  }

  async listOrders(request: ListOrdersRequest): Promise<ListOrdersResponse> {
    await this.#refresher.ensureSynced("control");
    const refs = new Set(request.orderRefs);
    const orders = this.#mirror
      .orders()
      .filter((o) => (refs.size === 0 || refs.has(o.orderRef)) && (request.includeCompleted || !(o.completed || isTerminalStatus(o.status))));
    const orphans = this.#mirror.orphanExecutions().filter((e) => refs.size === 0 || refs.has(e.orderRef));
    return {
      $typeName: "spreadops.v1.ListOrdersResponse",
      orders: orders.map((o) => toBrokerOrder(this.#mirror, o)),
      orphanExecutions: orphans.map(toExecution),
    };
  }

  async *streamOrderEvents(request: StreamOrderEventsRequest, context: HandlerContext): AsyncGenerator<StreamOrderEventsResponse, void, undefined> {
    yield* streamOrderEvents(this.#mirror, request.orderRefs, () => this.#clock.now(), context.signal);
  }

  async getPositions(request: GetPositionsRequest): Promise<GetPositionsResponse> {
    const { positions, asOf } = await this.#account.positions(request.symbol);
    return { $typeName: "spreadops.v1.GetPositionsResponse", positions, asOf: timestampFromMs(asOf) };
  }

  async getAccountSummary(): Promise<GetAccountSummaryResponse> {
    return { $typeName: "spreadops.v1.GetAccountSummaryResponse", summary: await this.#account.summary() };
  }

  // ---- internals ------------------------------------------------------------------------------

  /**
   * The order (or orphan executions) already carrying this orderRef and action, as a
   * BrokerOrder. Orphan executions count too: a leg fill whose order IB has not reported yet
   * is proof enough that an order exists. Leg executions carry the leg's side, so for a combo
   * only a combo-level execution tells the action; leg-only orphans block either action
   * (fail closed).
   */
  #findExisting(orderRef: string, action: OrderAction): BrokerOrder | undefined {
    const order = this.#mirror.byOrderRef(orderRef, action)[0];
    if (order !== undefined) return toBrokerOrder(this.#mirror, order);
    const orphans = this.#mirror.orphanExecutions(orderRef);
    if (orphans.length === 0) return undefined;
    const combo = orphans.filter((e) => secTypeText(e.contract) === "BAG");
    const sideMatches = (e: MirrorExecution): boolean => toOrderAction(e.execution.side) === action;
    const relevant = combo.length > 0 ? orphans.filter((e) => combo.some((c) => c.permId === e.permId && sideMatches(c))) : orphans;
    const first = relevant[0];
    if (first === undefined) return undefined;
    return create(BrokerOrderSchema, {
      orderId: first.orderId,
      permId: first.permId,
      clientId: first.clientId,
      orderRef,
      executions: relevant.map(toExecution),
      createdAt: timestampFromMs(first.receivedAt),
      updatedAt: timestampFromMs(first.receivedAt),
    });
  }

  /** Sends, then waits (bounded by ackMs) until `acknowledged` holds for the record or it is rejected. */
  async #waitAck(record: MirrorOrder, send: () => Promise<void>, acknowledged: (o: MirrorOrder) => boolean): Promise<void> {
    let done: () => void = () => undefined;
    const seen = new Promise<void>((resolve) => {
      done = resolve;
    });
    const off = this.#mirror.subscribe((event) => {
      const o = event.kind === "status" || event.kind === "error" ? event.order : event.order;
      if (o === record && (acknowledged(record) || record.rejection !== undefined)) done();
    });
    const cancelTimer = this.#clock.setTimer(this.#timeouts.ackMs, done);
    try {
      await send();
      if (acknowledged(record) || record.rejection !== undefined) return;
      await seen;
    } finally {
      off();
      cancelTimer();
    }
  }

  #observe(event: MirrorEvent): void {
    if (event.kind === "error" && event.error.code === ORDER_REJECTED) {
      this.#metrics?.rejected(event.error.code);
      this.#logger.warn({ orderRef: event.order.orderRef, orderId: event.order.orderId, code: event.error.code, reason: event.error.message }, "order rejected");
    }
    if (event.kind === "status" && event.order.status === OrderStatus.FILLED) {
      const sentAt = this.#sentAt.get(event.order.orderId);
      if (sentAt !== undefined) {
        this.#sentAt.delete(event.order.orderId);
        this.#metrics?.fillLatency((this.#clock.now() - sentAt) / 1000);
      }
    }
  }

  #countByState(): Map<OrderStatus, number> {
    const counts = new Map<OrderStatus, number>();
    for (const o of this.#mirror.orders()) counts.set(o.status, (counts.get(o.status) ?? 0) + 1);
    return counts;
  }
}

function requireOrder(order: OrderRequest | undefined): OrderRequest {
  if (order === undefined) throw invalidArgument("order", "an order", "nothing");
  return order;
}
