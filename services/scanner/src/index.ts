/**
 * The scanner service: option chains (from the gateway or inline) plus a filter set in, ranked
 * vertical spreads out, over the Connect ScannerService. Stateless and CPU-bound, so it scales
 * horizontally. See docs/scanner.md.
 *
 * @packageDocumentation
 */

export type { ScanInput, SpreadScanEngine } from "./engine-port.js";
export { defaultEngine } from "./default-engine.js";
export { scannerDefinition, scannerOptions } from "./scanner-main.js";
export type { ScannerConfig, ScannerParts } from "./scanner-main.js";
export { ScannerServiceHandler } from "./scanner-service.js";
export type { ScannerServiceDeps, ScannerServiceOptions } from "./scanner-service.js";
export { registerScannerRoutes } from "./routes.js";
export { SpreadScanner, causeOf, fromGateway } from "./spread-scanner.js";
export type { ChainSource, ScanCall, ScanJob, SpreadScannerDeps, SpreadScannerOptions } from "./spread-scanner.js";
export { connectGateway } from "./gateway-client.js";
export type { GatewayClientOptions, GatewayConnection } from "./gateway-client.js";
export type { GatewayPort } from "./gateway-port.js";
export { createScannerMetrics } from "./scan-metrics.js";
export type { ScannerMetrics } from "./scan-metrics.js";
export { chainQueryFor, deltaBandOf, rightOf } from "./chain-query.js";
export { mergeStats, statsFromIvBars, statsNeed } from "./iv-stats.js";
export type { StatsNeed } from "./iv-stats.js";
export { inCompletionOrder } from "./completion-order.js";
export type { Settled } from "./completion-order.js";
export { offlineScan, parseChainJson, parseProtoJson } from "./offline-scan.js";
export type { OfflineScanInput } from "./offline-scan.js";
export { formatScanResult } from "./candidate-table.js";
export * from "./validation/index.js";
export { modelOptions, type ModelConfig } from "./model-options.js";
