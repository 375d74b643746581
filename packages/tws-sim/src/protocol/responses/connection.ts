import { formatInt } from "../field-writer.js";
import { OutgoingMessageId as Out } from "../message-ids.js";

/** `managedAccounts`: `[15, 1, "ACC1,ACC2"]`. ib_async needs at least one non-empty account. */
export function managedAccountsFields(accounts: readonly string[]): string[] {
  return [formatInt(Out.managedAccounts), "1", accounts.join(",")];
}

/** `nextValidId`: `[9, 1, orderId]`. @stoqey/ib sends nothing until it has received one (trap T4). */
export function nextValidIdFields(orderId: number): string[] {
  return [formatInt(Out.nextValidId), "1", formatInt(orderId)];
}

/** `currentTime`: `[49, 1, epochSeconds]`. */
export function currentTimeFields(epochSeconds: number): string[] {
  return [formatInt(Out.currentTime), "1", formatInt(Math.floor(epochSeconds))];
}

/** An error or notice (message 4, version 2). */
export interface ErrorMessage {
  /** The request, ticker or order id the error is about; −1 for connection-level notices (@stoqey/ib emits those as `info`). */
  readonly id: number;
  /** IB's code, e.g. 200, 201, 202, 2104. */
  readonly code: number;
  readonly message: string;
  /**
   * Structured rejection details, serialised as JSON. Leave undefined for the usual `""`: both
   * clients parse a non-empty value, and @stoqey/ib crashes its process on invalid JSON (trap T10).
   */
  readonly advancedOrderReject?: Readonly<Record<string, unknown>>;
}

// @stoqey/ib un-escapes every `\uXXXX` in the JSON text before parsing it, so a JSON escape for a
// control character (or a literal backslash before a `u`) would turn into invalid JSON.
function jsonSafeForStoqey(_key: string, value: unknown): unknown {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  return typeof value === "string" ? value.replace(/[\u0000-\u001f]/g, " ").replace(/\\u/g, "\\ u") : value;
}

/** `error`: `[4, 2, id, code, message, advancedOrderRejectJson]` — 6 fields, no errorTime below v194. */
export function errorFields(error: ErrorMessage): string[] {
  const json = error.advancedOrderReject === undefined ? "" : JSON.stringify(error.advancedOrderReject, jsonSafeForStoqey);
  return [formatInt(Out.error), "2", formatInt(error.id), formatInt(error.code), error.message, json];
}
