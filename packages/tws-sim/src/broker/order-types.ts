/**
 * Order vocabulary of the engine: what the server hands in (decoded placeOrder fields, still
 * unvalidated strings) and the snapshots it gets back (everything openOrder, orderStatus and
 * completedOrder encode).
 *
 * @packageDocumentation
 */

/** Order side, as in placeOrder. */
export type OrderAction = "BUY" | "SELL";
/** Order types the simulator executes. */
export type OrderType = "LMT" | "MKT";
/** Times in force the simulator honours. */
export type TimeInForce = "DAY" | "GTC";
/** Security types of an order's contract. */
export type OrderSecType = "STK" | "OPT" | "BAG";

/**
 * Order statuses exactly as TWS spells them in orderStatus / openOrder. The engine emits
 * PreSubmitted (accepted, not yet acknowledged by the exchange), Submitted (working),
 * PendingCancel, Cancelled, ApiCancelled (cancelled before the exchange acknowledged it),
 * Filled and Inactive (not transmitted, or rejected). PendingSubmit is listed because clients
 * set it themselves; the engine never sends it (TWS does not either).
 */
export type OrderStatus =
  | "PendingSubmit"
  | "PendingCancel"
  | "PreSubmitted"
  | "Submitted"
  | "ApiCancelled"
  | "Cancelled"
  | "Filled"
  | "Inactive";

/** One leg of a BAG contract as decoded from placeOrder. */
export interface ComboLegSpec {
  readonly conId: number;
  readonly ratio: number;
  /** `BUY` or `SELL`; anything else is rejected. */
  readonly action: string;
  readonly exchange?: string;
}

/**
 * The contract of an order as decoded from placeOrder. STK/OPT orders need `conId` (the server
 * resolves a symbol-only description through the contract catalogue first; an unresolved one is
 * passed as conId 0 and rejected). BAG orders need `comboLegs`.
 */
export interface OrderContractSpec {
  readonly secType: string;
  readonly conId?: number;
  readonly symbol?: string;
  readonly exchange?: string;
  readonly currency?: string;
  readonly comboLegs?: readonly ComboLegSpec[];
}

/** A placeOrder request: the order fields the engine acts on. */
export interface OrderRequest {
  readonly contract: OrderContractSpec;
  readonly action: string;
  readonly totalQuantity: number;
  readonly orderType: string;
  /** Per-share limit; for BAG the signed combo price (IB's sign rule). Unset: undefined or MAX. */
  readonly lmtPrice?: number;
  /** `DAY` (default when empty) or `GTC`. */
  readonly tif?: string;
  /** Free text kept and echoed in every order snapshot and execution. */
  readonly orderRef?: string;
  /** false holds the order in "TWS" without sending it to the exchange. Default true. */
  readonly transmit?: boolean;
  /** Empty or the simulator's account. */
  readonly account?: string;
  /** true: return the what-if order state; no order, no execution. */
  readonly whatIf?: boolean;
  readonly outsideRth?: boolean;
}

/** A combo leg as snapshots and executions describe it. */
export interface ComboLegView {
  readonly conId: number;
  readonly ratio: number;
  readonly action: OrderAction;
  readonly exchange: string;
}

/** A contract as events describe it: every field the server encodes in openOrder, execDetails,
 * position and updatePortfolio. */
export interface ContractView {
  readonly conId: number;
  readonly symbol: string;
  readonly secType: OrderSecType;
  readonly lastTradeDateOrContractMonth: string;
  readonly strike: number;
  /** `C`, `P` or empty. */
  readonly right: "C" | "P" | "";
  readonly multiplier: number;
  readonly exchange: string;
  readonly primaryExchange: string;
  readonly currency: string;
  readonly localSymbol: string;
  readonly tradingClass: string;
  /** Legs of a BAG; empty otherwise. */
  readonly comboLegs: readonly ComboLegView[];
}

/** An order as openOrder / orderStatus / completedOrder report it, frozen at one moment. */
export interface OrderSnapshot {
  readonly orderId: number;
  /** The API client that owns the order (0 for manual "TWS" orders). */
  readonly clientId: number;
  /** Unique across the account. 0 only in what-if previews. */
  readonly permId: number;
  /** Always 0: the simulator has no bracket/child orders. */
  readonly parentId: number;
  readonly account: string;
  readonly contract: ContractView;
  readonly action: OrderAction;
  readonly totalQuantity: number;
  readonly orderType: OrderType;
  /** Limit price (signed for BAG); undefined for MKT. */
  readonly lmtPrice: number | undefined;
  readonly tif: TimeInForce;
  readonly orderRef: string;
  readonly transmit: boolean;
  readonly outsideRth: boolean;
  /** Entered "in TWS" (see `Broker.placeManualOrder`), not by an API client. */
  readonly manual: boolean;
  readonly status: OrderStatus;
  readonly filled: number;
  readonly remaining: number;
  /** Volume-weighted mean fill price (signed combo price for BAG); 0 before the first fill. */
  readonly avgFillPrice: number;
  /** Price of the latest fill; 0 before the first fill. */
  readonly lastFillPrice: number;
  readonly whyHeld: string;
  readonly mktCapPrice: number;
  /** Commission charged so far (sum over legs for BAG). */
  readonly commission: number;
  readonly commissionCurrency: string;
  /** Still working, held or cancel-pending (false once Filled/Cancelled/ApiCancelled/rejected). */
  readonly open: boolean;
  readonly placedAt: number;
  readonly updatedAt: number;
  /** When it reached a terminal state. */
  readonly completedAt: number | undefined;
  /** completedOrder's completedStatus text, e.g. `Filled`, `Cancelled by API`, `Rejected: …`. */
  readonly completedStatus: string;
  /** The 201 reason when the engine rejected the order. */
  readonly rejectReason: string | undefined;
}

/**
 * The OrderState TWS returns for a what-if order (openOrder fields #87–#101). All numbers are
 * known in the simulator, so none is ever the unset sentinel.
 */
export interface WhatIfOrderState {
  readonly status: "PreSubmitted";
  readonly initMarginBefore: number;
  readonly initMarginChange: number;
  readonly initMarginAfter: number;
  readonly maintMarginBefore: number;
  readonly maintMarginChange: number;
  readonly maintMarginAfter: number;
  readonly equityWithLoanBefore: number;
  readonly equityWithLoanChange: number;
  readonly equityWithLoanAfter: number;
  readonly commission: number;
  readonly minCommission: number;
  readonly maxCommission: number;
  readonly commissionCurrency: string;
  /** Empty, or why the order would not be accepted (e.g. insufficient funds). */
  readonly warningText: string;
}
