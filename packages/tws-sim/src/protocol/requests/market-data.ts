import type { ComboContract } from "../contract.js";
import type { FieldReader } from "../fields.js";
import { parseTagValueList } from "../tag-values.js";
import type { TagValue } from "../tag-values.js";
import { isBag, readContract, readDeltaNeutralContract, readShortComboLegs } from "./contract-fields.js";

/** `reqMktData` (1): subscribe to (or snapshot) top-of-book ticks. */
export interface ReqMktDataRequest {
  readonly type: "reqMktData";
  readonly tickerId: number;
  readonly contract: ComboContract;
  /** The generic tick list split on commas, e.g. `["100", "101", "106"]`; may hold names like `mdoff`. */
  readonly genericTicks: readonly string[];
  readonly snapshot: boolean;
  readonly regulatorySnapshot: boolean;
  readonly mktDataOptions: readonly TagValue[];
}

/** `cancelMktData` (2). */
export interface CancelMktDataRequest {
  readonly type: "cancelMktData";
  readonly tickerId: number;
}

/** `reqMarketDataType` (59): 1 live, 2 frozen, 3 delayed, 4 delayed-frozen. No direct reply. */
export interface ReqMarketDataTypeRequest {
  readonly type: "reqMarketDataType";
  readonly marketDataType: number;
}

/** Splits a CSV generic tick list, dropping blanks. */
function splitGenericTicks(raw: string): string[] {
  const ticks: string[] = [];
  for (const part of raw.split(",")) {
    const tick = part.trim();
    if (tick !== "") ticks.push(tick);
  }
  return ticks;
}

/** `1, version, tickerId, C12, [BAG legs], dnFlag [+3], genericTickList, snapshot, regulatorySnapshot, mktDataOptions` */
export function decodeReqMktData(reader: FieldReader): ReqMktDataRequest {
  reader.skip("version");
  const tickerId = reader.readInt("tickerId");
  reader.requestId = tickerId;
  const base = readContract(reader);
  const comboLegs = isBag(base) ? readShortComboLegs(reader) : [];
  const deltaNeutralContract = readDeltaNeutralContract(reader);
  const contract: ComboContract =
    deltaNeutralContract === undefined ? { ...base, comboLegs } : { ...base, comboLegs, deltaNeutralContract };
  return {
    type: "reqMktData",
    tickerId,
    contract,
    genericTicks: splitGenericTicks(reader.readString("genericTickList")),
    snapshot: reader.readFlag("snapshot"),
    regulatorySnapshot: reader.readFlag("regulatorySnapshot"),
    mktDataOptions: parseTagValueList(reader.readString("mktDataOptions")),
  };
}

/** `2, version, tickerId` (@stoqey/ib sends version 1, ib_async 2). */
export function decodeCancelMktData(reader: FieldReader): CancelMktDataRequest {
  reader.skip("version");
  const tickerId = reader.readInt("tickerId");
  reader.requestId = tickerId;
  return { type: "cancelMktData", tickerId };
}

/** `59, version, marketDataType` */
export function decodeReqMarketDataType(reader: FieldReader): ReqMarketDataTypeRequest {
  reader.skip("version");
  return { type: "reqMarketDataType", marketDataType: reader.readInt("marketDataType") };
}
