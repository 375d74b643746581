/**
 * Condition types, condition reasons and Event reasons, in one place (the kubebuilder habit), so
 * `kubectl describe`, alerts and docs/operator.md agree on the words.
 */

/** Condition types of a Strategy. */
export const StrategyCondition = {
  Ready: "Ready",
  BrokerConnected: "BrokerConnected",
  InTradingWindow: "InTradingWindow",
  RiskBudgetAvailable: "RiskBudgetAvailable",
  /** True while open trades run on an older spec than the current one (they keep their snapshot). */
  OpenTradesOnPreviousSpec: "OpenTradesOnPreviousSpec",
} as const;

/** Condition types of a Trade. */
export const TradeCondition = {
  /** True while the execution service cannot be reached or does not know the trade. */
  Degraded: "Degraded",
} as const;

/** Reasons of conditions and Events. */
export const Reason = {
  // Ready
  Reconciling: "Reconciling",
  Scanning: "Scanning",
  InvalidSpec: "InvalidSpec",
  Paused: "Paused",
  Halted: "Halted",
  Terminating: "Terminating",
  StrategyServiceUnavailable: "StrategyServiceUnavailable",
  // BrokerConnected
  Connected: "Connected",
  Disconnected: "Disconnected",
  ModeMismatch: "ModeMismatch",
  GatewayUnreachable: "GatewayUnreachable",
  // InTradingWindow
  InsideWindow: "InsideWindow",
  OutsideWindow: "OutsideWindow",
  // RiskBudgetAvailable
  BudgetAvailable: "BudgetAvailable",
  DailyLossLimitHit: "DailyLossLimitHit",
  MaxOpenTradesReached: "MaxOpenTradesReached",
  // OpenTradesOnPreviousSpec
  SpecChangedWithOpenTrades: "SpecChangedWithOpenTrades",
  OpenTradesCurrent: "OpenTradesCurrent",
  // Trade Degraded
  ExecutionUnavailable: "ExecutionUnavailable",
  NotTrackedByExecution: "NotTrackedByExecution",
  AsExpected: "AsExpected",
} as const;

/** Reasons of Events about Strategies. */
export const StrategyEvent = {
  Invalid: "Invalid",
  Valid: "Valid",
  Paused: "Paused",
  Resumed: "Resumed",
  Scanned: "Scanned",
  ScanFailed: "ScanFailed",
  Proposed: "Proposed",
  DailyLossLimitHit: "DailyLossLimitHit",
  DailyLossLimitReset: "DailyLossLimitReset",
  BrokerDisconnected: "BrokerDisconnected",
  BrokerConnected: "BrokerConnected",
  SpecChangeDeferred: "SpecChangeDeferred",
  Finalizing: "Finalizing",
  OrderCancelled: "OrderCancelled",
  CancelFailed: "CancelFailed",
  OpenTradesLeftOpen: "OpenTradesLeftOpen",
  ClosingOpenTrades: "ClosingOpenTrades",
  Finalized: "Finalized",
} as const;

/** Reasons of Events about Trades. */
export const TradeEvent = {
  Proposed: "Proposed",
  Approved: "Approved",
  Previewed: "Previewed",
  Submitted: "Submitted",
  Adopted: "Adopted",
  Rejected: "Rejected",
  /** A person rejected the proposal (spec.rejected) before anything was placed: Normal, not a failure. */
  RejectedByUser: "RejectedByUser",
  PartiallyFilled: "PartiallyFilled",
  Opened: "Opened",
  ExitDecided: "ExitDecided",
  Closing: "Closing",
  Closed: "Closed",
  Cancelled: "Cancelled",
  Expired: "Expired",
  RollUnavailable: "RollUnavailable",
  Rolled: "Rolled",
  ExecutionUnavailable: "ExecutionUnavailable",
  NotTracked: "NotTracked",
  Orphaned: "Orphaned",
} as const;
