/**
 * The execution service: the order lifecycle of one vertical spread (a Trade), keyed by trade
 * id = IB orderRef — what-if preview, safety checks (mode, kill switch, risk gate), idempotent
 * placement with adoption, price walk, fills, cancel/close and exit decisions. See
 * docs/execution.md.
 *
 * @packageDocumentation
 */

export { executionDefinition, executionOptions } from "./execution-main.js";
export type { ExecutionConfig, ExecutionParts } from "./execution-main.js";
export { executionServiceHandlers } from "./execution-service.js";
export { SpreadExecutor, exchangeDate } from "./spread-executor.js";
export type { RollResult, SpreadEventListener, SpreadExecutorDeps, SpreadExecutorOptions } from "./spread-executor.js";
export { ContractCache } from "./contract-cache.js";
export { KillSwitch } from "./kill-switch.js";
export { killSwitchEndpoint } from "./kill-switch-endpoint.js";
export { riskGate } from "./risk-gate.js";
export type { RiskInputs, RiskVerdict } from "./risk-gate.js";
export { evaluateExit } from "./exits.js";
export type { ExitInputs, ExitVerdict } from "./exits.js";
export { planWalk } from "./price-walk.js";
export type { WalkPlan } from "./price-walk.js";
export { validateTradeSpec, expiryDate, sameTrade, MAX_TRADE_ID_LENGTH } from "./trade-spec.js";
export type { ValidTrade } from "./trade-spec.js";
export { brokerLimit, comboOrder } from "./combo-order.js";
export type { ResolvedLegs } from "./combo-order.js";
export { connectGateway } from "./gateway-client.js";
export type { GatewayConnection } from "./gateway-client.js";
export type { GatewayPort } from "./gateway-port.js";
export { createExecutionMetrics } from "./execution-metrics.js";
export type { ExecutionMetrics } from "./execution-metrics.js";
