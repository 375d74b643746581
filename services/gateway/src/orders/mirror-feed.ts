import { EventName } from "@stoqey/ib";
import type { TwsConnection } from "../connection/tws-connection.js";
import type { OrderMirror } from "./order-mirror.js";

/** The part of the connection the order area listens to. */
export type OrderEventSource = Pick<TwsConnection, "on">;

function rejectJson(value: unknown): string {
  if (value === undefined || value === null || value === "") return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Feeds the mirror from the session's order events until `signal` aborts. The connection keeps
 * the handlers attached across reconnects, and re-requests open orders after each one, so the
 * mirror catches up by itself.
 */
export function feedMirror(source: OrderEventSource, mirror: OrderMirror, signal: AbortSignal): void {
  source.on(EventName.openOrder, (orderId, contract, order, state) => {
    mirror.onOpenOrder(orderId, contract, order, state);
  }, signal);
  source.on(EventName.orderStatus, (orderId, status, filled, remaining, avgFillPrice, permId, _parentId, lastFillPrice, clientId, whyHeld) => {
    mirror.onOrderStatus(orderId, status, filled, remaining, avgFillPrice, permId, lastFillPrice, clientId, whyHeld);
  }, signal);
  source.on(EventName.completedOrder, (contract, order, state) => {
    mirror.onCompletedOrder(contract, order, state);
  }, signal);
  source.on(EventName.execDetails, (_reqId, contract, execution) => {
    mirror.onExecution(contract, execution);
  }, signal);
  source.on(EventName.commissionReport, (report) => {
    mirror.onCommissionReport(report);
  }, signal);
  source.on(EventName.error, (error, code, reqId, advanced) => {
    if (reqId > 0) mirror.onError(reqId, code, error.message, rejectJson(advanced));
  }, signal);
}
