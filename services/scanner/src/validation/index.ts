export { MAX_DTE, validateFilterSet } from "./filters.js";
export { DEFAULT_WEIGHTS, MAX_TOP_K, validateSpreadSettings, validateUnderlyingStats } from "./settings.js";
export {
  MAX_AGE_LIMIT_MS,
  MAX_CHAIN_ROWS,
  MAX_CONCURRENCY_LIMIT,
  MAX_TARGETS,
  validateChainQuery,
  validateInlineChain,
  validateScanSpreads,
  validateScanUniverse,
} from "./requests.js";
