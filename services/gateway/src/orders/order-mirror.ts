import { OrderAction, OrderStatus } from "@spreadops/api";
import type { OrderRequest } from "@spreadops/api";
import type { CommissionReport, Contract, Execution, Order, OrderState } from "@stoqey/ib";
import { ibNumber, isTerminalStatus, secTypeText, isWarningCode, ORDER_CANCELLED, ORDER_REJECTED, toOrderAction, toOrderStatus } from "./ib-values.js";
import type { LegFill, MirrorEvent, MirrorExecution, MirrorOrder, OrderErrorRecord } from "./mirror-types.js";

/** Collaborators of an {@link OrderMirror}. */
export interface OrderMirrorOptions {
  /** API client id of this gateway's session: orderStatus and errors without a client id are ours. */
  readonly clientId: number;
  /** Epoch ms now. */
  readonly now: () => number;
}

/** A placement about to be sent, registered so that errors, executions and lookups find it at once. */
export interface PendingPlacement {
  readonly orderId: number;
  readonly orderRef: string;
  readonly action: OrderAction;
  readonly request: OrderRequest;
}

type Listener = (event: MirrorEvent) => void;

function permIdOf(value: number | string | undefined): string {
  if (value === undefined) return "0";
  const text = String(value);
  return text === "" ? "0" : text;
}

/**
 * The gateway's picture of the account's orders and executions, fed by TWS's openOrder,
 * orderStatus, completedOrder, execDetails, commissionReport and error messages.
 *
 * Orders are found by permId (stable across sessions) or by (clientId, orderId). Executions and
 * commission reports are stored on their own, keyed by execId, and joined to orders when read:
 * an execution that arrives before its order's openOrder (IB does that, nautilus #3949) simply
 * stays an orphan until the order shows up, and a commission report arriving before its
 * execution waits the same way. Nothing is ever attached in the wrong order because nothing is
 * attached eagerly.
 */
export class OrderMirror {
  readonly #clientId: number;
  readonly #now: () => number;
  readonly #orders = new Map<string, MirrorOrder>();
  readonly #byPermId = new Map<string, MirrorOrder>();
  readonly #byOrderId = new Map<string, MirrorOrder>();
  readonly #executions = new Map<string, MirrorExecution>();
  readonly #commissions = new Map<string, CommissionReport>();
  readonly #listeners = new Set<Listener>();
  #seq = 0;

  constructor(options: OrderMirrorOptions) {
    this.#clientId = options.clientId;
    this.#now = options.now;
  }

  // ---- listeners ------------------------------------------------------------------------------

  /** Calls `listener` for every change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #emit(event: MirrorEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A failing listener must not stop the mirror or the other listeners.
      }
    }
  }

  // ---- feeding --------------------------------------------------------------------------------

  /** Registers our own order before it is sent. */
  expect(placement: PendingPlacement): MirrorOrder {
    const now = this.#now();
    const record = this.#create(this.#clientId, placement.orderId, "0", now);
    record.orderRef = placement.orderRef;
    record.action = placement.action;
    record.request = placement.request;
    return record;
  }

  /** Forgets a registered placement that never reached TWS (the send failed). */
  forget(orderId: number): void {
    const record = this.#byOrderId.get(this.#idKey(this.#clientId, orderId));
    if (record === undefined || record.order !== undefined || record.status !== OrderStatus.UNSPECIFIED) return;
    this.#orders.delete(record.key);
    this.#byOrderId.delete(this.#idKey(this.#clientId, orderId));
  }

  /** openOrder. What-if answers are not orders and are ignored here. */
  onOpenOrder(orderId: number, contract: Contract, order: Order, state: OrderState): void {
    if (order.whatIf === true) return;
    const record = this.#upsert(order.clientId ?? this.#clientId, orderId, permIdOf(order.permId));
    this.#applyOrder(record, contract, order);
    this.#applyStatus(record, toOrderStatus(state.status));
    this.#emit({ kind: "status", order: record });
  }

  /** completedOrder: an order no longer working (filled, cancelled, rejected), from any session. */
  onCompletedOrder(contract: Contract, order: Order, state: OrderState): void {
    const record = this.#upsert(order.clientId ?? 0, order.orderId ?? 0, permIdOf(order.permId));
    this.#applyOrder(record, contract, order);
    const status = toOrderStatus(state.status);
    if (status !== OrderStatus.UNSPECIFIED) this.#applyStatus(record, status);
    const filled = ibNumber(order.filledQuantity);
    if (filled !== undefined) record.filled = filled;
    record.completed = true;
    this.#emit({ kind: "status", order: record });
  }

