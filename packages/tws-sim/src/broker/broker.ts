/**
 * The simulated account's order and account engine: the facade the server calls for
 * placeOrder / cancelOrder / reqGlobalCancel / reqOpenOrders / reqAllOpenOrders /
 * reqCompletedOrders / reqExecutions / reqPositions / reqAccountUpdates / reqAccountSummary /
 * reqPnL / reqPnLSingle, and the source of the events it encodes back.
 *
 * Time only advances through the injected clock. The server calls {@link Broker.match} on every
 * market update and when {@link Broker.nextWakeup} comes due; that is where acknowledgements,
 * fills after the latency, pending cancels and DAY expiries happen.
 *
 * @packageDocumentation
 */

import {
  accountSnapshot,
  accountValues,
  portfolioEntry,
  positionReport,
  valuePositions,
  type AccountModel,
  type AccountSnapshot,
  type AccountValue,
  type PortfolioEntry,
  type PositionReport,
} from "./account.js";
import { weekdayCloseCalendar } from "./calendar.js";
import { legSide, type PricingLeg } from "./combo-pricing.js";
import { IB_FIXED_US_RATES, type CommissionRates } from "./commissions.js";
import { contractView, unresolvedView } from "./contract-view.js";
import {
  cancelNotFoundText,
  cancelNotPossibleText,
  duplicateOrderIdText,
  ErrorCode,
  modifyMismatchText,
  orderCanceledText,
  orderRejectedText,
  validationErrorText,
} from "./error-codes.js";
import { EventBus, type BrokerListener } from "./events.js";
import {
  ExecutionStore,
  type CommissionReport,
  type ExecutionFilter,
  type ExecutionRecord,
  type ExecutionReport,
  type ExecutionSide,
} from "./executions.js";
import { Counter, ExecIdFactory } from "./ids.js";
import { Ledger } from "./ledger.js";
import { REG_T_MARGIN, type MarginParams } from "./margin.js";
import { matchOrder, type MatchFill } from "./matching.js";
import { UNSET_DOUBLE } from "./numeric.js";
import { OrderBook } from "./order-book.js";
import { OrderRecord } from "./order-record.js";
import type { ContractView, OrderRequest, OrderSecType, OrderSnapshot, OrderStatus, WhatIfOrderState } from "./order-types.js";
import { totalPnl, type PnlReport, type PnlSingleReport } from "./pnl.js";
import type { Clock, ContractLookup, QuoteSource, TradingCalendar } from "./ports.js";
import { markOf } from "./quotes.js";
import { resolveOrder, unresolvedOrder, type ResolvedOrder } from "./validation.js";
import { insufficientFunds, projectOrder, whatIfState } from "./whatif.js";

/** Settings of the simulated account. */
export interface BrokerConfig {
  /** Account id reported everywhere (paper accounts start with `DU`). */
  readonly account: string;
  readonly currency: string;
  readonly startingCash: number;
  /** Placement → exchange acknowledgement (PreSubmitted → Submitted), simulated ms. */
  readonly ackLatencyMs: number;
  /** Marketable → fill, and between the parts of a partial fill, simulated ms. */
  readonly fillLatencyMs: number;
  /** Cancel request → Cancelled (PendingCancel meanwhile; fills can still happen), simulated ms. */
  readonly cancelLatencyMs: number;
  /** Fill at most the displayed size per matching pass (else everything at once). */
  readonly partialFills: boolean;
  readonly commissions: CommissionRates;
  readonly margin: MarginParams;
  /** BuyingPower = this × AvailableFunds (4: Reg-T margin account). */
  readonly buyingPowerMultiplier: number;
  /** 8 hex digits leading every execId. */
  readonly execIdPrefix: string;
  /** First permId handed out. */
  readonly firstPermId: number;
  /** Exchange reported on executions of SMART-routed orders, per security type. */
  readonly executionExchange: Readonly<Record<OrderSecType, string>>;
}

