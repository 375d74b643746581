import type { FieldReader } from "../fields.js";
import { parseTagValueList } from "../tag-values.js";
import type { TagValue } from "../tag-values.js";

/** The fixed filters of a scanner subscription; unset numbers are undefined. */
export interface ScannerSubscription {
  /** Rows wanted; undefined (or −1 from ib_async) means the default of 50. */
  readonly numberOfRows: number | undefined;
  /** e.g. `STK`, `STOCK.NA`. */
  readonly instrument: string;
  /** e.g. `STK.US.MAJOR`. */
  readonly locationCode: string;
  /** e.g. `HIGH_OPT_IMP_VOLAT`, `TOP_PERC_GAIN`. */
  readonly scanCode: string;
  readonly abovePrice: number | undefined;
  readonly belowPrice: number | undefined;
  readonly aboveVolume: number | undefined;
  readonly marketCapAbove: number | undefined;
  readonly marketCapBelow: number | undefined;
  readonly moodyRatingAbove: string;
  readonly moodyRatingBelow: string;
  readonly spRatingAbove: string;
  readonly spRatingBelow: string;
  readonly maturityDateAbove: string;
  readonly maturityDateBelow: string;
  readonly couponRateAbove: number | undefined;
  readonly couponRateBelow: number | undefined;
  readonly excludeConvertible: boolean;
  readonly averageOptionVolumeAbove: number | undefined;
  readonly scannerSettingPairs: string;
  readonly stockTypeFilter: string;
}

/** `reqScannerSubscription` (22): answer with scannerData (repeated while subscribed). */
export interface ReqScannerSubscriptionRequest {
  readonly type: "reqScannerSubscription";
  readonly reqId: number;
  readonly subscription: ScannerSubscription;
  /** Generic filters, e.g. `optVolumeAbove=1000`, `priceAbove=5`. */
  readonly filterOptions: readonly TagValue[];
  /** Reserved by IB; normally empty. */
  readonly subscriptionOptions: readonly TagValue[];
}

/** `cancelScannerSubscription` (23). */
export interface CancelScannerSubscriptionRequest {
  readonly type: "cancelScannerSubscription";
  readonly reqId: number;
}

/** `reqScannerParameters` (24): answer with scannerParameters (XML). */
export interface ReqScannerParametersRequest {
  readonly type: "reqScannerParameters";
}

/**
 * `22, reqId, numberOfRows, instrument, locationCode, scanCode, abovePrice, belowPrice,
 * aboveVolume, marketCapAbove, marketCapBelow, moodyRatingAbove, moodyRatingBelow, spRatingAbove,
 * spRatingBelow, maturityDateAbove, maturityDateBelow, couponRateAbove, couponRateBelow,
 * excludeConvertible, averageOptionVolumeAbove, scannerSettingPairs, stockTypeFilter,
 * filterOptions, subscriptionOptions` (no version at v143+; both lists as `tag=value;…`)
 */
export function decodeReqScannerSubscription(reader: FieldReader): ReqScannerSubscriptionRequest {
  const reqId = reader.readInt("reqId");
  reader.requestId = reqId;
  const subscription: ScannerSubscription = {
    numberOfRows: reader.readOptionalInt("numberOfRows"),
    instrument: reader.readString("instrument"),
    locationCode: reader.readString("locationCode"),
    scanCode: reader.readString("scanCode"),
    abovePrice: reader.readOptionalDouble("abovePrice"),
    belowPrice: reader.readOptionalDouble("belowPrice"),
    aboveVolume: reader.readOptionalDouble("aboveVolume"),
    marketCapAbove: reader.readOptionalDouble("marketCapAbove"),
    marketCapBelow: reader.readOptionalDouble("marketCapBelow"),
    moodyRatingAbove: reader.readString("moodyRatingAbove"),
    moodyRatingBelow: reader.readString("moodyRatingBelow"),
    spRatingAbove: reader.readString("spRatingAbove"),
    spRatingBelow: reader.readString("spRatingBelow"),
    maturityDateAbove: reader.readString("maturityDateAbove"),
    maturityDateBelow: reader.readString("maturityDateBelow"),
    couponRateAbove: reader.readOptionalDouble("couponRateAbove"),
    couponRateBelow: reader.readOptionalDouble("couponRateBelow"),
    excludeConvertible: reader.readFlag("excludeConvertible"),
    averageOptionVolumeAbove: reader.readOptionalDouble("averageOptionVolumeAbove"),
    scannerSettingPairs: reader.readString("scannerSettingPairs"),
    stockTypeFilter: reader.readString("stockTypeFilter"),
  };
  return {
    type: "reqScannerSubscription",
    reqId,
    subscription,
    filterOptions: parseTagValueList(reader.readString("scannerSubscriptionFilterOptions")),
    subscriptionOptions: parseTagValueList(reader.readString("scannerSubscriptionOptions")),
  };
}

/** `23, version, reqId` */
export function decodeCancelScannerSubscription(reader: FieldReader): CancelScannerSubscriptionRequest {
  reader.skip("version");
  const reqId = reader.readInt("reqId");
  reader.requestId = reqId;
  return { type: "cancelScannerSubscription", reqId };
}

/** `24, version` */
export function decodeReqScannerParameters(reader: FieldReader): ReqScannerParametersRequest {
  reader.skip("version");
  return { type: "reqScannerParameters" };
}
