/**
 * From a model price to a quoted market: bid/ask around the model price with a spread that widens
 * with price, with distance from the money, with time to expiry and in illiquid names; quote
 * sizes; session volume; open interest. The bid is rounded down and the ask up to the tick grid,
 * so bid ≤ model ≤ ask always holds — which also makes every call/put pair consistent with
 * put-call parity — and the market is never crossed or locked. A model price below half the
 * spread gets a zero bid (worthless far out-of-the-money options).
 *
 * @packageDocumentation
 */

import { hashUnit } from "./rng.js";
import { ceilToTick, floorToTick, roundToTick } from "./tick-rules.js";
import type { LiquidityTier, OptionTickRule } from "./universe.js";

/** Spread width = (base + proportional·price + moneyness·min(|z|, 6)) · (1 + 0.3·min(T, 1)). */
const SPREAD: Readonly<Record<LiquidityTier, { base: number; proportional: number; moneyness: number }>> = {
  index: { base: 0.01, proportional: 0.004, moneyness: 0.002 },
  high: { base: 0.02, proportional: 0.01, moneyness: 0.004 },
  medium: { base: 0.04, proportional: 0.02, moneyness: 0.008 },
  low: { base: 0.15, proportional: 0.06, moneyness: 0.03 },
};

/** Typical displayed size at the money, contracts. */
const SIZE: Readonly<Record<LiquidityTier, number>> = { index: 250, high: 80, medium: 30, low: 5 };

/** Option activity relative to share volume (volume and open interest scale). */
const ACTIVITY: Readonly<Record<LiquidityTier, number>> = { index: 1.5, high: 1, medium: 0.6, low: 0.05 };

/** What the quoting needs to know about one option at one instant. */
export interface OptionMarketState {
  /** Stable id of the contract (for per-contract noise). */
  readonly conId: number;
  /** Model price per share. */
  readonly modelPrice: number;
  readonly strike: number;
  /** Years to expiry. */
  readonly time: number;
  /** Calendar days to expiry (fractional). */
  readonly daysToExpiry: number;
  /** Standardised moneyness ln(K/F)/(σ_ATM·√T). */
  readonly z: number;
  readonly monthly: boolean;
  readonly tier: LiquidityTier;
  readonly tickRule: OptionTickRule;
  /** Underlying's average daily share volume. */
  readonly averageVolume: number;
  /** Exchange date of the session (day number): open interest and daily volume change per day. */
  readonly day: number;
  /** Share of the session's underlying volume traded so far (0–1). */
  readonly sessionVolumeFraction: number;
  /** Simulated second of the state (for size noise). */
  readonly tick: number;
}

/** The quoted market of one option. */
export interface QuotedMarket {
  readonly bid: number;
  readonly ask: number;
  readonly bidSize: number;
  readonly askSize: number;
  readonly volume: number;
  readonly openInterest: number;
  readonly last?: number;
  readonly lastSize: number;
}

/** Spread width (before rounding) of an option. */
export function spreadWidth(s: Pick<OptionMarketState, "modelPrice" | "z" | "time" | "tier">): number {
  const c = SPREAD[s.tier];
  return (c.base + c.proportional * s.modelPrice + c.moneyness * Math.min(Math.abs(s.z), 6)) * (1 + 0.3 * Math.min(s.time, 1));
}

/** Expected session volume (contracts) of an option: high near the money and near expiry. */
function expectedDailyVolume(s: OptionMarketState): number {
  const strikeWeight = Math.exp(-0.5 * (s.z / 0.9) ** 2) + 0.005;
  const expiryWeight = (Math.exp(-s.daysToExpiry / 25) + 0.05) * (s.monthly ? 1.5 : 1);
  return s.averageVolume * 0.0006 * ACTIVITY[s.tier] * strikeWeight * expiryWeight * roundStrikeBonus(s.strike);
}

/** Open interest collects on round strikes. */
function roundStrikeBonus(strike: number): number {
  if (strike >= 50 && strike % 10 === 0) return 1.6;
  if (strike >= 20 && strike % 5 === 0) return 1.3;
  return 1;
}

/** Open interest (contracts): spread wider around the money than volume, larger for monthlies. */
function openInterest(s: OptionMarketState): number {
  const strikeWeight = Math.exp(-0.5 * (s.z / 1.2) ** 2) + 0.02;
  const expiryWeight = (0.3 + 0.7 * Math.exp(-s.daysToExpiry / 90)) * (s.monthly ? 2 : 1);
  const noise = Math.exp(0.5 * (hashUnit(s.conId, s.day, 0x01) * 2 - 1));
  return Math.floor(s.averageVolume * 0.0005 * ACTIVITY[s.tier] * strikeWeight * expiryWeight * roundStrikeBonus(s.strike) * noise);
}

/** The quoted market of an option. */
export function quoteOptionMarket(s: OptionMarketState): QuotedMarket {
  const half = spreadWidth(s) / 2;
  const m = s.modelPrice;
  const bid = floorToTick(m - half, s.tickRule);
  const ask = ceilToTick(m + half, s.tickRule);
  const sizeScale = SIZE[s.tier] * (Math.exp(-0.5 * (s.z / 2) ** 2) + 0.1);
  const bidSize = Math.max(1, Math.round(sizeScale * (0.3 + 1.4 * hashUnit(s.conId, s.tick, 0x02))));
  const askSize = Math.max(1, Math.round(sizeScale * (0.3 + 1.4 * hashUnit(s.conId, s.tick, 0x03))));
  const dailyNoise = Math.exp(0.6 * (hashUnit(s.conId, s.day, 0x04) * 2 - 1));
  const volume = Math.floor(expectedDailyVolume(s) * dailyNoise * s.sessionVolumeFraction);
  const traded = volume > 0;
  return {
    bid,
    ask,
    bidSize,
    askSize,
    volume,
    openInterest: openInterest(s),
    ...(traded ? { last: Math.max(roundToTick(m, s.tickRule), ceilToTick(0, s.tickRule)) } : {}),
    lastSize: traded ? 1 + Math.floor(hashUnit(s.conId, s.tick, 0x05) * Math.min(volume, SIZE[s.tier] / 5)) : 0,
  };
}