  /** orderStatus. Duplicates (IB repeats them) change nothing and emit nothing. */
  onOrderStatus(
    orderId: number,
    statusText: string,
    filled: number,
    remaining: number,
    avgFillPrice: number,
    permId?: number,
    lastFillPrice?: number,
    clientId?: number,
    whyHeld?: string,
  ): void {
    const record = this.#upsert(clientId ?? this.#clientId, orderId, permIdOf(permId));
    const before = JSON.stringify([record.status, record.filled, record.remaining, record.avgFillPrice, record.lastFillPrice, record.whyHeld]);
    this.#applyStatus(record, toOrderStatus(statusText));
    record.filled = ibNumber(filled) ?? record.filled;
    record.remaining = ibNumber(remaining) ?? record.remaining;
    // IB reports 0 as the average before the first fill: that is "no fill yet", not a price.
    if (record.filled > 0) {
      record.avgFillPrice = ibNumber(avgFillPrice) ?? record.avgFillPrice;
      record.lastFillPrice = ibNumber(lastFillPrice) ?? record.lastFillPrice;
    }
    record.whyHeld = whyHeld ?? record.whyHeld;
    const after = JSON.stringify([record.status, record.filled, record.remaining, record.avgFillPrice, record.lastFillPrice, record.whyHeld]);
    if (before === after) return;
    record.updatedAt = this.#now();
    this.#emit({ kind: "status", order: record });
  }

  /** execDetails (pushed fills and reqExecutions answers alike). */
  onExecution(contract: Contract, execution: Execution): void {
    const execId = execution.execId;
    if (execId === undefined || execId === "") return;
    const known = this.#executions.get(execId);
    const record: MirrorExecution = {
      execId,
      orderId: execution.orderId ?? 0,
      clientId: execution.clientId ?? this.#clientId,
      permId: permIdOf(execution.permId),
      orderRef: execution.orderRef ?? "",
      contract,
      execution,
      receivedAt: known?.receivedAt ?? this.#now(),
      commission: known?.commission ?? this.#commissions.get(execId),
    };
    this.#executions.set(execId, record);
    this.#commissions.delete(execId);
    if (known !== undefined) return;
    this.#emit({ kind: "execution", execution: record, order: this.orderOf(record) });
  }

  /** commissionReport: belongs to a leg execution by execId (the combo-level execution has none). */
  onCommissionReport(report: CommissionReport): void {
    const execId = report.execId;
    if (execId === undefined || execId === "") return;
    const execution = this.#executions.get(execId);
    if (execution === undefined) {
      // Kept until its execution arrives.
      this.#commissions.set(execId, report);
      return;
    }
    const repeated = execution.commission !== undefined;
    execution.commission = report;
    if (!repeated) this.#emit({ kind: "commission", execution, order: this.orderOf(execution) });
  }

  /**
   * An IB error whose id may be one of our orders. Returns false when the id is not a known
   * order (it then belongs to some other request). 201 ends the order with its reason; warnings
   * and a 202 after our own cancel never do.
   */
  onError(id: number, code: number, message: string, advancedOrderRejectJson = ""): boolean {
    const record = this.#byOrderId.get(this.#idKey(this.#clientId, id));
    if (record === undefined) return false;
    const now = this.#now();
    const warning = isWarningCode(code) || (code === ORDER_CANCELLED && record.cancelRequested);
    const error: OrderErrorRecord = { code, message, id, time: now, warning, advancedOrderRejectJson };
    record.errors.push(error);
    if (code === ORDER_REJECTED) {
      record.rejection = error;
      if (!isTerminalStatus(record.status)) record.status = OrderStatus.INACTIVE;
      record.completed = true;
    } else if (code === ORDER_CANCELLED) {
      if (!isTerminalStatus(record.status)) record.status = OrderStatus.CANCELLED;
      record.completed = true;
    }
    record.updatedAt = now;
    this.#emit({ kind: "error", error, order: record });
    return true;
  }

  /** Marks that this gateway asked to cancel the order. */
  markCancelRequested(record: MirrorOrder): void {
    record.cancelRequested = true;
  }

  // ---- queries --------------------------------------------------------------------------------

  /** Our order by its order id (this session's client id). */
  byOrderId(orderId: number): MirrorOrder | undefined {
    return this.#byOrderId.get(this.#idKey(this.#clientId, orderId));
  }

