/**
 * Lognormal terminal-price model: probabilities and partial expectations of S_T.
 *
 * S_T = S_0·exp((μ − σ²/2)·T + σ·√T·Z), Z ~ N(0, 1), so E[S_T] = S_0·e^{μT}. With μ = r − q
 * this is the risk-neutral (pricing) measure; any other μ is a real-world drift assumption.
 * With d2(K) = (ln(S_0/K) + (μ − σ²/2)·T)/(σ√T) and d1 = d2 + σ√T:
 *   P(S_T > K) = N(d2),  E[S_T·1{S_T < K}] = S_0·e^{μT}·N(−d1),  E[S_T·1{S_T > K}] = S_0·e^{μT}·N(d1).
 * σ√T = 0 means S_T = S_0·e^{μT} with certainty.
 *
 * @packageDocumentation
 */

import { normCdf } from "./normal.js";

/** Parameters of the lognormal model of the underlying at a horizon. */
export interface LognormalModel {
  /** Underlying price now, S_0 (> 0). */
  readonly spot: number;
  /** Volatility σ per √year (≥ 0). */
  readonly vol: number;
  /** Horizon T in years (≥ 0), usually the time to expiry. */
  readonly time: number;
  /**
   * Expected continuously compounded growth rate μ of the price per year: E[S_T] = S_0·e^{μT}.
   * Risk-neutral: rate − dividend yield.
   */
  readonly drift: number;
}

function check(model: LognormalModel): void {
  const { spot, vol, time, drift } = model;
  if (!(spot > 0 && spot < Infinity)) throw new RangeError(`spot must be a positive finite number, got ${spot}`);
  if (!(vol >= 0 && vol < Infinity)) throw new RangeError(`vol must be a finite number ≥ 0, got ${vol}`);
  if (!(time >= 0 && time < Infinity)) throw new RangeError(`time must be a finite number ≥ 0, got ${time}`);
  if (!Number.isFinite(drift)) throw new RangeError(`drift must be finite, got ${drift}`);
}

/** E[S_T] = S_0·e^{μT}. */
export function expectedPrice(model: LognormalModel): number {
  check(model);
  return model.spot * Math.exp(model.drift * model.time);
}

/** N(d2) and N(d1)-style pieces for level K; `sign` +1 gives the "above" side, −1 "below". */
function tail(model: LognormalModel, level: number, sign: 1 | -1, shift: 0 | 1): number {
  check(model);
  if (!(level > 0)) {
    if (Number.isNaN(level)) throw new RangeError("level must be a number");
    return sign === 1 ? 1 : 0;
  }
  if (level === Infinity) return sign === 1 ? 0 : 1;
  const s = model.vol * Math.sqrt(model.time);
  const m = Math.log(model.spot / level) + model.drift * model.time;
  if (s === 0) return sign * m > 0 ? 1 : 0;
  const d = (m - 0.5 * s * s) / s + shift * s;
  return normCdf(sign * d);
}

/** P(S_T > level) = N(d2). (For a continuous distribution the same as P(S_T ≥ level).) */
export function probabilityAbove(model: LognormalModel, level: number): number {
  return tail(model, level, 1, 0);
}

/** P(S_T < level) = N(−d2), computed directly (not as 1 − N(d2)) to keep tail accuracy. */
export function probabilityBelow(model: LognormalModel, level: number): number {
  return tail(model, level, -1, 0);
}

/** E[S_T·1{S_T > level}] = S_0·e^{μT}·N(d1). */
export function partialExpectationAbove(model: LognormalModel, level: number): number {
  return expectedPrice(model) * tail(model, level, 1, 1);
}

/** E[S_T·1{S_T < level}] = S_0·e^{μT}·N(−d1). */
export function partialExpectationBelow(model: LognormalModel, level: number): number {
  return expectedPrice(model) * tail(model, level, -1, 1);
}

/** E[max(S_T − K, 0)] = S_0·e^{μT}·N(d1) − K·N(d2) (undiscounted). */
export function expectedCallPayoff(model: LognormalModel, strike: number): number {
  return partialExpectationAbove(model, strike) - strike * probabilityAbove(model, strike);
}

/** E[max(K − S_T, 0)] = K·N(−d2) − S_0·e^{μT}·N(−d1) (undiscounted). */
export function expectedPutPayoff(model: LognormalModel, strike: number): number {
  return strike * probabilityBelow(model, strike) - partialExpectationBelow(model, strike);
}
