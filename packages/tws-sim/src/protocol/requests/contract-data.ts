import type { Contract } from "../contract.js";
import type { FieldReader } from "../fields.js";
import { readContract } from "./contract-fields.js";

/** `reqContractDetails` (9): answer with contractData* + contractDataEnd, or error 200. */
export interface ReqContractDetailsRequest {
  readonly type: "reqContractDetails";
  readonly reqId: number;
  readonly contract: Contract;
  readonly includeExpired: boolean;
  readonly secIdType: string;
  readonly secId: string;
  readonly issuerId: string;
}

/** `reqSecDefOptParams` (78): answer with one securityDefinitionOptionParameter per exchange + End. */
export interface ReqSecDefOptParamsRequest {
  readonly type: "reqSecDefOptParams";
  readonly reqId: number;
  readonly underlyingSymbol: string;
  /** `""` for stock and index options. */
  readonly futFopExchange: string;
  readonly underlyingSecType: string;
  readonly underlyingConId: number;
}

/** `reqMarketRule` (91): answer with marketRule. */
export interface ReqMarketRuleRequest {
  readonly type: "reqMarketRule";
  readonly marketRuleId: number;
}

/** `9, version, reqId, C12, includeExpired, secIdType, secId, issuerId` (19 fields) */
export function decodeReqContractDetails(reader: FieldReader): ReqContractDetailsRequest {
  reader.skip("version");
  const reqId = reader.readInt("reqId");
  reader.requestId = reqId;
  return {
    type: "reqContractDetails",
    reqId,
    contract: readContract(reader),
    includeExpired: reader.readFlag("includeExpired"),
    secIdType: reader.readString("secIdType"),
    secId: reader.readString("secId"),
    issuerId: reader.readString("issuerId"),
  };
}

/** `78, reqId, underlyingSymbol, futFopExchange, underlyingSecType, underlyingConId` (no version) */
export function decodeReqSecDefOptParams(reader: FieldReader): ReqSecDefOptParamsRequest {
  const reqId = reader.readInt("reqId");
  reader.requestId = reqId;
  return {
    type: "reqSecDefOptParams",
    reqId,
    underlyingSymbol: reader.readString("underlyingSymbol"),
    futFopExchange: reader.readString("futFopExchange"),
    underlyingSecType: reader.readString("underlyingSecType"),
    underlyingConId: reader.readOptionalInt("underlyingConId") ?? 0,
  };
}

/** `91, marketRuleId` */
export function decodeReqMarketRule(reader: FieldReader): ReqMarketRuleRequest {
  return { type: "reqMarketRule", marketRuleId: reader.readInt("marketRuleId") };
}
