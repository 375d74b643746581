/**
 * The vertical-spread scan: chain columns + config in, ranked candidates out.
 *
 * Two passes, cheap work first (docs/scanner-engine.md has the long form):
 * 1. **Row pass**: every row goes through the leg-level filters in SpreadFilterId order; a row
 *    that keeps a role (short and/or long) is copied into compact typed-array columns, grouped by
 *    (expiry, right), with its per-row constants (mid, liquidity, ln(S/K)).
 * 2. **Pair pass**: per group and kind, strikes are ascending, so two pointers give for each short
 *    leg exactly the long legs within the width range; each pair runs the spread-level filters in
 *    order — price and ratio checks, greeks, then probability of profit (one log and one normal
 *    CDF) and expected value (four normal CDFs) last — and survivors go to a bounded top-K heap.
 *
 * Nothing is allocated per row or per pair: workspaces are owned by the {@link Scanner} and
 * reused across scans (they grow to the largest chain seen). Only the K winners become objects.
 *
 * @packageDocumentation
 */

import { DAYS_PER_YEAR } from "../bsm-batch.js";
import { SPREAD_KINDS, type SpreadKind } from "../spread.js";
import { activeFilterIds } from "./config.js";
import { ScanDeadlineError } from "./deadline-error.js";
import { SCAN_FILTER_SLOTS, ScanFilterId, type ScanFilterIdValue } from "./filter-ids.js";
import { lognormalTail, rawLimit, roundToTickScaled, tickScale } from "./kernels.js";
import { legLiquidity } from "./liquidity.js";
import { spreadScore } from "./score.js";
import { TopK } from "./top-k.js";
import {
  DEADLINE_CHECK_EVERY,
  ScanRight,
  type ScanCandidate,
  type ScanChain,
  type ScanConfig,
  type ScanOutput,
} from "./types.js";

/** Kind codes, equal to proto SpreadKind (also the last-but-two tie-break). */
export const KIND_CODE: Readonly<Record<SpreadKind, number>> = { bullPut: 1, bearCall: 2, bullCall: 3, bearPut: 4 };
const KIND_BY_CODE: readonly SpreadKind[] = ["bullPut", "bullPut", "bearCall", "bullCall", "bearPut"];

const ROLE_SHORT = 1;
const ROLE_LONG = 2;

/** Filter bounds with unset = open, so the hot loop compares without branches on "is set". */
interface Bounds {
  dteMin: number; dteMax: number;
  sdMin: number; sdMax: number; sdOn: boolean;
  ldMin: number; ldMax: number; ldOn: boolean;
  wMin: number; wMax: number;
  minVol: number; volOn: boolean;
  minOi: number; oiOn: boolean;
  maxBa: number; baOn: boolean;
  maxBaPct: number; baPctOn: boolean;
}

function boundsOf(config: ScanConfig): Bounds {
  const f = config.filters;
  return {
    dteMin: f.dteMin ?? -Infinity, dteMax: f.dteMax ?? Infinity,
    sdMin: f.shortDeltaMin ?? -Infinity, sdMax: f.shortDeltaMax ?? Infinity,
    sdOn: f.shortDeltaMin !== undefined || f.shortDeltaMax !== undefined,
    ldMin: f.longDeltaMin ?? -Infinity, ldMax: f.longDeltaMax ?? Infinity,
    ldOn: f.longDeltaMin !== undefined || f.longDeltaMax !== undefined,
    wMin: f.widthMin ?? -Infinity, wMax: f.widthMax ?? Infinity,
    minVol: f.minVolume ?? 0, volOn: f.minVolume !== undefined,
    minOi: f.minOpenInterest ?? 0, oiOn: f.minOpenInterest !== undefined,
    maxBa: f.maxBidAskSpread ?? Infinity, baOn: f.maxBidAskSpread !== undefined,
    maxBaPct: f.maxBidAskSpreadPercent ?? Infinity, baPctOn: f.maxBidAskSpreadPercent !== undefined,
  };
}

/**
 * Underlying-level filters that reject the underlying, in evaluation order: min IV percentile and
 * min IV rank (inclusive; an unknown value rejects when the filter is set).
 */
