/**
 * Vertical spreads: definition, legs and per-share economics, exactly as in CONVENTIONS.md:
 *
 * | kind      | legs (same expiry, same right)    | cash at open | max profit | max loss | breakeven  |
 * |-----------|-----------------------------------|--------------|------------|----------|------------|
 * | bullPut   | SELL put K_high, BUY put K_low    | credit C     | C          | W − C    | K_high − C |
 * | bearCall  | SELL call K_low, BUY call K_high  | credit C     | C          | W − C    | K_low + C  |
 * | bullCall  | BUY call K_low, SELL call K_high  | debit D      | W − D      | D        | K_low + D  |
 * | bearPut   | BUY put K_high, SELL put K_low    | debit D      | W − D      | D        | K_high − D |
 *
 * W = K_high − K_low. Every amount is per share; dollars = per share × the contract multiplier
 * (from contract details, never assumed) × quantity, see {@link toDollars}.
 *
 * @packageDocumentation
 */

import type { OptionRight } from "./bsm.js";
import { isExchangeDate } from "./dates.js";
import {
  expectedCallPayoff,
  expectedPutPayoff,
  probabilityAbove,
  probabilityBelow,
  type LognormalModel,
} from "./probability.js";

/** The four vertical spreads. */
export type SpreadKind = "bullPut" | "bearCall" | "bullCall" | "bearPut";

/** Whether opening the spread receives (credit) or pays (debit) the premium. */
export type CashFlow = "credit" | "debit";

/** Static facts about a spread kind. */
export interface SpreadKindInfo {
  /** Right of both legs. */
  readonly right: OptionRight;
  /** Credit or debit at open. */
  readonly cashFlow: CashFlow;
  /** Which way the underlying has to move (or stay) for the spread to profit. */
  readonly direction: "bullish" | "bearish";
  /** Which strike is sold. */
  readonly shortStrike: "lower" | "upper";
}

/** {@link SpreadKindInfo} for every kind. */
export const SPREAD_KINDS: Readonly<Record<SpreadKind, SpreadKindInfo>> = {
  bullPut: { right: "put", cashFlow: "credit", direction: "bullish", shortStrike: "upper" },
  bearCall: { right: "call", cashFlow: "credit", direction: "bearish", shortStrike: "lower" },
  bullCall: { right: "call", cashFlow: "debit", direction: "bullish", shortStrike: "upper" },
  bearPut: { right: "put", cashFlow: "debit", direction: "bearish", shortStrike: "lower" },
};

/**
 * A vertical spread as later services (scanner, execution) exchange it: what to trade, without
 * quantities, prices or broker contract ids (those belong to the services that resolve them).
 */
export interface VerticalSpread {
  /** Which of the four verticals. */
  readonly kind: SpreadKind;
  /** Underlying symbol, e.g. "SPY". */
  readonly underlying: string;
  /** Expiry date in the exchange's time zone, YYYY-MM-DD. */
  readonly expiry: string;
  /** K_low. */
  readonly lowerStrike: number;
  /** K_high (> K_low). */
  readonly upperStrike: number;
}

/** Leg direction; legs carry their own action and the combo is always BUY (CONVENTIONS.md). */
export type LegAction = "BUY" | "SELL";

/** One leg of a vertical (ratio 1). */
export interface SpreadLeg {
  /** BUY or SELL. */
  readonly action: LegAction;
  /** Call or put. */
  readonly right: OptionRight;
  /** Strike of the leg. */
  readonly strike: number;
}

/** The two legs of a vertical. */
export interface SpreadLegs {
  /** The sold leg. */
  readonly short: SpreadLeg;
  /** The bought leg. */
  readonly long: SpreadLeg;
}

/**
 * Validates and copies a {@link VerticalSpread}.
 * @throws RangeError for an unknown kind, an empty underlying, an expiry that is not an existing
 *   YYYY-MM-DD date, or strikes that are not positive, finite and strictly increasing.
 */
export function verticalSpread(spread: VerticalSpread): VerticalSpread {
  const { kind, underlying, expiry, lowerStrike, upperStrike } = spread;
  if (!Object.hasOwn(SPREAD_KINDS, kind)) throw new RangeError(`unknown spread kind ${JSON.stringify(kind)}`);
  if (underlying.length === 0) throw new RangeError("underlying must not be empty");
  if (!isExchangeDate(expiry)) throw new RangeError(`expiry must be a YYYY-MM-DD date, got ${JSON.stringify(expiry)}`);
  if (!(lowerStrike > 0 && lowerStrike < Infinity)) throw new RangeError(`lowerStrike must be positive, got ${lowerStrike}`);
  if (!(upperStrike > lowerStrike && upperStrike < Infinity)) {
    throw new RangeError(`upperStrike must be finite and above lowerStrike ${lowerStrike}, got ${upperStrike}`);
  }
  return { kind, underlying, expiry, lowerStrike, upperStrike };
}

/** The legs per CONVENTIONS.md (short and long strike from the kind). */
export function spreadLegs(spread: VerticalSpread): SpreadLegs {
  const info = SPREAD_KINDS[spread.kind];
  const shortIsUpper = info.shortStrike === "upper";
  return {
    short: { action: "SELL", right: info.right, strike: shortIsUpper ? spread.upperStrike : spread.lowerStrike },
    long: { action: "BUY", right: info.right, strike: shortIsUpper ? spread.lowerStrike : spread.upperStrike },
  };
}

/** W = K_high − K_low, per share. */
export function spreadWidth(spread: VerticalSpread): number {
  return spread.upperStrike - spread.lowerStrike;
}

