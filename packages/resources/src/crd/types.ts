/**
 * CONTRACT (lead): the TypeScript shapes of the Strategy and Trade custom resources
 * (ARCHITECTURE.md §2). The schema module (crd/schema.ts) is the source of truth; these names
 * stay and are `Static<typeof …>` of it, with the same shapes as the lead's original interfaces
 * (contract-check.ts proves it at compile time), so the controller and the CLI compile unchanged.
 */
import type { Static } from "@sinclair/typebox";
import type { KubeObject, ResourceType } from "../store/types.js";
import type {
  APPROVALS,
  CandidateSummarySchema,
  ConditionSchema,
  DIRECTIONS,
  EntryRuleSchema,
  ExitRulesSchema,
  INDICATORS,
  SPREAD_KIND_CHOICES,
  SPREAD_KINDS,
  STRATEGY_PHASES,
  StrategySpecSchema,
  StrategyStatusSchema,
  TRADE_PHASES,
  TRADING_MODES,
  TradeFillSchema,
  TradeSpecSchema,
  TradeStatusSchema,
  WalkSchema,
} from "./schema.js";
import type { rangeField } from "./schema-builders.js";

export const GROUP = "trading.spreadops.dev";
export const VERSION = "v1alpha1";
export const API_VERSION = `${GROUP}/${VERSION}`;

export const STRATEGY: ResourceType = { group: GROUP, version: VERSION, kind: "Strategy", plural: "strategies", namespaced: true };
export const TRADE: ResourceType = { group: GROUP, version: VERSION, kind: "Trade", plural: "trades", namespaced: true };

/** On a Strategy: its working orders are cancelled before it goes away. */
export const STRATEGY_FINALIZER = "trading.spreadops.dev/cancel-orders";

export type TradingModeName = (typeof TRADING_MODES)[number];
export type DirectionName = (typeof DIRECTIONS)[number];
export type SpreadKindName = (typeof SPREAD_KINDS)[number];
export type SpreadKindChoice = (typeof SPREAD_KIND_CHOICES)[number];
export type IndicatorName = (typeof INDICATORS)[number];
export type ApprovalName = (typeof APPROVALS)[number];

export type NumberRange = Static<ReturnType<typeof rangeField>>;
export type EntryRuleSpec = Static<typeof EntryRuleSchema>;
export type WalkSpec = Static<typeof WalkSchema>;
export type ExitRulesSpec = Static<typeof ExitRulesSchema>;
export type StrategySpec = Static<typeof StrategySpecSchema>;

export type Condition = Static<typeof ConditionSchema>;
export type StrategyPhase = (typeof STRATEGY_PHASES)[number];
export type CandidateSummary = Static<typeof CandidateSummarySchema>;
export type StrategyStatus = Static<typeof StrategyStatusSchema>;

export type TradePhase = (typeof TRADE_PHASES)[number];
export type TradeSpec = Static<typeof TradeSpecSchema>;
export type TradeFill = Static<typeof TradeFillSchema>;
export type TradeStatus = Static<typeof TradeStatusSchema>;

export type StrategyResource = KubeObject<StrategySpec, StrategyStatus>;
export type TradeResource = KubeObject<TradeSpec, TradeStatus>;
