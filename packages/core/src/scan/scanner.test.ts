// Hand-checked chains: pairing, prices per CONVENTIONS.md, ranking, and each filter at its
// inclusive boundary (and unknown input rejecting).
import { describe, expect, it } from "vitest";
import { roundToTick } from "../spread-pricing.js";
import { spreadOutcome } from "../spread.js";
import { ScanFilterId } from "./filter-ids.js";
import { rawLimit, roundToTickScaled, tickScale } from "./kernels.js";
import { legLiquidity } from "./liquidity.js";
import { Scanner } from "./scanner.js";
import { spreadScore } from "./score.js";
import { chainOf, configOf, type RowSpec } from "./testing.js";
import type { ScanFilters } from "./types.js";

// Puts 95 / 100 / 105, spot 104, 30 DTE. Quotes chosen to make the arithmetic easy by hand.
const PUTS: RowSpec[] = [
  { strike: 95, right: "P", bid: 0.5, ask: 0.6, volume: 100, openInterest: 1000, iv: 0.3, delta: -0.1, gamma: 0.01, theta: -0.02, vega: 0.05 },
  { strike: 100, right: "P", bid: 1.2, ask: 1.3, volume: 200, openInterest: 2000, iv: 0.28, delta: -0.25, gamma: 0.03, theta: -0.03, vega: 0.08 },
  { strike: 105, right: "P", bid: 2.9, ask: 3.1, volume: 50, openInterest: 500, iv: 0.26, delta: -0.55, gamma: 0.05, theta: -0.05, vega: 0.1 },
];

const scanner = new Scanner();
const keys = (out: ReturnType<Scanner["scan"]>): string[] => out.candidates.map((c) => `${c.shortStrike}/${c.longStrike}`);