export function underlyingRejections(
  filters: ScanConfig["filters"],
  ivPercentile: number | undefined,
  ivRank: number | undefined,
): ScanFilterIdValue[] {
  const out: ScanFilterIdValue[] = [];
  if (filters.minIvPercentile !== undefined && !((ivPercentile ?? NaN) >= filters.minIvPercentile)) {
    out.push(ScanFilterId.MinIvPercentile);
  }
  if (filters.minIvRank !== undefined && !((ivRank ?? NaN) >= filters.minIvRank)) out.push(ScanFilterId.MinIvRank);
  return out;
}

/** Counts one removal under a filter id. */
function count(rejections: Uint32Array, id: number): void {
  rejections[id] = (rejections[id] ?? 0) + 1;
}

/** Reusable scan engine: create once, call {@link Scanner.scan} for every chain. Not re-entrant. */
export class Scanner {
  // Compact columns of usable rows (index c), grouped by (expiry, right).
  private cRow = new Int32Array(0);
  private cRole = new Uint8Array(0);
  private cStrike = new Float64Array(0);
  private cBid = new Float64Array(0);
  private cAsk = new Float64Array(0);
  private cMid = new Float64Array(0);
  private cIv = new Float64Array(0);
  private cGamma = new Float64Array(0);
  private cTheta = new Float64Array(0);
  private cVega = new Float64Array(0);
  private cLiq = new Float64Array(0);
  private cLnSK = new Float64Array(0);
  // Groups: compact range [gStart, gStart of next) with their expiry, dte and right.
  private gStart = new Int32Array(0);
  private gExpiry = new Float64Array(0);
  private gDte = new Float64Array(0);
  private gRight = new Int32Array(0);
  private groups = 0;
  private usable = 0;
  private order: Int32Array | null = null;
  private readonly rejections = new Uint32Array(SCAN_FILTER_SLOTS);
  private readonly top = new TopK();
  // Price increments with precomputed decimal scales.
  private incEdges = new Float64Array(0);
  private incTicks = new Float64Array(0);
  private incScales = new Float64Array(0);

  private ensureRows(n: number): void {
    if (this.cRow.length >= n) return;
    const cap = Math.max(n, 2 * this.cRow.length, 64);
    this.cRow = new Int32Array(cap);
    this.cRole = new Uint8Array(cap);
    this.cStrike = new Float64Array(cap);
    this.cBid = new Float64Array(cap);
    this.cAsk = new Float64Array(cap);
    this.cMid = new Float64Array(cap);
    this.cIv = new Float64Array(cap);
    this.cGamma = new Float64Array(cap);
    this.cTheta = new Float64Array(cap);
    this.cVega = new Float64Array(cap);
    this.cLiq = new Float64Array(cap);
    this.cLnSK = new Float64Array(cap);
    this.gStart = new Int32Array(cap + 1);
    this.gExpiry = new Float64Array(cap);
    this.gDte = new Float64Array(cap);
    this.gRight = new Int32Array(cap);
  }

  private prepareIncrements(chain: ScanChain): void {
    const n = chain.incrementLowEdges.length;
    if (this.incEdges.length !== n) {
      this.incEdges = new Float64Array(n);
      this.incTicks = new Float64Array(n);
      this.incScales = new Float64Array(n);
    }
    for (let i = 0; i < n; i++) {
      const tick = chain.increments[i] ?? NaN;
      this.incEdges[i] = chain.incrementLowEdges[i] ?? NaN;
      this.incTicks[i] = tick;
      this.incScales[i] = tickScale(tick);
    }
  }

  /**
   * Scans one chain. The config and chain are assumed valid (see `scanConfigProblem`,
   * `scanChainProblem`).
   * @throws ScanDeadlineError when `config.deadline` passes.
   */
  scan(chain: ScanChain, config: ScanConfig): ScanOutput {
    const rejections = this.rejections;
    rejections.fill(0);
    const f = config.filters;
    const rejectedBy = underlyingRejections(f, config.ivPercentile, config.ivRank);
    const first = rejectedBy[0];
    if (first !== undefined) {
      rejections[first] = 1;
      return {
        underlyingRejectedBy: rejectedBy, rowsInChain: chain.rowCount, rowsUsable: 0, pairsEvaluated: 0,
        pairsPassed: 0, rejections: rejections.slice(), candidates: [],
      };
    }
    this.ensureRows(chain.rowCount);
    this.prepareIncrements(chain);
    const bounds = boundsOf(config);
    if (!this.rowPass(chain, config, bounds, null)) {
      rejections.fill(0);
      this.order = sortedOrder(chain);
      this.rowPass(chain, config, bounds, this.order);
    }
    const top = this.top;
    top.reset(config.topK);
    const counts = this.pairPass(chain, config, bounds);
    return {
      underlyingRejectedBy: [],
      rowsInChain: chain.rowCount,
      rowsUsable: this.usable,
      pairsEvaluated: counts.evaluated,
      pairsPassed: counts.passed,
      rejections: rejections.slice(),
      candidates: this.materialise(chain, config),
    };
  }