/** Defaults: a $100,000 USD paper account, IB Fixed commissions, Reg-T margin. */
export const DEFAULT_BROKER_CONFIG: BrokerConfig = {
  account: "DU1234567",
  currency: "USD",
  startingCash: 100_000,
  ackLatencyMs: 20,
  fillLatencyMs: 50,
  cancelLatencyMs: 20,
  partialFills: true,
  commissions: IB_FIXED_US_RATES,
  margin: REG_T_MARGIN,
  buyingPowerMultiplier: 4,
  execIdPrefix: "0000e0d5",
  firstPermId: 1_000_001,
  executionExchange: { STK: "ISLAND", OPT: "CBOE", BAG: "CBOE" },
};

/** The engine's collaborators. */
export interface BrokerPorts {
  readonly clock: Clock;
  readonly quotes: QuoteSource;
  readonly contracts: ContractLookup;
  /** Decides DAY expiry; default: weekdays, 16:00 America/New_York. */
  readonly calendar?: TradingCalendar;
}

/**
 * The answer to placeOrder. The same outcome is also emitted as events (openOrder/orderStatus,
 * error); the server encodes the events and may use this for logging. A what-if emits nothing:
 * the server answers it with one openOrder built from `state`.
 */
export type PlaceOrderResult =
  | { readonly kind: "accepted"; readonly order: OrderSnapshot }
  | { readonly kind: "modified"; readonly order: OrderSnapshot }
  | { readonly kind: "whatIf"; readonly state: WhatIfOrderState; readonly order: OrderSnapshot }
  /** Error 201; `order` is the terminal record (absent for a rejected what-if). */
  | { readonly kind: "rejected"; readonly code: number; readonly reason: string; readonly order: OrderSnapshot | undefined }
  /** 103 / 105 / 321: nothing was created or changed. */
  | { readonly kind: "error"; readonly code: number; readonly message: string };

/** The answer to cancelOrder (also emitted as events). */
export type CancelResult =
  | { readonly kind: "cancelled" | "pendingCancel"; readonly order: OrderSnapshot }
  | { readonly kind: "error"; readonly code: number; readonly message: string };

/** What an option expiry did to the position. */
export interface SettlementResult {
  readonly conId: number;
  /** Quantity settled (signed, as held before expiry); 0 when there was no position. */
  readonly quantity: number;
  /** Intrinsic value per share. */
  readonly settlementPrice: number;
  readonly cashDelta: number;
  readonly realizedPnL: number;
  /** Orders cancelled because they trade the expired contract. */
  readonly cancelledOrders: readonly OrderSnapshot[];
}

/** Key of the displayed size a matching pass has taken, per conId and book side. */
type LiquidityPass = Map<string, number>;

/** The order and account engine of one simulated account. */
export class Broker {
  private readonly config: BrokerConfig;
  private readonly calendar: TradingCalendar;
  private readonly model: AccountModel;
  private readonly bus = new EventBus();
  private readonly book = new OrderBook();
  private readonly executionStore = new ExecutionStore();
  private readonly ledger: Ledger;
  private readonly permIds: Counter;
  private readonly manualIds = new Counter(-1, -1);
  private readonly execIds: ExecIdFactory;
  private readonly forcedRejections: string[] = [];

  constructor(
    private readonly ports: BrokerPorts,
    config: Partial<BrokerConfig> = {},
  ) {
    this.config = { ...DEFAULT_BROKER_CONFIG, ...config };
    this.calendar = ports.calendar ?? weekdayCloseCalendar();
    this.model = {
      account: this.config.account,
      currency: this.config.currency,
      buyingPowerMultiplier: this.config.buyingPowerMultiplier,
      margin: this.config.margin,
    };
    this.ledger = new Ledger(this.config.startingCash);
    this.permIds = new Counter(this.config.firstPermId);
    this.execIds = new ExecIdFactory(this.config.execIdPrefix);
  }

  /** The account id. */
  get account(): string {
    return this.config.account;
  }