  /** Every order, working ones first, then by creation. */
  orders(): MirrorOrder[] {
    return [...this.#orders.values()].sort((a, b) => Number(isTerminalStatus(a.status) || a.completed) - Number(isTerminalStatus(b.status) || b.completed) || a.createdAt - b.createdAt);
  }

  /** Orders carrying `orderRef`, optionally only those of one action. */
  byOrderRef(orderRef: string, action?: OrderAction): MirrorOrder[] {
    return this.orders().filter((o) => o.orderRef === orderRef && (action === undefined || o.action === action || o.action === OrderAction.UNSPECIFIED));
  }

  /** Executions of an order: the combo-level one(s) and the legs', oldest first. */
  executionsOf(order: MirrorOrder): MirrorExecution[] {
    return [...this.#executions.values()].filter((e) => this.#matches(order, e)).sort((a, b) => a.receivedAt - b.receivedAt);
  }

  /** The order an execution belongs to, when known. */
  orderOf(execution: MirrorExecution): MirrorOrder | undefined {
    if (execution.permId !== "0") {
      const byPerm = this.#byPermId.get(execution.permId);
      if (byPerm !== undefined) return byPerm;
    }
    const byId = this.#byOrderId.get(this.#idKey(execution.clientId, execution.orderId));
    return byId !== undefined && this.#matches(byId, execution) ? byId : undefined;
  }

  /** Executions whose order the mirror has not seen (yet), optionally only of one orderRef. */
  orphanExecutions(orderRef?: string): MirrorExecution[] {
    return [...this.#executions.values()].filter((e) => (orderRef === undefined || e.orderRef === orderRef) && this.orderOf(e) === undefined);
  }

  /**
   * Per-leg fills of an order: quantity, average price and commissions per contract, plus the
   * combo-level line (secType BAG) for a combo.
   */
  legFills(order: MirrorOrder): LegFill[] {
    const groups = new Map<number, MirrorExecution[]>();
    for (const e of this.executionsOf(order)) {
      const conId = e.contract.conId ?? 0;
      groups.set(conId, [...(groups.get(conId) ?? []), e]);
    }
    return [...groups.entries()].map(([conId, executions]) => {
      let quantity = 0;
      let notional = 0;
      let commission = 0;
      let pending = 0;
      for (const e of executions) {
        const shares = ibNumber(e.execution.shares) ?? 0;
        quantity += shares;
        notional += shares * (ibNumber(e.execution.price) ?? 0);
        const paid = ibNumber(e.commission?.commission);
        if (paid === undefined) pending++;
        else commission += paid;
      }
      const first = executions[0];
      const secType = secTypeText(first?.contract);
      return {
        conId,
        secType,
        side: toOrderAction(first?.execution.side),
        quantity,
        avgPrice: quantity > 0 ? notional / quantity : undefined,
        commission,
        // The combo-level execution never gets a commission report.
        commissionsPending: secType === "BAG" ? 0 : pending,
      };
    });
  }

  // ---- internals ------------------------------------------------------------------------------

  #idKey(clientId: number, orderId: number): string {
    return `${clientId}:${orderId}`;
  }

  #matches(order: MirrorOrder, execution: MirrorExecution): boolean {
    if (order.permId !== "0" && execution.permId !== "0") return order.permId === execution.permId;
    return order.orderId !== 0 && order.orderId === execution.orderId && order.clientId === execution.clientId;
  }

  #create(clientId: number, orderId: number, permId: string, now: number): MirrorOrder {
    const record: MirrorOrder = {
      key: `o${++this.#seq}`,
      orderId,
      clientId,
      permId,
      orderRef: "",
      action: OrderAction.UNSPECIFIED,
      request: undefined,
      contract: undefined,
      order: undefined,
      status: OrderStatus.UNSPECIFIED,
      filled: 0,
      remaining: 0,
      avgFillPrice: undefined,
      lastFillPrice: undefined,
      whyHeld: "",
      completed: false,
      rejection: undefined,
      cancelRequested: false,
      errors: [],
      createdAt: now,
      updatedAt: now,
    };
    this.#orders.set(record.key, record);
    if (orderId !== 0) this.#byOrderId.set(this.#idKey(clientId, orderId), record);
    if (permId !== "0") this.#byPermId.set(permId, record);
    return record;
  }

  #upsert(clientId: number, orderId: number, permId: string): MirrorOrder {
    const found =
      (permId !== "0" ? this.#byPermId.get(permId) : undefined) ??
      (orderId !== 0 ? this.#byOrderId.get(this.#idKey(clientId, orderId)) : undefined);
    if (found === undefined) return this.#create(clientId, orderId, permId, this.#now());
    if (found.permId === "0" && permId !== "0") {
      found.permId = permId;
      this.#byPermId.set(permId, found);
    }
    if (found.orderId === 0 && orderId !== 0) {
      found.orderId = orderId;
      found.clientId = clientId;
      this.#byOrderId.set(this.#idKey(clientId, orderId), found);
    }
    found.updatedAt = this.#now();
    return found;
  }

  #applyOrder(record: MirrorOrder, contract: Contract, order: Order): void {
    record.contract = contract;
    record.order = order;
    if (order.orderRef !== undefined && order.orderRef !== "") record.orderRef = order.orderRef;
    const action = toOrderAction(order.action);
    if (action !== OrderAction.UNSPECIFIED) record.action = action;
    const total = ibNumber(order.totalQuantity);
    if (total !== undefined && record.filled === 0 && record.remaining === 0) record.remaining = total;
  }

  #applyStatus(record: MirrorOrder, status: OrderStatus): void {
    if (status === OrderStatus.UNSPECIFIED) return;
    // A rejection is terminal: a late "Submitted" must not revive the order.
    if (record.rejection !== undefined && !isTerminalStatus(status)) return;
    record.status = status;
    if (isTerminalStatus(status)) record.completed = true;
  }
}
