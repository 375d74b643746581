// Benchmark: the vertical-spread scan engine (packages/core Scanner) on a fixed realistic chain.
// One underlying at 500; 20 expiries from 2 to 365 DTE × 250 strikes from 50 % to ~150 % of spot
// ($2 apart) × call and put = 10,000 contracts, rows sorted by (expiry, right, strike) as the
// gateway sends them; smile-shaped IV; model greeks from core's BSM; bid/ask widening away from
// the money; volume and open interest decaying away from the money. Filters: a typical credit
// strategy, every filter on, both credit kinds. Cases: that chain; 50 underlyings × 2,000
// contracts (one scan each, timed together); 100,000 contracts (40 expiries × 1,250 strikes).
import console from "node:console";
import process from "node:process";
import { performance } from "node:perf_hooks";
import {
  bsmGreeksBatch,
  createGreeksBatch,
  createOptionBatch,
  DEFAULT_SCAN_WEIGHTS,
  RightCode,
  Scanner,
} from "../packages/core/dist/index.js";

const RATE = 0.045;
const YIELD = 0.013;

/** Smile: ATM term structure, put skew and wing curvature in standardized log-moneyness. */
function smileVol(spot, strike, time) {
  const atm = 0.14 + 0.06 * Math.exp(-time / 0.15);
  const k = Math.log(strike / (spot * Math.exp((RATE - YIELD) * time)));
  const z = k / Math.sqrt(time);
  const vol = atm * (1 - 0.35 * z + 0.45 * z * z) / (1 + 0.1 * Math.abs(z));
  return Math.min(Math.max(vol, 0.05), 2);
}

/**
 * A chain as protobuf-es delivers it (plain number[] columns), `expiries` expiries spread from 2
 * to 365 DTE and `strikes` strikes from 50 % to 150 % of spot, calls then puts per expiry.
 */
export function buildChain({ spot = 500, expiries = 20, strikes = 250 } = {}) {
  const n = expiries * strikes * 2;
  const options = createOptionBatch(n);
  const vols = new Float64Array(n);
  const dteOf = [];
  for (let e = 0; e < expiries; e++) dteOf.push(Math.round(2 + (363 * e) / Math.max(1, expiries - 1)));
  const step = spot / strikes; // 250 strikes → $2 apart at 500
  const cols = {
    expiry: [], dte: [], strike: [], right: [], bid: [], ask: [], volume: [], openInterest: [],
    impliedVol: [], delta: [], gamma: [], theta: [], vega: [],
  };
  let i = 0;
  for (let e = 0; e < expiries; e++) {
    const time = dteOf[e] / 365;
    for (const right of [RightCode.Call, RightCode.Put]) {
      for (let j = 0; j < strikes; j++) {
        const strike = Math.round((spot * 0.5 + j * step) * 100) / 100;
        options.right[i] = right;
        options.spot[i] = spot;
        options.strike[i] = strike;
        options.time[i] = time;
        options.rate[i] = RATE;
        options.dividendYield[i] = YIELD;
        vols[i] = smileVol(spot, strike, time);
        i++;
      }
    }
  }
  const g = createGreeksBatch(n);
  bsmGreeksBatch(options, vols, g);
  for (let r = 0; r < n; r++) {
    const e = Math.floor(r / (2 * strikes));
    const strike = options.strike[r];
    const price = g.price[r];
    const away = Math.abs(Math.log(strike / spot));
    // Quotes widen away from the money and with price; penny ticks below $3, nickels above.
    const half = (0.02 + 0.015 * price) * (1 + 6 * away);
    const tick = price < 3 ? 0.01 : 0.05;
    const bid = Math.max(0, Math.floor((price - half) / tick) * tick);
    const ask = Math.ceil((price + half) / tick) * tick;
    cols.expiry.push(20260101 + e); // distinct, ascending (the engine only compares them)
    cols.dte.push(dteOf[e]);
    cols.strike.push(strike);
    cols.right.push(options.right[r] === RightCode.Call ? 1 : 2);
    cols.bid.push(Math.round(bid * 100) / 100);
    cols.ask.push(Math.round(ask * 100) / 100);
    const liquidity = Math.exp(-12 * away);
    cols.volume.push(Math.round(3000 * liquidity));
    cols.openInterest.push(Math.round(20000 * liquidity));
    cols.impliedVol.push(vols[r]);
    cols.delta.push(g.delta[r]);
    cols.gamma.push(g.gamma[r]);
    cols.theta.push(g.theta[r]);
    cols.vega.push(g.vega[r]);
  }
  return {
    rowCount: n,
    ...cols,
    underlyingPrice: spot,
    minTick: 0.01,
    incrementLowEdges: [0, 3],
    increments: [0.01, 0.05],
  };
}