  /**
   * Leg-level filters and compaction. Returns false (having done nothing useful) when the rows
   * are not sorted by (expiry, right, strike) and no order was given.
   */
  private rowPass(chain: ScanChain, config: ScanConfig, b: Bounds, order: Int32Array | null): boolean {
    const { expiry, dte, strike, right, bid, ask, volume, openInterest, impliedVol, delta, gamma, theta, vega } = chain;
    const n = chain.rowCount;
    const rej = this.rejections;
    let useCalls = false;
    let usePuts = false;
    for (const kind of config.kinds) {
      if (SPREAD_KINDS[kind].right === "call") useCalls = true;
      else usePuts = true;
    }
    const spot = chain.underlyingPrice;
    const { cRow, cRole, cStrike, cBid, cAsk, cMid, cIv, cGamma, cTheta, cVega, cLiq, cLnSK, gStart, gExpiry, gDte, gRight } = this;
    const deadline = config.deadline;
    let c = 0;
    let groups = 0;
    let prevExpiry = -Infinity;
    let prevRight = -Infinity;
    let prevStrike = -Infinity;
    let groupExpiry = NaN;
    let groupRight = -1;
    for (let p = 0; p < n; p++) {
      if (deadline !== undefined && (p & 4095) === 4095 && deadline.now() > deadline.atMs) {
        throw new ScanDeadlineError(0, NaN, p, n);
      }
      const i = order === null ? p : (order[p] ?? 0);
      const e = expiry[i] ?? NaN;
      const r = right[i] ?? NaN;
      const k = strike[i] ?? NaN;
      if (order === null) {
        if (e < prevExpiry || (e === prevExpiry && (r < prevRight || (r === prevRight && k < prevStrike)))) return false;
        prevExpiry = e;
        prevRight = r;
        if (!Number.isNaN(k)) prevStrike = k; // a NaN strike fails QUOTES_PRESENT; keep checking order
      }
      if (r === ScanRight.Call) {
        if (!useCalls) continue;
      } else if (r === ScanRight.Put) {
        if (!usePuts) continue;
      } else continue;
      const bd = bid[i] ?? NaN;
      const ak = ask[i] ?? NaN;
      if (!(k > 0 && k < Infinity && bd >= 0 && ak >= bd && ak < Infinity)) {
        count(rej, ScanFilterId.QuotesPresent);
        continue;
      }
      const d = dte[i] ?? NaN;
      if (!(d >= b.dteMin && d <= b.dteMax)) {
        count(rej, ScanFilterId.Dte);
        continue;
      }
      let role = ROLE_SHORT | ROLE_LONG;
      if (b.sdOn || b.ldOn) {
        const dl = delta[i] ?? NaN;
        const absDelta = dl < 0 ? -dl : dl;
        // A row is removed (and counted) only when it loses its last role.
        if (b.sdOn && !(absDelta >= b.sdMin && absDelta <= b.sdMax)) role = ROLE_LONG;
        if (b.ldOn && !(absDelta >= b.ldMin && absDelta <= b.ldMax)) {
          if (role === ROLE_LONG) {
            count(rej, ScanFilterId.LongDelta);
            continue;
          }
          role = ROLE_SHORT;
        }
      }
      const vol = volume[i] ?? NaN;
      if (b.volOn && !(vol >= b.minVol)) {
        count(rej, ScanFilterId.MinVolume);
        continue;
      }
      const oi = openInterest[i] ?? NaN;
      if (b.oiOn && !(oi >= b.minOi)) {
        count(rej, ScanFilterId.MinOpenInterest);
        continue;
      }
      const baSpread = ak - bd;
      if (b.baOn && !(baSpread <= b.maxBa)) {
        count(rej, ScanFilterId.MaxBidAskSpread);
        continue;
      }
      const mid = 0.5 * (bd + ak);
      if (b.baPctOn && !((baSpread / mid) * 100 <= b.maxBaPct)) {
        count(rej, ScanFilterId.MaxBidAskSpreadPercent);
        continue;
      }
      if (e !== groupExpiry || r !== groupRight) {
        gStart[groups] = c;
        gExpiry[groups] = e;
        gDte[groups] = d;
        gRight[groups] = r;
        groups++;
        groupExpiry = e;
        groupRight = r;
      }
      cRow[c] = i;
      cRole[c] = role;
      cStrike[c] = k;
      cBid[c] = bd;
      cAsk[c] = ak;
      cMid[c] = mid;
      cIv[c] = impliedVol[i] ?? NaN;
      cGamma[c] = gamma[i] ?? NaN;
      cTheta[c] = theta[i] ?? NaN;
      cVega[c] = vega[i] ?? NaN;
      cLiq[c] = legLiquidity(bd, ak, vol, oi);
      cLnSK[c] = Math.log(spot / k);
      c++;
    }
    gStart[groups] = c;
    this.groups = groups;
    this.usable = c;
    return true;
  }

