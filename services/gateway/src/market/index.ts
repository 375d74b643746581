/**
 * The gateway's market-data area: contracts, universe scans, quotes and streams over the line
 * budget, option chains, historical bars and pacing stats. See docs/gateway-market-data.md.
 *
 * @packageDocumentation
 */
export {
  MarketDataService,
  type MarketBudgets,
  type MarketDataOptions,
  type MarketDataServiceDeps,
} from "./market-data-service.js";
export type { ChainFetch } from "./option-chains.js";
export type { HistoricalResult } from "./historical-bars.js";
export { createMarketMetrics, noMarketMetrics, type MarketMetrics } from "./market-metrics.js";
