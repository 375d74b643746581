import { bsmGreeks, type OptionRight } from "@spreadops/core";
import { describe, expect, it } from "vitest";
import { batches, deltaBandStrikes, planOptionChain, selectExpiries, type ChainPlanInput, type OptionChainParams } from "./chain-plan.js";

const STRIKES = Array.from({ length: 81 }, (_, i) => 300 + 5 * i); // 300 … 700
const params: OptionChainParams = {
  exchange: "SMART",
  tradingClass: "SPY",
  multiplier: 100,
  expirations: ["20261113", "20261120", "20261127", "20261204", "20261218", "20270115", "20270319"],
  strikes: STRIKES,
};
const base: ChainPlanInput = {
  symbol: "SPY",
  params,
  spot: 500,
  today: "2026-11-20",
  dte: { min: 7, max: 60 },
  band: { kind: "all" },
  rate: 0.04,
  dividendYield: 0,
};

describe("selectExpiries", () => {
  it("keeps expiries whose calendar DTE from the exchange date is inside the window, inclusive", () => {
    // Nov 20 → Nov 27 = 7, Dec 4 = 14, Dec 18 = 10 + 18 = 28, Jan 15 = 10 + 31 + 15 = 56, Mar 19 = 119.
    expect(selectExpiries(params.expirations, "2026-11-20", { min: 7, max: 60 })).toEqual([
      { expiry: "20261127", dte: 7 },
      { expiry: "20261204", dte: 14 },
      { expiry: "20261218", dte: 28 },
      { expiry: "20270115", dte: 56 },
    ]);
    expect(selectExpiries(params.expirations, "2026-11-20", { min: 8, max: 55 }).map((e) => e.expiry)).toEqual([
      "20261204",
      "20261218",
    ]);
    // 0 DTE is today's expiry; expired ones never come back.
    expect(selectExpiries(params.expirations, "2026-11-20", { min: -30, max: 0 })).toEqual([{ expiry: "20261120", dte: 0 }]);
  });
});

