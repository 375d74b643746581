/**
 * The operator: Strategy and Trade reconcilers over a ResourceStore (the Kubernetes API, or the
 * embedded store in `spreadops all`), leader-elected, with the machinery they run on (informer,
 * work queue, controller loop, conditions, events). See docs/operator.md.
 *
 * @packageDocumentation
 */

export { buildController } from "./build-controller.js";
export type { Controller, ControllerOptions, ControllerTuning } from "./build-controller.js";
export { controllerDefinition, controllerOptions } from "./controller-main.js";
export type { ControllerConfig, ControllerParts } from "./controller-main.js";
export type { ExecutionPort, GatewayPort, StrategyPort } from "./ports.js";
export type { TradeTimings } from "./trade-steps.js";
export { DEFAULT_TRADE_TIMINGS } from "./trade-steps.js";
export { Reason, StrategyCondition, StrategyEvent, TradeCondition, TradeEvent } from "./reasons.js";
export { APPROVAL_ANNOTATION, ORPHANED_ANNOTATION, PROPOSAL_KEY_ANNOTATION, RISK_ANNOTATION, STRATEGY_GENERATION_ANNOTATION, STRATEGY_LABEL } from "./names.js";
export { Informer, objectKey, splitKey } from "./informer.js";
export type { InformerEvent, InformerHandler, InformerOptions, RestartReason } from "./informer.js";
export { WorkQueue, DEFAULT_RATE_LIMIT } from "./work-queue.js";
export type { RateLimit, WorkQueueObserver, WorkQueueOptions } from "./work-queue.js";
export { ControllerLoop } from "./controller-loop.js";
export type { ControllerLoopOptions, Reconcile, ReconcileOutcome, ReconcileResult } from "./controller-loop.js";
export { findCondition, setCondition, setConditions } from "./conditions.js";
export type { ConditionUpdate } from "./conditions.js";
export { CONTROLLER_COMPONENT, EventRecorder } from "./event-recorder.js";
export type { EventSink } from "./event-recorder.js";
