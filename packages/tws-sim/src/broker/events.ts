/**
 * What the engine tells the server. Events are emitted synchronously, in the order TWS sends the
 * corresponding messages (for a fill: executions, openOrder, orderStatus, commission reports,
 * then positions, portfolio entries and account values). Each order-related event carries the
 * owning `clientId` so the server can route it to the right connection(s).
 *
 * @packageDocumentation
 */

import type { AccountValue, PortfolioEntry, PositionReport } from "./account.js";
import type { CommissionReport, ExecutionReport } from "./executions.js";
import type { OrderSnapshot, OrderStatus } from "./order-types.js";

/** orderStatus's fields. */
export interface OrderStatusReport {
  readonly orderId: number;
  readonly clientId: number;
  readonly permId: number;
  readonly parentId: number;
  readonly status: OrderStatus;
  readonly filled: number;
  readonly remaining: number;
  readonly avgFillPrice: number;
  readonly lastFillPrice: number;
  readonly whyHeld: string;
  readonly mktCapPrice: number;
}

/** The engine's events. `time` is the simulated time of emission (epoch ms). */
export type BrokerEvent =
  /** An order was created, changed state or was modified: encode as openOrder. */
  | { readonly type: "openOrder"; readonly time: number; readonly order: OrderSnapshot }
  /** Status/fill progress of an order: encode as orderStatus. */
  | { readonly type: "orderStatus"; readonly time: number; readonly clientId: number; readonly status: OrderStatusReport }
  /** A live execution: encode as execDetails with reqId −1. */
  | { readonly type: "execution"; readonly time: number; readonly clientId: number; readonly execution: ExecutionReport }
  /** Commission of a (leg) execution: encode as commissionReport. */
  | {
      readonly type: "commissionReport";
      readonly time: number;
      readonly clientId: number;
      readonly orderId: number;
      readonly report: CommissionReport;
    }
  /** An error/notice for a client request: encode as error (`id` is the order id). */
  | {
      readonly type: "error";
      readonly time: number;
      readonly clientId: number;
      readonly id: number;
      readonly code: number;
      readonly message: string;
    }
  /** A position changed: encode as position for reqPositions subscribers. */
  | { readonly type: "position"; readonly time: number; readonly position: PositionReport }
  /** A portfolio entry changed: encode as updatePortfolio for account-update subscribers. */
  | { readonly type: "portfolio"; readonly time: number; readonly entry: PortfolioEntry }
  /** Account values after a change of cash or positions: encode as updateAccountValue rows. */
  | { readonly type: "accountValues"; readonly time: number; readonly account: string; readonly values: readonly AccountValue[] }
  /** An option position was settled at expiry (no TWS message; for logs and tests). */
  | {
      readonly type: "optionSettled";
      readonly time: number;
      readonly conId: number;
      readonly quantity: number;
      readonly settlementPrice: number;
      readonly cashDelta: number;
      readonly realizedPnL: number;
    };

/** A subscriber. It must not throw; an error is re-thrown after every subscriber got the event. */
export type BrokerListener = (event: BrokerEvent) => void;

/**
 * Delivers events to subscribers in emission order. Events emitted inside {@link EventBus.batch}
 * are held until the outermost batch ends, so one engine operation reaches subscribers as one
 * uninterrupted sequence; a subscriber that calls back into the engine (e.g. places an order on a
 * fill) sees its own events after the current sequence, never interleaved with it.
 */
export class EventBus {
  private readonly listeners = new Set<BrokerListener>();
  private readonly queue: BrokerEvent[] = [];
  private depth = 0;
  private draining = false;

  /** Adds a subscriber; returns the function that removes it. */
  subscribe(listener: BrokerListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Runs `operation`, delivering the events it emits when the outermost batch ends. */
  batch<T>(operation: () => T): T {
    this.depth++;
    try {
      return operation();
    } finally {
      this.depth--;
      if (this.depth === 0) this.drain();
    }
  }

  emit(event: BrokerEvent): void {
    this.queue.push(event);
    if (this.depth === 0) this.drain();
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    let failure: { error: unknown } | undefined;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        for (const listener of [...this.listeners]) {
          try {
            listener(next);
          } catch (error: unknown) {
            failure ??= { error };
          }
        }
      }
    } finally {
      this.draining = false;
    }
    if (failure !== undefined) throw failure.error;
  }
}
