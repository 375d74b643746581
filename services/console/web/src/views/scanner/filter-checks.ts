/**
 * The "passed filters" checklist of a candidate: each filter set in the Strategy's spec (the
 * spread's dte / shortDelta / width ranges and every `spec.filters` field), with the required
 * range next to the candidate's actual value and whether the value is inside it. Bounds are
 * inclusive, as in the CRD. Every candidate the strategy service reports passed the filters of
 * the spec it evaluated; a ✗ here means the spec has changed since, or a value is missing.
 */
import type { SpreadCandidate, SpreadLeg, SymbolEvaluation } from "@spreadops/api";
import type { StrategySpec } from "@spreadops/resources/schema";
import { num, pct, UNKNOWN, usd } from "../../components/format";
import { isCredit } from "./scanner-model";

export type CheckStatus = "passed" | "failed" | "unknown" | "not-applied";

export interface FilterCheck {
  /** CR field path, e.g. "spec.spread.dte". */
  readonly field: string;
  readonly label: string;
  /** The requirement, e.g. "30–45", "≥ 60%". */
  readonly requirement: string;
  /** The candidate's value, e.g. "38"; "—" when unknown. */
  readonly actual: string;
  readonly status: CheckStatus;
}

export interface Range {
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}

/** Floating-point slack for inclusive bounds (0.1 + 0.2 must pass "≤ 0.3"). */
const slack = (bound: number): number => 1e-9 * Math.max(1, Math.abs(bound));

/** Whether `value` lies in the inclusive range (an unset bound is open); undefined when the value is unknown. */
export function inRange(value: number | undefined, range: Range): boolean | undefined {
  if (value === undefined || Number.isNaN(value)) return undefined;
  if (range.min !== undefined && value < range.min - slack(range.min)) return false;
  if (range.max !== undefined && value > range.max + slack(range.max)) return false;
  return true;
}

/** "a–b", "≥ a", "≤ b"; undefined when neither bound is set (the filter is not applied). */
export function rangeText(range: Range | undefined, format: (value: number) => string): string | undefined {
  if (range === undefined) return undefined;
  const { min, max } = range;
  if (min !== undefined && max !== undefined) return min === max ? `= ${format(min)}` : `${format(min)}–${format(max)}`;
  if (min !== undefined) return `≥ ${format(min)}`;
  if (max !== undefined) return `≤ ${format(max)}`;
  return undefined;
}

const statusOf = (passed: boolean | undefined): CheckStatus => (passed === undefined ? "unknown" : passed ? "passed" : "failed");

const absOf = (value: number | undefined): number | undefined => (value === undefined ? undefined : Math.abs(value));

/** The smaller (`pick` = min) or larger of both legs' values; unknown when either leg's is. */
function bothLegs(candidate: SpreadCandidate, read: (leg: SpreadLeg) => number | undefined, pick: (a: number, b: number) => number): number | undefined {
  const a = candidate.shortLeg === undefined ? undefined : read(candidate.shortLeg);
  const b = candidate.longLeg === undefined ? undefined : read(candidate.longLeg);
  return a === undefined || b === undefined ? undefined : pick(a, b);
}

function legsText(candidate: SpreadCandidate, read: (leg: SpreadLeg) => number | undefined, format: (value: number | undefined) => string): string {
  const a = candidate.shortLeg === undefined ? undefined : read(candidate.shortLeg);
  const b = candidate.longLeg === undefined ? undefined : read(candidate.longLeg);
  return `short ${format(a)} / long ${format(b)}`;
}

const int = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? UNKNOWN : Math.round(value).toLocaleString("en-US"));
const fixed2 = (value: number | undefined): string => num(value, 2);
const fixed3 = (value: number | undefined): string => num(value, 3);
const percent = (fraction: number | undefined): string => pct(fraction, 1);
const percentPoints = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? UNKNOWN : `${num(value, 1)}%`);

/**
 * The checklist for one candidate against a Strategy spec; only filters the spec sets appear.
 * `symbol` supplies the underlying's IV percentile and rank.
 */
