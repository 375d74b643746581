import type { FilterSet, OptionChain, RankingWeights } from "@spreadops/api";
import { DEFAULT_SCAN_WEIGHTS, type ScanChain, type ScanConfigProblem, type ScanFilters, type ScanWeights } from "@spreadops/core";
import { invalidArgument } from "@spreadops/runtime";

/**
 * A zero-copy view of a proto OptionChain for the core engine: the packed columns are passed as
 * they are (protobuf-es `number[]`; OptionRight values are the engine's right codes).
 */
export function chainView(chain: OptionChain): ScanChain {
  return {
    rowCount: chain.rowCount,
    expiry: chain.expiry,
    dte: chain.dte,
    strike: chain.strike,
    right: chain.right,
    bid: chain.bid,
    ask: chain.ask,
    volume: chain.volume,
    openInterest: chain.openInterest,
    impliedVol: chain.impliedVol,
    delta: chain.delta,
    gamma: chain.gamma,
    theta: chain.theta,
    vega: chain.vega,
    underlyingPrice: chain.underlyingPrice ?? NaN,
    minTick: chain.minTick,
    incrementLowEdges: chain.priceIncrements.map((p) => p.lowEdge),
    increments: chain.priceIncrements.map((p) => p.increment),
  };
}

/** Proto FilterSet (unset = no filters) → core filters; ranges become min/max pairs. */
export function filtersFromProto(filters: FilterSet | undefined): ScanFilters {
  if (filters === undefined) return {};
  return {
    dteMin: filters.dte?.min,
    dteMax: filters.dte?.max,
    shortDeltaMin: filters.shortDelta?.min,
    shortDeltaMax: filters.shortDelta?.max,
    longDeltaMin: filters.longDelta?.min,
    longDeltaMax: filters.longDelta?.max,
    widthMin: filters.width?.min,
    widthMax: filters.width?.max,
    minVolume: filters.minVolume,
    minOpenInterest: filters.minOpenInterest,
    maxBidAskSpread: filters.maxBidAskSpread,
    maxBidAskSpreadPercent: filters.maxBidAskSpreadPercent,
    minIvPercentile: filters.minIvPercentile,
    minIvRank: filters.minIvRank,
    thetaAbove: filters.thetaAbove,
    maxGamma: filters.maxGamma,
    vegaMin: filters.vega?.min,
    vegaMax: filters.vega?.max,
    minProbabilityOfProfit: filters.minProbabilityOfProfit,
    minReturnOnRisk: filters.minReturnOnRisk,
    minCreditToWidth: filters.minCreditToWidth,
    maxDebitToWidth: filters.maxDebitToWidth,
    minExpectedValue: filters.minExpectedValue,
  };
}

/** Proto RankingWeights (unset fields = defaults 1, 1, 1, 0.5) → core weights. */
export function weightsFromProto(weights: RankingWeights | undefined): ScanWeights {
  return {
    probabilityOfProfit: weights?.probabilityOfProfit ?? DEFAULT_SCAN_WEIGHTS.probabilityOfProfit,
    returnOnRisk: weights?.returnOnRisk ?? DEFAULT_SCAN_WEIGHTS.returnOnRisk,
    expectedValue: weights?.expectedValue ?? DEFAULT_SCAN_WEIGHTS.expectedValue,
    liquidity: weights?.liquidity ?? DEFAULT_SCAN_WEIGHTS.liquidity,
  };
}

/** "filters.shortDelta.min" → "filters.short_delta.min" (proto field names in errors). */
export function protoFieldPath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Throws INVALID_ARGUMENT for a core config problem, naming the proto field. */
export function throwProblem(problem: ScanConfigProblem | undefined): void {
  if (problem !== undefined) throw invalidArgument(protoFieldPath(problem.field), problem.expected, problem.given);
}
