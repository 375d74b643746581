/**
 * The gateway's budgets and plans for IB's scarce resources — market-data lines, snapshot rate,
 * historical-data pacing, option-chain planning — as pure decisions the data layer executes.
 * See docs/gateway-budgets.md.
 *
 * @packageDocumentation
 */

export {
  DEFAULT_LINE_LIMIT,
  LineBudget,
  type LineAcquireOutcome,
  type LineBudgetOptions,
  type LineBudgetStats,
  type LineHandle,
} from "./line-budget.js";
export {
  DEFAULT_SNAPSHOTS_PER_SECOND,
  SnapshotThrottle,
  type SnapshotAllowance,
  type SnapshotThrottleOptions,
} from "./snapshot-throttle.js";
export { TtlCache, type TtlCacheOptions } from "./ttl-cache.js";
export {
  DEFAULT_HISTORICAL_TTL,
  historicalIdentity,
  historicalPacingRequest,
  historicalTtlMs,
  isDailyOrLonger,
  type HistoricalRequestSpec,
  type HistoricalTtlPolicy,
} from "./historical-request.js";
export {
  HistoricalScheduler,
  type HistoricalDecision,
  type HistoricalSchedulerOptions,
  type HistoricalSchedulerStats,
} from "./historical-scheduler.js";
export {
  batches,
  deltaBandStrikes,
  isoFromYyyymmdd,
  planOptionChain,
  plannedOptionKey,
  selectExpiries,
  type ChainPlan,
  type ChainPlanInput,
  type DeltaBandModel,
  type OptionChainParams,
  type PlannedOption,
  type StrikeBand,
} from "./chain-plan.js";
export {
  assembleOptionChain,
  greeksFromQuote,
  type ChainAssemblyInput,
  type ComputedGreeks,
  type OptionQuoteResult,
} from "./chain-assembly.js";
export { ChainCache, chainRequestKey, DEFAULT_CHAIN_TTL_MS, type ChainCacheOptions, type ChainCacheSplit } from "./chain-cache.js";
