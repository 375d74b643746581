import type { SpreadCandidate, StrategyRisk } from "@spreadops/api";
import { DropReason } from "@spreadops/api";

/** One non-terminal trade of the strategy. */
export interface OpenTrade {
  /** Underlying symbol. */
  readonly symbol: string;
  /** Expiry YYYYMMDD; undefined when only the symbol is known (RiskContext.open_symbols). */
  readonly expiry?: number;
  /** Max loss of the trade, USD. */
  readonly maxLossUsd: number;
}

/** The strategy's open trades and today's P&L, USD (positive = profit). */
export interface OpenTradesSnapshot {
  readonly openTrades: readonly OpenTrade[];
  readonly realizedTodayUsd: number;
  readonly unrealizedUsd: number;
}

/** The budget before any proposal. */
export interface BudgetState {
  readonly openTrades: number;
  readonly openRiskUsd: number;
  readonly dayPnlUsd: number;
  readonly dailyLossBreached: boolean;
  /** Slots before proposals; undefined = no limit. */
  readonly slotsLeft: number | undefined;
  /** Account buying power; undefined = unknown (not applied). */
  readonly buyingPower: number | undefined;
}

/** The budget state from the limits, the open trades and the account. */
export function budgetState(risk: StrategyRisk | undefined, open: OpenTradesSnapshot, buyingPower: number | undefined): BudgetState {
  const dayPnlUsd = open.realizedTodayUsd + open.unrealizedUsd;
  const max = risk?.maxOpenTrades;
  return {
    openTrades: open.openTrades.length,
    openRiskUsd: open.openTrades.reduce((sum, t) => sum + t.maxLossUsd, 0),
    dayPnlUsd,
    // "≤ −maxDailyLoss": reaching the limit exactly already pauses entries.
    dailyLossBreached: risk?.maxDailyLoss !== undefined && dayPnlUsd <= -risk.maxDailyLoss,
    slotsLeft: max === undefined ? undefined : Math.max(0, max - open.openTrades.length),
    buyingPower,
  };
}

/** A sized candidate, or why it cannot be traded. */
export type Sizing =
  | { readonly ok: true; readonly quantity: number; readonly riskUsd: number }
  | { readonly ok: false; readonly reason: DropReason; readonly message: string };

const usd = (v: number): string => `${Math.round(v * 100) / 100} USD`;

/**
 * Quantity = floor(maxRiskPerTrade / max loss per spread), at least 1 (else dropped); 1 without
 * a limit. Then cut to what the remaining buying power covers (max loss as the margin proxy:
 * defined-risk spreads need about their max loss), dropped when not even one fits.
 */
export function sizeCandidate(candidate: SpreadCandidate, maxRiskPerTrade: number | undefined, buyingPowerLeft: number | undefined): Sizing {
  const perSpread = candidate.maxLossPerSpreadUsd > 0 ? candidate.maxLossPerSpreadUsd : candidate.maxLoss * candidate.multiplier;
  if (!(perSpread > 0)) return { ok: false, reason: DropReason.NO_CANDIDATES, message: `max loss per spread unknown (${perSpread})` };
  let quantity = 1;
  if (maxRiskPerTrade !== undefined) {
    quantity = Math.floor(maxRiskPerTrade / perSpread + 1e-9);
    if (quantity < 1) return { ok: false, reason: DropReason.MAX_RISK_PER_TRADE, message: `max loss ${usd(perSpread)} per spread > maxRiskPerTrade ${usd(maxRiskPerTrade)}` };
  }
  if (buyingPowerLeft !== undefined) {
    const affordable = Math.floor(buyingPowerLeft / perSpread + 1e-9);
    if (affordable < 1) return { ok: false, reason: DropReason.BUYING_POWER, message: `max loss ${usd(perSpread)} per spread > buying power left ${usd(buyingPowerLeft)}` };
    quantity = Math.min(quantity, affordable);
  }
  return { ok: true, quantity, riskUsd: quantity * perSpread };
}