  /** Pairing, spread-level filters, POP / EV, score and top-K. */
  private pairPass(chain: ScanChain, config: ScanConfig, b: Bounds): { evaluated: number; passed: number } {
    const { cRole, cStrike, cBid, cAsk, cMid, cIv, cGamma, cTheta, cVega, cLiq, cLnSK, cRow, gStart, gExpiry, gDte, gRight } = this;
    const rej = this.rejections;
    const top = this.top;
    const f = config.filters;
    const spot = chain.underlyingPrice;
    const drift = config.drift;
    const offset = config.limitOffset;
    const wMin = b.wMin;
    const wMax = b.wMax;
    const minCtw = f.minCreditToWidth ?? -Infinity;
    const ctwOn = f.minCreditToWidth !== undefined;
    const maxDtw = f.maxDebitToWidth ?? Infinity;
    const dtwOn = f.maxDebitToWidth !== undefined;
    const minRor = f.minReturnOnRisk ?? -Infinity;
    const rorOn = f.minReturnOnRisk !== undefined;
    const thetaMin = f.thetaAbove ?? -Infinity;
    const thetaOn = f.thetaAbove !== undefined;
    const gammaMax = f.maxGamma ?? Infinity;
    const gammaOn = f.maxGamma !== undefined;
    const vegaMin = f.vegaMin ?? -Infinity;
    const vegaMax = f.vegaMax ?? Infinity;
    const vegaOn = f.vegaMin !== undefined || f.vegaMax !== undefined;
    const minPop = f.minProbabilityOfProfit ?? -Infinity;
    const popOn = f.minProbabilityOfProfit !== undefined;
    const minEv = f.minExpectedValue ?? -Infinity;
    const evOn = f.minExpectedValue !== undefined;
    const { probabilityOfProfit: wPop, returnOnRisk: wRor, expectedValue: wEv, liquidity: wLiq } = config.weights;
    const wSum = wPop + wRor + wEv + wLiq;
    const nInc = this.incEdges.length;
    const { incEdges, incTicks, incScales } = this;
    const minTick = chain.minTick;
    const minTickScale = nInc === 0 ? tickScale(minTick) : 1;
    const deadline = config.deadline;
    let sinceCheck = 0;
    let evaluated = 0;
    let passed = 0;

    for (let g = 0; g < this.groups; g++) {
      const s0 = gStart[g] ?? 0;
      const e0 = gStart[g + 1] ?? 0;
      const rightCode = gRight[g] ?? 0;
      const isPut = rightCode === ScanRight.Put;
      const expiryValue = gExpiry[g] ?? NaN;
      const time = (gDte[g] ?? NaN) / DAYS_PER_YEAR;
      // Lognormal model constants of this expiry (invalid model → POP/EV unknown).
      const modelOk = spot > 0 && spot < Infinity && time >= 0 && time < Infinity;
      const sqrtT = Math.sqrt(time);
      const driftT = drift * time;
      const forward = spot * Math.exp(drift * time);
      for (const kind of config.kinds) {
        const info = SPREAD_KINDS[kind];
        if ((info.right === "put") !== isPut) continue;
        const credit = info.cashFlow === "credit";
        const bullish = info.direction === "bullish";
        const shortUpper = info.shortStrike === "upper";
        const kindCode = KIND_CODE[kind];
        let lo = s0;
        let hi = s0;
        for (let j = s0; j < e0; j++) {
          if (((cRole[j] ?? 0) & ROLE_SHORT) === 0) continue;
          const kS = cStrike[j] ?? NaN;
          // Window [lo, hi) of long legs whose width K_high − K_low lies in the width range.
          if (shortUpper) {
            while (lo < j && !(kS - (cStrike[lo] ?? NaN) <= wMax)) lo++;
            if (hi < lo) hi = lo;
            for (;;) {
              if (hi >= j) break;
              const w = kS - (cStrike[hi] ?? NaN);
              if (!(w > 0 && w >= wMin)) break;
              hi++;
            }
          } else {
            if (lo <= j) lo = j + 1;
            for (;;) {
              if (lo >= e0) break;
              const w = (cStrike[lo] ?? NaN) - kS;
              if (w > 0 && w >= wMin) break;
              lo++;
            }
            if (hi < lo) hi = lo;
            while (hi < e0 && (cStrike[hi] ?? NaN) - kS <= wMax) hi++;
          }
          const bidS = cBid[j] ?? NaN;
          const midS = cMid[j] ?? NaN;
          const ivS = cIv[j] ?? NaN;
          const thetaS = cTheta[j] ?? NaN;
          const gammaS = cGamma[j] ?? NaN;
          const vegaS = cVega[j] ?? NaN;
          const liqS = cLiq[j] ?? NaN;
          const lnS = cLnSK[j] ?? NaN;
          for (let l = lo; l < hi; l++) {
            if (((cRole[l] ?? 0) & ROLE_LONG) === 0) continue;
            evaluated++;
            if (deadline !== undefined && ++sinceCheck >= DEADLINE_CHECK_EVERY) {
              sinceCheck = 0;
              if (deadline.now() > deadline.atMs) {
                throw new ScanDeadlineError(evaluated - 1, this.countPairs(config, b), this.usable, chain.rowCount);
              }
            }
            const kL = cStrike[l] ?? NaN;
            const kLow = shortUpper ? kL : kS;
            const kHigh = shortUpper ? kS : kL;
            const width = kHigh - kLow;
            const askL = cAsk[l] ?? NaN;
            const midL = cMid[l] ?? NaN;
            const natural = credit ? bidS - askL : askL - bidS;
            const mid = credit ? midS - midL : midL - midS;
            const raw = rawLimit(mid, natural, offset, credit);
            let tick = minTick;
            let scale = minTickScale;
            if (nInc > 0) {
              let q = 0;
              while (q + 1 < nInc && (incEdges[q + 1] ?? NaN) <= raw) q++;
              tick = incTicks[q] ?? NaN;
              scale = incScales[q] ?? NaN;
            }
            const rounded = roundToTickScaled(raw, tick, scale, credit);
            const oneTick = roundToTickScaled(tick, tick, scale, true);
            const limit = rounded > oneTick ? rounded : oneTick;
            if (!(limit > 0 && limit < width)) {
              count(rej, ScanFilterId.PriceValid);
              continue;
            }
            const ptw = limit / width;
            if (credit) {
              if (ctwOn && !(ptw >= minCtw)) {
                count(rej, ScanFilterId.MinCreditToWidth);
                continue;
              }
            } else if (dtwOn && !(ptw <= maxDtw)) {
              count(rej, ScanFilterId.MaxDebitToWidth);
              continue;
            }
            const maxProfit = credit ? limit : width - limit;
            const maxLoss = credit ? width - limit : limit;
            const ror = maxProfit / maxLoss;
            if (rorOn && !(ror >= minRor)) {
              count(rej, ScanFilterId.MinReturnOnRisk);
              continue;
            }
            if (thetaOn && !((cTheta[l] ?? NaN) - thetaS >= thetaMin)) {
              count(rej, ScanFilterId.ThetaAbove);
              continue;
            }
            if (gammaOn && !(Math.abs((cGamma[l] ?? NaN) - gammaS) <= gammaMax)) {
              count(rej, ScanFilterId.MaxGamma);
              continue;
            }
            if (vegaOn) {
              const netVega = (cVega[l] ?? NaN) - vegaS;
              if (!(netVega >= vegaMin && netVega <= vegaMax)) {
                count(rej, ScanFilterId.Vega);
                continue;
              }
            }
            // Lognormal model at σ interpolated between the legs' IVs at the breakeven.
            const breakeven = isPut ? kHigh - limit : kLow + limit;
            const ivL = cIv[l] ?? NaN;
            const ivLow = shortUpper ? ivL : ivS;
            const ivHigh = shortUpper ? ivS : ivL;
            const sigma = ivLow + (ivHigh - ivLow) * ((breakeven - kLow) / width);
            let pop = NaN;
            let ev = NaN;
            if (modelOk && ivLow >= 0 && ivHigh >= 0 && sigma < Infinity) {
              const sd = sigma * sqrtT;
              const mBe = Math.log(spot / breakeven) + driftT;
              pop = lognormalTail(mBe, sd, bullish ? 1 : -1, 0);
              if (popOn && !(pop >= minPop)) {
                count(rej, ScanFilterId.MinProbabilityOfProfit);
                continue;
              }
              const mS = lnS + driftT;
              const mL = (cLnSK[l] ?? NaN) + driftT;
              let longValue: number;
              let shortValue: number;
              if (isPut) {
                longValue = kL * lognormalTail(mL, sd, -1, 0) - forward * lognormalTail(mL, sd, -1, 1);
                shortValue = kS * lognormalTail(mS, sd, -1, 0) - forward * lognormalTail(mS, sd, -1, 1);
              } else {
                longValue = forward * lognormalTail(mL, sd, 1, 1) - kL * lognormalTail(mL, sd, 1, 0);
                shortValue = forward * lognormalTail(mS, sd, 1, 1) - kS * lognormalTail(mS, sd, 1, 0);
              }
              ev = (credit ? limit : -limit) + longValue - shortValue;
            } else if (popOn) {
              count(rej, ScanFilterId.MinProbabilityOfProfit);
              continue;
            }
            if (evOn && !(ev >= minEv)) {
              count(rej, ScanFilterId.MinExpectedValue);
              continue;
            }
            passed++;
            const liqL = cLiq[l] ?? NaN;
            const liq = liqS < liqL ? liqS : liqL;
            const score = spreadScore(pop, ror, ev, width, liq, wPop, wRor, wEv, wLiq, wSum);
            const shortRow = cRow[j] ?? 0;
            const longRow = cRow[l] ?? 0;
            const slot = top.offer(score, expiryValue, kS, kL, kindCode, shortRow, longRow);
            if (slot < 0) continue;
            top.score[slot] = score;
            top.expiry[slot] = expiryValue;
            top.shortK[slot] = kS;
            top.longK[slot] = kL;
            top.kind[slot] = kindCode;
            top.shortRow[slot] = shortRow;
            top.longRow[slot] = longRow;
            top.limit[slot] = limit;
            top.natural[slot] = natural;
            top.mid[slot] = mid;
            top.tick[slot] = tick;
            top.pop[slot] = pop;
            top.ev[slot] = ev;
            top.liquidity[slot] = liq;
            top.commit(slot);
          }
        }
      }
    }
    return { evaluated, passed };
  }

