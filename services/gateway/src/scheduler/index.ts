/** The outbound scheduler: one paced, prioritised queue for every message to TWS. */
export { systemClock } from "./clock.js";
export type { CancelTimer, Clock } from "./clock.js";
export { OutboundScheduler, QueueFullError } from "./outbound-scheduler.js";
export type { SchedulerDeps, SchedulerOptions, SchedulerSnapshot, SubmitOptions } from "./outbound-scheduler.js";
export { PacingBudget } from "./pacing-budget.js";
export type { PacingBudgetOptions } from "./pacing-budget.js";
export { PRIORITIES, rankOf } from "./priority.js";
export type { Priority } from "./priority.js";
export { createSchedulerMetrics } from "./scheduler-metrics.js";
export type { SchedulerMetrics } from "./scheduler-metrics.js";
export { SendWindow } from "./send-window.js";
