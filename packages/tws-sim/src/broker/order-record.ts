/**
 * The engine's mutable state of one order: its lifecycle phase, fills, per-leg progress and the
 * timers (acknowledgement, cancel, DAY expiry, fill latency) the matching pass checks.
 *
 * Phases and the status TWS shows for them:
 * - `held` (transmit=false): Inactive — created in TWS, not sent, never matched;
 * - `pendingAck`: PreSubmitted — accepted, waiting for the exchange acknowledgement;
 * - `working`: Submitted — on the book, matched on every pass;
 * - `pendingCancel`: PendingCancel — still matched until the cancel takes effect;
 * - `done`: Filled, Cancelled, ApiCancelled, or Inactive for a rejection.
 *
 * @packageDocumentation
 */

import { CommissionMeter, type CommissionRates } from "./commissions.js";
import { roundPrice } from "./numeric.js";
import type { OrderSnapshot, OrderStatus } from "./order-types.js";
import type { ResolvedOrder } from "./validation.js";

/** Lifecycle phase of an order. */
export type OrderPhase = "held" | "pendingAck" | "working" | "pendingCancel" | "done";

/** Progress of one leg (the only leg for STK/OPT). */
export interface LegProgress {
  /** Quantity of the leg's contract executed (combo quantity × ratio). */
  filled: number;
  avgPrice: number;
  readonly commission: CommissionMeter;
}

/** One order. */
export class OrderRecord {
  phase: OrderPhase;
  /** Status of a `done` order. */
  finalStatus: OrderStatus = "Inactive";
  filled = 0;
  avgFillPrice = 0;
  lastFillPrice = 0;
  readonly legs: LegProgress[];
  ackDueAt: number | undefined;
  cancelDueAt: number | undefined;
  expiresAt: number | undefined;
  /** Since when the order has been continuously marketable (fill due after the fill latency). */
  marketableSince: number | undefined;
  /** Found unmarketable in an earlier pass: fills at its limit when reached (see matching.ts). */
  resting = false;
  updatedAt: number;
  completedAt: number | undefined;
  completedStatus = "";
  rejectReason: string | undefined;

  constructor(
    readonly orderId: number,
    readonly clientId: number,
    readonly permId: number,
    public order: ResolvedOrder,
    readonly manual: boolean,
    readonly placedAt: number,
    rates: CommissionRates,
  ) {
    this.phase = order.transmit ? "pendingAck" : "held";
    this.updatedAt = placedAt;
    this.legs = order.legs.map((leg) => ({
      filled: 0,
      avgPrice: 0,
      commission: new CommissionMeter(rates, leg.contract.secType, leg.contract.multiplier),
    }));
  }

  get remaining(): number {
    return Math.max(0, this.order.totalQuantity - this.filled);
  }

  /** Not finished: held, pending or working. */
  get open(): boolean {
    return this.phase !== "done";
  }

  /** Can be matched. */
  get live(): boolean {
    return this.phase === "working" || this.phase === "pendingCancel";
  }

  get status(): OrderStatus {
    switch (this.phase) {
      case "held":
        return "Inactive";
      case "pendingAck":
        return "PreSubmitted";
      case "working":
        return "Submitted";
      case "pendingCancel":
        return "PendingCancel";
      case "done":
        return this.finalStatus;
    }
  }

  /** Commission charged so far over all legs. */
  get commission(): number {
    return this.legs.reduce((sum, leg) => sum + leg.commission.total, 0);
  }

  /** Books a fill of `quantity` at the (combo) price `price` on the order level. */
  addFill(quantity: number, price: number): void {
    const total = this.filled + quantity;
    this.avgFillPrice = roundPrice((this.avgFillPrice * this.filled + price * quantity) / total);
    this.filled = total;
    this.lastFillPrice = price;
  }

  /** Books a leg execution; returns the leg's cumQty and avgPrice after it. */
  addLegFill(index: number, quantity: number, price: number): { cumQty: number; avgPrice: number } {
    const leg = this.legs[index];
    if (leg === undefined) throw new RangeError(`order ${this.orderId} has no leg ${index}`);
    const total = leg.filled + quantity;
    leg.avgPrice = roundPrice((leg.avgPrice * leg.filled + price * quantity) / total);
    leg.filled = total;
    return { cumQty: leg.filled, avgPrice: leg.avgPrice };
  }

  /** Ends the order. */
  finish(status: OrderStatus, completedStatus: string, at: number): void {
    this.phase = "done";
    this.finalStatus = status;
    this.completedStatus = completedStatus;
    this.completedAt = at;
    this.updatedAt = at;
    this.ackDueAt = undefined;
    this.cancelDueAt = undefined;
    this.expiresAt = undefined;
    this.marketableSince = undefined;
  }

  snapshot(currency: string): OrderSnapshot {
    const o = this.order;
    return {
      orderId: this.orderId,
      clientId: this.clientId,
      permId: this.permId,
      parentId: 0,
      account: o.account,
      contract: o.contract,
      action: o.action,
      totalQuantity: o.totalQuantity,
      orderType: o.orderType,
      lmtPrice: o.lmtPrice,
      tif: o.tif,
      orderRef: o.orderRef,
      transmit: o.transmit,
      outsideRth: o.outsideRth,
      manual: this.manual,
      status: this.status,
      filled: this.filled,
      remaining: this.remaining,
      avgFillPrice: this.avgFillPrice,
      lastFillPrice: this.lastFillPrice,
      whyHeld: "",
      mktCapPrice: 0,
      commission: this.commission,
      commissionCurrency: currency,
      open: this.open,
      placedAt: this.placedAt,
      updatedAt: this.updatedAt,
      completedAt: this.completedAt,
      completedStatus: this.completedStatus,
      rejectReason: this.rejectReason,
    };
  }
}