  /** Subscribes to the engine's events; returns the unsubscribe function. */
  subscribe(listener: BrokerListener): () => void {
    return this.bus.subscribe(listener);
  }

  // ---------------------------------------------------------------- orders

  /**
   * placeOrder of API client `clientId` on `orderId`: a what-if, a modification (the id is an
   * open order of this client), a duplicate id (103) or a new order.
   */
  placeOrder(clientId: number, orderId: number, request: OrderRequest): PlaceOrderResult {
    return this.bus.batch(() => {
      if (request.whatIf === true) return this.whatIf(clientId, orderId, request);
      switch (this.book.classify(clientId, orderId)) {
        case "modify": {
          const record = this.book.get(clientId, orderId);
          if (record !== undefined) return this.modify(record, request);
          break;
        }
        case "duplicate":
          return this.refuse(clientId, orderId, ErrorCode.DuplicateOrderId, duplicateOrderIdText());
        case "new":
          break;
      }
      this.book.useId(clientId, orderId);
      return this.create(clientId, orderId, request, false);
    });
  }

  /**
   * An order entered by hand "in TWS": owned by client 0 (which sees and can cancel or modify it
   * with its negative id), reported with `manual: true`.
   */
  placeManualOrder(request: OrderRequest): PlaceOrderResult {
    return this.bus.batch(() => {
      return this.create(0, this.manualIds.take(), { ...request, whatIf: false }, true);
    });
  }

  /**
   * The what-if order state of `request`; creates no order, no execution, emits nothing except
   * error 201 when the request itself is invalid. Does not use up `orderId`.
   */
  whatIf(clientId: number, orderId: number, request: OrderRequest): PlaceOrderResult {
    return this.bus.batch(() => {
      const now = this.ports.clock.now();
      const resolution = resolveOrder(request, this.ports.contracts, this.config.account);
      if (!resolution.ok) {
        this.emitError(clientId, orderId, ErrorCode.OrderRejected, orderRejectedText(resolution.reason));
        return { kind: "rejected", code: ErrorCode.OrderRejected, reason: resolution.reason, order: undefined };
      }
      const projection = this.project(resolution.order, resolution.order.totalQuantity);
      const preview = new OrderRecord(orderId, clientId, 0, resolution.order, false, now, this.config.commissions);
      return { kind: "whatIf", state: whatIfState(projection), order: preview.snapshot(this.config.currency) };
    });
  }

  /** cancelOrder of `clientId` (only its own orders; client 0 also its manual ones). */
  cancelOrder(clientId: number, orderId: number): CancelResult {
    return this.bus.batch(() => {
      const record = this.book.get(clientId, orderId);
      if (record === undefined) {
        const message = cancelNotFoundText(orderId);
        this.emitError(clientId, orderId, ErrorCode.CancelNotFound, message);
        return { kind: "error", code: ErrorCode.CancelNotFound, message };
      }
      return this.cancelRecord(record);
    });
  }

  /** reqGlobalCancel: cancels every open order of every client. */
  globalCancel(): void {
    this.bus.batch(() => {
      for (const record of this.book.open()) {
        if (record.phase !== "pendingCancel") this.cancelRecord(record);
      }
    });
  }

  /**
   * Fault injection: the next `count` new orders (what-ifs excluded) are rejected with error 201
   * and `reason`, whatever they are.
   */
  injectRejection(reason: string, count = 1): void {
    for (let i = 0; i < count; i++) this.forcedRejections.push(reason);
  }

  /** nextValidId: above every id any client has used. */
  nextValidOrderId(): number {
    return this.book.nextValidId();
  }

  // ---------------------------------------------------------------- time

  /**
   * The matching pass: acknowledges orders whose ack latency has passed, ends pending cancels,
   * expires DAY orders at the close, and fills marketable orders once their fill latency has
   * passed (at most the displayed size per order and pass). Orders are visited in placement
   * order, so earlier orders take the displayed size first.
   */
  match(): void {
    this.bus.batch(() => {
      const now = this.ports.clock.now();
      const pass: LiquidityPass = new Map();
      for (const record of this.book.open()) this.step(record, now, pass);
    });
  }