export function filterChecks(spec: StrategySpec | undefined, candidate: SpreadCandidate, symbol?: SymbolEvaluation): FilterCheck[] {
  if (spec === undefined) return [];
  const checks: FilterCheck[] = [];
  const range = (field: string, label: string, bounds: Range | undefined, value: number | undefined, format: (value: number | undefined) => string, actual?: string) => {
    const requirement = rangeText(bounds, format);
    if (requirement === undefined || bounds === undefined) return;
    checks.push({ field, label, requirement, actual: actual ?? format(value), status: statusOf(inRange(value, bounds)) });
  };
  const atLeast = (field: string, label: string, min: number | undefined, value: number | undefined, format: (value: number | undefined) => string, actual?: string) => {
    if (min !== undefined) range(field, label, { min }, value, format, actual);
  };
  const atMost = (field: string, label: string, max: number | undefined, value: number | undefined, format: (value: number | undefined) => string, actual?: string) => {
    if (max !== undefined) range(field, label, { max }, value, format, actual);
  };

  const spread = spec.spread;
  range("spec.spread.dte", "Days to expiry", spread.dte, candidate.dte, int);
  range("spec.spread.shortDelta", "Short leg |Δ|", spread.shortDelta, absOf(candidate.shortLeg?.delta), fixed2);
  range("spec.spread.width", "Width", spread.width, candidate.width, usd);

  const f = spec.filters;
  if (f === undefined) return checks;
  range("spec.filters.longDelta", "Long leg |Δ|", f.longDelta, absOf(candidate.longLeg?.delta), fixed2);
  atLeast("spec.filters.minVolume", "Volume, each leg", f.minVolume, bothLegs(candidate, (l) => l.volume, Math.min), int, legsText(candidate, (l) => l.volume, int));
  atLeast("spec.filters.minOpenInterest", "Open interest, each leg", f.minOpenInterest, bothLegs(candidate, (l) => l.openInterest, Math.min), int, legsText(candidate, (l) => l.openInterest, int));
  atMost("spec.filters.maxBidAskSpread", "Bid–ask spread, each leg", f.maxBidAskSpread, bothLegs(candidate, (l) => l.bidAskSpread, Math.max), usd, legsText(candidate, (l) => l.bidAskSpread, usd));
  atMost("spec.filters.maxBidAskSpreadPercent", "Bid–ask spread % of mid, each leg", f.maxBidAskSpreadPercent, bothLegs(candidate, (l) => l.bidAskSpreadPercent, Math.max), percentPoints, legsText(candidate, (l) => l.bidAskSpreadPercent, percentPoints));
  atLeast("spec.filters.minIvPercentile", "IV percentile", f.minIvPercentile, symbol?.ivPercentile, (v) => num(v, 1));
  atLeast("spec.filters.minIvRank", "IV rank", f.minIvRank, symbol?.ivRank, (v) => num(v, 1));
  atLeast("spec.filters.thetaAbove", "Net theta", f.thetaAbove, candidate.netTheta, fixed3);
  atMost("spec.filters.maxGamma", "|Net gamma|", f.maxGamma, absOf(candidate.netGamma), fixed3);
  range("spec.filters.vega", "Net vega", f.vega, candidate.netVega, fixed3);
  atLeast("spec.filters.minProbabilityOfProfit", "Probability of profit", f.minProbabilityOfProfit, candidate.probabilityOfProfit, percent);
  atLeast("spec.filters.minReturnOnRisk", "Return on risk", f.minReturnOnRisk, candidate.returnOnRisk, percent);
  const credit = isCredit(candidate);
  if (f.minCreditToWidth !== undefined) {
    if (credit) atLeast("spec.filters.minCreditToWidth", "Credit / width", f.minCreditToWidth, candidate.priceToWidth, percent);
    else checks.push({ field: "spec.filters.minCreditToWidth", label: "Credit / width", requirement: `≥ ${percent(f.minCreditToWidth)}`, actual: "debit spread", status: "not-applied" });
  }
  if (f.maxDebitToWidth !== undefined) {
    if (!credit) atMost("spec.filters.maxDebitToWidth", "Debit / width", f.maxDebitToWidth, candidate.priceToWidth, percent);
    else checks.push({ field: "spec.filters.maxDebitToWidth", label: "Debit / width", requirement: `≤ ${percent(f.maxDebitToWidth)}`, actual: "credit spread", status: "not-applied" });
  }
  atLeast("spec.filters.minExpectedValue", "Expected value", f.minExpectedValue, candidate.expectedValue, usd);
  return checks;
}
