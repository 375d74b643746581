/**
 * CONTRACT (lead): the TypeScript shapes of the Strategy and Trade custom resources
 * (ARCHITECTURE.md §2). The schema module (crd/schema.ts) is the source of truth; these names
 * must stay and become `Static<typeof …>` of it, with the same shapes, so the controller and the
 * CLI compile unchanged.
 */
import type { KubeObject, ResourceType } from "../store/types.js";

export const GROUP = "trading.spreadops.dev";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;

export const STRATEGY: ResourceType = { group: GROUP, version: VERSION, kind: "Strategy", plural: "strategies", namespaced: true };
export const TRADE: ResourceType = { group: GROUP, version: VERSION, kind: "Trade", plural: "trades", namespaced: true };

/** On a Strategy: its working orders are cancelled before it goes away. */
export const STRATEGY_FINALIZER = "trading.spreadops.dev/cancel-orders";

export type TradingModeName = "paper" | "live";
export type DirectionName = "bullish" | "bearish";
export type SpreadKindName = "bullPut" | "bearCall" | "bullCall" | "bearPut";
export type SpreadKindChoice = SpreadKindName | "auto";
export type IndicatorName = "rsi" | "sma" | "ema" | "smaCross" | "emaCross" | "atrMove";
export type ApprovalName = "manual" | "auto";

export interface NumberRange { min?: number; max?: number }

export interface EntryRuleSpec {
  indicator: IndicatorName;
  direction: DirectionName;
  period?: number;
  fast?: number;
  slow?: number;
  above?: number;
  below?: number;
  multiple?: number;
}

export interface WalkSpec {
  steps: number;
  /** Duration, e.g. "20s", "1m". */
  every: string;
}

export interface ExitRulesSpec {
  stopLossAtrMultiple?: number;
  takeProfitPercent?: number;
  exitAtDte?: number;
  roll?: { enabled: boolean; atDte?: number };
}

export interface StrategySpec {
  paused?: boolean;
  mode: TradingModeName;
  universe: {
    symbols?: string[];
    minPrice?: number;
    minAvgVolume?: number;
    minMarketCap?: number;
  };
  schedule: {
    /** Duration, e.g. "5m". */
    scanInterval: string;
    /** IANA zone, e.g. "America/New_York". */
    timezone: string;
    window: { start: string; end: string };
  };
  entry: EntryRuleSpec[];
  spread: {
    kind: SpreadKindChoice;
    creditWhenIvPercentileAbove?: number;
    dte: NumberRange;
    shortDelta: NumberRange;
    width: NumberRange;
  };
  filters?: {
    longDelta?: NumberRange;
    vega?: NumberRange;
    minVolume?: number;
    minOpenInterest?: number;
    maxBidAskSpread?: number;
    maxBidAskSpreadPercent?: number;
    minIvPercentile?: number;
    minIvRank?: number;
    thetaAbove?: number;
    maxGamma?: number;
    minProbabilityOfProfit?: number;
    minReturnOnRisk?: number;
    minCreditToWidth?: number;
    maxDebitToWidth?: number;
    minExpectedValue?: number;
  };
  risk: ExitRulesSpec & {
    maxOpenTrades?: number;
    maxRiskPerTrade?: number;
    maxDailyLoss?: number;
  };
  execution: {
    approval: ApprovalName;
    limitOffset?: number;
    walk?: WalkSpec;
  };
  /** What deleting the Strategy does to its open trades: leave them open (default) or close them. */
  onDelete?: "leaveOpen" | "closeOpenTrades";
}

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export type StrategyPhase = "Active" | "Paused" | "Halted" | "Degraded" | "Invalid";

export interface CandidateSummary {
  underlying: string;
  kind: SpreadKindName;
  expiry: string; // YYYY-MM-DD
  shortStrike: number;
  longStrike: number;
  limitPrice: number;
  quantity: number;
  score?: number;
  reason?: string;
}

export interface StrategyStatus {
  observedGeneration?: number;
  phase?: StrategyPhase;
  message?: string;
  conditions?: Condition[];
  lastScanTime?: string;
  nextScanTime?: string;
  openTrades?: number;
  realizedPnl?: number;
  unrealizedPnl?: number;
  dayPnl?: number;
  candidates?: CandidateSummary[];
}

export type TradePhase =
  | "Proposed" | "Approved" | "Previewed" | "Submitted" | "PartiallyFilled" | "Open" | "Closing"
  | "Closed" | "Rejected" | "Cancelled" | "Expired";

export interface TradeSpec {
  /** Name of the owning Strategy, same namespace. */
  strategyRef: string;
  underlying: string;
  kind: SpreadKindName;
  /** YYYY-MM-DD. */
  expiry: string;
  shortStrike: number;
  longStrike: number;
  shortConId?: number;
  longConId?: number;
  quantity: number;
  /** Positive premium per share (credit received or debit paid). */
  limitPrice: number;
  mode: TradingModeName;
  approved?: boolean;
  close?: boolean;
  /** The Strategy's execution and exit settings when the Trade was proposed (later spec changes apply to new trades only). */
  execution?: { limitOffset?: number; walk?: WalkSpec };
  exits?: ExitRulesSpec;
  /** Why it was proposed (plain language). */
  reason?: string;
}

export interface TradeFill {
  leg: "short" | "long";
  action: "BUY" | "SELL";
  quantity: number;
  price: number;
  time: string;
  execId?: string;
  commission?: number;
}

export interface TradeStatus {
  observedGeneration?: number;
  phase?: TradePhase;
  message?: string;
  conditions?: Condition[];
  orderRef?: string;
  orderId?: number;
  permId?: number;
  closeOrderId?: number;
  filledQuantity?: number;
  avgFillPrice?: number;
  fills?: TradeFill[];
  preview?: {
    initMargin?: number;
    maintMargin?: number;
    commission?: number;
    maxProfit: number;
    maxLoss: number;
    breakeven: number;
    automaticExecutionAllowed?: boolean;
  };
  exit?: { reason: string; at: string; message?: string };
  realizedPnl?: number;
  unrealizedPnl?: number;
  openedAt?: string;
  closedAt?: string;
  lastExitCheck?: string;
}

export type StrategyResource = KubeObject<StrategySpec, StrategyStatus>;
export type TradeResource = KubeObject<TradeSpec, TradeStatus>;