  /** Alias of {@link Broker.match} for the server's market-update hook. */
  onQuotesChanged(): void {
    this.match();
  }

  /**
   * The earliest simulated time at which {@link Broker.match} has work (an acknowledgement, a
   * fill due, a cancel, a DAY expiry), or undefined. It can be ≤ now: call match again.
   */
  nextWakeup(): number | undefined {
    let next: number | undefined;
    const consider = (t: number | undefined): void => {
      if (t !== undefined && (next === undefined || t < next)) next = t;
    };
    for (const record of this.book.open()) {
      consider(record.ackDueAt);
      consider(record.cancelDueAt);
      consider(record.expiresAt);
      if (record.live && record.marketableSince !== undefined) consider(record.marketableSince + this.config.fillLatencyMs);
    }
    return next;
  }

  /**
   * The market expired an option: open orders trading it are cancelled and the position is
   * settled in cash at intrinsic value (max(0, S − K) for calls, max(0, K − S) for puts, S =
   * `underlyingPrice` or the underlying's mark), no commission, realized P&L booked.
   */
  expireOption(conId: number, underlyingPrice?: number): SettlementResult {
    return this.bus.batch(() => {
      const contract = this.ports.contracts.contract(conId);
      if (contract?.secType !== "OPT" || contract.right === undefined || contract.strike === undefined) {
        throw new RangeError(`expireOption: conId ${conId} is not an option`);
      }
      const quantity = this.ledger.position(conId)?.quantity ?? 0;
      const s = underlyingPrice ?? (contract.underlyingConId === undefined ? undefined : this.mark(contract.underlyingConId));
      // Checked before anything changes, so a failed call leaves the account untouched.
      if (s === undefined && quantity !== 0) throw new RangeError(`expireOption: no underlying price for conId ${conId}`);

      const now = this.ports.clock.now();
      const cancelledOrders: OrderSnapshot[] = [];
      for (const record of this.book.open()) {
        if (!record.order.legs.some((leg) => leg.contract.conId === conId)) continue;
        record.finish("Cancelled", "Cancelled: contract expired", now);
        this.publishOrder(record);
        cancelledOrders.push(record.snapshot(this.config.currency));
      }
      if (s === undefined) return { conId, quantity: 0, settlementPrice: 0, cashDelta: 0, realizedPnL: 0, cancelledOrders };
      const intrinsic = contract.right === "C" ? Math.max(0, s - contract.strike) : Math.max(0, contract.strike - s);
      const effect = this.ledger.settle(contract, intrinsic);
      if (effect === undefined) return { conId, quantity: 0, settlementPrice: intrinsic, cashDelta: 0, realizedPnL: 0, cancelledOrders };
      const realizedPnL = effect.realizedPnL ?? 0;
      this.bus.emit({
        type: "optionSettled",
        time: now,
        conId,
        quantity,
        settlementPrice: intrinsic,
        cashDelta: effect.cashDelta,
        realizedPnL,
      });
      this.publishAccount(now, [conId]);
      return { conId, quantity, settlementPrice: intrinsic, cashDelta: effect.cashDelta, realizedPnL, cancelledOrders };
    });
  }

  /**
   * Starts a new trading day for daily P&L: the base of each position becomes its previous
   * close (the quote's `close`, else its current mark) and the day's realized P&L and cash flows
   * restart at 0; positions closed the day before disappear.
   */
  rollDay(): void {
    this.bus.batch(() => {
      this.ledger.rollDay((position) => {
        const quote = this.ports.quotes.quote(position.contract.conId);
        const close = quote?.close;
        if (close !== undefined && Number.isFinite(close) && close > 0) return close;
        return markOf(quote) ?? position.avgCost / position.contract.multiplier;
      });
      this.bus.emit({ type: "accountValues", time: this.ports.clock.now(), account: this.config.account, values: this.accountValues() });
    });
  }

