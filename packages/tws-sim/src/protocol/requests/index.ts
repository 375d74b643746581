import { ProtocolError } from "../errors.js";
import { FieldReader, parseNumberField } from "../fields.js";
import { IncomingMessageId } from "../message-ids.js";
import * as account from "./account.js";
import * as contractData from "./contract-data.js";
import * as historical from "./historical.js";
import * as marketData from "./market-data.js";
import * as orderManagement from "./order-management.js";
import { decodePlaceOrder } from "./place-order.js";
import type { PlaceOrderRequest } from "./place-order.js";
import * as scanner from "./scanner.js";
import * as session from "./session.js";

export type {
  CancelAccountSummaryRequest,
  CancelAccountUpdatesMultiRequest,
  CancelPnLRequest,
  CancelPnLSingleRequest,
  CancelPositionsMultiRequest,
  CancelPositionsRequest,
  ReqAccountSummaryRequest,
  ReqAccountUpdatesMultiRequest,
  ReqAccountUpdatesRequest,
  ReqPnLRequest,
  ReqPnLSingleRequest,
  ReqPositionsMultiRequest,
  ReqPositionsRequest,
} from "./account.js";
export type { ReqContractDetailsRequest, ReqMarketRuleRequest, ReqSecDefOptParamsRequest } from "./contract-data.js";
export type {
  CancelHeadTimestampRequest,
  CancelHistoricalDataRequest,
  ReqHeadTimestampRequest,
  ReqHistoricalDataRequest,
} from "./historical.js";
export type { CancelMktDataRequest, ReqMarketDataTypeRequest, ReqMktDataRequest } from "./market-data.js";
export type {
  CancelOrderRequest,
  ExecutionFilter,
  ReqAllOpenOrdersRequest,
  ReqAutoOpenOrdersRequest,
  ReqCompletedOrdersRequest,
  ReqExecutionsRequest,
  ReqGlobalCancelRequest,
  ReqOpenOrdersRequest,
} from "./order-management.js";
export type { PlaceOrderRequest } from "./place-order.js";
export type {
  CancelScannerSubscriptionRequest,
  ReqScannerParametersRequest,
  ReqScannerSubscriptionRequest,
  ScannerSubscription,
} from "./scanner.js";
export type { ReqCurrentTimeRequest, ReqIdsRequest, ReqManagedAcctsRequest, StartApiRequest } from "./session.js";

/** A well-formed message whose id the codec does not decode (real TWS supports ~100). */
export interface UnknownRequest {
  readonly type: "unknown";
  readonly messageId: number;
  readonly fields: readonly string[];
}

/**
 * A message that does not fit its v176 layout: too few fields, too many, or a non-numeric
 * number. Real TWS answers such a request with error 320 ("Error reading request") against
 * `requestId` when it could read one, else -1.
 */
export interface MalformedRequest {
  readonly type: "malformed";
  /** The message id, or undefined when even field 0 was not a number. */
  readonly messageId: number | undefined;
  /** The request or order id, when the decoder got that far. */
  readonly requestId: number | undefined;
  readonly error: ProtocolError;
}

/** Every message a client can send, decoded; discriminated by `type`. */
export type DecodedRequest =
  | session.StartApiRequest
  | session.ReqCurrentTimeRequest
  | session.ReqIdsRequest
  | session.ReqManagedAcctsRequest
  | marketData.ReqMarketDataTypeRequest
  | marketData.ReqMktDataRequest
  | marketData.CancelMktDataRequest
  | contractData.ReqContractDetailsRequest
  | contractData.ReqSecDefOptParamsRequest
  | contractData.ReqMarketRuleRequest
  | historical.ReqHistoricalDataRequest
  | historical.CancelHistoricalDataRequest
  | historical.ReqHeadTimestampRequest
  | historical.CancelHeadTimestampRequest
  | scanner.ReqScannerSubscriptionRequest
  | scanner.CancelScannerSubscriptionRequest
  | scanner.ReqScannerParametersRequest
  | PlaceOrderRequest
  | orderManagement.CancelOrderRequest
  | orderManagement.ReqGlobalCancelRequest
  | orderManagement.ReqOpenOrdersRequest
  | orderManagement.ReqAllOpenOrdersRequest
  | orderManagement.ReqAutoOpenOrdersRequest
  | orderManagement.ReqCompletedOrdersRequest
  | orderManagement.ReqExecutionsRequest
  | account.ReqPositionsRequest
  | account.CancelPositionsRequest
  | account.ReqAccountUpdatesRequest
  | account.ReqAccountSummaryRequest
  | account.CancelAccountSummaryRequest
  | account.ReqAccountUpdatesMultiRequest
  | account.CancelAccountUpdatesMultiRequest
  | account.ReqPositionsMultiRequest
  | account.CancelPositionsMultiRequest
  | account.ReqPnLRequest
  | account.CancelPnLRequest
  | account.ReqPnLSingleRequest
  | account.CancelPnLSingleRequest
  | UnknownRequest
  | MalformedRequest;

type Decoder = (reader: FieldReader) => DecodedRequest;

const ids = IncomingMessageId;

