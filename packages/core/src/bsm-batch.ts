/**
 * Black-Scholes-Merton prices and greeks for a whole {@link OptionBatch} (vectorised API).
 * `greeksKernel` is the one implementation of the BSM formulas: the batch API, the fused
 * implied-vol + greeks pass and the scalar `bsmGreeks` (a batch of one) all run it.
 *
 * @packageDocumentation
 */

import { INV_SQRT_2PI, millsLower, normCdfCentral, SMALL_Z } from "./normal.js";
import { batchLength, requireGreeksLength, requireLength, type GreeksBatch, type OptionBatch } from "./option-batch.js";

/** Days per year for the theta convention and for DTE → T. */
export const DAYS_PER_YEAR = 365;
const PER_DAY = 1 / DAYS_PER_YEAR;

/**
 * Greeks of the options whose `valid[i]` is 1, from x = ln(F/K) and s = σ√T per option
 * (both already known to the implied-vol solver); the others get NaN. Inputs are assumed
 * finite and in domain for valid options (the callers check them).
 */
export function greeksKernel(
  options: OptionBatch,
  logMoneyness: Float64Array,
  stdDev: Float64Array,
  valid: Uint8Array,
  n: number,
  out: GreeksBatch,
): void {
  const { right, spot, strike, time, rate, dividendYield } = options;
  const { price, delta, gamma, theta, vega, rho } = out;
  let lastT = NaN;
  let lastR = NaN;
  let lastQ = NaN;
  let discount = 1;
  let dividendDiscount = 1;
  let sqrtT = 0;
  let halfInvT = 0;
  for (let i = 0; i < n; i++) {
    if (valid[i] !== 1) {
      price[i] = NaN;
      delta[i] = NaN;
      gamma[i] = NaN;
      theta[i] = NaN;
      vega[i] = NaN;
      rho[i] = NaN;
      continue;
    }
    const S = spot[i] ?? NaN;
    const K = strike[i] ?? NaN;
    const T = time[i] ?? NaN;
    const r = rate[i] ?? NaN;
    const q = dividendYield[i] ?? NaN;
    if (T !== lastT || r !== lastR || q !== lastQ) {
      // Chains are sorted by expiry: a few exponentials per expiry, not per option.
      lastT = T;
      lastR = r;
      lastQ = q;
      discount = Math.exp(-r * T);
      dividendDiscount = Math.exp(-q * T);
      sqrtT = Math.sqrt(T);
      halfInvT = 0.5 / T;
    }
    const isCall = right[i] === 1;
    const sq = S * dividendDiscount;
    const kd = K * discount;
    const x = logMoneyness[i] ?? NaN;
    const s = stdDev[i] ?? NaN;
    let nd1: number;
    let nd2: number;
    let pdf1: number;
    if (s > 0) {
      const d1 = x / s + 0.5 * s;
      const d2 = d1 - s;
      const e1 = Math.exp(-0.5 * d1 * d1);
      // φ(d2) = φ(d1)·F/K; computed directly only when φ(d1) underflowed (absurdly large s).
      const e2 = e1 > 1e-280 ? (e1 * sq) / kd : Math.exp(-0.5 * d2 * d2);
      pdf1 = e1 * INV_SQRT_2PI;
      // Puts use N(−d) from Cody's tail branch directly: 1 − N(d) would cancel every digit of a
      // deep in-the-money put's delta.
      // Both N evaluations go through one call site of each helper (a two-pass loop): V8's
      // inlining budget fits one copy of each, and a call it does not inline boxes its doubles.
      nd1 = 0;
      nd2 = 0;
      for (let k = 0; k < 2; k++) {
        const z = k === 0 ? (isCall ? d1 : -d1) : isCall ? d2 : -d2;
        let nz: number;
        if (Math.abs(z) > SMALL_Z) {
          const tail = (k === 0 ? e1 : e2) * INV_SQRT_2PI * millsLower(-Math.abs(z));
          nz = z < 0 ? tail : 1 - tail;
        } else {
          nz = normCdfCentral(z);
        }
        if (k === 0) nd1 = nz;
        else nd2 = nz;
      }
    } else {
      // Deterministic limit (σ = 0 or T = 0): the forward finishes exactly where it is.
      nd1 = (isCall ? x > 0 : x < 0) ? 1 : x === 0 ? 0.5 : 0;
      nd2 = nd1;
      pdf1 = 0;
    }
    // With N(−d) for puts, call and put share one formula up to the sign w.
    const w = isCall ? 1 : -1;
    price[i] = w * (sq * nd1 - kd * nd2);
    delta[i] = w * dividendDiscount * nd1;
    const carry = w * (q * sq * nd1 - r * kd * nd2);
    if (s > 0) {
      gamma[i] = (dividendDiscount * pdf1) / (S * s);
      vega[i] = sq * pdf1 * sqrtT * 0.01;
      theta[i] = (carry - sq * pdf1 * s * halfInvT) * PER_DAY;
    } else {
      gamma[i] = 0;
      vega[i] = 0;
      theta[i] = carry * PER_DAY;
    }
    rho[i] = w * T * kd * nd2 * 0.01;
  }
}

// Scratch for bsmGreeksBatch, grown to the largest batch seen.
let scratchX = new Float64Array(0);
let scratchS = new Float64Array(0);
let scratchValid = new Uint8Array(0);

/**
 * Prices and greeks of every option at the given vols, written into `out`
 * (units as in `Greeks`: theta per calendar day, vega per vol point, rho per rate point).
 * Elements with invalid inputs (non-finite, spot/strike ≤ 0, negative time or vol, NaN vol,
 * unknown right code) get NaN in every output instead of throwing. σ = 0 or T = 0 gives the
 * deterministic limit (discounted forward intrinsic value; gamma and vega 0).
 */
export function bsmGreeksBatch(options: OptionBatch, vol: Float64Array, out: GreeksBatch): void {
  const n = batchLength(options);
  requireLength(n, { vol });
  requireGreeksLength(n, out);
  if (scratchX.length < n) {
    const capacity = Math.max(n, 2 * scratchX.length);
    scratchX = new Float64Array(capacity);
    scratchS = new Float64Array(capacity);
    scratchValid = new Uint8Array(capacity);
  }
  const { right, spot, strike, time, rate, dividendYield } = options;
  for (let i = 0; i < n; i++) {
    const S = spot[i] ?? NaN;
    const K = strike[i] ?? NaN;
    const T = time[i] ?? NaN;
    const r = rate[i] ?? NaN;
    const q = dividendYield[i] ?? NaN;
    const sigma = vol[i] ?? NaN;
    const ok = (right[i] ?? 255) <= 1 && S > 0 && S < Infinity && K > 0 && K < Infinity && T >= 0 && T < Infinity &&
      Number.isFinite(r) && Number.isFinite(q) && sigma >= 0 && sigma < Infinity;
    scratchValid[i] = ok ? 1 : 0;
    // x = ln(F/K) with F = S·e^{(r−q)T}.
    scratchX[i] = Math.log(S / K) + (r - q) * T;
    scratchS[i] = sigma * Math.sqrt(T);
  }
  greeksKernel(options, scratchX, scratchS, scratchValid, n, out);
}
