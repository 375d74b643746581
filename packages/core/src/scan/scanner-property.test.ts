// Property test: the engine against a slow, obvious brute force written here from the proto
// semantics (scanner.proto FilterSet comments, CONVENTIONS.md) and core's scalar functions
// (spreadQuote, limitPrice, spreadEconomics, spreadOutcome).
import { describe, expect, it } from "vitest";
import { limitPrice, spreadQuote } from "../spread-pricing.js";
import { SPREAD_KINDS, spreadEconomics, spreadOutcome, type SpreadKind, type VerticalSpread } from "../spread.js";
import { ScanFilterId } from "./filter-ids.js";
import { Scanner } from "./scanner.js";
import { spreadScore } from "./score.js";
import { chainOf, configOf, type RowSpec } from "./testing.js";
import type { ScanChain, ScanConfig, ScanFilters } from "./types.js";

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ref {
  kind: SpreadKind;
  kindCode: number;
  shortRow: number;
  longRow: number;
  expiry: number;
  shortK: number;
  longK: number;
  limit: number;
  pop: number;
  ev: number;
  score: number;
}

const KIND_CODES: Record<SpreadKind, number> = { bullPut: 1, bearCall: 2, bullCall: 3, bearPut: 4 };

function inRange(v: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || v >= min) && (max === undefined || v <= max);
}

/** First failing leg filter of a row in a role, or 0 when the row can serve in that role. */
function legFailure(chain: ScanChain, i: number, f: ScanFilters, role: "short" | "long"): number {
  const at = (c: ArrayLike<number>): number => c[i] ?? NaN;
  const bid = at(chain.bid);
  const ask = at(chain.ask);
  const k = at(chain.strike);
  if (!(k > 0 && Number.isFinite(k) && bid >= 0 && ask >= bid && Number.isFinite(ask))) return ScanFilterId.QuotesPresent;
  if (!inRange(at(chain.dte), f.dteMin, f.dteMax)) return ScanFilterId.Dte;
  const absDelta = Math.abs(at(chain.delta));
  const sdSet = f.shortDeltaMin !== undefined || f.shortDeltaMax !== undefined;
  const ldSet = f.longDeltaMin !== undefined || f.longDeltaMax !== undefined;
  if (role === "short" && sdSet && !(absDelta >= (f.shortDeltaMin ?? -Infinity) && absDelta <= (f.shortDeltaMax ?? Infinity))) return ScanFilterId.ShortDelta;
  if (role === "long" && ldSet && !(absDelta >= (f.longDeltaMin ?? -Infinity) && absDelta <= (f.longDeltaMax ?? Infinity))) return ScanFilterId.LongDelta;
  if (f.minVolume !== undefined && !(at(chain.volume) >= f.minVolume)) return ScanFilterId.MinVolume;
  if (f.minOpenInterest !== undefined && !(at(chain.openInterest) >= f.minOpenInterest)) return ScanFilterId.MinOpenInterest;
  if (f.maxBidAskSpread !== undefined && !(ask - bid <= f.maxBidAskSpread)) return ScanFilterId.MaxBidAskSpread;
  if (f.maxBidAskSpreadPercent !== undefined && !(((ask - bid) / (0.5 * (bid + ask))) * 100 <= f.maxBidAskSpreadPercent)) {
    return ScanFilterId.MaxBidAskSpreadPercent;
  }
  return 0;
}

/** Tick at a price per the market rule: last rule with low edge ≤ price, else the first. */
function tickAt(chain: ScanChain, price: number): number {
  if (chain.increments.length === 0) return chain.minTick;
  let tick = chain.increments[0] ?? NaN;
  for (let q = 0; q < chain.increments.length; q++) if ((chain.incrementLowEdges[q] ?? NaN) <= price) tick = chain.increments[q] ?? NaN;
  return tick;
}