  // ---------------------------------------------------------------- queries

  /** One order of a client, open or finished. */
  order(clientId: number, orderId: number): OrderSnapshot | undefined {
    return this.book.get(clientId, orderId)?.snapshot(this.config.currency);
  }

  /** reqOpenOrders: the open orders of `clientId` (client 0 includes manual orders). */
  openOrders(clientId: number): OrderSnapshot[] {
    return this.book.openFor(clientId).map((r) => r.snapshot(this.config.currency));
  }

  /** reqAllOpenOrders: open orders of every client and manual ones. */
  allOpenOrders(): OrderSnapshot[] {
    return this.book.open().map((r) => r.snapshot(this.config.currency));
  }

  /** reqCompletedOrders: filled, cancelled and rejected orders with their final state. */
  completedOrders(apiOnly = false): OrderSnapshot[] {
    return this.book.completed(apiOnly).map((r) => r.snapshot(this.config.currency));
  }

  /** reqExecutions: executions (with commission reports) passing `filter`. */
  executions(filter: ExecutionFilter = {}): ExecutionRecord[] {
    return this.executionStore.list(filter);
  }

  /** reqPositions: every position, including ones closed since the last day roll (0). */
  positions(): PositionReport[] {
    return this.ledger.positions().map((p) => positionReport(this.config.account, p));
  }

  /** updatePortfolio entries at the current marks. */
  portfolio(): PortfolioEntry[] {
    return valuePositions(this.ledger, this.mark).map((v) => portfolioEntry(this.config.account, v));
  }

  /** Numeric account state at the current marks. */
  accountSnapshot(): AccountSnapshot {
    return accountSnapshot(this.ledger, this.mark, this.model);
  }

  /** updateAccountValue / accountSummary rows at the current marks. */
  accountValues(): AccountValue[] {
    return accountValues(this.accountSnapshot());
  }

  /** reqPnL figures. */
  pnl(): PnlReport {
    return totalPnl(valuePositions(this.ledger, this.mark).map((v) => v.pnl));
  }

  /** reqPnLSingle figures, or undefined when the account never held `conId` since the roll. */
  pnlSingle(conId: number): PnlSingleReport | undefined {
    return valuePositions(this.ledger, this.mark).find((v) => v.state.contract.conId === conId)?.pnl;
  }

  // ---------------------------------------------------------------- internals

  private readonly mark = (conId: number): number | undefined => markOf(this.ports.quotes.quote(conId));

  private project(order: ResolvedOrder, quantity: number): ReturnType<typeof projectOrder> {
    return projectOrder(order, quantity, this.ledger, this.ports.quotes, this.mark, this.model, this.config.commissions);
  }

  private create(clientId: number, orderId: number, request: OrderRequest, manual: boolean): PlaceOrderResult {
    const now = this.ports.clock.now();
    const forced = this.forcedRejections.shift();
    const resolution = resolveOrder(request, this.ports.contracts, this.config.account);
    let reason = forced ?? (resolution.ok ? undefined : resolution.reason);
    if (reason === undefined && resolution.ok && resolution.order.transmit) {
      reason = insufficientFunds(this.project(resolution.order, resolution.order.totalQuantity));
    }
    const order = resolution.ok ? resolution.order : unresolvedOrder(request, this.config.account, unresolvedView(request.contract));
    const record = new OrderRecord(orderId, clientId, this.permIds.take(), order, manual, now, this.config.commissions);
    this.book.add(record);

    if (reason !== undefined) {
      record.rejectReason = reason;
      record.finish("Inactive", `Rejected: ${reason}`, now);
      this.emitError(clientId, orderId, ErrorCode.OrderRejected, orderRejectedText(reason));
      this.publishOrder(record);
      return { kind: "rejected", code: ErrorCode.OrderRejected, reason, order: record.snapshot(this.config.currency) };
    }

    if (order.tif === "DAY") record.expiresAt = this.calendar.sessionClose(now);
    if (record.phase === "pendingAck") record.ackDueAt = now + this.config.ackLatencyMs;
    this.publishOrder(record);
    this.match();
    return { kind: "accepted", order: record.snapshot(this.config.currency) };
  }

