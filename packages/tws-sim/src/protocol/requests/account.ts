import type { FieldReader } from "../fields.js";

/** `reqPositions` (61): position* then positionEnd, then updates until cancelPositions. */
export interface ReqPositionsRequest {
  readonly type: "reqPositions";
}

/** `cancelPositions` (64). */
export interface CancelPositionsRequest {
  readonly type: "cancelPositions";
}

/**
 * `reqAccountUpdates` (6): updateAccountValue*, updatePortfolio*, updateAccountTime,
 * accountDownloadEnd, then updates; `subscribe: false` stops them.
 */
export interface ReqAccountUpdatesRequest {
  readonly type: "reqAccountUpdates";
  readonly subscribe: boolean;
  readonly account: string;
}

/** `reqAccountSummary` (62): accountSummary* then accountSummaryEnd, then updates. */
export interface ReqAccountSummaryRequest {
  readonly type: "reqAccountSummary";
  readonly reqId: number;
  /** `All` or an advisor group name. */
  readonly group: string;
  /** e.g. `NetLiquidation`, `BuyingPower`, `$LEDGER:USD`. */
  readonly tags: readonly string[];
}

/** `cancelAccountSummary` (63). */
export interface CancelAccountSummaryRequest {
  readonly type: "cancelAccountSummary";
  readonly reqId: number;
}

/** `reqAccountUpdatesMulti` (76): accountUpdateMulti* then accountUpdateMultiEnd. */
export interface ReqAccountUpdatesMultiRequest {
  readonly type: "reqAccountUpdatesMulti";
  readonly reqId: number;
  readonly account: string;
  readonly modelCode: string;
  readonly ledgerAndNlv: boolean;
}

/** `cancelAccountUpdatesMulti` (77). */
export interface CancelAccountUpdatesMultiRequest {
  readonly type: "cancelAccountUpdatesMulti";
  readonly reqId: number;
}

/** `reqPositionsMulti` (74): positionMulti* then positionMultiEnd. */
export interface ReqPositionsMultiRequest {
  readonly type: "reqPositionsMulti";
  readonly reqId: number;
  readonly account: string;
  readonly modelCode: string;
}

/** `cancelPositionsMulti` (75). */
export interface CancelPositionsMultiRequest {
  readonly type: "cancelPositionsMulti";
  readonly reqId: number;
}

/** `reqPnL` (92): pnl, streamed. */
export interface ReqPnLRequest {
  readonly type: "reqPnL";
  readonly reqId: number;
  readonly account: string;
  readonly modelCode: string;
}

/** `cancelPnL` (93). */
export interface CancelPnLRequest {
  readonly type: "cancelPnL";
  readonly reqId: number;
}

/** `reqPnLSingle` (94): pnlSingle for one position, streamed. */
export interface ReqPnLSingleRequest {
  readonly type: "reqPnLSingle";
  readonly reqId: number;
  readonly account: string;
  readonly modelCode: string;
  readonly conId: number;
}

/** `cancelPnLSingle` (95). */
export interface CancelPnLSingleRequest {
  readonly type: "cancelPnLSingle";
  readonly reqId: number;
}

function readReqId(reader: FieldReader): number {
  const reqId = reader.readInt("reqId");
  reader.requestId = reqId;
  return reqId;
}

/** `61, version` */
export function decodeReqPositions(reader: FieldReader): ReqPositionsRequest {
  reader.skip("version");
  return { type: "reqPositions" };
}

/** `64, version` */
export function decodeCancelPositions(reader: FieldReader): CancelPositionsRequest {
  reader.skip("version");
  return { type: "cancelPositions" };
}

/** `6, version, subscribe, acctCode` */
export function decodeReqAccountUpdates(reader: FieldReader): ReqAccountUpdatesRequest {
  reader.skip("version");
  return {
    type: "reqAccountUpdates",
    subscribe: reader.readFlag("subscribe"),
    account: reader.readString("acctCode"),
  };
}

/** `62, version, reqId, group, tags(CSV)` */
export function decodeReqAccountSummary(reader: FieldReader): ReqAccountSummaryRequest {
  reader.skip("version");
  const reqId = readReqId(reader);
  const group = reader.readString("group");
  const tags = reader
    .readString("tags")
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
  return { type: "reqAccountSummary", reqId, group, tags };
}

/** `63, version, reqId` */
export function decodeCancelAccountSummary(reader: FieldReader): CancelAccountSummaryRequest {
  reader.skip("version");
  return { type: "cancelAccountSummary", reqId: readReqId(reader) };
}

/** `76, version, reqId, account, modelCode, ledgerAndNLV` (@stoqey/ib sends version 2, ib_async 1) */
export function decodeReqAccountUpdatesMulti(reader: FieldReader): ReqAccountUpdatesMultiRequest {
  reader.skip("version");
  return {
    type: "reqAccountUpdatesMulti",
    reqId: readReqId(reader),
    account: reader.readString("account"),
    modelCode: reader.readString("modelCode"),
    ledgerAndNlv: reader.readFlag("ledgerAndNLV"),
  };
}

/** `77, version, reqId` */
export function decodeCancelAccountUpdatesMulti(reader: FieldReader): CancelAccountUpdatesMultiRequest {
  reader.skip("version");
  return { type: "cancelAccountUpdatesMulti", reqId: readReqId(reader) };
}

/** `74, version, reqId, account, modelCode` */
export function decodeReqPositionsMulti(reader: FieldReader): ReqPositionsMultiRequest {
  reader.skip("version");
  return {
    type: "reqPositionsMulti",
    reqId: readReqId(reader),
    account: reader.readString("account"),
    modelCode: reader.readString("modelCode"),
  };
}

/** `75, version, reqId` */
export function decodeCancelPositionsMulti(reader: FieldReader): CancelPositionsMultiRequest {
  reader.skip("version");
  return { type: "cancelPositionsMulti", reqId: readReqId(reader) };
}

/** `92, reqId, account, modelCode` (no version) */
export function decodeReqPnL(reader: FieldReader): ReqPnLRequest {
  return {
    type: "reqPnL",
    reqId: readReqId(reader),
    account: reader.readString("account"),
    modelCode: reader.readString("modelCode"),
  };
}

/** `93, reqId` */
export function decodeCancelPnL(reader: FieldReader): CancelPnLRequest {
  return { type: "cancelPnL", reqId: readReqId(reader) };
}

/** `94, reqId, account, modelCode, conId` (no version) */
export function decodeReqPnLSingle(reader: FieldReader): ReqPnLSingleRequest {
  return {
    type: "reqPnLSingle",
    reqId: readReqId(reader),
    account: reader.readString("account"),
    modelCode: reader.readString("modelCode"),
    conId: reader.readOptionalInt("conId") ?? 0,
  };
}

/** `95, reqId` */
export function decodeCancelPnLSingle(reader: FieldReader): CancelPnLSingleRequest {
  return { type: "cancelPnLSingle", reqId: readReqId(reader) };
}