  /** Pairs the pair pass would evaluate (same windows, no evaluation); for deadline messages. */
  private countPairs(config: ScanConfig, b: Bounds): number {
    const { cRole, cStrike, gStart, gRight } = this;
    const { wMin, wMax } = b;
    let total = 0;
    for (let g = 0; g < this.groups; g++) {
      const s0 = gStart[g] ?? 0;
      const e0 = gStart[g + 1] ?? 0;
      const isPut = gRight[g] === ScanRight.Put;
      for (const kind of config.kinds) {
        const info = SPREAD_KINDS[kind];
        if ((info.right === "put") !== isPut) continue;
        const shortUpper = info.shortStrike === "upper";
        let lo = s0;
        let hi = s0;
        for (let j = s0; j < e0; j++) {
          if (((cRole[j] ?? 0) & ROLE_SHORT) === 0) continue;
          const kS = cStrike[j] ?? NaN;
          if (shortUpper) {
            while (lo < j && !(kS - (cStrike[lo] ?? NaN) <= wMax)) lo++;
            if (hi < lo) hi = lo;
            while (hi < j && kS - (cStrike[hi] ?? NaN) > 0 && kS - (cStrike[hi] ?? NaN) >= wMin) hi++;
          } else {
            if (lo <= j) lo = j + 1;
            while (lo < e0 && !((cStrike[lo] ?? NaN) - kS > 0 && (cStrike[lo] ?? NaN) - kS >= wMin)) lo++;
            if (hi < lo) hi = lo;
            while (hi < e0 && (cStrike[hi] ?? NaN) - kS <= wMax) hi++;
          }
          for (let l = lo; l < hi; l++) if (((cRole[l] ?? 0) & ROLE_LONG) !== 0) total++;
        }
      }
    }
    return total;
  }

