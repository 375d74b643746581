// Benchmark: implied vol (to 1e-8) + all greeks for a realistic 10,000-contract chain.
// 20 expiries × 250 strikes × 2 rights around spot 500; prices come from a smile-shaped IV
// surface, are solved back to vols, and greeks are computed at the solved vols.
import process from "node:process";
import {
  bsmGreeksBatch,
  createGreeksBatch,
  createOptionBatch,
  impliedVolGreeksBatch,
  IvStatus,
  RightCode,
} from "../packages/core/dist/index.js";

const SPOT = 500;
const RATE = 0.045;
const YIELD = 0.013;
/** Calendar days to expiry: weeklies, monthlies, quarterlies, LEAPS (1 day … 2 years). */
const EXPIRY_DAYS = [1, 2, 3, 4, 7, 9, 14, 21, 28, 35, 49, 63, 91, 119, 182, 245, 364, 455, 546, 730];
const STRIKES_PER_EXPIRY = 250;

/** Smile: ATM term structure, put skew and wing curvature in standardized log-moneyness. */
function smileVol(strike, time) {
  const atm = 0.14 + 0.06 * Math.exp(-time / 0.15);
  const k = Math.log(strike / (SPOT * Math.exp((RATE - YIELD) * time)));
  const z = k / Math.sqrt(time);
  const vol = atm * (1 - 0.35 * z + 0.45 * z * z) / (1 + 0.1 * Math.abs(z));
  return Math.min(Math.max(vol, 0.05), 2);
}

/** Strikes 375 … 623 in $1 steps: ±25 % around spot, like a liquid index ETF chain. */
export function buildChain() {
  const n = EXPIRY_DAYS.length * STRIKES_PER_EXPIRY * 2;
  const options = createOptionBatch(n);
  const trueVol = new Float64Array(n);
  let i = 0;
  for (const days of EXPIRY_DAYS) {
    const time = days / 365;
    for (let j = 0; j < STRIKES_PER_EXPIRY; j++) {
      const strike = 375 + j;
      for (const right of [RightCode.Call, RightCode.Put]) {
        options.right[i] = right;
        options.spot[i] = SPOT;
        options.strike[i] = strike;
        options.time[i] = time;
        options.rate[i] = RATE;
        options.dividendYield[i] = YIELD;
        trueVol[i] = smileVol(strike, time);
        i++;
      }
    }
  }
  const model = createGreeksBatch(n);
  bsmGreeksBatch(options, trueVol, model);
  return { options, trueVol, prices: model.price, modelVega: model.vega, modelDelta: model.delta, n };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Same chain in a pseudo-random order: no per-expiry reuse of discount factors between neighbours. */
function shuffled(chain) {
  const { options, trueVol, prices, modelVega, modelDelta, n } = chain;
  const order = Array.from({ length: n }, (_, i) => i);
  let seed = 2024;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const pick = (array) => {
    const out = new array.constructor(n);
    order.forEach((from, to) => (out[to] = array[from]));
    return out;
  };
  const picked = {};
  for (const key of Object.keys(options)) picked[key] = pick(options[key]);
  return { options: picked, trueVol: pick(trueVol), prices: pick(prices), modelVega: pick(modelVega), modelDelta: pick(modelDelta), n };
}

export function run({ runs = 200, warmup = 50, shuffle = false } = {}) {
  const chain = shuffle ? shuffled(buildChain()) : buildChain();
  const { options, trueVol, prices, modelVega, modelDelta, n } = chain;
  const vol = new Float64Array(n);
  const status = new Uint8Array(n);
  const greeks = createGreeksBatch(n);
  for (let k = 0; k < warmup; k++) impliedVolGreeksBatch(options, prices, vol, status, greeks);
  const times = new Float64Array(runs);
  for (let k = 0; k < runs; k++) {
    const t0 = process.hrtime.bigint();
    impliedVolGreeksBatch(options, prices, vol, status, greeks);
    times[k] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  times.sort();
  // Correctness: every contract whose price resolves σ to 1e-8 must round-trip to 1e-8.
  // A contract is "informative" when a 1e-8 relative change of σ moves the price by at least
  // 64 ulps of the magnitude the price is computed from, M = S·e^{−qT}·N(±d1) + K·e^{−rT}·N(±d2)
  // = |price − 2·S·delta| (a deep ITM price is a small difference of two large terms).
  let maxRelErr = 0;
  let informative = 0;
  let solved = 0;
  for (let i = 0; i < n; i++) {
    if (status[i] === IvStatus.Ok) solved++;
    const price = prices[i];
    const magnitude = Math.abs(price - 2 * options.spot[i] * modelDelta[i]);
    const vegaPerUnit = modelVega[i] * 100;
    if (!(price > 1e-290) || vegaPerUnit * trueVol[i] * 1e-8 < 64 * Number.EPSILON * magnitude) continue;
    informative++;
    const err = status[i] === IvStatus.Ok ? Math.abs(vol[i] / trueVol[i] - 1) : Infinity;
    if (err > maxRelErr) maxRelErr = err;
  }
  return {
    bench: shuffle ? "iv_greeks_shuffled" : "iv_greeks",
    contracts: n,
    p50_ms: Number(percentile(times, 0.5).toFixed(3)),
    p99_ms: Number(percentile(times, 0.99).toFixed(3)),
    min_ms: Number(times[0].toFixed(3)),
    runs,
    solved,
    informative,
    max_iv_rel_err: maxRelErr,
    ok: maxRelErr <= 1e-8 && informative > 0,
  };
}
