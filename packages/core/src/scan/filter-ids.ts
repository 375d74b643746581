/**
 * Filter identifiers of the scan, numerically equal to proto `SpreadFilterId` (common.proto) so
 * the scanner service maps them without a table, and in evaluation order: a rejected row or pair
 * is counted once, under the lowest id that failed.
 *
 * @packageDocumentation
 */

/** Every filter and built-in check, in evaluation order (values = proto SpreadFilterId). */
export const ScanFilterId = {
  /** Underlying level: minimum IV percentile. */
  MinIvPercentile: 1,
  /** Underlying level: minimum IV rank. */
  MinIvRank: 2,
  /** Leg level, built in: positive strike, known bid and ask with 0 ≤ bid ≤ ask < ∞. */
  QuotesPresent: 3,
  /** Leg level: DTE range. */
  Dte: 4,
  /** Leg level: |delta| range of rows used as short legs. */
  ShortDelta: 5,
  /** Leg level: |delta| range of rows used as long legs. */
  LongDelta: 6,
  /** Leg level: minimum volume. */
  MinVolume: 7,
  /** Leg level: minimum open interest. */
  MinOpenInterest: 8,
  /** Leg level: maximum ask − bid. */
  MaxBidAskSpread: 9,
  /** Leg level: maximum (ask − bid) / mid × 100. */
  MaxBidAskSpreadPercent: 10,
  /** Spread level: width range (applied by construction, see docs/scanner-engine.md). */
  Width: 11,
  /** Spread level, built in: 0 < limit price < width. */
  PriceValid: 12,
  /** Spread level: minimum credit / width (credit kinds). */
  MinCreditToWidth: 13,
  /** Spread level: maximum debit / width (debit kinds). */
  MaxDebitToWidth: 14,
  /** Spread level: minimum return on risk. */
  MinReturnOnRisk: 15,
  /** Spread level: minimum net theta. */
  ThetaAbove: 16,
  /** Spread level: maximum |net gamma|. */
  MaxGamma: 17,
  /** Spread level: net vega range. */
  Vega: 18,
  /** Spread level: minimum probability of profit. */
  MinProbabilityOfProfit: 19,
  /** Spread level: minimum expected value. */
  MinExpectedValue: 20,
} as const;

/** One of {@link ScanFilterId}'s values. */
export type ScanFilterIdValue = (typeof ScanFilterId)[keyof typeof ScanFilterId];

/** Size of arrays indexed by filter id (ids are 1…20). */
export const SCAN_FILTER_SLOTS = 21;
