import type { ExitRulesSpec, StrategySpec, TradeResource, TradeSpec } from "@spreadops/resources";
import { RISK_ANNOTATION, STRATEGY_GENERATION_ANNOTATION } from "./names.js";
import { canonicalJson } from "./status-equality.js";
import { isTerminal } from "./trade-phases.js";
import { localDate } from "./trading-window.js";

/** What a Strategy's status and its risk context say about its trades. */
export interface TradeRollup {
  /** Trades that are not terminal (Proposed included: they use a slot). */
  readonly openTrades: number;
  /** Max loss of those trades, USD. */
  readonly openRiskUsd: number;
  /** Underlyings with a non-terminal trade. */
  readonly openSymbols: readonly string[];
  /** Realized P&L of every trade, USD. */
  readonly realizedPnl: number;
  /** Unrealized P&L of the open trades, USD. */
  readonly unrealizedPnl: number;
  /** Today's P&L: realized of trades closed today plus realized + unrealized of open ones, USD. */
  readonly dayPnl: number;
}

const CREDIT_KINDS = new Set<TradeSpec["kind"]>(["bullPut", "bearCall"]);

/** Standard US equity option multiplier; only used before a preview gives the real one. */
const ASSUMED_MULTIPLIER = 100;

/** A trade's max loss in USD: the preview's, else the proposal's, else computed from its spec. */
export function tradeRiskUsd(trade: TradeResource): number {
  const preview = trade.status?.preview?.maxLoss;
  if (preview !== undefined) return preview;
  const annotated = Number(trade.metadata.annotations?.[RISK_ANNOTATION]);
  if (Number.isFinite(annotated) && annotated > 0) return annotated;
  const spec = trade.spec;
  if (spec === undefined) return 0;
  const width = Math.abs(spec.shortStrike - spec.longStrike);
  const perShare = CREDIT_KINDS.has(spec.kind) ? width - spec.limitPrice : spec.limitPrice;
  return Math.max(0, perShare) * ASSUMED_MULTIPLIER * spec.quantity;
}

/** Rolls a Strategy's trades up; "today" is the local date of `nowMs` in `timeZone`. */
export function rollUp(trades: readonly TradeResource[], nowMs: number, timeZone: string): TradeRollup {
  let openTrades = 0;
  let openRiskUsd = 0;
  let realizedPnl = 0;
  let unrealizedPnl = 0;
  let dayPnl = 0;
  const symbols = new Set<string>();
  const today = safeLocalDate(nowMs, timeZone);
  for (const trade of trades) {
    const status = trade.status;
    const realized = status?.realizedPnl ?? 0;
    realizedPnl += realized;
    if (!isTerminal(status?.phase)) {
      openTrades++;
      openRiskUsd += tradeRiskUsd(trade);
      if (trade.spec !== undefined) symbols.add(trade.spec.underlying);
      const unrealized = status?.unrealizedPnl ?? 0;
      unrealizedPnl += unrealized;
      dayPnl += realized + unrealized;
    } else if (status?.closedAt !== undefined && safeLocalDate(Date.parse(status.closedAt), timeZone) === today) {
      dayPnl += realized;
    }
  }
  return { openTrades, openRiskUsd, openSymbols: [...symbols].sort(), realizedPnl, unrealizedPnl, dayPnl };
}

function safeLocalDate(ms: number, timeZone: string): number {
  try {
    return localDate(ms, timeZone);
  } catch {
    return localDate(ms, "UTC");
  }
}

/** The part of a Strategy spec a Trade keeps as its own snapshot. */
export interface TradeSnapshot {
  readonly exits: ExitRulesSpec;
  readonly execution: TradeSpec["execution"];
}

/** The snapshot a Trade proposed now would take from `spec`. */
export function snapshotOf(spec: StrategySpec): TradeSnapshot {
  const { stopLossAtrMultiple, takeProfitPercent, exitAtDte, roll } = spec.risk;
  return {
    exits: { stopLossAtrMultiple, takeProfitPercent, exitAtDte, roll },
    execution: { limitOffset: spec.execution.limitOffset, walk: spec.execution.walk },
  };
}


/**
 * Non-terminal trades proposed from an older generation whose exits or execution settings differ
 * from what the current spec would give them: they keep theirs, which the Strategy reports.
 */
export function tradesOnPreviousSpec(trades: readonly TradeResource[], spec: StrategySpec, generation: number): TradeResource[] {
  const current = snapshotOf(spec);
  return trades.filter((trade) => {
    if (isTerminal(trade.status?.phase) || trade.spec === undefined) return false;
    const made = Number(trade.metadata.annotations?.[STRATEGY_GENERATION_ANNOTATION]);
    if (Number.isFinite(made) && made >= generation) return false;
    return canonicalJson(trade.spec.exits ?? {}) !== canonicalJson(current.exits) || canonicalJson(trade.spec.execution ?? {}) !== canonicalJson(current.execution ?? {});
  });
}