  private modify(record: OrderRecord, request: OrderRequest): PlaceOrderResult {
    const { clientId, orderId } = record;
    const now = this.ports.clock.now();
    const resolution = resolveOrder(request, this.ports.contracts, this.config.account);
    if (!resolution.ok) return this.refuse(clientId, orderId, ErrorCode.ValidationError, validationErrorText(resolution.reason));
    const next = resolution.order;
    if (!sameInstrument(record.order, next)) return this.refuse(clientId, orderId, ErrorCode.ModifyMismatch, modifyMismatchText());
    if (record.phase === "pendingCancel") {
      return this.refuse(clientId, orderId, ErrorCode.ValidationError, validationErrorText("The order is being cancelled"));
    }
    if (next.totalQuantity <= record.filled) {
      return this.refuse(clientId, orderId, ErrorCode.ValidationError, validationErrorText("Order quantity must exceed the filled quantity"));
    }
    // A working order cannot be taken back into TWS; a held one is sent by transmit=true.
    const transmit = record.phase !== "held" || next.transmit;
    if (transmit) {
      const problem = insufficientFunds(this.project(next, next.totalQuantity - record.filled));
      if (problem !== undefined) return this.refuse(clientId, orderId, ErrorCode.ValidationError, validationErrorText(problem));
    }

    const previous = record.order;
    record.order = { ...next, transmit, orderRef: next.orderRef !== "" ? next.orderRef : previous.orderRef };
    if (next.tif !== previous.tif) record.expiresAt = next.tif === "DAY" ? this.calendar.sessionClose(now) : undefined;
    if (record.phase === "held" && transmit) {
      record.phase = "pendingAck";
      record.ackDueAt = now + this.config.ackLatencyMs;
    }
    if (next.orderType !== previous.orderType || next.lmtPrice !== previous.lmtPrice) {
      // A new price is a new arrival: it may take liquidity at the touch again.
      record.marketableSince = undefined;
      record.resting = false;
    }
    record.updatedAt = now;
    this.publishOrder(record);
    this.match();
    return { kind: "modified", order: record.snapshot(this.config.currency) };
  }

  private cancelRecord(record: OrderRecord): CancelResult {
    const now = this.ports.clock.now();
    if (!record.open) {
      const message = cancelNotPossibleText(record.orderId, record.status);
      this.emitError(record.clientId, record.orderId, ErrorCode.CancelNotPossible, message);
      return { kind: "error", code: ErrorCode.CancelNotPossible, message };
    }
    if (record.phase === "pendingCancel") return { kind: "pendingCancel", order: record.snapshot(this.config.currency) };
    if (record.phase === "held" || record.phase === "pendingAck") {
      // Never reached the exchange.
      this.finishCancel(record, now, "ApiCancelled");
      return { kind: "cancelled", order: record.snapshot(this.config.currency) };
    }
    if (this.config.cancelLatencyMs > 0) {
      record.phase = "pendingCancel";
      record.cancelDueAt = now + this.config.cancelLatencyMs;
      record.updatedAt = now;
      this.publishOrder(record);
      return { kind: "pendingCancel", order: record.snapshot(this.config.currency) };
    }
    this.finishCancel(record, now, "Cancelled");
    return { kind: "cancelled", order: record.snapshot(this.config.currency) };
  }

  private finishCancel(record: OrderRecord, now: number, status: OrderStatus): void {
    record.finish(status, "Cancelled by API", now);
    this.publishOrder(record);
    this.emitError(record.clientId, record.orderId, ErrorCode.OrderCanceled, orderCanceledText());
  }

