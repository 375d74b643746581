/**
 * Implied volatility of one European option under Black-Scholes-Merton with a continuous
 * dividend yield. Converges wherever the price is arbitrage-free — strictly between the lower
 * bound max(S·e^{−qT} − K·e^{−rT}, 0) (call) / max(K·e^{−rT} − S·e^{−qT}, 0) (put) and the
 * upper bound S·e^{−qT} (call) / K·e^{−rT} (put) — and reports every other case as a failure,
 * never as a number. Runs the batch solver on a batch of one, so scalar and batch results agree.
 *
 * @packageDocumentation
 */

import type { OptionMarketInputs } from "./bsm.js";
import { solveImpliedVols } from "./implied-vol-batch.js";
import { ivFailureName, IvStatus, type IvFailure } from "./iv-status.js";
import { createOptionBatch, rightCode } from "./option-batch.js";

/** Inputs of an implied volatility solve: the option, its market, and its price per share. */
export interface ImpliedVolInput extends OptionMarketInputs {
  /** Option price per share (not × multiplier). */
  readonly price: number;
}

/** Result of {@link impliedVol}: the vol, or why there is none. */
export type ImpliedVolResult =
  | {
    readonly ok: true;
    /** σ per √year. */
    readonly vol: number;
    /** Function evaluations used (for diagnostics). */
    readonly iterations: number;
  }
  | {
    readonly ok: false;
    /** Why there is no implied vol. */
    readonly status: IvFailure;
    /** Human-readable explanation. */
    readonly message: string;
  };

const MESSAGES: Readonly<Record<IvFailure, string>> = {
  "below-intrinsic": "price is at or below the lower arbitrage bound (discounted intrinsic value); no volatility reproduces it",
  "above-upper-bound": "price is at or above the upper arbitrage bound (S·e^{−qT} for a call, K·e^{−rT} for a put)",
  "non-positive-time": "time to expiry is not positive",
  "invalid-input": "an input is not finite or out of its domain",
  "not-converged": "the solver did not converge",
};

const one = createOptionBatch(1);
const onePrice = new Float64Array(1);
const oneVol = new Float64Array(1);
const oneStatus = new Uint8Array(1);
const oneEvaluations = new Int32Array(1);

/**
 * Implied volatility σ (per √year) of a European option priced per share, to better than 1e-8
 * relative (typically ~1e-14) wherever the price carries that much information
 * (docs/core-math.md). Prices outside the arbitrage bounds, T ≤ 0 and invalid inputs return a
 * failure with its reason.
 */
export function impliedVol(input: ImpliedVolInput): ImpliedVolResult {
  // An unknown right becomes code 255, which the solver reports as invalid input.
  one.right[0] = rightCode(input.right) ?? 255;
  one.spot[0] = input.spot;
  one.strike[0] = input.strike;
  one.time[0] = input.time;
  one.rate[0] = input.rate;
  one.dividendYield[0] = input.dividendYield;
  onePrice[0] = input.price;
  solveImpliedVols(one, onePrice, oneVol, oneStatus, oneEvaluations);
  const status = oneStatus[0] ?? IvStatus.InvalidInput;
  const failure = ivFailureName(status);
  if (failure === undefined) return { ok: true, vol: oneVol[0] ?? NaN, iterations: oneEvaluations[0] ?? 0 };
  return { ok: false, status: failure, message: MESSAGES[failure] };
}