describe("pairing and prices", () => {
  it("builds every bull put pair with natural/mid/limit as computed by hand", () => {
    const out = scanner.scan(chainOf(PUTS, { spot: 104 }), configOf({ topK: 100 }));
    expect(out.pairsEvaluated).toBe(3);
    const byKey = new Map(out.candidates.map((c) => [`${c.shortStrike}/${c.longStrike}`, c]));
    expect([...byKey.keys()].sort()).toEqual(["100/95", "105/100", "105/95"]);
    // 100/95: natural = 1.20 − 0.60 = 0.60, mid = 1.25 − 0.55 = 0.70, width 5.
    const a = byKey.get("100/95")!;
    expect(a.naturalPrice).toBeCloseTo(0.6, 12);
    expect(a.midPrice).toBeCloseTo(0.7, 12);
    expect(a.limitPrice).toBe(0.7);
    expect(a.width).toBe(5);
    expect(a.maxProfit).toBe(0.7);
    expect(a.maxLoss).toBeCloseTo(4.3, 12);
    expect(a.breakeven).toBeCloseTo(99.3, 12);
    expect(a.priceToWidth).toBeCloseTo(0.14, 12);
    // 105/95: natural 2.90 − 0.60 = 2.30, mid 3.00 − 0.55 = 2.45, width 10.
    expect(byKey.get("105/95")!.naturalPrice).toBeCloseTo(2.3, 12);
    expect(byKey.get("105/95")!.midPrice).toBeCloseTo(2.45, 12);
    // 105/100: natural 2.90 − 1.30 = 1.60, mid 3.00 − 1.25 = 1.75.
    expect(byKey.get("105/100")!.limitPrice).toBe(1.75);
    // Net greeks as bought (long − short): theta −0.02 − (−0.03) = +0.01 for 100/95.
    expect(a.netTheta).toBeCloseTo(0.01, 12);
    expect(a.netDelta).toBeCloseTo(0.15, 12);
  });

  it("moves the limit toward natural by the offset and rounds up to the tick (credit)", () => {
    // 100/95: max(0.70 − 0.07, 0.60) = 0.63 → up to 0.65 on a 0.05 tick.
    const out = scanner.scan(chainOf(PUTS, { spot: 104 }), configOf({ topK: 100, limitOffset: 0.07 }));
    expect(out.candidates.find((c) => c.shortStrike === 100)!.limitPrice).toBe(0.65);
    // Offset 0.5 would pass natural: clamped to natural 0.60.
    const far = scanner.scan(chainOf(PUTS, { spot: 104 }), configOf({ topK: 100, limitOffset: 0.5 }));
    expect(far.candidates.find((c) => c.shortStrike === 100)!.limitPrice).toBe(0.6);
  });

  it("builds bear put debit spreads with debit natural = long ask − short bid", () => {
    const out = scanner.scan(chainOf(PUTS, { spot: 104 }), configOf({ kinds: ["bearPut"], topK: 100 }));
    const c = out.candidates.find((x) => x.longStrike === 105 && x.shortStrike === 100)!;
    expect(c.naturalPrice).toBeCloseTo(3.1 - 1.2, 12);
    expect(c.midPrice).toBeCloseTo(3.0 - 1.25, 12);
    expect(c.limitPrice).toBe(1.75);
    expect(c.maxProfit).toBeCloseTo(3.25, 12);
    expect(c.breakeven).toBeCloseTo(103.25, 12);
  });

  it("pairs only strikes within the width range on a 6-strike chain (two pointers)", () => {
    const rows: RowSpec[] = [90, 92.5, 95, 97.5, 100, 105].map((k, i) => ({
      strike: k, right: "C", bid: 10 - i, ask: 10.2 - i, iv: 0.2, delta: 0.5,
    }));
    const out = scanner.scan(chainOf(rows, { spot: 100 }), configOf({ kinds: ["bearCall"], topK: 100, filters: { widthMin: 2.5, widthMax: 5 } }));
    // Widths 2.5 or 5: 90/92.5 90/95 92.5/95 92.5/97.5 95/97.5 95/100 97.5/100 100/105.
    expect(keys(out).sort()).toEqual(["100/105", "90/92.5", "90/95", "92.5/95", "92.5/97.5", "95/100", "95/97.5", "97.5/100"]);
    expect(out.pairsEvaluated).toBe(8);
  });

  it("ranks by score, ties by expiry then short strike, and matches the documented score", () => {
    const twoExpiries = [...PUTS.map((r) => ({ ...r, expiry: 20250328 })), ...PUTS];
    const out = scanner.scan(chainOf(twoExpiries, { spot: 104 }), configOf({ topK: 6 }));
    expect(out.candidates.map((c) => c.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    for (let i = 1; i < out.candidates.length; i++) {
      const [p, c] = [out.candidates[i - 1]!, out.candidates[i]!];
      expect(p.score > c.score || (p.score === c.score && p.expiry <= c.expiry)).toBe(true);
    }
    // Identical quotes in both expiries: equal scores, so the earlier expiry ranks first.
    expect(out.candidates[0]!.expiry).toBe(20250321);
    expect(out.candidates[1]!.expiry).toBe(20250328);
    const c = out.candidates[0]!;
    const liq = Math.min(legLiquidity(...legQuote(c.shortStrike)), legLiquidity(...legQuote(c.longStrike)));
    expect(c.liquidityScore).toBe(liq);
    expect(c.score).toBe(spreadScore(c.probabilityOfProfit, c.returnOnRisk, c.expectedValue, c.width, liq, 1, 1, 1, 0.5, 3.5));
  });
});

function legQuote(strike: number): [number, number, number, number] {
  const r = PUTS.find((x) => x.strike === strike)!;
  return [r.bid!, r.ask!, r.volume!, r.openInterest!];
}

describe("filters at their boundaries (100/95 bull put, spot 104, 30 DTE)", () => {
  const chain = chainOf(PUTS, { spot: 104 });
  const base = scanner.scan(chain, configOf({ topK: 100 }));
  const pair = base.candidates.find((c) => c.shortStrike === 100 && c.longStrike === 95)!;
  const outcome = spreadOutcome(
    { kind: "bullPut", underlying: "X", expiry: "2025-03-21", lowerStrike: 95, upperStrike: 100 },
    0.7,
    { spot: 104, vol: 0.3 + (0.28 - 0.3) * ((99.3 - 95) / 5), time: 30 / 365, drift: 0 },
  );
  const up = (x: number): number => x + Math.abs(x) * 1e-12 + 1e-15;
  const down = (x: number): number => x - Math.abs(x) * 1e-12 - 1e-15;
  // [name, filter at the boundary (passes), filter just beyond (rejects), rejecting id]
  const cases: [string, ScanFilters, ScanFilters, number][] = [
    ["dte min", { dteMin: 30 }, { dteMin: 31 }, ScanFilterId.Dte],
    ["dte max", { dteMax: 30 }, { dteMax: 29 }, ScanFilterId.Dte],
    ["short |delta| min", { shortDeltaMin: 0.25 }, { shortDeltaMin: up(0.25) }, ScanFilterId.ShortDelta],
    ["short |delta| max", { shortDeltaMax: 0.25 }, { shortDeltaMax: down(0.25) }, ScanFilterId.ShortDelta],
    ["long |delta| max", { longDeltaMax: 0.1 }, { longDeltaMax: down(0.1) }, ScanFilterId.LongDelta],
    ["width min", { widthMin: 5 }, { widthMin: up(5) }, ScanFilterId.Width],
    ["width max", { widthMax: 5 }, { widthMax: down(5) }, ScanFilterId.Width],
    ["min volume", { minVolume: 100 }, { minVolume: 101 }, ScanFilterId.MinVolume],
    ["min open interest", { minOpenInterest: 1000 }, { minOpenInterest: 1001 }, ScanFilterId.MinOpenInterest],
    ["max bid-ask", { maxBidAskSpread: 1.3 - 1.2 }, { maxBidAskSpread: down(1.3 - 1.2) }, ScanFilterId.MaxBidAskSpread],
    // The wider leg in percent is the long 95 put: 0.10 / 0.55 = 18.2 %.
    ["max bid-ask %", { maxBidAskSpreadPercent: ((0.6 - 0.5) / (0.5 * (0.5 + 0.6))) * 100 }, { maxBidAskSpreadPercent: down(((0.6 - 0.5) / (0.5 * (0.5 + 0.6))) * 100) }, ScanFilterId.MaxBidAskSpreadPercent],
    ["min credit/width", { minCreditToWidth: 0.7 / 5 }, { minCreditToWidth: up(0.7 / 5) }, ScanFilterId.MinCreditToWidth],
    ["min return on risk", { minReturnOnRisk: 0.7 / (5 - 0.7) }, { minReturnOnRisk: up(0.7 / (5 - 0.7)) }, ScanFilterId.MinReturnOnRisk],
    ["theta above", { thetaAbove: -0.02 - -0.03 }, { thetaAbove: up(-0.02 - -0.03) }, ScanFilterId.ThetaAbove],
    ["max gamma", { maxGamma: Math.abs(0.01 - 0.03) }, { maxGamma: down(Math.abs(0.01 - 0.03)) }, ScanFilterId.MaxGamma],
    ["vega min", { vegaMin: 0.05 - 0.08 }, { vegaMin: up(0.05 - 0.08) }, ScanFilterId.Vega],
    ["vega max", { vegaMax: 0.05 - 0.08 }, { vegaMax: down(0.05 - 0.08) }, ScanFilterId.Vega],
    ["min POP", { minProbabilityOfProfit: outcome.probabilityOfProfit }, { minProbabilityOfProfit: up(outcome.probabilityOfProfit) }, ScanFilterId.MinProbabilityOfProfit],
    ["min EV", { minExpectedValue: outcome.expectedValue }, { minExpectedValue: up(outcome.expectedValue) }, ScanFilterId.MinExpectedValue],
  ];
  const has = (filters: ScanFilters): boolean =>
    keys(scanner.scan(chain, configOf({ topK: 100, filters }))).includes("100/95");

  it("computes POP and EV exactly as spreadOutcome", () => {
    expect(pair.probabilityOfProfit).toBe(outcome.probabilityOfProfit);
    expect(pair.expectedValue).toBe(outcome.expectedValue);
  });
  for (const [name, at, beyond, id] of cases) {
    it(`${name}: inclusive at the bound, rejects beyond it`, () => {
      expect(has(at)).toBe(true);
      expect(has(beyond)).toBe(false);
      // Width is applied by construction (never counted); a row failing one delta filter keeps
      // its other role, so it is not removed (not counted) unless it loses both.
      if (id !== ScanFilterId.Width && id !== ScanFilterId.ShortDelta && id !== ScanFilterId.LongDelta) {
        const out = scanner.scan(chain, configOf({ topK: 100, filters: beyond }));
        expect(out.rejections[id]).toBeGreaterThan(0);
      }
    });
  }

  it("unknown inputs reject when the filter is set, pass when it is not", () => {
    const blank = (field: keyof RowSpec): RowSpec[] => PUTS.map((r) => ({ ...r, [field]: undefined }));
    const cases2: [keyof RowSpec, ScanFilters][] = [
      ["volume", { minVolume: 0 }],
      ["openInterest", { minOpenInterest: 0 }],
      ["delta", { shortDeltaMin: 0 }],
      ["theta", { thetaAbove: -1e9 }],
      ["gamma", { maxGamma: 1e9 }],
      ["vega", { vegaMin: -1e9 }],
      ["iv", { minProbabilityOfProfit: 0 }],
      ["iv", { minExpectedValue: -1e9 }],
    ];
    for (const [field, filters] of cases2) {
      const c = chainOf(blank(field), { spot: 104 });
      expect(scanner.scan(c, configOf({ topK: 100, filters })).candidates, field).toHaveLength(0);
      expect(scanner.scan(c, configOf({ topK: 100 })).candidates.length, field).toBe(3);
    }
    // Unknown spot: POP/EV unknown → min POP rejects; the candidate otherwise has NaN POP.
    const noSpot = chainOf(PUTS);
    expect(scanner.scan(noSpot, configOf({ filters: { minProbabilityOfProfit: 0 } })).candidates).toHaveLength(0);
    expect(Number.isNaN(scanner.scan(noSpot, configOf()).candidates[0]!.probabilityOfProfit)).toBe(true);
    // Missing quote: QUOTES_PRESENT removes the row.
    const noBid = chainOf(PUTS.map((r, i) => (i === 0 ? { ...r, bid: undefined } : r)), { spot: 104 });
    const out = scanner.scan(noBid, configOf({ topK: 100 }));
    expect(out.rejections[ScanFilterId.QuotesPresent]).toBe(1);
    expect(keys(out)).toEqual(["105/100"]);
  });

  it("underlying-level filters reject the whole underlying, unknown IV percentile included", () => {
    const out = scanner.scan(chain, configOf({ filters: { minIvPercentile: 50, minIvRank: 10 }, ivPercentile: 49, ivRank: 10 }));
    expect(out.underlyingRejectedBy).toEqual([ScanFilterId.MinIvPercentile]);
    expect(out.candidates).toHaveLength(0);
    expect(scanner.scan(chain, configOf({ filters: { minIvPercentile: 50 }, ivPercentile: 50 })).candidates.length).toBe(3);
    expect(scanner.scan(chain, configOf({ filters: { minIvRank: 0 } })).underlyingRejectedBy).toEqual([ScanFilterId.MinIvRank]);
  });
});

describe("kernels agree with core's scalar functions", () => {
  it("roundToTickScaled equals roundToTick bit for bit", () => {
    for (const tick of [0.01, 0.05, 0.1, 0.25, 1, 0.005]) {
      const scale = tickScale(tick);
      for (let i = 0; i < 2000; i++) {
        const price = (i * 0.0137) % 40;
        expect(roundToTickScaled(price, tick, scale, true)).toBe(roundToTick(price, tick, "up"));
        expect(roundToTickScaled(price, tick, scale, false)).toBe(roundToTick(price, tick, "down"));
      }
    }
    expect(rawLimit(0.7, 0.6, 0.07, true)).toBeCloseTo(0.63, 12);
  });
});
