import type { DoubleRange, FilterSet, IntRange } from "@spreadops/api";
import { invalidArgument } from "@spreadops/runtime";
import { join, requireBetween, requireFinite, requireIntIn, requireOrdered } from "./checks.js";

/** DTE beyond this has no listed options (LEAPS reach about 3 years); the gateway's bound too. */
export const MAX_DTE = 1500;
/** Volumes and open interest are uint32 on the wire; in-process callers get the same bound. */
const UINT32_MAX = 4_294_967_295;

/** A DoubleRange whose set bounds are finite, within [lo, hi] and not inverted. */
export function checkDoubleRange(
  range: DoubleRange | undefined,
  field: string,
  lo: number | undefined,
  hi: number | undefined,
  expected: string,
): void {
  if (range === undefined) return;
  if (range.min !== undefined) requireBetween(range.min, lo, hi, `${field}.min`, expected);
  if (range.max !== undefined) requireBetween(range.max, lo, hi, `${field}.max`, expected);
  requireOrdered(range.min, range.max, field);
}

/** An IntRange of DTE: whole days 0..MAX_DTE, not inverted. */
export function checkDteRange(range: IntRange | undefined, field: string): void {
  if (range === undefined) return;
  if (range.min !== undefined) requireIntIn(range.min, 0, MAX_DTE, `${field}.min`);
  if (range.max !== undefined) requireIntIn(range.max, 0, MAX_DTE, `${field}.max`);
  requireOrdered(range.min, range.max, field);
}

function checkOptional(value: number | undefined, field: string, lo: number | undefined, hi: number | undefined, expected: string): void {
  if (value !== undefined) requireBetween(value, lo, hi, field, expected);
}

function checkCount(value: number | undefined, field: string): void {
  if (value !== undefined) requireIntIn(value, 0, UINT32_MAX, field);
}

const DELTA = "an |delta| from 0 to 1";
const FRACTION = "a fraction from 0 to 1";
const PERCENT = "a percent from 0 to 100";
const NON_NEGATIVE_USD = "a non-negative number of USD per share";

/**
 * A FilterSet as the scanner can apply it: every set number finite and in its unit's range
 * (|delta| and probabilities 0–1, percents 0–100, widths, spreads and counts ≥ 0), and no range
 * inverted. `prefix` is the field's path in the request (`filters`), so errors name e.g.
 * `filters.short_delta.min`. Unset = no filters.
 */
export function validateFilterSet(filters: FilterSet | undefined, prefix: string): void {
  if (filters === undefined) return;
  const f = (name: string): string => join(prefix, name);
  checkDteRange(filters.dte, f("dte"));
  checkDoubleRange(filters.shortDelta, f("short_delta"), 0, 1, DELTA);
  checkDoubleRange(filters.longDelta, f("long_delta"), 0, 1, DELTA);
  checkDoubleRange(filters.width, f("width"), 0, undefined, NON_NEGATIVE_USD);
  if (filters.width?.max === 0) throw invalidArgument(f("width.max"), "a width above 0 USD per share", 0);
  checkCount(filters.minVolume, f("min_volume"));
  checkCount(filters.minOpenInterest, f("min_open_interest"));
  checkOptional(filters.maxBidAskSpread, f("max_bid_ask_spread"), 0, undefined, NON_NEGATIVE_USD);
  checkOptional(filters.maxBidAskSpreadPercent, f("max_bid_ask_spread_percent"), 0, 100, PERCENT);
  checkOptional(filters.minIvPercentile, f("min_iv_percentile"), 0, 100, PERCENT);
  checkOptional(filters.minIvRank, f("min_iv_rank"), 0, 100, PERCENT);
  if (filters.thetaAbove !== undefined) requireFinite(filters.thetaAbove, f("theta_above"), "a finite number of USD per share per day");
  checkOptional(filters.maxGamma, f("max_gamma"), 0, undefined, "a non-negative gamma");
  checkDoubleRange(filters.vega, f("vega"), undefined, undefined, "a finite vega, USD per share per volatility point");
  checkOptional(filters.minProbabilityOfProfit, f("min_probability_of_profit"), 0, 1, FRACTION);
  checkOptional(filters.minReturnOnRisk, f("min_return_on_risk"), 0, undefined, "a non-negative fraction");
  checkOptional(filters.minCreditToWidth, f("min_credit_to_width"), 0, 1, FRACTION);
  checkOptional(filters.maxDebitToWidth, f("max_debit_to_width"), 0, 1, FRACTION);
  if (filters.minExpectedValue !== undefined) requireFinite(filters.minExpectedValue, f("min_expected_value"), "a finite number of USD per share");
}
