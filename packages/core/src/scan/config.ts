/**
 * Validation of a {@link ScanConfig} and of a chain's tick rules: returns the first problem
 * (field, expected form, value given) or undefined. The engine assumes a valid config; the
 * scanner service turns a problem into INVALID_ARGUMENT.
 *
 * @packageDocumentation
 */

import { SPREAD_KINDS, type SpreadKind } from "../spread.js";
import { ScanFilterId, type ScanFilterIdValue } from "./filter-ids.js";
import type { ScanChain, ScanConfig, ScanFilters } from "./types.js";

/** A config value the engine cannot use. */
export interface ScanConfigProblem {
  /** Field path, e.g. "filters.shortDelta.min". */
  readonly field: string;
  /** What was expected, e.g. "a number in [0, 1]". */
  readonly expected: string;
  /** The value given. */
  readonly given: unknown;
}

type Bound = readonly [field: string, value: number | undefined, lo: number, hi: number, expected: string];
type Range = readonly [field: string, min: number | undefined, max: number | undefined];

const ANY = "a finite number";
const NON_NEGATIVE = "a finite number ≥ 0";

function boundsOf(f: ScanFilters): Bound[] {
  const inf = Infinity;
  return [
    ["filters.dte.min", f.dteMin, -inf, inf, "an integer"],
    ["filters.dte.max", f.dteMax, -inf, inf, "an integer"],
    ["filters.shortDelta.min", f.shortDeltaMin, 0, 1, "a number in [0, 1]"],
    ["filters.shortDelta.max", f.shortDeltaMax, 0, 1, "a number in [0, 1]"],
    ["filters.longDelta.min", f.longDeltaMin, 0, 1, "a number in [0, 1]"],
    ["filters.longDelta.max", f.longDeltaMax, 0, 1, "a number in [0, 1]"],
    ["filters.width.min", f.widthMin, 0, inf, NON_NEGATIVE],
    ["filters.width.max", f.widthMax, 0, inf, NON_NEGATIVE],
    ["filters.minVolume", f.minVolume, 0, inf, NON_NEGATIVE],
    ["filters.minOpenInterest", f.minOpenInterest, 0, inf, NON_NEGATIVE],
    ["filters.maxBidAskSpread", f.maxBidAskSpread, 0, inf, NON_NEGATIVE],
    ["filters.maxBidAskSpreadPercent", f.maxBidAskSpreadPercent, 0, inf, NON_NEGATIVE],
    ["filters.minIvPercentile", f.minIvPercentile, 0, 100, "a number in [0, 100]"],
    ["filters.minIvRank", f.minIvRank, 0, 100, "a number in [0, 100]"],
    ["filters.thetaAbove", f.thetaAbove, -inf, inf, ANY],
    ["filters.maxGamma", f.maxGamma, 0, inf, NON_NEGATIVE],
    ["filters.vega.min", f.vegaMin, -inf, inf, ANY],
    ["filters.vega.max", f.vegaMax, -inf, inf, ANY],
    ["filters.minProbabilityOfProfit", f.minProbabilityOfProfit, 0, 1, "a number in [0, 1]"],
    ["filters.minReturnOnRisk", f.minReturnOnRisk, 0, inf, NON_NEGATIVE],
    ["filters.minCreditToWidth", f.minCreditToWidth, 0, 1, "a number in [0, 1]"],
    ["filters.maxDebitToWidth", f.maxDebitToWidth, 0, 1, "a number in [0, 1]"],
    ["filters.minExpectedValue", f.minExpectedValue, -inf, inf, ANY],
  ];
}

function rangesOf(f: ScanFilters): Range[] {
  return [
    ["filters.dte", f.dteMin, f.dteMax],
    ["filters.shortDelta", f.shortDeltaMin, f.shortDeltaMax],
    ["filters.longDelta", f.longDeltaMin, f.longDeltaMax],
    ["filters.width", f.widthMin, f.widthMax],
    ["filters.vega", f.vegaMin, f.vegaMax],
  ];
}

/** The first problem of a filter set, or undefined. */
export function scanFiltersProblem(filters: ScanFilters): ScanConfigProblem | undefined {
  for (const [field, value, lo, hi, expected] of boundsOf(filters)) {
    if (value === undefined) continue;
    if (!(Number.isFinite(value) && value >= lo && value <= hi)) return { field, expected, given: value };
  }
  for (const [field, min, max] of rangesOf(filters)) {
    if (min !== undefined && max !== undefined && min > max) {
      return { field: `${field}.max`, expected: `a number ≥ min (${min})`, given: max };
    }
  }
  return undefined;
}