  /** One order's share of a matching pass. */
  private step(record: OrderRecord, now: number, pass: LiquidityPass): void {
    // Defensive: the pass iterates a copy of the open orders.
    if (!record.open) return;
    if (record.cancelDueAt !== undefined && now >= record.cancelDueAt) {
      // A fill that came due before the cancel arrived still happens.
      if (record.marketableSince !== undefined && record.marketableSince + this.config.fillLatencyMs < record.cancelDueAt) {
        this.tryFill(record, now, pass);
      }
      if (record.phase !== "done") this.finishCancel(record, now, "Cancelled");
      return;
    }
    if (record.expiresAt !== undefined && now >= record.expiresAt) {
      record.finish("Cancelled", "Cancelled: DAY order expired at the close", now);
      this.publishOrder(record);
      return;
    }
    if (record.phase === "held") return;
    if (record.phase === "pendingAck") {
      if (record.ackDueAt !== undefined && now < record.ackDueAt) return;
      record.phase = "working";
      record.ackDueAt = undefined;
      record.updatedAt = now;
      this.publishOrder(record);
    }
    this.tryFill(record, now, pass);
  }

  private tryFill(record: OrderRecord, now: number, pass: LiquidityPass): void {
    const order = record.order;
    const legs: PricingLeg[] = order.legs.map((leg) => ({
      ratio: leg.ratio,
      action: leg.action,
      quote: this.ports.quotes.quote(leg.contract.conId),
      usedBid: pass.get(`${leg.contract.conId}:bid`),
      usedAsk: pass.get(`${leg.contract.conId}:ask`),
    }));
    const result = matchOrder({
      side: order.action,
      orderType: order.orderType,
      lmtPrice: order.lmtPrice,
      remaining: record.remaining,
      resting: record.resting,
      limitBySize: this.config.partialFills,
      legs,
    });
    if (result.kind === "none") {
      record.marketableSince = undefined;
      record.resting = true;
      return;
    }
    if (result.kind === "starved") return;
    record.marketableSince ??= now;
    if (now < record.marketableSince + this.config.fillLatencyMs) return;
    this.execute(record, result.fill, now, pass);
    // The rest of a partial fill comes after another fill latency.
    record.marketableSince = record.open ? now : undefined;
  }

  private venue(view: ContractView): string {
    return view.exchange === "" || view.exchange === "SMART" ? this.config.executionExchange[view.secType] : view.exchange;
  }

  private execute(record: OrderRecord, fill: MatchFill, now: number, pass: LiquidityPass): void {
    const order = record.order;
    const quantity = fill.quantity;
    record.addFill(quantity, fill.price);
    record.updatedAt = now;
    const ids = this.execIds.nextGroup(order.combo ? order.legs.length + 1 : 1);
    const lastLiquidity = fill.liquidity === "added" ? 1 : 2;
    const side = (action: string): ExecutionSide => (action === "BUY" ? "BOT" : "SLD");
    const base = {
      orderId: record.orderId,
      clientId: record.clientId,
      permId: record.permId,
      account: order.account,
      time: now,
      orderRef: order.orderRef,
      liquidation: 0,
      lastLiquidity,
      evRule: "",
      evMultiplier: 0,
      modelCode: "",
    } as const;

    const records: ExecutionRecord[] = [];
    if (order.combo) {
      const exchange = this.venue(order.contract);
      records.push({
        execution: {
          ...base,
          execId: ids[0] ?? "",
          contract: { ...order.contract, exchange },
          exchange,
          side: side(order.action),
          shares: quantity,
          price: fill.price,
          cumQty: record.filled,
          avgPrice: record.avgFillPrice,
          comboLevel: true,
        },
        commissionReport: undefined,
      });
    }
    const touched: number[] = [];
    order.legs.forEach((leg, i) => {
      const legQuantity = quantity * leg.ratio;
      const price = fill.legPrices[i] ?? fill.price;
      const direction = legSide(leg.action, order.action);
      const progress = record.legs[i];
      const commission = progress === undefined ? 0 : progress.commission.charge(legQuantity, price);
      const effect = this.ledger.trade(leg.contract, direction, legQuantity, price, commission);
      const { cumQty, avgPrice } = record.addLegFill(i, legQuantity, price);
      const view = order.combo ? { ...contractView(leg.contract), exchange: leg.exchange } : order.contract;
      const exchange = this.venue(view);
      const execId = ids[order.combo ? i + 1 : 0] ?? "";
      const execution: ExecutionReport = {
        ...base,
        execId,
        contract: { ...view, exchange },
        exchange,
        side: side(direction),
        shares: legQuantity,
        price,
        cumQty,
        avgPrice,
        comboLevel: false,
      };
      const report: CommissionReport = {
        execId,
        commission,
        currency: this.config.commissions.currency,
        realizedPNL: effect.realizedPnL ?? UNSET_DOUBLE,
        yield: UNSET_DOUBLE,
        yieldRedemptionDate: 0,
      };
      records.push({ execution, commissionReport: report });
      const bookSide = direction === "BUY" ? "ask" : "bid";
      const key = `${leg.contract.conId}:${bookSide}`;
      pass.set(key, (pass.get(key) ?? 0) + legQuantity);
      touched.push(leg.contract.conId);
    });
    if (record.remaining <= 1e-9) record.finish("Filled", "Filled", now);

    for (const r of records) this.executionStore.add(r);
    for (const r of records) this.bus.emit({ type: "execution", time: now, clientId: record.clientId, execution: r.execution });
    this.publishOrder(record);
    for (const r of records) {
      if (r.commissionReport === undefined) continue;
      this.bus.emit({ type: "commissionReport", time: now, clientId: record.clientId, orderId: record.orderId, report: r.commissionReport });
    }
    this.publishAccount(now, touched);
  }

