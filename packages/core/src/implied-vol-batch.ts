/**
 * Implied volatility (and greeks at the implied vol) for a whole {@link OptionBatch}
 * (vectorised API): Float64Array in, caller-provided Float64Array/Uint8Array out, NaN plus a
 * status code where there is no implied vol.
 *
 * The solve runs in stages over all options — normalise, guess, then Householder steps over
 * the options that have not converged yet — which keeps each loop free of dependencies
 * between iterations (see normalized-black.ts). Scratch space is kept between calls and grows
 * with the largest batch seen; nothing is allocated per option.
 *
 * @packageDocumentation
 */

import { greeksKernel } from "./bsm-batch.js";
import { IvStatus } from "./iv-status.js";
import { createSolverWorkspace, householderStep, initialGuess, type SolverWorkspace } from "./normalized-black.js";
import { batchLength, requireGreeksLength, requireLength, type GreeksBatch, type OptionBatch } from "./option-batch.js";

let workspace: SolverWorkspace = createSolverWorkspace(0);
let pending = new Int32Array(0);

function reserve(n: number): SolverWorkspace {
  if (workspace.a.length < n) {
    const capacity = Math.max(n, 2 * workspace.a.length);
    workspace = createSolverWorkspace(capacity);
    pending = new Int32Array(capacity);
  }
  return workspace;
}

/**
 * Solves every option; shared by the batch and scalar APIs. When `outEvaluations` is given it
 * receives the number of function evaluations per option (0 when not solved).
 */
export function solveImpliedVols(
  options: OptionBatch,
  prices: Float64Array,
  outVol: Float64Array,
  outStatus: Uint8Array,
  outEvaluations?: Int32Array,
): number {
  const n = batchLength(options);
  requireLength(n, { prices, outVol, outStatus });
  const ws = reserve(n);
  const queue = pending;
  const { right, spot, strike, time, rate, dividendYield } = options;
  let lastT = NaN;
  let lastR = NaN;
  let lastQ = NaN;
  let invDiscount = 1;
  let dividendDiscount = 1;
  let m = 0;
  // Stage 1: validate, check the arbitrage bounds, normalise.
  for (let i = 0; i < n; i++) {
    outVol[i] = NaN;
    ws.valid[i] = 0;
    const code = right[i] ?? 255;
    const S = spot[i] ?? NaN;
    const K = strike[i] ?? NaN;
    const T = time[i] ?? NaN;
    const r = rate[i] ?? NaN;
    const q = dividendYield[i] ?? NaN;
    const price = prices[i] ?? NaN;
    if (T <= 0) {
      outStatus[i] = IvStatus.NonPositiveTime;
      continue;
    }
    if (!(code <= 1 && S > 0 && S < Infinity && K > 0 && K < Infinity && T < Infinity && Number.isFinite(r) &&
      Number.isFinite(q) && Number.isFinite(price))) {
      outStatus[i] = IvStatus.InvalidInput;
      continue;
    }
    if (T !== lastT || r !== lastR || q !== lastQ) {
      // Chains are sorted by expiry: one pair of exponentials per expiry, not per option.
      lastT = T;
      lastR = r;
      lastQ = q;
      invDiscount = Math.exp(r * T);
      dividendDiscount = Math.exp(-q * T);
    }
    const isCall = code === 1;
    const forward = S * dividendDiscount * invDiscount;
    // Undiscounted price minus the forward intrinsic value: the solver only ever sees the
    // out-of-the-money option's value (put-call parity), which keeps deep ITM prices exact.
    const p = price * invDiscount;
    if (!(p < (isCall ? forward : K))) {
      outStatus[i] = IvStatus.AboveUpperBound;
      continue;
    }
    const intrinsic = isCall ? forward - K : K - forward;
    const timeValue = intrinsic > 0 ? p - intrinsic : p;
    if (!(timeValue > 0)) {
      outStatus[i] = IvStatus.BelowIntrinsic;
      continue;
    }
    // With ρ = F/K: √(F·K) = K·√ρ and b_max = e^{−|x|/2} = min(√ρ, 1/√ρ).
    const ratio = forward / K;
    const root = Math.sqrt(ratio);
    const beta = timeValue / (K * root);
    const bmax = ratio < 1 ? root : 1 / root;
    if (!(beta < bmax)) {
      outStatus[i] = IvStatus.AboveUpperBound;
      continue;
    }
    const x = Math.log(ratio);
    ws.x[i] = x;
    ws.a[i] = Math.abs(x);
    ws.beta[i] = beta;
    ws.bmax[i] = bmax;
    ws.valid[i] = 1;
    outStatus[i] = IvStatus.Ok;
    queue[m++] = i;
  }
  // Stage 2: initial guesses.
  for (let j = 0; j < m; j++) initialGuess(ws, queue[j] ?? 0);
  // Stage 3: Householder steps, one sweep over the unconverged options at a time.
  while (m > 0) {
    let next = 0;
    for (let j = 0; j < m; j++) {
      const i = queue[j] ?? 0;
      if (!householderStep(ws, i)) queue[next++] = i;
    }
    m = next;
  }
  // Stage 4: σ = s/√T.
  let solved = 0;
  for (let i = 0; i < n; i++) {
    if (outEvaluations) outEvaluations[i] = 0;
    if (outStatus[i] !== IvStatus.Ok) continue;
    const s = ws.s[i] ?? NaN;
    if (s > 0 && s < Infinity) {
      outVol[i] = s / Math.sqrt(time[i] ?? NaN);
      solved++;
    } else {
      outStatus[i] = IvStatus.NotConverged;
      ws.valid[i] = 0;
    }
    if (outEvaluations) outEvaluations[i] = ws.evaluations[i] ?? 0;
  }
  return solved;
}

/**
 * Implied vols of every option in the batch from its price per share. Writes σ (or NaN) into
 * `outVol` and an {@link IvStatus} code into `outStatus`; returns how many were solved.
 */
export function impliedVolBatch(
  options: OptionBatch,
  prices: Float64Array,
  outVol: Float64Array,
  outStatus: Uint8Array,
): number {
  return solveImpliedVols(options, prices, outVol, outStatus);
}

/**
 * Implied vols plus price and greeks at the implied vol (`bsmGreeksBatch` units).
 * Options without an implied vol get NaN in every output. Returns how many were solved.
 */
export function impliedVolGreeksBatch(
  options: OptionBatch,
  prices: Float64Array,
  outVol: Float64Array,
  outStatus: Uint8Array,
  outGreeks: GreeksBatch,
): number {
  const n = batchLength(options);
  requireGreeksLength(n, outGreeks);
  const solved = solveImpliedVols(options, prices, outVol, outStatus);
  // The solver's ln(F/K) and σ√T feed the greeks directly.
  greeksKernel(options, workspace.x, workspace.s, workspace.valid, n, outGreeks);
  return solved;
}
