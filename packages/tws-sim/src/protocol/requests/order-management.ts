import type { FieldReader } from "../fields.js";

/**
 * `cancelOrder` (4). Real TWS answers with orderStatus `Cancelled` plus error 202, or error
 * 10147 for an unknown id.
 */
export interface CancelOrderRequest {
  readonly type: "cancelOrder";
  readonly orderId: number;
  /** `""` unless the client set a manual cancel time. */
  readonly manualOrderCancelTime: string;
}

/** `reqGlobalCancel` (58): cancel every open order of every client. */
export interface ReqGlobalCancelRequest {
  readonly type: "reqGlobalCancel";
}

/** `reqOpenOrders` (5): this client's open orders, then openOrderEnd. */
export interface ReqOpenOrdersRequest {
  readonly type: "reqOpenOrders";
}

/** `reqAllOpenOrders` (16): every client's open orders, then openOrderEnd. */
export interface ReqAllOpenOrdersRequest {
  readonly type: "reqAllOpenOrders";
}

/** `reqAutoOpenOrders` (15): clientId 0 only; bind manual TWS orders to this client. No reply. */
export interface ReqAutoOpenOrdersRequest {
  readonly type: "reqAutoOpenOrders";
  readonly autoBind: boolean;
}

/** `reqCompletedOrders` (99): completedOrder* then completedOrdersEnd. */
export interface ReqCompletedOrdersRequest {
  readonly type: "reqCompletedOrders";
  readonly apiOnly: boolean;
}

/** The filter of a reqExecutions; empty strings and an undefined clientId match everything. */
export interface ExecutionFilter {
  /** @stoqey/ib sends `""` when unset; ib_async sends 0. */
  readonly clientId: number | undefined;
  readonly account: string;
  /** `yyyyMMdd-HH:mm:ss` or `yyyyMMdd HH:mm:ss[ tz]`: executions at or after it. */
  readonly time: string;
  readonly symbol: string;
  readonly secType: string;
  readonly exchange: string;
  /** `BUY` or `SELL`. */
  readonly side: string;
}

/** `reqExecutions` (7): execDetails + commissionReport per execution, then execDetailsEnd. */
export interface ReqExecutionsRequest {
  readonly type: "reqExecutions";
  readonly reqId: number;
  readonly filter: ExecutionFilter;
}

/** `4, version, orderId, manualOrderCancelTime` (the v169–191 layout; trap T15) */
export function decodeCancelOrder(reader: FieldReader): CancelOrderRequest {
  reader.skip("version");
  const orderId = reader.readInt("orderId");
  reader.requestId = orderId;
  return { type: "cancelOrder", orderId, manualOrderCancelTime: reader.readString("manualOrderCancelTime") };
}

/** `58, version` */
export function decodeReqGlobalCancel(reader: FieldReader): ReqGlobalCancelRequest {
  reader.skip("version");
  return { type: "reqGlobalCancel" };
}

/** `5, version` */
export function decodeReqOpenOrders(reader: FieldReader): ReqOpenOrdersRequest {
  reader.skip("version");
  return { type: "reqOpenOrders" };
}

/** `16, version` */
export function decodeReqAllOpenOrders(reader: FieldReader): ReqAllOpenOrdersRequest {
  reader.skip("version");
  return { type: "reqAllOpenOrders" };
}

/** `15, version, bAutoBind` */
export function decodeReqAutoOpenOrders(reader: FieldReader): ReqAutoOpenOrdersRequest {
  reader.skip("version");
  return { type: "reqAutoOpenOrders", autoBind: reader.readFlag("bAutoBind") };
}

/** `99, apiOnly` (no version) */
export function decodeReqCompletedOrders(reader: FieldReader): ReqCompletedOrdersRequest {
  return { type: "reqCompletedOrders", apiOnly: reader.readFlag("apiOnly") };
}

/** `7, version, reqId, clientId, acctCode, time, symbol, secType, exchange, side` */
export function decodeReqExecutions(reader: FieldReader): ReqExecutionsRequest {
  reader.skip("version");
  const reqId = reader.readInt("reqId");
  reader.requestId = reqId;
  return {
    type: "reqExecutions",
    reqId,
    filter: {
      clientId: reader.readOptionalInt("filter clientId"),
      account: reader.readString("filter acctCode"),
      time: reader.readString("filter time"),
      symbol: reader.readString("filter symbol"),
      secType: reader.readString("filter secType"),
      exchange: reader.readString("filter exchange"),
      side: reader.readString("filter side"),
    },
  };
}
