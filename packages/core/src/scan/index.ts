/**
 * The vertical-spread scan engine (docs/scanner-engine.md): columnar chain in, ranked spreads out.
 *
 * @packageDocumentation
 */

export { activeFilterIds, scanChainProblem, scanConfigProblem, scanFiltersProblem, type ScanConfigProblem } from "./config.js";
export { ScanDeadlineError } from "./deadline-error.js";
export { SCAN_FILTER_SLOTS, ScanFilterId, type ScanFilterIdValue } from "./filter-ids.js";
export {
  expectedCallPayoffKernel,
  expectedPutPayoffKernel,
  incrementAt,
  limitFromRaw,
  lognormalTail,
  rawLimit,
  roundToTickScaled,
  tickScale,
} from "./kernels.js";
export { legLiquidity, spreadLiquidity } from "./liquidity.js";
export { KIND_CODE, Scanner, underlyingRejections } from "./scanner.js";
export { DEFAULT_SCAN_WEIGHTS, spreadScore } from "./score.js";
export { ranksBefore, TopK } from "./top-k.js";
export {
  DEADLINE_CHECK_EVERY,
  ScanRight,
  type ScanCandidate,
  type ScanChain,
  type ScanConfig,
  type ScanDeadline,
  type ScanFilters,
  type ScanOutput,
  type ScanWeights,
} from "./types.js";