function isoDate(yyyymmdd: number): string {
  const s = String(yyyymmdd);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

function bruteForce(chain: ScanChain, config: ScanConfig): { all: Ref[]; rejections: number[]; pairs: number; usable: number } {
  const f = config.filters;
  const rejections = new Array<number>(21).fill(0);
  const n = chain.rowCount;
  const rights = new Set<number>(config.kinds.map((k) => (SPREAD_KINDS[k].right === "call" ? 1 : 2)));
  // Row-level: removed when neither role survives; counted where the last role was lost.
  let usable = 0;
  for (let i = 0; i < n; i++) {
    if (!rights.has(chain.right[i] ?? 0)) continue;
    const s = legFailure(chain, i, f, "short");
    const l = legFailure(chain, i, f, "long");
    if (s !== 0 && l !== 0) rejections[Math.max(s, l)]! += 1;
    else usable++;
  }
  const all: Ref[] = [];
  let pairs = 0;
  const { probabilityOfProfit: wp, returnOnRisk: wr, expectedValue: we, liquidity: wl } = config.weights;
  for (const kind of config.kinds) {
    const info = SPREAD_KINDS[kind];
    const credit = info.cashFlow === "credit";
    const rightCode = info.right === "call" ? 1 : 2;
    for (let s = 0; s < n; s++) {
      for (let l = 0; l < n; l++) {
        if (s === l || chain.right[s] !== rightCode || chain.right[l] !== rightCode) continue;
        if (chain.expiry[s] !== chain.expiry[l]) continue;
        const kS = chain.strike[s]!;
        const kL = chain.strike[l]!;
        if (info.shortStrike === "upper" ? !(kS > kL) : !(kS < kL)) continue;
        if (legFailure(chain, s, f, "short") !== 0 || legFailure(chain, l, f, "long") !== 0) continue;
        const lower = Math.min(kS, kL);
        const upper = Math.max(kS, kL);
        const width = upper - lower;
        if (!inRange(width, f.widthMin, f.widthMax)) continue;
        pairs++;
        const spread: VerticalSpread = { kind, underlying: "X", expiry: isoDate(chain.expiry[s]!), lowerStrike: lower, upperStrike: upper };
        const q = spreadQuote(spread, { bid: chain.bid[s]!, ask: chain.ask[s]! }, { bid: chain.bid[l]!, ask: chain.ask[l]! });
        const raw = credit ? Math.max(q.mid - config.limitOffset, q.natural) : Math.min(q.mid + config.limitOffset, q.natural);
        const limit = limitPrice(spread, q, { offset: config.limitOffset, minTick: tickAt(chain, raw) });
        const reject = (id: number): void => {
          rejections[id]! += 1;
        };
        if (!(limit > 0 && limit < width)) { reject(ScanFilterId.PriceValid); continue; }
        const econ = spreadEconomics(spread, limit);
        if (credit && f.minCreditToWidth !== undefined && !(limit / width >= f.minCreditToWidth)) { reject(ScanFilterId.MinCreditToWidth); continue; }
        if (!credit && f.maxDebitToWidth !== undefined && !(limit / width <= f.maxDebitToWidth)) { reject(ScanFilterId.MaxDebitToWidth); continue; }
        if (f.minReturnOnRisk !== undefined && !(econ.returnOnRisk >= f.minReturnOnRisk)) { reject(ScanFilterId.MinReturnOnRisk); continue; }
        const net = (c: ArrayLike<number>): number => c[l]! - c[s]!;
        if (f.thetaAbove !== undefined && !(net(chain.theta) >= f.thetaAbove)) { reject(ScanFilterId.ThetaAbove); continue; }
        if (f.maxGamma !== undefined && !(Math.abs(net(chain.gamma)) <= f.maxGamma)) { reject(ScanFilterId.MaxGamma); continue; }
        if ((f.vegaMin !== undefined || f.vegaMax !== undefined) && !(net(chain.vega) >= (f.vegaMin ?? -Infinity) && net(chain.vega) <= (f.vegaMax ?? Infinity))) {
          reject(ScanFilterId.Vega);
          continue;
        }
        const ivLow = chain.impliedVol[kS < kL ? s : l]!;
        const ivHigh = chain.impliedVol[kS < kL ? l : s]!;
        const vol = ivLow + (ivHigh - ivLow) * ((econ.breakeven - lower) / width);
        const time = chain.dte[s]! / 365;
        let pop = NaN;
        let ev = NaN;
        const spot = chain.underlyingPrice;
        if (spot > 0 && Number.isFinite(spot) && time >= 0 && ivLow >= 0 && ivHigh >= 0 && Number.isFinite(vol)) {
          const out = spreadOutcome(spread, limit, { spot, vol, time, drift: config.drift });
          pop = out.probabilityOfProfit;
          ev = out.expectedValue;
        }
        if (f.minProbabilityOfProfit !== undefined && !(pop >= f.minProbabilityOfProfit)) { reject(ScanFilterId.MinProbabilityOfProfit); continue; }
        if (f.minExpectedValue !== undefined && !(ev >= f.minExpectedValue)) { reject(ScanFilterId.MinExpectedValue); continue; }
        const liq = (i: number): number => {
          const b = chain.bid[i]!;
          const a = chain.ask[i]!;
          const mid = (b + a) / 2;
          const tight = mid > 0 ? 1 / (1 + (10 * (a - b)) / mid) : 0;
          const v = Math.max(0, chain.volume[i]! || 0);
          const oi = Math.max(0, chain.openInterest[i]! || 0);
          return 0.5 * tight + 0.5 * (0.5 * v / (v + 100) + 0.5 * oi / (oi + 1000));
        };
        const score = spreadScore(pop, econ.returnOnRisk, ev, width, Math.min(liq(s), liq(l)), wp, wr, we, wl, wp + wr + we + wl);
        all.push({ kind, kindCode: KIND_CODES[kind], shortRow: s, longRow: l, expiry: chain.expiry[s]!, shortK: kS, longK: kL, limit, pop, ev, score });
      }
    }
  }
  all.sort((a, b) =>
    b.score - a.score || a.expiry - b.expiry || a.shortK - b.shortK || a.longK - b.longK || a.kindCode - b.kindCode ||
    a.shortRow - b.shortRow || a.longRow - b.longRow);
  return { all, rejections, pairs, usable };
}

function maybe<T>(r: () => number, p: number, value: () => T): T | undefined {
  return r() < p ? value() : undefined;
}

function randomCase(seed: number): { chain: ScanChain; config: ScanConfig } {
  const r = rng(seed);
  const spot = r() < 0.1 ? NaN : 80 + 40 * r();
  const rows: RowSpec[] = [];
  const expiries = 1 + Math.floor(r() * 3);
  const step = r() < 0.5 ? 1 : 2.5;
  const nan = (p: number, v: number): number | undefined => (r() < p ? undefined : v);
  for (let e = 0; e < expiries; e++) {
    const dte = Math.floor(r() * 60);
    const expiry = 20250101 + e * 7;
    for (const right of ["C", "P"] as const) {
      let k = 90 + Math.floor(r() * 5) * step;
      const count = 2 + Math.floor(r() * 10);
      for (let j = 0; j < count; j++) {
        const mny = right === "C" ? (spot || 100) - k : k - (spot || 100);
        const value = Math.max(0.01, Math.max(mny, 0) + 3 * Math.exp(-Math.abs(mny) / 8) * r() + 0.2 * r());
        const half = 0.02 + 0.3 * r();
        const crossed = r() < 0.05;
        const bid = Math.round(Math.max(0, value - half) * 100) / 100;
        const ask = crossed ? bid - 0.05 : Math.round((value + half) * 100) / 100;
        const d = Math.min(0.99, Math.max(0.01, 0.5 + mny / 30));
        rows.push({
          expiry, dte, strike: k, right,
          bid: nan(0.04, bid), ask: nan(0.04, ask),
          volume: nan(0.1, Math.floor(r() * 500)), openInterest: nan(0.1, Math.floor(r() * 3000)),
          iv: nan(0.1, 0.1 + 0.5 * r()),
          delta: nan(0.08, right === "C" ? d : -d),
          gamma: nan(0.08, 0.05 * r()), theta: nan(0.08, -0.1 * r()), vega: nan(0.08, 0.2 * r()),
        });
        k += step * (r() < 0.1 ? 0 : 1 + Math.floor(r() * 2)); // occasional duplicate strike
      }
    }
  }
  const shuffled = r() < 0.15;
  if (shuffled) rows.sort(() => r() - 0.5);
  const f: ScanFilters = {
    dteMin: maybe(r, 0.3, () => Math.floor(r() * 20)),
    dteMax: maybe(r, 0.3, () => 20 + Math.floor(r() * 40)),
    shortDeltaMin: maybe(r, 0.3, () => 0.3 * r()),
    shortDeltaMax: maybe(r, 0.3, () => 0.3 + 0.7 * r()),
    longDeltaMin: maybe(r, 0.2, () => 0.2 * r()),
    longDeltaMax: maybe(r, 0.2, () => 0.2 + 0.8 * r()),
    widthMin: maybe(r, 0.3, () => Math.floor(r() * 4)),
    widthMax: maybe(r, 0.4, () => 4 + Math.floor(r() * 10)),
    minVolume: maybe(r, 0.3, () => Math.floor(r() * 100)),
    minOpenInterest: maybe(r, 0.3, () => Math.floor(r() * 500)),
    maxBidAskSpread: maybe(r, 0.3, () => 0.1 + r()),
    maxBidAskSpreadPercent: maybe(r, 0.3, () => 10 + 100 * r()),
    thetaAbove: maybe(r, 0.3, () => -0.05 + 0.1 * r()),
    maxGamma: maybe(r, 0.3, () => 0.04 * r()),
    vegaMin: maybe(r, 0.2, () => -0.2 * r()),
    vegaMax: maybe(r, 0.2, () => 0.2 * r()),
    minProbabilityOfProfit: maybe(r, 0.3, () => r()),
    minReturnOnRisk: maybe(r, 0.3, () => r()),
    minCreditToWidth: maybe(r, 0.3, () => 0.5 * r()),
    maxDebitToWidth: maybe(r, 0.3, () => 0.3 + 0.7 * r()),
    minExpectedValue: maybe(r, 0.3, () => -1 + r()),
  };
  const all: SpreadKind[] = ["bullPut", "bearCall", "bullCall", "bearPut"];
  let kinds = all.filter(() => r() < 0.5);
  if (kinds.length === 0) kinds = [all[Math.floor(r() * 4)]!];
  const increments = r() < 0.3;
  const chain = chainOf(rows, {
    spot,
    minTick: r() < 0.5 ? 0.01 : 0.05,
    ...(increments ? { edges: [0, 3], increments: [0.05, 0.1] } : {}),
  });
  const config = configOf({
    kinds,
    filters: f,
    limitOffset: r() < 0.5 ? 0 : Math.round(r() * 20) / 100,
    topK: 1 + Math.floor(r() * 8),
    drift: r() < 0.5 ? 0 : 0.03,
    weights: { probabilityOfProfit: r(), returnOnRisk: r(), expectedValue: r(), liquidity: r() + 0.01 },
  });
  return { chain, config };
}

describe("Scanner vs brute force", () => {
  const scanner = new Scanner();
  it("returns exactly the brute force's passing set, counters and top-K over 600 random cases", () => {
    let nonEmpty = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const { chain, config } = randomCase(seed);
      const ref = bruteForce(chain, config);
      const full = scanner.scan(chain, { ...config, topK: 1_000_000 });
      const ctx = `seed ${seed}`;
      expect(full.pairsEvaluated, ctx).toBe(ref.pairs);
      expect(full.pairsPassed, ctx).toBe(ref.all.length);
      expect(full.rowsUsable, ctx).toBe(ref.usable);
      expect(Array.from(full.rejections), ctx).toEqual(ref.rejections);
      const got = full.candidates.map((c) => [c.kind, c.shortRow, c.longRow, c.limitPrice, c.probabilityOfProfit, c.expectedValue, c.score]);
      const want = ref.all.map((c) => [c.kind, c.shortRow, c.longRow, c.limit, c.pop, c.ev, c.score]);
      expect(got, ctx).toEqual(want);
      const topK = scanner.scan(chain, config);
      expect(topK.candidates.map((c) => [c.kind, c.shortRow, c.longRow]), ctx).toEqual(
        ref.all.slice(0, config.topK).map((c) => [c.kind, c.shortRow, c.longRow]),
      );
      if (ref.all.length > 0) nonEmpty++;
    }
    // The generator must exercise non-trivial outcomes, not just empty results.
    expect(nonEmpty).toBeGreaterThan(150);
  });
});
