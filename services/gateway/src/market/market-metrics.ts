/**
 * The market-data area's Prometheus series.
 *
 * @packageDocumentation
 */
import type { Metrics } from "@spreadops/runtime";
import type { LineBudget } from "../budgets/index.js";

/** What the market-data area reports; a no-op implementation is {@link noMarketMetrics}. */
export interface MarketMetrics {
  lineEvicted(count: number): void;
  maxTickers(): void;
  chainContracts(source: "cache" | "requested", count: number): void;
  historical(outcome: "cached" | "joined" | "sent" | "pacing" | "exhausted"): void;
  snapshot(outcome: "ok" | "timeout" | "error"): void;
}

/** Metrics that record nothing (tests, or a service without a registry). */
export const noMarketMetrics: MarketMetrics = {
  lineEvicted: () => undefined,
  maxTickers: () => undefined,
  chainContracts: () => undefined,
  historical: () => undefined,
  snapshot: () => undefined,
};

/** Series on the service registry; line gauges read the budget when scraped. */
export function createMarketMetrics(metrics: Metrics, budget: LineBudget): MarketMetrics {
  const used = metrics.gauge({
    name: "gateway_market_data_lines_used",
    help: "Market-data lines held by active subscriptions and in-flight snapshots.",
    collect: () => {
      used.set(budget.inUse);
    },
  });
  const idle = metrics.gauge({
    name: "gateway_market_data_lines_idle",
    help: "Market-data lines subscribed but held by nobody (warm, evictable).",
    collect: () => {
      idle.set(budget.idle);
    },
  });
  const limit = metrics.gauge({
    name: "gateway_market_data_lines_limit",
    help: "Market-data lines the gateway may use (lowered after IB error 101).",
    collect: () => {
      limit.set(budget.limit);
    },
  });
  const evictions = metrics.counter({ name: "gateway_market_data_lines_evicted_total", help: "Idle market-data lines evicted (least recently used) to make room." });
  const maxTickers = metrics.counter({ name: "gateway_market_data_max_ticker_errors_total", help: "IB error 101 (max number of tickers) received." });
  const chain = metrics.counter({
    name: "gateway_chain_contracts_total",
    help: "Option-chain contracts served, by source: cache (chain cache hit) or requested (from TWS).",
    labelNames: ["source"],
  });
  const historical = metrics.counter({
    name: "gateway_historical_requests_total",
    help: "Historical-bar requests by outcome (cached = historical cache hit).",
    labelNames: ["outcome"],
  });
  const snapshots = metrics.counter({ name: "gateway_snapshots_total", help: "Market-data snapshots by outcome.", labelNames: ["outcome"] });
  return {
    lineEvicted: (count) => {
      if (count > 0) evictions.inc(count);
    },
    maxTickers: () => {
      maxTickers.inc();
    },
    chainContracts: (source, count) => {
      if (count > 0) chain.inc({ source }, count);
    },
    historical: (outcome) => {
      historical.inc({ outcome });
    },
    snapshot: (outcome) => {
      snapshots.inc({ outcome });
    },
  };
}