describe("planOptionChain", () => {
  it("never plans expiries outside the window", () => {
    const plan = planOptionChain({ ...base, band: { kind: "absolute", min: 495, max: 505 } });
    expect(new Set(plan.contracts.map((c) => c.expiry))).toEqual(new Set(["20261127", "20261204", "20261218", "20270115"]));
    expect(plan.contracts).toHaveLength(4 * 3 * 2);
  });

  it("absolute and percent strike bands keep exactly the strikes inside, both rights", () => {
    const abs = planOptionChain({ ...base, dte: { min: 28, max: 28 }, band: { kind: "absolute", min: 482, max: 520 } });
    expect([...new Set(abs.contracts.map((c) => c.strike))].sort((a, b) => a - b)).toEqual([485, 490, 495, 500, 505, 510, 515, 520]);
    expect(abs.contracts.filter((c) => c.right === "put")).toHaveLength(8);
    const pct = planOptionChain({ ...base, dte: { min: 28, max: 28 }, band: { kind: "percent", min: -10, max: 5 }, rights: ["put"] });
    const strikes = pct.contracts.map((c) => c.strike);
    expect(Math.min(...strikes)).toBe(450);
    expect(Math.max(...strikes)).toBe(525);
    expect(pct.contracts.every((c) => c.right === "put")).toBe(true);
    // A band beyond every listed strike requests nothing.
    expect(planOptionChain({ ...base, band: { kind: "absolute", min: 800, max: 900 } }).contracts).toEqual([]);
  });

  it("orders by distance from the money, then by expiry", () => {
    const plan = planOptionChain({ ...base, band: { kind: "absolute", min: 490, max: 510 } });
    expect(plan.contracts.slice(0, 8).every((c) => c.strike === 500)).toBe(true);
    expect(plan.contracts[0]).toMatchObject({ strike: 500, expiry: "20261127", dte: 7, multiplier: 100, tradingClass: "SPY" });
    expect(plan.contracts.at(-1)?.strike).toBe(490); // ln(500/490) > ln(510/500)
  });

  describe("delta band", () => {
    const modelDelta = (right: OptionRight, strike: number, dte: number, vol: number): number =>
      Math.abs(bsmGreeks({ right, spot: 500, strike, time: dte / 365, rate: 0.04, dividendYield: 0, vol }).delta);

    it("covers every strike whose independently computed |delta| is in the band, and nothing far outside", () => {
      const plan = planOptionChain({ ...base, band: { kind: "absDelta", min: 0.1, max: 0.5, vol: 0.3, marginStrikes: 2 } });
      for (const { expiry, dte } of plan.expiries) {
        for (const right of ["call", "put"] as const) {
          const inBand = STRIKES.filter((k) => {
            const d = modelDelta(right, k, dte, 0.3);
            return d >= 0.1 && d <= 0.5;
          });
          const planned = plan.contracts.filter((c) => c.expiry === expiry && c.right === right).map((c) => c.strike);
          expect(inBand.length).toBeGreaterThan(2);
          for (const k of inBand) expect(planned).toContain(k);
          // At most the two-strike margin beyond the band on either side.
          expect(Math.min(...planned)).toBeGreaterThanOrEqual(Math.min(...inBand) - 10);
          expect(Math.max(...planned)).toBeLessThanOrEqual(Math.max(...inBand) + 10);
          expect(planned.length).toBeLessThanOrEqual(inBand.length + 4);
        }
      }
      // Calls sit at and above the money, puts at and below (|delta| ≤ 0.5): 400 and 600 are far out.
      const d28 = plan.contracts.filter((c) => c.dte === 28);
      expect(d28.some((c) => c.right === "call" && c.strike < 490)).toBe(false);
      expect(d28.some((c) => c.right === "put" && c.strike > 510)).toBe(false);
      expect(plan.contracts.some((c) => c.strike <= 400 || c.strike >= 600)).toBe(false);
    });

    it("the estimated strike interval has exactly the band's deltas at its ends", () => {
      for (const right of ["call", "put"] as const) {
        const { lo, hi } = deltaBandStrikes(right, 0.1, 0.5, { spot: 500, dte: 28, vol: 0.3, rate: 0.04, dividendYield: 0 });
        const ends = [modelDelta(right, lo, 28, 0.3), modelDelta(right, hi, 28, 0.3)].sort();
        expect(ends[0]).toBeCloseTo(0.1, 9);
        expect(ends[1]).toBeCloseTo(0.5, 9);
      }
    });

    it("the margin picks up neighbours when the band falls between two strikes", () => {
      const sparse = { ...params, strikes: [400, 450, 500, 550, 600] };
      const plan = planOptionChain({
        ...base,
        params: sparse,
        dte: { min: 28, max: 28 },
        rights: ["call"],
        band: { kind: "absDelta", min: 0.2, max: 0.25, marginStrikes: 1 },
      });
      // |delta| 0.20–0.25 at 28 DTE, 30 % vol lies strictly between 500 and 550 (checked below): only those neighbours.
      expect(plan.contracts.map((c) => c.strike).sort()).toEqual([500, 550]);
      const d = (k: number): number => modelDelta("call", k, 28, 0.3);
      expect(d(500)).toBeGreaterThan(0.25);
      expect(d(550)).toBeLessThan(0.2);
    });
  });

  it("batches to min(free lines, snapshot rate)", () => {
    const plan = planOptionChain({ ...base, band: { kind: "absolute", min: 450, max: 550 } });
    // 21 strikes (450 … 550) × 2 rights × 4 expiries = 168 = 4 × 37 + 20.
    expect(plan.contracts).toHaveLength(168);
    const bs = batches(plan.contracts, Math.min(37, 90));
    expect(bs.map((b) => b.length)).toEqual([37, 37, 37, 37, 20]);
    expect(bs.flat()).toEqual(plan.contracts);
  });
});
