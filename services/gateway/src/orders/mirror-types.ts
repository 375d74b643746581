import type { OrderAction, OrderRequest, OrderStatus } from "@spreadops/api";
import type { CommissionReport, Contract, Execution, Order } from "@stoqey/ib";

/** One IB error or notice about an order, as the mirror keeps it. */
export interface OrderErrorRecord {
  readonly code: number;
  readonly message: string;
  /** The order id the message refers to. */
  readonly id: number;
  /** Epoch ms when the gateway received it. */
  readonly time: number;
  /** True when it never ends the order by itself (2100–2169, 399, 202 after our own cancel…). */
  readonly warning: boolean;
  readonly advancedOrderRejectJson: string;
}

/** An order as the mirror knows it (from openOrder, orderStatus, completedOrder and our own placements). */
export interface MirrorOrder {
  /** Internal identity, stable for the life of the mirror. */
  readonly key: string;
  orderId: number;
  clientId: number;
  /** IB permId as a decimal string; "0" until IB assigns it. */
  permId: string;
  orderRef: string;
  action: OrderAction;
  /** The order as sent by this gateway; undefined for orders only IB reported. */
  request: OrderRequest | undefined;
  /** Contract and order as IB last reported them. */
  contract: Contract | undefined;
  order: Order | undefined;
  status: OrderStatus;
  filled: number;
  remaining: number;
  avgFillPrice: number | undefined;
  lastFillPrice: number | undefined;
  whyHeld: string;
  /** From IB's completed orders, or reached a terminal status. */
  completed: boolean;
  /** The 201 (or other terminal error) that ended the order, when it was rejected. */
  rejection: OrderErrorRecord | undefined;
  /** True once this gateway sent a cancel (a later 202 is then a confirmation, not news). */
  cancelRequested: boolean;
  errors: OrderErrorRecord[];
  createdAt: number;
  updatedAt: number;
}

/** One execution (combo-level or leg) with its commission report once known. */
export interface MirrorExecution {
  readonly execId: string;
  readonly orderId: number;
  readonly clientId: number;
  readonly permId: string;
  readonly orderRef: string;
  readonly contract: Contract;
  readonly execution: Execution;
  readonly receivedAt: number;
  commission: CommissionReport | undefined;
}

/** Fills of one leg (or of the combo line) summed over its executions. */
export interface LegFill {
  readonly conId: number;
  /** "BAG" for the combo-level line. */
  readonly secType: string;
  readonly side: OrderAction;
  readonly quantity: number;
  /** Quantity-weighted average price, USD per share; undefined without executions. */
  readonly avgPrice: number | undefined;
  /** Sum of the commission reports received so far. */
  readonly commission: number;
  /** Executions still waiting for their commission report. */
  readonly commissionsPending: number;
}

/** What the mirror tells its listeners (the order-event stream, waiting RPCs). */
export type MirrorEvent =
  | { readonly kind: "status"; readonly order: MirrorOrder }
  | { readonly kind: "execution"; readonly execution: MirrorExecution; readonly order: MirrorOrder | undefined }
  | { readonly kind: "commission"; readonly execution: MirrorExecution; readonly order: MirrorOrder | undefined }
  | { readonly kind: "error"; readonly error: OrderErrorRecord; readonly order: MirrorOrder };