/** Message id → [name for errors, decoder]. Each decoder reads the fields after the id. */
const DECODERS = new Map<number, readonly [string, Decoder]>([
  [ids.startApi, ["startApi", session.decodeStartApi]],
  [ids.reqCurrentTime, ["reqCurrentTime", session.decodeReqCurrentTime]],
  [ids.reqIds, ["reqIds", session.decodeReqIds]],
  [ids.reqManagedAccts, ["reqManagedAccts", session.decodeReqManagedAccts]],
  [ids.reqMarketDataType, ["reqMarketDataType", marketData.decodeReqMarketDataType]],
  [ids.reqMktData, ["reqMktData", marketData.decodeReqMktData]],
  [ids.cancelMktData, ["cancelMktData", marketData.decodeCancelMktData]],
  [ids.reqContractDetails, ["reqContractDetails", contractData.decodeReqContractDetails]],
  [ids.reqSecDefOptParams, ["reqSecDefOptParams", contractData.decodeReqSecDefOptParams]],
  [ids.reqMarketRule, ["reqMarketRule", contractData.decodeReqMarketRule]],
  [ids.reqHistoricalData, ["reqHistoricalData", historical.decodeReqHistoricalData]],
  [ids.cancelHistoricalData, ["cancelHistoricalData", historical.decodeCancelHistoricalData]],
  [ids.reqHeadTimestamp, ["reqHeadTimestamp", historical.decodeReqHeadTimestamp]],
  [ids.cancelHeadTimestamp, ["cancelHeadTimestamp", historical.decodeCancelHeadTimestamp]],
  [ids.reqScannerSubscription, ["reqScannerSubscription", scanner.decodeReqScannerSubscription]],
  [ids.cancelScannerSubscription, ["cancelScannerSubscription", scanner.decodeCancelScannerSubscription]],
  [ids.reqScannerParameters, ["reqScannerParameters", scanner.decodeReqScannerParameters]],
  [ids.placeOrder, ["placeOrder", decodePlaceOrder]],
  [ids.cancelOrder, ["cancelOrder", orderManagement.decodeCancelOrder]],
  [ids.reqGlobalCancel, ["reqGlobalCancel", orderManagement.decodeReqGlobalCancel]],
  [ids.reqOpenOrders, ["reqOpenOrders", orderManagement.decodeReqOpenOrders]],
  [ids.reqAllOpenOrders, ["reqAllOpenOrders", orderManagement.decodeReqAllOpenOrders]],
  [ids.reqAutoOpenOrders, ["reqAutoOpenOrders", orderManagement.decodeReqAutoOpenOrders]],
  [ids.reqCompletedOrders, ["reqCompletedOrders", orderManagement.decodeReqCompletedOrders]],
  [ids.reqExecutions, ["reqExecutions", orderManagement.decodeReqExecutions]],
  [ids.reqPositions, ["reqPositions", account.decodeReqPositions]],
  [ids.cancelPositions, ["cancelPositions", account.decodeCancelPositions]],
  [ids.reqAccountUpdates, ["reqAccountUpdates", account.decodeReqAccountUpdates]],
  [ids.reqAccountSummary, ["reqAccountSummary", account.decodeReqAccountSummary]],
  [ids.cancelAccountSummary, ["cancelAccountSummary", account.decodeCancelAccountSummary]],
  [ids.reqAccountUpdatesMulti, ["reqAccountUpdatesMulti", account.decodeReqAccountUpdatesMulti]],
  [ids.cancelAccountUpdatesMulti, ["cancelAccountUpdatesMulti", account.decodeCancelAccountUpdatesMulti]],
  [ids.reqPositionsMulti, ["reqPositionsMulti", account.decodeReqPositionsMulti]],
  [ids.cancelPositionsMulti, ["cancelPositionsMulti", account.decodeCancelPositionsMulti]],
  [ids.reqPnL, ["reqPnL", account.decodeReqPnL]],
  [ids.cancelPnL, ["cancelPnL", account.decodeCancelPnL]],
  [ids.reqPnLSingle, ["reqPnLSingle", account.decodeReqPnLSingle]],
  [ids.cancelPnLSingle, ["cancelPnLSingle", account.decodeCancelPnLSingle]],
]);

/**
 * Decodes one client message (the fields of a frame, message id first) at server version 176.
 * Never throws for bad input: an id it does not know gives `{ type: "unknown" }`, and a message
 * that does not fit its layout — including one with fields left over — gives
 * `{ type: "malformed" }` with a {@link ProtocolError} naming the message and field.
 */
export function decodeRequest(fields: readonly string[]): DecodedRequest {
  const rawId = fields[0] ?? "";
  const messageId = parseNumberField(rawId);
  if (!Number.isInteger(messageId)) {
    return {
      type: "malformed",
      messageId: undefined,
      requestId: undefined,
      error: new ProtocolError("badField", `message id must be an integer, got ${JSON.stringify(rawId)}`, {
        field: "messageId",
        fieldIndex: 0,
        value: rawId,
      }),
    };
  }
  const entry = DECODERS.get(messageId);
  if (entry === undefined) return { type: "unknown", messageId, fields };
  const [name, decode] = entry;
  const reader = new FieldReader(fields, name);
  try {
    const request = decode(reader);
    reader.end();
    return request;
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return { type: "malformed", messageId, requestId: reader.requestId, error };
  }
}
