/** The gateway's orders and account area: order-book mirror, what-if, idempotent placement, positions, account. */
export { OrdersService, DEFAULT_ORDERS_TIMEOUTS } from "./orders-service.js";
export type { OrdersServiceDeps, OrdersTimeouts } from "./orders-service.js";
export { OrderMirror } from "./order-mirror.js";
export type { OrderMirrorOptions, PendingPlacement } from "./order-mirror.js";
export type { LegFill, MirrorEvent, MirrorExecution, MirrorOrder, OrderErrorRecord } from "./mirror-types.js";
export { comboLimitProblem, toIbComboLimit, verticalOf } from "./combo-sign.js";
export type { DescribedLeg, LegFacts } from "./combo-sign.js";
export { TwsLegFacts } from "./leg-facts.js";
export type { LegFactsSource } from "./leg-facts.js";
export { hasWhatIfNumbers, toWhatIfResult } from "./what-if.js";
export { ibNumber, IB_UNSET_DOUBLE, isWarningCode } from "./ib-values.js";
