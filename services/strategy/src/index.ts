/**
 * The strategy service: turns a Strategy spec into spread proposals — universe, entry signals on
 * daily bars, the credit/debit choice, one scan and the risk budget — over the Connect
 * StrategyService. Never places orders. See docs/strategy.md.
 *
 * @packageDocumentation
 */

export { strategyDefinition, strategyOptions } from "./strategy-main.js";
export type { StrategyConfig, StrategyParts } from "./strategy-main.js";
export { StrategyServiceHandler } from "./strategy-service.js";
export type { StrategyServiceDeps } from "./strategy-service.js";
export { registerStrategyRoutes } from "./routes.js";
export { DEFAULT_MAX_STRATEGIES, EvaluationFeed } from "./evaluation-feed.js";
export type { EvaluationFeedOptions, FeedEntry } from "./evaluation-feed.js";
export { StrategyEvaluator, historyDays, ivStatsFromBars, scanFilters } from "./evaluator.js";
export type { EvaluateCall, StrategyEvaluatorDeps, StrategyEvaluatorOptions } from "./evaluator.js";
export type { ExecutionListPort, OpenTradesPort, StrategyGatewayPort, StrategyScannerPort } from "./ports.js";
export { ExecutionOpenTrades, NON_TERMINAL_PHASES, summarizeSpreads } from "./open-trades.js";
export type { ExecutionOpenTradesOptions } from "./open-trades.js";
export { allocate, budgetState, sizeCandidate } from "./risk-budget.js";
export type { Allocation, AllocationResult, BudgetState, Dropped, OpenTrade, OpenTradesSnapshot, Sizing, SymbolCandidates } from "./risk-budget.js";
export { barsNeeded, evaluateRule, evaluateSignals } from "./signals.js";
export type { PriceBar, RuleOutcome, SignalsOutcome } from "./signals.js";
export { chooseKind, DEFAULT_CREDIT_THRESHOLD, kindName } from "./kind-choice.js";
export type { KindDecision } from "./kind-choice.js";
export { DEFAULT_SCAN_INTERVAL_MS, inTradingWindow, instantOf, localDate, nextScanTime, scanIntervalMs } from "./schedule.js";
export { firstViolationError, impliedDirection, indicatorName, isValidTimeZone, parseHhMm, validateSpec } from "./validation.js";
export type { SpecViolation } from "./validation.js";
export { createStrategyMetrics } from "./strategy-metrics.js";
export type { StrategyMetrics } from "./strategy-metrics.js";
