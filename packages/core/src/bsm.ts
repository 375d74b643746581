/**
 * Black-Scholes-Merton prices and greeks for European calls and puts on an underlying paying a
 * continuous dividend yield q (Merton 1973), one option at a time. Units (docs/core-math.md):
 * - time in years (calendar days / 365), rates and yields continuously compounded per year;
 * - theta per calendar day (the per-year derivative / 365), vega per 1 vol point (σ + 0.01),
 *   rho per 1 rate point (r + 0.01); delta and gamma per 1 unit of the underlying.
 *
 * @packageDocumentation
 */

import { bsmGreeksBatch } from "./bsm-batch.js";
import { createGreeksBatch, createOptionBatch, rightCode } from "./option-batch.js";

/** Option right. */
export type OptionRight = "call" | "put";

/** Market and contract inputs shared by pricing and implied volatility. */
export interface OptionMarketInputs {
  /** Call or put. */
  readonly right: OptionRight;
  /** Underlying price S (> 0). */
  readonly spot: number;
  /** Strike K (> 0). */
  readonly strike: number;
  /** Time to expiry T in years (calendar days / 365; ≥ 0). */
  readonly time: number;
  /** Continuously compounded risk-free rate r per year, e.g. 0.05. */
  readonly rate: number;
  /** Continuous dividend yield q per year, e.g. 0.013 (0 for none). */
  readonly dividendYield: number;
}

/** Inputs of a Black-Scholes-Merton valuation. */
export interface BsmInput extends OptionMarketInputs {
  /** Volatility σ per √year, e.g. 0.2 for 20 % (≥ 0). */
  readonly vol: number;
}

/** Price and greeks of one option, per share (one unit of the underlying). */
export interface Greeks {
  /** Option value. */
  readonly price: number;
  /** ∂V/∂S. */
  readonly delta: number;
  /** ∂²V/∂S². */
  readonly gamma: number;
  /** Value change for one calendar day passing: −(∂V/∂T)/365. */
  readonly theta: number;
  /** Value change for σ + 0.01 (one vol point): (∂V/∂σ)/100. */
  readonly vega: number;
  /** Value change for r + 0.01 (one rate point): (∂V/∂r)/100. */
  readonly rho: number;
}

// A batch of one, reused: the scalar API runs the batch code, so both always agree.
const one = createOptionBatch(1);
const oneVol = new Float64Array(1);
const oneOut = createGreeksBatch(1);

function checkInput(input: BsmInput): void {
  const { right, spot, strike, time, rate, dividendYield, vol } = input;
  if (rightCode(right) === undefined) throw new RangeError(`right must be "call" or "put", got ${JSON.stringify(right)}`);
  if (!(spot > 0 && spot < Infinity)) throw new RangeError(`spot must be a positive finite number, got ${spot}`);
  if (!(strike > 0 && strike < Infinity)) throw new RangeError(`strike must be a positive finite number, got ${strike}`);
  if (!(time >= 0 && time < Infinity)) throw new RangeError(`time must be a finite number ≥ 0, got ${time}`);
  if (!Number.isFinite(rate)) throw new RangeError(`rate must be finite, got ${rate}`);
  if (!Number.isFinite(dividendYield)) throw new RangeError(`dividendYield must be finite, got ${dividendYield}`);
  if (!(vol >= 0 && vol < Infinity)) throw new RangeError(`vol must be a finite number ≥ 0, got ${vol}`);
}

/**
 * Black-Scholes-Merton price and greeks (see {@link Greeks} for units).
 * σ = 0 or T = 0 gives the deterministic limit (discounted forward intrinsic; gamma and vega 0).
 * @throws RangeError when an input is not finite or out of its domain.
 */
export function bsmGreeks(input: BsmInput): Greeks {
  checkInput(input);
  one.right[0] = rightCode(input.right) ?? 255;
  one.spot[0] = input.spot;
  one.strike[0] = input.strike;
  one.time[0] = input.time;
  one.rate[0] = input.rate;
  one.dividendYield[0] = input.dividendYield;
  oneVol[0] = input.vol;
  bsmGreeksBatch(one, oneVol, oneOut);
  return {
    price: oneOut.price[0] ?? NaN,
    delta: oneOut.delta[0] ?? NaN,
    gamma: oneOut.gamma[0] ?? NaN,
    theta: oneOut.theta[0] ?? NaN,
    vega: oneOut.vega[0] ?? NaN,
    rho: oneOut.rho[0] ?? NaN,
  };
}

/**
 * Black-Scholes-Merton price only. Same conventions as {@link bsmGreeks}.
 * @throws RangeError when an input is not finite or out of its domain.
 */
export function bsmPrice(input: BsmInput): number {
  return bsmGreeks(input).price;
}
