import type { ComboContract, Contract } from "../contract.js";
import type { FieldReader } from "../fields.js";
import { parseTagValueList } from "../tag-values.js";
import type { TagValue } from "../tag-values.js";
import { isBag, readContract, readShortComboLegs } from "./contract-fields.js";

/** `reqHistoricalData` (20): answer with one historicalData (+ historicalDataUpdate when kept up to date). */
export interface ReqHistoricalDataRequest {
  readonly type: "reqHistoricalData";
  readonly reqId: number;
  readonly contract: ComboContract;
  readonly includeExpired: boolean;
  /** `""` means now; otherwise `yyyyMMdd HH:mm:ss[ tz]` or `yyyyMMdd-HH:mm:ss` (UTC). */
  readonly endDateTime: string;
  /** e.g. `1 min`, `1 day`. On the wire it comes before the duration (trap T13). */
  readonly barSizeSetting: string;
  /** e.g. `1 D`, `2 W`. */
  readonly durationStr: string;
  readonly useRth: boolean;
  /** `TRADES`, `MIDPOINT`, `BID`, `ASK`, `OPTION_IMPLIED_VOLATILITY`, … */
  readonly whatToShow: string;
  /** 1 = `yyyyMMdd[ HH:mm:ss tz]` strings, 2 = epoch seconds. */
  readonly formatDate: number;
  readonly keepUpToDate: boolean;
  readonly chartOptions: readonly TagValue[];
}

/** `cancelHistoricalData` (25). */
export interface CancelHistoricalDataRequest {
  readonly type: "cancelHistoricalData";
  readonly reqId: number;
}

/** `reqHeadTimestamp` (87): answer with headTimestamp. */
export interface ReqHeadTimestampRequest {
  readonly type: "reqHeadTimestamp";
  readonly reqId: number;
  readonly contract: Contract;
  readonly includeExpired: boolean;
  readonly useRth: boolean;
  readonly whatToShow: string;
  readonly formatDate: number;
}

/** `cancelHeadTimestamp` (90). */
export interface CancelHeadTimestampRequest {
  readonly type: "cancelHeadTimestamp";
  readonly reqId: number;
}

/**
 * `20, reqId, C12, includeExpired, endDateTime, barSizeSetting, durationStr, useRTH, whatToShow,
 * formatDate, [BAG legs], keepUpToDate, chartOptions` (no version at v124+)
 */
export function decodeReqHistoricalData(reader: FieldReader): ReqHistoricalDataRequest {
  const reqId = reader.readInt("reqId");
  reader.requestId = reqId;
  const base = readContract(reader);
  const includeExpired = reader.readFlag("includeExpired");
  const endDateTime = reader.readString("endDateTime");
  const barSizeSetting = reader.readString("barSizeSetting");
  const durationStr = reader.readString("durationStr");
  const useRth = reader.readFlag("useRTH");
  const whatToShow = reader.readString("whatToShow");
  const formatDate = reader.readOptionalInt("formatDate") ?? 1;
  const comboLegs = isBag(base) ? readShortComboLegs(reader) : [];
  return {
    type: "reqHistoricalData",
    reqId,
    contract: { ...base, comboLegs },
    includeExpired,
    endDateTime,
    barSizeSetting,
    durationStr,
    useRth,
    whatToShow,
    formatDate,
    keepUpToDate: reader.readFlag("keepUpToDate"),
    chartOptions: parseTagValueList(reader.readString("chartOptions")),
  };
}

/** `25, version, reqId` */
export function decodeCancelHistoricalData(reader: FieldReader): CancelHistoricalDataRequest {
  reader.skip("version");
  const reqId = reader.readInt("reqId");
  reader.requestId = reqId;
  return { type: "cancelHistoricalData", reqId };
}

/** `87, reqId, C12, includeExpired, useRTH, whatToShow, formatDate` (no version) */
export function decodeReqHeadTimestamp(reader: FieldReader): ReqHeadTimestampRequest {
  const reqId = reader.readInt("reqId");
  reader.requestId = reqId;
  return {
    type: "reqHeadTimestamp",
    reqId,
    contract: readContract(reader),
    includeExpired: reader.readFlag("includeExpired"),
    useRth: reader.readFlag("useRTH"),
    whatToShow: reader.readString("whatToShow"),
    formatDate: reader.readOptionalInt("formatDate") ?? 1,
  };
}

/** `90, reqId` */
export function decodeCancelHeadTimestamp(reader: FieldReader): CancelHeadTimestampRequest {
  const reqId = reader.readInt("reqId");
  reader.requestId = reqId;
  return { type: "cancelHeadTimestamp", reqId };
}