/** A typical credit strategy with every filter on; both credit kinds. */
export const CONFIG = {
  kinds: ["bullPut", "bearCall"],
  filters: {
    dteMin: 25,
    dteMax: 70,
    shortDeltaMin: 0.15,
    shortDeltaMax: 0.4,
    longDeltaMin: 0.02,
    longDeltaMax: 0.45,
    widthMin: 1,
    widthMax: 20,
    minVolume: 10,
    minOpenInterest: 100,
    maxBidAskSpread: 1.5,
    maxBidAskSpreadPercent: 40,
    thetaAbove: 0,
    maxGamma: 0.05,
    vegaMin: -1,
    vegaMax: 0,
    minProbabilityOfProfit: 0.5,
    minReturnOnRisk: 0.1,
    minCreditToWidth: 0.1,
    minExpectedValue: -1,
  },
  limitOffset: 0.02,
  topK: 10,
  weights: DEFAULT_SCAN_WEIGHTS,
  drift: RATE - YIELD,
};

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function time(name, chains, { warmup, runs, bar }) {
  const scanner = new Scanner();
  let pairs = 0;
  let passed = 0;
  let candidates = 0;
  for (let w = 0; w < warmup; w++) for (const c of chains) scanner.scan(c, CONFIG);
  const samples = new Float64Array(runs);
  for (let r = 0; r < runs; r++) {
    pairs = 0;
    passed = 0;
    candidates = 0;
    const t0 = performance.now();
    for (const c of chains) {
      const out = scanner.scan(c, CONFIG);
      pairs += out.pairsEvaluated;
      passed += out.pairsPassed;
      candidates += out.candidates.length;
    }
    samples[r] = performance.now() - t0;
  }
  samples.sort();
  const contracts = chains.reduce((s, c) => s + c.rowCount, 0);
  const p50 = percentile(samples, 0.5);
  const p99 = percentile(samples, 0.99);
  const ok = candidates > 0 && (bar === undefined || (p50 <= bar.p50 && p99 <= bar.p99));
  return {
    bench: name,
    contracts,
    underlyings: chains.length,
    pairs_considered: pairs,
    pairs_passed: passed,
    candidates,
    p50_ms: Number(p50.toFixed(3)),
    p99_ms: Number(p99.toFixed(3)),
    min_ms: Number(samples[0].toFixed(3)),
    ns_per_pair: Number(((samples[0] * 1e6) / Math.max(1, pairs)).toFixed(1)),
    rss_mb: Number((process.memoryUsage().rss / 2 ** 20).toFixed(1)),
    bar: bar === undefined ? undefined : `p50 ≤ ${bar.p50} ms, p99 ≤ ${bar.p99} ms`,
    ok,
  };
}

/** Runs the three cases; returns one result object per case. */
export function run() {
  // Chains are built per case (and dropped after it) so rss_mb reflects that case.
  const results = [];
  results.push(time("scanner_10k", [buildChain()], { warmup: 300, runs: 1000, bar: { p50: 0.4, p99: 1.5 } }));
  const universe = Array.from({ length: 50 }, (_, u) => buildChain({ spot: 50 + 19 * u, expiries: 8, strikes: 125 }));
  results.push(time("scanner_50x2k", universe, { warmup: 20, runs: 200 }));
  universe.length = 0;
  results.push(time("scanner_100k", [buildChain({ expiries: 40, strikes: 1250 })], { warmup: 20, runs: 200 }));
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let failed = false;
  for (const result of run()) {
    if (!result.ok) failed = true;
    console.log(JSON.stringify(result));
  }
  if (failed) process.exitCode = 1;
}
