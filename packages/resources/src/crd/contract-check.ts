/**
 * Compile-time guard: the lead's original hand-written contract shapes (copied verbatim, renamed
 * Lead*) must stay mutually assignable with the schema-derived types in types.ts, so code written
 * against the contract keeps compiling. A schema change that breaks a shape fails `tsc` here.
 * Fields added on purpose since: TradeStatus.pnl (optional), which mutual assignability allows.
 */
import type * as Crd from "./types.js";

type TradingModeName = Crd.TradingModeName;
type DirectionName = Crd.DirectionName;
type SpreadKindName = Crd.SpreadKindName;
type SpreadKindChoice = Crd.SpreadKindChoice;
type IndicatorName = Crd.IndicatorName;
type ApprovalName = Crd.ApprovalName;
type NumberRange = Crd.NumberRange;
type EntryRuleSpec = Crd.EntryRuleSpec;
type WalkSpec = Crd.WalkSpec;
type ExitRulesSpec = Crd.ExitRulesSpec;
type StrategySpec = Crd.StrategySpec;
type Condition = Crd.Condition;
type StrategyPhase = Crd.StrategyPhase;
type CandidateSummary = Crd.CandidateSummary;
type StrategyStatus = Crd.StrategyStatus;
type TradePhase = Crd.TradePhase;
type TradeSpec = Crd.TradeSpec;
type TradeFill = Crd.TradeFill;
type TradeStatus = Crd.TradeStatus;

type LeadTradingModeName = "paper" | "live";
type LeadDirectionName = "bullish" | "bearish";
type LeadSpreadKindName = "bullPut" | "bearCall" | "bullCall" | "bearPut";
type LeadSpreadKindChoice = LeadSpreadKindName | "auto";
type LeadIndicatorName = "rsi" | "sma" | "ema" | "smaCross" | "emaCross" | "atrMove";
type LeadApprovalName = "manual" | "auto";

interface LeadNumberRange { min?: number; max?: number }

interface LeadEntryRuleSpec {
  indicator: LeadIndicatorName;
  direction: LeadDirectionName;
  period?: number;
  fast?: number;
  slow?: number;
  above?: number;
  below?: number;
  multiple?: number;
}

interface LeadWalkSpec {
  steps: number;
  /** Duration, e.g. "20s", "1m". */
  every: string;
}

interface LeadExitRulesSpec {
  stopLossAtrMultiple?: number;
  takeProfitPercent?: number;
  exitAtDte?: number;
  roll?: { enabled: boolean; atDte?: number };
}

interface LeadStrategySpec {
  paused?: boolean;
  mode: LeadTradingModeName;
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
  entry: LeadEntryRuleSpec[];
  spread: {
    kind: LeadSpreadKindChoice;
    creditWhenIvPercentileAbove?: number;
    dte: LeadNumberRange;
    shortDelta: LeadNumberRange;
    width: LeadNumberRange;
  };
  filters?: {
    longDelta?: LeadNumberRange;
    vega?: LeadNumberRange;
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
  risk: LeadExitRulesSpec & {
    maxOpenTrades?: number;
    maxRiskPerTrade?: number;
    maxDailyLoss?: number;
  };
  execution: {
    approval: LeadApprovalName;
    limitOffset?: number;
    walk?: LeadWalkSpec;
  };
  /** What deleting the Strategy does to its open trades: leave them open (default) or close them. */
  onDelete?: "leaveOpen" | "closeOpenTrades";
}

interface LeadCondition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

type LeadStrategyPhase = "Active" | "Paused" | "Halted" | "Degraded" | "Invalid";

interface LeadCandidateSummary {
  underlying: string;
  kind: LeadSpreadKindName;
  expiry: string; // YYYY-MM-DD
  shortStrike: number;
  longStrike: number;
  limitPrice: number;
  quantity: number;
  score?: number;
  reason?: string;
}

interface LeadStrategyStatus {
  observedGeneration?: number;
  phase?: LeadStrategyPhase;
  message?: string;
  conditions?: LeadCondition[];
  lastScanTime?: string;
  nextScanTime?: string;
  openTrades?: number;
  realizedPnl?: number;
  unrealizedPnl?: number;
  dayPnl?: number;
  candidates?: LeadCandidateSummary[];
}

type LeadTradePhase =
  | "Proposed" | "Approved" | "Previewed" | "Submitted" | "PartiallyFilled" | "Open" | "Closing"
  | "Closed" | "Rejected" | "Cancelled" | "Expired";

interface LeadTradeSpec {
  /** Name of the owning Strategy, same namespace. */
  strategyRef: string;
  underlying: string;
  kind: LeadSpreadKindName;
  /** YYYY-MM-DD. */
  expiry: string;
  shortStrike: number;
  longStrike: number;
  shortConId?: number;
  longConId?: number;
  quantity: number;
  /** Positive premium per share (credit received or debit paid). */
  limitPrice: number;
  mode: LeadTradingModeName;
  approved?: boolean;
  rejected?: boolean;
  close?: boolean;
  /** The Strategy's execution and exit settings when the Trade was proposed (later spec changes apply to new trades only). */
  execution?: { limitOffset?: number; walk?: LeadWalkSpec };
  exits?: LeadExitRulesSpec;
  /** Why it was proposed (plain language). */
  reason?: string;
}

interface LeadTradeFill {
  leg: "short" | "long";
  action: "BUY" | "SELL";
  quantity: number;
  price: number;
  time: string;
  execId?: string;
  commission?: number;
}

interface LeadTradeStatus {
  observedGeneration?: number;
  phase?: LeadTradePhase;
  message?: string;
  conditions?: LeadCondition[];
  orderRef?: string;
  orderId?: number;
  permId?: number;
  closeOrderId?: number;
  filledQuantity?: number;
  avgFillPrice?: number;
  fills?: LeadTradeFill[];
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


type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

/** Never used at run time; exported so the checks are not dead code to the linter. */
export type ContractChecks = [
  Assert<Mutual<TradingModeName, LeadTradingModeName>>,
  Assert<Mutual<DirectionName, LeadDirectionName>>,
  Assert<Mutual<SpreadKindName, LeadSpreadKindName>>,
  Assert<Mutual<SpreadKindChoice, LeadSpreadKindChoice>>,
  Assert<Mutual<IndicatorName, LeadIndicatorName>>,
  Assert<Mutual<ApprovalName, LeadApprovalName>>,
  Assert<Mutual<NumberRange, LeadNumberRange>>,
  Assert<Mutual<EntryRuleSpec, LeadEntryRuleSpec>>,
  Assert<Mutual<WalkSpec, LeadWalkSpec>>,
  Assert<Mutual<ExitRulesSpec, LeadExitRulesSpec>>,
  Assert<Mutual<StrategySpec, LeadStrategySpec>>,
  Assert<Mutual<Condition, LeadCondition>>,
  Assert<Mutual<StrategyPhase, LeadStrategyPhase>>,
  Assert<Mutual<CandidateSummary, LeadCandidateSummary>>,
  Assert<Mutual<StrategyStatus, LeadStrategyStatus>>,
  Assert<Mutual<TradePhase, LeadTradePhase>>,
  Assert<Mutual<TradeSpec, LeadTradeSpec>>,
  Assert<Mutual<TradeFill, LeadTradeFill>>,
  Assert<Mutual<TradeStatus, LeadTradeStatus>>,
];
