import { OrderAction, OrderStatus } from "@spreadops/api";

/**
 * IB's "unset" double: TWS sends Double.MAX_VALUE (1.7976931348623157E308) for a value it did
 * not compute. Anything at or above it is a sentinel, never an amount.
 */
export const IB_UNSET_DOUBLE = Number.MAX_VALUE;

/**
 * A number IB reported, or undefined when it means "unknown": unset, null, an empty or
 * non-numeric string, NaN, ±Infinity or the max-double sentinel. A real 0 stays 0 — a zero
 * margin and an unknown margin must never be confused (CONVENTIONS.md, what-if).
 */
export function ibNumber(value: unknown): number | undefined {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "string") {
    const text = value.trim();
    if (text === "") return undefined;
    n = Number(text);
  } else return undefined;
  if (!Number.isFinite(n) || Math.abs(n) >= IB_UNSET_DOUBLE) return undefined;
  return n;
}

const STATUS: Readonly<Record<string, OrderStatus>> = {
  ApiPending: OrderStatus.API_PENDING,
  PendingSubmit: OrderStatus.PENDING_SUBMIT,
  PendingCancel: OrderStatus.PENDING_CANCEL,
  PreSubmitted: OrderStatus.PRE_SUBMITTED,
  Submitted: OrderStatus.SUBMITTED,
  ApiCancelled: OrderStatus.API_CANCELLED,
  Cancelled: OrderStatus.CANCELLED,
  Filled: OrderStatus.FILLED,
  Inactive: OrderStatus.INACTIVE,
};

/** The API status of IB's status text; UNSPECIFIED for anything unknown. */
export function toOrderStatus(text: string | undefined): OrderStatus {
  return (text === undefined ? undefined : STATUS[text]) ?? OrderStatus.UNSPECIFIED;
}

/** Statuses after which an order no longer works. */
export function isTerminalStatus(status: OrderStatus): boolean {
  return (
    status === OrderStatus.FILLED ||
    status === OrderStatus.CANCELLED ||
    status === OrderStatus.API_CANCELLED ||
    status === OrderStatus.INACTIVE
  );
}

/** BUY/SELL (orders) and BOT/SLD (executions) to the API's action. */
export function toOrderAction(text: string | undefined): OrderAction {
  switch (text?.toUpperCase()) {
    case "BUY":
    case "BOT":
      return OrderAction.BUY;
    case "SELL":
    case "SLD":
      return OrderAction.SELL;
    default:
      return OrderAction.UNSPECIFIED;
  }
}

/** IB's action text of an API action; undefined for UNSPECIFIED. */
export function ibAction(action: OrderAction): "BUY" | "SELL" | undefined {
  if (action === OrderAction.BUY) return "BUY";
  if (action === OrderAction.SELL) return "SELL";
  return undefined;
}

/** IB code of an order rejection: terminal, with its reason. */
export const ORDER_REJECTED = 201;
/** IB code confirming a cancel ("Order Canceled - reason:"). */
export const ORDER_CANCELLED = 202;

/**
 * Codes that never end an order by themselves: 2100–2169 (notices), 399 (order message, e.g.
 * "will not be placed until the market opens"), 10090 (part of requested market data is not
 * subscribed) and 10167 (delayed data). 202 is a warning only after our own cancel, which the
 * caller decides.
 */
export function isWarningCode(code: number): boolean {
  return (code >= 2100 && code <= 2169) || code === 399 || code === 10090 || code === 10167;
}

/** IB's secType of a contract as plain text ("" when absent), for comparisons with IB's codes. */
export function secTypeText(contract: { readonly secType?: string } | undefined): string {
  return contract?.secType ?? "";
}