  /** The K winners as objects, best first, with the derived fields. */
  private materialise(chain: ScanChain, config: ScanConfig): ScanCandidate[] {
    const top = this.top;
    const slots = top.sortedSlots();
    const spot = chain.underlyingPrice;
    const passedCredit = activeFilterIds(config.filters, true);
    const passedDebit = activeFilterIds(config.filters, false);
    const out: ScanCandidate[] = [];
    for (const [index, slot] of slots.entries()) {
      const kind = KIND_BY_CODE[top.kind[slot] ?? 0] ?? "bullPut";
      const info = SPREAD_KINDS[kind];
      const credit = info.cashFlow === "credit";
      const shortRow = top.shortRow[slot] ?? 0;
      const longRow = top.longRow[slot] ?? 0;
      const shortStrike = top.shortK[slot] ?? NaN;
      const longStrike = top.longK[slot] ?? NaN;
      const kLow = Math.min(shortStrike, longStrike);
      const kHigh = Math.max(shortStrike, longStrike);
      const width = kHigh - kLow;
      const limit = top.limit[slot] ?? NaN;
      const maxProfit = credit ? limit : width - limit;
      const maxLoss = credit ? width - limit : limit;
      const breakeven = info.right === "put" ? kHigh - limit : kLow + limit;
      const dte = chain.dte[shortRow] ?? NaN;
      const pop = top.pop[slot] ?? NaN;
      let pMax = NaN;
      if (!Number.isNaN(pop)) {
        const time = dte / DAYS_PER_YEAR;
        const ivS = chain.impliedVol[shortRow] ?? NaN;
        const ivL = chain.impliedVol[longRow] ?? NaN;
        const ivLow = shortStrike < longStrike ? ivS : ivL;
        const ivHigh = shortStrike < longStrike ? ivL : ivS;
        const sd = (ivLow + (ivHigh - ivLow) * ((breakeven - kLow) / width)) * Math.sqrt(time);
        pMax = info.direction === "bullish"
          ? lognormalTail(Math.log(spot / kHigh) + config.drift * time, sd, 1, 0)
          : lognormalTail(Math.log(spot / kLow) + config.drift * time, sd, -1, 0);
      }
      const net = (col: ArrayLike<number>): number => (col[longRow] ?? NaN) - (col[shortRow] ?? NaN);
      out.push({
        kind,
        shortRow,
        longRow,
        expiry: top.expiry[slot] ?? NaN,
        dte,
        right: info.right === "put" ? ScanRight.Put : ScanRight.Call,
        shortStrike,
        longStrike,
        width,
        naturalPrice: top.natural[slot] ?? NaN,
        midPrice: top.mid[slot] ?? NaN,
        limitPrice: limit,
        priceIncrement: top.tick[slot] ?? NaN,
        maxProfit,
        maxLoss,
        breakeven,
        returnOnRisk: maxProfit / maxLoss,
        priceToWidth: limit / width,
        probabilityOfProfit: pop,
        probabilityOfMaxProfit: pMax,
        expectedValue: top.ev[slot] ?? NaN,
        liquidityScore: top.liquidity[slot] ?? NaN,
        score: top.score[slot] ?? NaN,
        rank: index + 1,
        netDelta: net(chain.delta),
        netGamma: net(chain.gamma),
        netTheta: net(chain.theta),
        netVega: net(chain.vega),
        passedFilters: credit ? passedCredit : passedDebit,
      });
    }
    return out;
  }
}

/** Row indices sorted by (expiry, right, strike, index): the fallback for an unsorted chain. */
function sortedOrder(chain: ScanChain): Int32Array {
  const idx = Array.from({ length: chain.rowCount }, (_, i) => i);
  const { expiry, right, strike } = chain;
  const key = (col: ArrayLike<number>, i: number): number => {
    const v = col[i] ?? NaN;
    return Number.isNaN(v) ? Infinity : v;
  };
  idx.sort((a, b) =>
    key(expiry, a) - key(expiry, b) || key(right, a) - key(right, b) || key(strike, a) - key(strike, b) || a - b,
  );
  return Int32Array.from(idx);
}