/** The first problem of a config, or undefined. */
export function scanConfigProblem(config: ScanConfig): ScanConfigProblem | undefined {
  const { kinds, weights } = config;
  if (kinds.length === 0) return { field: "kinds", expected: "at least one spread kind", given: [] };
  const seen = new Set<SpreadKind>();
  for (const kind of kinds) {
    if (!Object.hasOwn(SPREAD_KINDS, kind) || seen.has(kind)) {
      return { field: "kinds", expected: "distinct spread kinds", given: kinds };
    }
    seen.add(kind);
  }
  const filtersProblem = scanFiltersProblem(config.filters);
  if (filtersProblem !== undefined) return filtersProblem;
  if (!(config.limitOffset >= 0 && config.limitOffset < Infinity)) {
    return { field: "settings.limitOffset", expected: NON_NEGATIVE, given: config.limitOffset };
  }
  if (!(Number.isInteger(config.topK) && config.topK >= 1 && config.topK <= 1_000_000)) {
    return { field: "settings.topK", expected: "an integer in [1, 1000000]", given: config.topK };
  }
  let sum = 0;
  for (const [name, w] of Object.entries(weights) as [string, number][]) {
    if (!(w >= 0 && w < Infinity)) return { field: `settings.weights.${name}`, expected: NON_NEGATIVE, given: w };
    sum += w;
  }
  if (!(sum > 0)) return { field: "settings.weights", expected: "at least one weight > 0", given: weights };
  if (!Number.isFinite(config.drift)) return { field: "drift", expected: ANY, given: config.drift };
  return undefined;
}

/** The first problem of a chain's tick rules (the limit price needs a positive tick), or undefined. */
export function scanChainProblem(chain: ScanChain): ScanConfigProblem | undefined {
  const n = chain.incrementLowEdges.length;
  if (n !== chain.increments.length) {
    return { field: "chain.price_increments", expected: "as many increments as low edges", given: n };
  }
  if (n === 0 && !(chain.minTick > 0 && chain.minTick < Infinity)) {
    return { field: "chain.min_tick", expected: "a positive number (no price increments given)", given: chain.minTick };
  }
  for (let i = 0; i < n; i++) {
    const inc = chain.increments[i] ?? NaN;
    const edge = chain.incrementLowEdges[i] ?? NaN;
    if (!(inc > 0 && inc < Infinity)) {
      return { field: `chain.price_increments[${i}].increment`, expected: "a positive number", given: inc };
    }
    if (!(Number.isFinite(edge) && (i === 0 || edge > (chain.incrementLowEdges[i - 1] ?? NaN)))) {
      return { field: `chain.price_increments[${i}].low_edge`, expected: "finite and ascending", given: edge };
    }
  }
  if (chain.rowCount < 0 || !Number.isInteger(chain.rowCount)) {
    return { field: "chain.row_count", expected: "a non-negative integer", given: chain.rowCount };
  }
  const columns = ["expiry", "dte", "strike", "right", "bid", "ask", "volume", "openInterest", "impliedVol", "delta", "gamma", "theta", "vega"] as const;
  for (const name of columns) {
    if (chain[name].length !== chain.rowCount) {
      return { field: `chain.${name}`, expected: `${chain.rowCount} entries (row_count)`, given: chain[name].length };
    }
  }
  return undefined;
}

/**
 * The filters a candidate of a credit (or debit) kind passed, in evaluation order: every filter
 * that was set (credit-to-width only for credit, debit-to-width only for debit) plus the built-in
 * checks.
 */
export function activeFilterIds(filters: ScanFilters, credit: boolean): ScanFilterIdValue[] {
  const f = filters;
  const set = (v: number | undefined): boolean => v !== undefined;
  const ids: [ScanFilterIdValue, boolean][] = [
    [ScanFilterId.MinIvPercentile, set(f.minIvPercentile)],
    [ScanFilterId.MinIvRank, set(f.minIvRank)],
    [ScanFilterId.QuotesPresent, true],
    [ScanFilterId.Dte, set(f.dteMin) || set(f.dteMax)],
    [ScanFilterId.ShortDelta, set(f.shortDeltaMin) || set(f.shortDeltaMax)],
    [ScanFilterId.LongDelta, set(f.longDeltaMin) || set(f.longDeltaMax)],
    [ScanFilterId.MinVolume, set(f.minVolume)],
    [ScanFilterId.MinOpenInterest, set(f.minOpenInterest)],
    [ScanFilterId.MaxBidAskSpread, set(f.maxBidAskSpread)],
    [ScanFilterId.MaxBidAskSpreadPercent, set(f.maxBidAskSpreadPercent)],
    [ScanFilterId.Width, set(f.widthMin) || set(f.widthMax)],
    [ScanFilterId.PriceValid, true],
    [ScanFilterId.MinCreditToWidth, credit && set(f.minCreditToWidth)],
    [ScanFilterId.MaxDebitToWidth, !credit && set(f.maxDebitToWidth)],
    [ScanFilterId.MinReturnOnRisk, set(f.minReturnOnRisk)],
    [ScanFilterId.ThetaAbove, set(f.thetaAbove)],
    [ScanFilterId.MaxGamma, set(f.maxGamma)],
    [ScanFilterId.Vega, set(f.vegaMin) || set(f.vegaMax)],
    [ScanFilterId.MinProbabilityOfProfit, set(f.minProbabilityOfProfit)],
    [ScanFilterId.MinExpectedValue, set(f.minExpectedValue)],
  ];
  return ids.filter(([, on]) => on).map(([id]) => id);
}