/** One symbol's ranked candidates (best first), with what the proposal should say. */
export interface SymbolCandidates {
  readonly symbol: string;
  readonly candidates: readonly SpreadCandidate[];
}

/** An accepted, sized candidate. */
export interface Allocation {
  readonly symbol: string;
  readonly candidate: SpreadCandidate;
  readonly quantity: number;
  readonly riskUsd: number;
}

/** A dropped symbol or candidate. */
export interface Dropped {
  readonly symbol: string;
  readonly candidateKey: string;
  readonly reason: DropReason;
  readonly message: string;
}

/** Proposals and drops of one allocation pass. */
export interface AllocationResult {
  readonly allocations: readonly Allocation[];
  readonly dropped: readonly Dropped[];
  readonly proposedRiskUsd: number;
  readonly slotsLeft: number | undefined;
}

/**
 * Hands out the budget: symbols in order of their best candidate's score, one proposal per
 * symbol (its best candidate that fits), while slots, the daily loss limit and buying power
 * allow. A candidate on an underlying and expiry that already has an open trade is refused
 * (the spec has no flag to allow it); when only the open symbol is known, the whole symbol is.
 */
export function allocate(symbols: readonly SymbolCandidates[], risk: StrategyRisk | undefined, state: BudgetState, open: readonly OpenTrade[]): AllocationResult {
  const allocations: Allocation[] = [];
  const dropped: Dropped[] = [];
  let slots = state.slotsLeft;
  let buyingPower = state.buyingPower;
  let proposedRiskUsd = 0;
  const ordered = [...symbols].sort((a, b) => (b.candidates[0]?.score ?? -1) - (a.candidates[0]?.score ?? -1));
  for (const { symbol, candidates } of ordered) {
    const drop = (reason: DropReason, message: string, candidateKey = ""): void => { dropped.push({ symbol, candidateKey, reason, message }); };
    if (state.dailyLossBreached) {
      drop(DropReason.MAX_DAILY_LOSS, `today's P&L ${usd(state.dayPnlUsd)} reached maxDailyLoss ${usd(risk?.maxDailyLoss ?? 0)}: no new entries today`);
      continue;
    }
    if (slots !== undefined && slots <= 0) {
      drop(DropReason.MAX_OPEN_TRADES, `maxOpenTrades ${risk?.maxOpenTrades ?? 0} reached (${state.openTrades} open, ${allocations.length} proposed)`);
      continue;
    }
    const openHere = open.filter((t) => t.symbol === symbol);
    if (openHere.some((t) => t.expiry === undefined)) {
      drop(DropReason.ALREADY_OPEN, `${symbol} already has an open trade of this strategy`);
      continue;
    }
    let chosen: Allocation | undefined;
    for (const candidate of candidates) {
      if (chosen !== undefined) {
        drop(DropReason.OUTRANKED, `${chosen.candidate.key} (rank ${chosen.candidate.rank}) proposed instead`, candidate.key);
        continue;
      }
      if (openHere.some((t) => t.expiry === candidate.expiry)) {
        drop(DropReason.ALREADY_OPEN, `${symbol} already has an open trade expiring ${candidate.expiry}`, candidate.key);
        continue;
      }
      const sizing = sizeCandidate(candidate, risk?.maxRiskPerTrade, buyingPower);
      if (!sizing.ok) {
        drop(sizing.reason, sizing.message, candidate.key);
        continue;
      }
      chosen = { symbol, candidate, quantity: sizing.quantity, riskUsd: sizing.riskUsd };
    }
    if (chosen === undefined) continue;
    allocations.push(chosen);
    proposedRiskUsd += chosen.riskUsd;
    if (slots !== undefined) slots--;
    if (buyingPower !== undefined) buyingPower -= chosen.riskUsd;
  }
  return { allocations, dropped, proposedRiskUsd, slotsLeft: slots };
}