  /** openOrder + orderStatus of the order's current state. */
  private publishOrder(record: OrderRecord): void {
    const time = this.ports.clock.now();
    const snapshot = record.snapshot(this.config.currency);
    this.bus.emit({ type: "openOrder", time, order: snapshot });
    this.bus.emit({
      type: "orderStatus",
      time,
      clientId: record.clientId,
      status: {
        orderId: snapshot.orderId,
        clientId: snapshot.clientId,
        permId: snapshot.permId,
        parentId: snapshot.parentId,
        status: snapshot.status,
        filled: snapshot.filled,
        remaining: snapshot.remaining,
        avgFillPrice: snapshot.avgFillPrice,
        lastFillPrice: snapshot.lastFillPrice,
        whyHeld: snapshot.whyHeld,
        mktCapPrice: snapshot.mktCapPrice,
      },
    });
  }

  /** position + portfolio events of the touched conIds, then the account values. */
  private publishAccount(now: number, conIds: readonly number[]): void {
    const account = this.config.account;
    const valued = valuePositions(this.ledger, this.mark);
    for (const conId of new Set(conIds)) {
      const v = valued.find((p) => p.state.contract.conId === conId);
      if (v === undefined) continue;
      this.bus.emit({ type: "position", time: now, position: positionReport(account, v.state) });
      this.bus.emit({ type: "portfolio", time: now, entry: portfolioEntry(account, v) });
    }
    this.bus.emit({ type: "accountValues", time: now, account, values: this.accountValues() });
  }

  private emitError(clientId: number, id: number, code: number, message: string): void {
    this.bus.emit({ type: "error", time: this.ports.clock.now(), clientId, id, code, message });
  }

  private refuse(clientId: number, orderId: number, code: number, message: string): PlaceOrderResult {
    this.emitError(clientId, orderId, code, message);
    return { kind: "error", code, message };
  }
}

/** Same contract (legs) and side: what a modification may not change. */
function sameInstrument(a: ResolvedOrder, b: ResolvedOrder): boolean {
  if (a.action !== b.action || a.combo !== b.combo || a.legs.length !== b.legs.length) return false;
  return a.legs.every((leg, i) => {
    const other = b.legs[i];
    return other !== undefined && other.contract.conId === leg.contract.conId && other.ratio === leg.ratio && other.action === leg.action;
  });
}
