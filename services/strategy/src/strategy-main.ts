import { ExecutionService, GatewayService, ScannerService } from "@spreadops/api";
import type { ConfigOf, ServiceDefinition } from "@spreadops/runtime";
import { clockOffsetOption, commonOptions, connectService, duration, offsetClock, option, systemClock } from "@spreadops/runtime";
import { z } from "zod";
import { EvaluationFeed } from "./evaluation-feed.js";
import { StrategyEvaluator } from "./evaluator.js";
import { ExecutionOpenTrades } from "./open-trades.js";
import type { OpenTradesPort, StrategyGatewayPort, StrategyScannerPort } from "./ports.js";
import { registerStrategyRoutes } from "./routes.js";
import { createStrategyMetrics } from "./strategy-metrics.js";
import { StrategyServiceHandler } from "./strategy-service.js";

const PREFIX = "SPREADOPS_STRATEGY_";

/**
 * Every option of the strategy service: the common ones (port 8082, next to a local gateway on
 * 8080 and scanner on 8081), the three upstream URLs, the timeouts and the fetch concurrency. `spreadops strategy
 * --help` and docs/strategy.md list them.
 */
export function strategyOptions() {
  const common = commonOptions("strategy");
  return {
    ...common,
    port: option({ ...common.port, default: 8082 }),
    gatewayUrl: option({ type: z.url(), env: `${PREFIX}GATEWAY_URL`, flag: "--gateway-url", default: "http://127.0.0.1:8080", description: "Base URL of the gateway's Connect API (h2c): bars, universe, account summary." }),
    scannerUrl: option({ type: z.url(), env: `${PREFIX}SCANNER_URL`, flag: "--scanner-url", default: "http://127.0.0.1:8081", description: "Base URL of the scanner's Connect API (h2c): ScanUniverse." }),
    executionUrl: option({ type: z.url(), env: `${PREFIX}EXECUTION_URL`, flag: "--execution-url", default: "http://127.0.0.1:8083", description: "Base URL of the execution service's Connect API (h2c): ListSpreads for open trades and today's P&L." }),
    exchangeTimezone: option({ type: z.string().min(1), env: `${PREFIX}EXCHANGE_TIMEZONE`, flag: "--exchange-timezone", default: "America/New_York", description: "IANA time zone of the exchange day that today's realized P&L is counted in." }),
    gatewayTimeout: option({ type: duration({ min: "100ms", max: "10m" }), env: `${PREFIX}GATEWAY_TIMEOUT`, flag: "--gateway-timeout", default: "30s", description: "Longest one gateway call (bars, universe, account) may take." }),
    scanTimeout: option({ type: duration({ min: "1s", max: "30m" }), env: `${PREFIX}SCAN_TIMEOUT`, flag: "--scan-timeout", default: "2m", description: "Longest the ScanUniverse call of one evaluation may take." }),
    ...clockOffsetOption("strategy"),
    symbolConcurrency: option({ type: z.number().int().min(1).max(32), env: `${PREFIX}SYMBOL_CONCURRENCY`, flag: "--symbol-concurrency", default: 4, description: "Symbols of one evaluation whose bars are fetched at the same time, so a large universe does not flood the gateway." }),
  };
}

/** The strategy service's parsed configuration. */
export type StrategyConfig = ConfigOf<ReturnType<typeof strategyOptions>>;

/** Replaceable collaborators (tests); default: Connect clients of the configured URLs. */
export interface StrategyParts {
  readonly gateway?: (config: StrategyConfig) => StrategyGatewayPort;
  readonly scanner?: (config: StrategyConfig) => StrategyScannerPort;
  readonly openTrades?: (config: StrategyConfig) => OpenTradesPort;
  /** Wall clock; default the system clock. */
  readonly now?: () => number;
}

/** The strategy service as a runtime service, for `main` (serviceMain) and `spreadops strategy` (runService). */
export function strategyDefinition(version: string, parts: StrategyParts = {}): ServiceDefinition<ReturnType<typeof strategyOptions>> {
  return {
    name: "strategy",
    version,
    summary: "Strategy evaluation: universe, entry signals, spread kind, scan and risk budget -> spread proposals (never places orders).",
    options: strategyOptions(),
    start({ config, logger, metrics, lifecycle }) {
      const clock = offsetClock(systemClock, config.clockOffset * 1000);
      const now = parts.now ?? (() => clock.now());
      const gateway = parts.gateway?.(config) ?? connectService(GatewayService, { baseUrl: config.gatewayUrl, lifecycle }).client;
      const scanner = parts.scanner?.(config) ?? connectService(ScannerService, { baseUrl: config.scannerUrl, lifecycle }).client;
      const openTrades = parts.openTrades?.(config) ?? new ExecutionOpenTrades(connectService(ExecutionService, { baseUrl: config.executionUrl, lifecycle }).client, { now, timeZone: config.exchangeTimezone });
      const strategyMetrics = createStrategyMetrics(metrics);
      const evaluator = new StrategyEvaluator(
        { gateway, scanner, openTrades, now, logger, metrics: strategyMetrics },
        { gatewayTimeoutMs: config.gatewayTimeout, scanTimeoutMs: config.scanTimeout, symbolConcurrency: config.symbolConcurrency },
      );
      const service = new StrategyServiceHandler({ evaluator, feed: new EvaluationFeed({ metrics: strategyMetrics }) });
      return { routes: (router) => { registerStrategyRoutes(router, service); } };
    },
  };
}
