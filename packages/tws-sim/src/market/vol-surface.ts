/**
 * The implied-volatility surface, tied to the underlying's instantaneous volatility state.
 *
 * Term structure (at the money): the expected average variance of a mean-reverting variance over
 * [0, T], times a variance risk premium,
 *   θ(T) = P · (σ̄²·T + (v − σ̄²)·(1 − e^{−κT})/κ)      (total ATM implied variance),
 * so a calm market (v < σ̄²) has an upward sloping term structure and a stressed one an inverted
 * one, and θ grows with T (no calendar arbitrage at the money).
 *
 * Smile: SSVI (Gatheral & Jacquier, "Arbitrage-free SVI volatility surfaces", 2014) in log-forward
 * moneyness k = ln(K/F_T):
 *   w(k, θ) = θ/2 · (1 + ρφk + √((φk + ρ)² + 1 − ρ²)),   φ(θ) = η / (θ^γ (1 + θ)^{1−γ}),
 * which is free of static arbitrage (butterflies and calendars) when 0 < γ ≤ ½ and
 * η(1 + |ρ|) ≤ 2 (their Remark 4.4). ρ < 0 gives the equity put skew; the skew steepens for
 * short expiries as in real markets.
 *
 * @packageDocumentation
 */

import { DAYS_PER_YEAR } from "@spreadops/core";

/** Parameters of one underlying's surface. */
export interface SurfaceParams {
  /** Long-run realised variance σ̄² per year. */
  readonly longRunVariance: number;
  /** Mean reversion κ of variance per year (sets how fast the term structure flattens). */
  readonly meanReversion: number;
  /** Variance risk premium P: implied variance / expected realised variance (≥ 1). */
  readonly premium: number;
  /** SSVI ρ, in (−1, 1); negative for a put skew. */
  readonly rho: number;
  /** SSVI η > 0. */
  readonly eta: number;
  /** SSVI γ in (0, ½]. */
  readonly gamma: number;
}

/** Shortest time used for implied vols (one minute), so expiring options keep a finite IV. */
export const MIN_IV_TIME = 1 / (DAYS_PER_YEAR * 24 * 60);

/** Years in the 30-day ATM IV reported as OPTION_IMPLIED_VOLATILITY. */
export const IV_INDEX_TIME = 30 / DAYS_PER_YEAR;

/**
 * Checks the no-arbitrage conditions on the SSVI parameters.
 * @throws RangeError naming the violated condition.
 */
export function validateSurfaceParams(p: SurfaceParams): void {
  if (!(p.longRunVariance > 0)) throw new RangeError(`longRunVariance must be > 0, got ${p.longRunVariance}`);
  if (!(p.meanReversion > 0)) throw new RangeError(`meanReversion must be > 0, got ${p.meanReversion}`);
  if (!(p.premium >= 1)) throw new RangeError(`premium must be ≥ 1, got ${p.premium}`);
  if (!(p.rho > -1 && p.rho < 1)) throw new RangeError(`rho must be in (−1, 1), got ${p.rho}`);
  if (!(p.gamma > 0 && p.gamma <= 0.5)) throw new RangeError(`gamma must be in (0, 0.5], got ${p.gamma}`);
  if (!(p.eta > 0 && p.eta * (1 + Math.abs(p.rho)) <= 2)) throw new RangeError(`eta must be > 0 with eta·(1 + |rho|) ≤ 2, got eta ${p.eta}, rho ${p.rho}`);
}

/** Total ATM implied variance θ(T) for instantaneous variance v. */
export function atmTotalVariance(p: SurfaceParams, instantVariance: number, time: number): number {
  const t = Math.max(time, MIN_IV_TIME);
  const k = p.meanReversion;
  const decay = -Math.expm1(-k * t) / k;
  return p.premium * (p.longRunVariance * t + (instantVariance - p.longRunVariance) * decay);
}

/** ATM implied volatility for time T (years). */
export function atmImpliedVol(p: SurfaceParams, instantVariance: number, time: number): number {
  const t = Math.max(time, MIN_IV_TIME);
  return Math.sqrt(atmTotalVariance(p, instantVariance, t) / t);
}

/** SSVI total implied variance at log-forward moneyness k for ATM total variance θ. */
export function ssviTotalVariance(p: SurfaceParams, theta: number, k: number): number {
  const phi = p.eta / (Math.pow(theta, p.gamma) * Math.pow(1 + theta, 1 - p.gamma));
  const a = phi * k + p.rho;
  return 0.5 * theta * (1 + p.rho * phi * k + Math.sqrt(a * a + 1 - p.rho * p.rho));
}

/**
 * One expiry's slice of the surface: precompute θ once, then ask for the IV of any strike.
 */
export class SurfaceSlice {
  /** Years to expiry used for the vols (≥ one minute). */
  readonly time: number;
  /** Total ATM implied variance. */
  readonly theta: number;
  /** Forward price F_T. */
  readonly forward: number;
  readonly #params: SurfaceParams;

  constructor(params: SurfaceParams, instantVariance: number, time: number, forward: number) {
    this.#params = params;
    this.time = Math.max(time, MIN_IV_TIME);
    this.theta = atmTotalVariance(params, instantVariance, this.time);
    this.forward = forward;
  }

  /** ATM implied vol of this expiry. */
  get atmVol(): number {
    return Math.sqrt(this.theta / this.time);
  }

  /** Log-forward moneyness ln(K/F). */
  moneyness(strike: number): number {
    return Math.log(strike / this.forward);
  }

  /** Implied vol of a strike. */
  impliedVol(strike: number): number {
    return Math.sqrt(ssviTotalVariance(this.#params, this.theta, this.moneyness(strike)) / this.time);
  }

  /** Total implied variance at log-forward moneyness k. */
  totalVariance(k: number): number {
    return ssviTotalVariance(this.#params, this.theta, k);
  }
}