/** Per-share economics of a spread opened at a given premium. */
export interface SpreadEconomics {
  /** Credit or debit. */
  readonly cashFlow: CashFlow;
  /** W = K_high − K_low. */
  readonly width: number;
  /** Credit C received or debit D paid (> 0). */
  readonly premium: number;
  /** Max profit at expiry: C (credit) or W − D (debit). */
  readonly maxProfit: number;
  /** Max loss at expiry (positive number): W − C (credit) or D (debit). */
  readonly maxLoss: number;
  /** Underlying price at expiry where the P&L is zero. */
  readonly breakeven: number;
  /** Max profit / max loss. */
  readonly returnOnRisk: number;
}

/** Why a premium is not acceptable for a spread. */
export type PremiumProblem = "not-finite" | "not-positive" | "not-below-width";

/**
 * Checks a premium (credit or debit per share, as a positive amount): it must be finite,
 * > 0 and < W (a credit ≥ W has no risk left and a debit ≥ W has no profit left; neither is a
 * price the conventions allow). Returns undefined when acceptable.
 */
export function premiumProblem(spread: VerticalSpread, premium: number): PremiumProblem | undefined {
  if (!Number.isFinite(premium)) return "not-finite";
  if (!(premium > 0)) return "not-positive";
  if (!(premium < spreadWidth(spread))) return "not-below-width";
  return undefined;
}

/**
 * Max profit, max loss, breakeven and return on risk per CONVENTIONS.md.
 * @param premium credit C received (credit kinds) or debit D paid (debit kinds), per share, > 0.
 * @throws RangeError when {@link premiumProblem} finds a problem.
 */
export function spreadEconomics(spread: VerticalSpread, premium: number): SpreadEconomics {
  const problem = premiumProblem(spread, premium);
  if (problem !== undefined) throw new RangeError(`premium ${premium} rejected: ${problem}`);
  const info = SPREAD_KINDS[spread.kind];
  const width = spreadWidth(spread);
  const credit = info.cashFlow === "credit";
  const maxProfit = credit ? premium : width - premium;
  const maxLoss = credit ? width - premium : premium;
  let breakeven: number;
  switch (spread.kind) {
    case "bullPut":
      breakeven = spread.upperStrike - premium;
      break;
    case "bearCall":
      breakeven = spread.lowerStrike + premium;
      break;
    case "bullCall":
      breakeven = spread.lowerStrike + premium;
      break;
    case "bearPut":
      breakeven = spread.upperStrike - premium;
      break;
  }
  return { cashFlow: info.cashFlow, width, premium, maxProfit, maxLoss, breakeven, returnOnRisk: maxProfit / maxLoss };
}

/**
 * P&L per share at expiry for an underlying price S_T (premium as in {@link spreadEconomics}):
 * ± premium plus the intrinsic value of the long leg minus that of the short leg.
 */
export function spreadPayoffAtExpiry(spread: VerticalSpread, premium: number, underlyingAtExpiry: number): number {
  const { short, long } = spreadLegs(spread);
  const intrinsic = (leg: SpreadLeg): number =>
    leg.right === "call" ? Math.max(underlyingAtExpiry - leg.strike, 0) : Math.max(leg.strike - underlyingAtExpiry, 0);
  const cash = SPREAD_KINDS[spread.kind].cashFlow === "credit" ? premium : -premium;
  return cash + intrinsic(long) - intrinsic(short);
}

/** Per-share amount → dollars: × multiplier (from contract details) × quantity. */
export function toDollars(perShare: number, multiplier: number, quantity = 1): number {
  if (!(multiplier > 0 && Number.isFinite(multiplier))) throw new RangeError(`multiplier must be positive, got ${multiplier}`);
  if (!Number.isFinite(quantity)) throw new RangeError(`quantity must be finite, got ${quantity}`);
  return perShare * multiplier * quantity;
}

/** Probabilities and expected value of a spread held to expiry under a lognormal model. */
export interface SpreadOutcome {
  /** P(P&L > 0 at expiry) = P(S_T beyond the breakeven on the profitable side). */
  readonly probabilityOfProfit: number;
  /** P(the spread expires worth its max profit). */
  readonly probabilityOfMaxProfit: number;
  /** P(the spread expires at its max loss). */
  readonly probabilityOfMaxLoss: number;
  /** E[P&L at expiry] per share, undiscounted, exact for the piecewise-linear payoff. */
  readonly expectedValue: number;
}

/**
 * {@link SpreadOutcome} under the lognormal model (risk-neutral with drift = r − q, or any other
 * drift assumption). The expected value integrates the payoff exactly with lognormal partial
 * expectations: E[P&L] = ±premium + E[(long leg)⁺] − E[(short leg)⁺].
 * @throws RangeError for an unacceptable premium or model.
 */
export function spreadOutcome(spread: VerticalSpread, premium: number, model: LognormalModel): SpreadOutcome {
  const econ = spreadEconomics(spread, premium);
  const { short, long } = spreadLegs(spread);
  const bullish = SPREAD_KINDS[spread.kind].direction === "bullish";
  const { lowerStrike, upperStrike } = spread;
  const legValue = (leg: SpreadLeg): number =>
    leg.right === "call" ? expectedCallPayoff(model, leg.strike) : expectedPutPayoff(model, leg.strike);
  const cash = econ.cashFlow === "credit" ? premium : -premium;
  return {
    probabilityOfProfit: bullish ? probabilityAbove(model, econ.breakeven) : probabilityBelow(model, econ.breakeven),
    probabilityOfMaxProfit: bullish ? probabilityAbove(model, upperStrike) : probabilityBelow(model, lowerStrike),
    probabilityOfMaxLoss: bullish ? probabilityBelow(model, lowerStrike) : probabilityAbove(model, upperStrike),
    expectedValue: cash + legValue(long) - legValue(short),
  };
}
