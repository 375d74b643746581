import type { ConfigOf, ServiceDefinition } from "@spreadops/runtime";
import { commonOptions, duration, option } from "@spreadops/runtime";
import { z } from "zod";
import type { SpreadScanEngine } from "./engine-port.js";
import { connectGateway } from "./gateway-client.js";
import type { GatewayPort } from "./gateway-port.js";
import { registerScannerRoutes } from "./routes.js";
import { createScannerMetrics } from "./scan-metrics.js";
import { ScannerServiceHandler } from "./scanner-service.js";
import { SpreadScanner } from "./spread-scanner.js";
import { MAX_CONCURRENCY_LIMIT } from "./validation/index.js";
import { modelOptions } from "./model-options.js";

const PREFIX = "SPREADOPS_SCANNER_";

/**
 * Every option of the scanner: the runtime's common ones (with port 8081, so it runs next to a
 * local gateway on 8080 with no flags), the gateway URL, and the scan limits. `spreadops scanner
 * --help` and docs/scanner.md list them.
 */
export function scannerOptions() {
  const common = commonOptions("scanner");
  return {
    ...common,
    ...modelOptions,
    port: option({ ...common.port, default: 8081 }),
    gatewayUrl: option({
      type: z.url(),
      env: `${PREFIX}GATEWAY_URL`,
      flag: "--gateway-url",
      default: "http://127.0.0.1:8080",
      description: "Base URL of the gateway's Connect API (h2c); in Kubernetes the gateway Service, e.g. http://spreadops-gateway:8080.",
    }),
    scanTimeout: option({
      type: duration({ min: "100ms", max: "10m" }),
      env: `${PREFIX}SCAN_TIMEOUT`,
      flag: "--scan-timeout",
      default: "30s",
      description: "Longest one underlying may take (chain fetch + scan) when the call's deadline is later or unset; past it the scan stops with DeadlineExceeded.",
    }),
    fetchTimeout: option({
      type: duration({ min: "100ms", max: "10m" }),
      env: `${PREFIX}FETCH_TIMEOUT`,
      flag: "--fetch-timeout",
      default: "20s",
      description: "Longest one gateway call (chain or IV history) may take, further cut to the scan's deadline.",
    }),
    universeConcurrency: option({
      type: z.number().int().min(1).max(MAX_CONCURRENCY_LIMIT),
      env: `${PREFIX}UNIVERSE_CONCURRENCY`,
      flag: "--universe-concurrency",
      default: 4,
      description: "ScanUniverse underlyings in flight at once when the request's max_concurrency is 0.",
    }),
    universeMaxConcurrency: option({
      type: z.number().int().min(1).max(MAX_CONCURRENCY_LIMIT),
      env: `${PREFIX}UNIVERSE_MAX_CONCURRENCY`,
      flag: "--universe-max-concurrency",
      default: 16,
      description: "Cap on a request's max_concurrency: larger requests are served with this many in flight.",
    }),
  };
}

/** The scanner's parsed configuration. */
export type ScannerConfig = ConfigOf<ReturnType<typeof scannerOptions>>;

/** What {@link scannerDefinition} builds the service from; both replaceable for tests. */
export interface ScannerParts {
  /** The scan engine (pure CPU). */
  readonly engine: (config: ScannerConfig) => SpreadScanEngine;
  /** The gateway; default: a Connect client of `--gateway-url`, closed at shutdown. */
  readonly gateway?: (config: ScannerConfig) => GatewayPort;
}

/**
 * The scanner as a runtime service, for `main` (serviceMain) and `spreadops scanner`
 * (runService). No readiness check on the gateway: inline-chain scans work without it, and a
 * gateway outage should surface as Unavailable per call, not take every scanner replica out.
 */
export function scannerDefinition(version: string, parts: ScannerParts): ServiceDefinition<ReturnType<typeof scannerOptions>> {
  return {
    name: "scanner",
    version,
    summary: "Stateless, CPU-bound vertical-spread scanner: option chains (from the gateway or inline) + filters -> ranked spreads.",
    options: scannerOptions(),
    start({ config, logger, metrics, lifecycle }) {
      const gateway: GatewayPort = parts.gateway?.(config) ?? connectGateway({ baseUrl: config.gatewayUrl, lifecycle }).client;
      const scanner = new SpreadScanner(
        { engine: parts.engine(config), gateway, logger, metrics: createScannerMetrics(metrics) },
        { fetchTimeoutMs: config.fetchTimeout },
      );
      const service = new ScannerServiceHandler(
        { scanner, logger },
        { scanTimeoutMs: config.scanTimeout, defaultConcurrency: config.universeConcurrency, maxConcurrency: config.universeMaxConcurrency },
      );
      return { routes: (router) => { registerScannerRoutes(router, service); } };
    },
  };
}
