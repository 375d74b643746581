import { create } from "@bufbuild/protobuf";
import { PriceEffect, SpreadCandidateSchema, SpreadKind, SymbolEvaluationSchema } from "@spreadops/api";
import type { StrategySpec } from "@spreadops/resources/schema";
import { describe, expect, it } from "vitest";
import { filterChecks, inRange, rangeText } from "./filter-checks";

/** A spec as a user writes it (values chosen by hand, not derived from the code). */
const spec = (filters?: StrategySpec["filters"]): StrategySpec => ({
  mode: "paper",
  universe: { symbols: ["SPY"] },
  schedule: { scanInterval: "5m", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } },
  entry: [{ indicator: "rsi", period: 14, below: 30, direction: "bullish" }],
  spread: { kind: "bullPut", dte: { min: 30, max: 45 }, shortDelta: { min: 0.2, max: 0.3 }, width: { min: 5, max: 5 } },
  ...(filters === undefined ? {} : { filters }),
  risk: {},
  execution: { approval: "manual" },
});

/** SPY 580/575 bull put, 45 DTE, short delta −0.30, credit 1.50 (30 % of width). */
const candidate = create(SpreadCandidateSchema, {
  key: "SPY 20261218 P 580/575",
  kind: SpreadKind.BULL_PUT,
  priceEffect: PriceEffect.CREDIT,
  dte: 45,
  width: 5,
  limitPrice: 1.5,
  priceToWidth: 0.3,
  returnOnRisk: 1.5 / 3.5,
  netTheta: 0.021,
  netGamma: -0.004,
  liquidityScore: 0.8,
  shortLeg: { strike: 580, delta: -0.3, volume: 1200, openInterest: 5000, bidAskSpread: 0.05 },
  longLeg: { strike: 575, delta: -0.22, volume: 800, openInterest: 3000, bidAskSpread: 0.07 },
});

const statusByField = (checks: ReturnType<typeof filterChecks>) => Object.fromEntries(checks.map((c) => [c.field, c.status]));

describe("inRange", () => {
  it("includes both bounds", () => {
    expect(inRange(0.3, { min: 0.2, max: 0.3 })).toBe(true);
    expect(inRange(0.2, { min: 0.2, max: 0.3 })).toBe(true);
    expect(inRange(0.31, { min: 0.2, max: 0.3 })).toBe(false);
    expect(inRange(0.19, { min: 0.2, max: 0.3 })).toBe(false);
  });

  it("tolerates floating-point noise at a bound", () => {
    expect(0.1 + 0.2 > 0.3).toBe(true);
    expect(inRange(0.1 + 0.2, { max: 0.3 })).toBe(true);
  });

  it("treats an unset bound as open and an unknown value as unknown", () => {
    expect(inRange(1e9, { min: 1 })).toBe(true);
    expect(inRange(-1e9, { max: 1 })).toBe(true);
    expect(inRange(undefined, { min: 1 })).toBeUndefined();
    expect(inRange(Number.NaN, { min: 1 })).toBeUndefined();
  });
});

describe("rangeText", () => {
  it("writes ranges, one-sided bounds and nothing for an unset range", () => {
    const f = (v: number) => v.toFixed(2);
    expect(rangeText({ min: 0.2, max: 0.3 }, f)).toBe("0.20–0.30");
    expect(rangeText({ min: 5, max: 5 }, f)).toBe("= 5.00");
    expect(rangeText({ min: 0.2 }, f)).toBe("≥ 0.20");
    expect(rangeText({ max: 0.3 }, f)).toBe("≤ 0.30");
    expect(rangeText({}, f)).toBeUndefined();
  });
});

describe("filterChecks", () => {
  it("checks the spread ranges, passing at the inclusive bounds (dte 45 of 30–45, |Δ| 0.30 of 0.20–0.30, width 5 of 5–5)", () => {
    const checks = filterChecks(spec(), candidate);
    expect(checks.map((c) => [c.field, c.requirement, c.actual, c.status])).toEqual([
      ["spec.spread.dte", "30–45", "45", "passed"],
      ["spec.spread.shortDelta", "0.20–0.30", "0.30", "passed"],
      ["spec.spread.width", "= $5.00", "$5.00", "passed"],
    ]);
  });

  it("fails a value outside the spec (the spec changed since the evaluation)", () => {
    const narrower = { ...spec(), spread: { ...spec().spread, dte: { min: 30, max: 44 } } };
    expect(statusByField(filterChecks(narrower, candidate))["spec.spread.dte"]).toBe("failed");
  });

  it("lists only the filters the spec sets, with legs, credit-only and unknown values", () => {
    const checks = filterChecks(spec({
      minVolume: 1000,
      minOpenInterest: 3000,
      maxBidAskSpread: 0.07,
      minCreditToWidth: 0.3,
      maxDebitToWidth: 0.5,
      minProbabilityOfProfit: 0.6,
      minReturnOnRisk: 0.4,
      thetaAbove: 0.02,
      maxGamma: 0.004,
      minIvPercentile: 50,
    }), candidate, create(SymbolEvaluationSchema, { symbol: "SPY", ivPercentile: 49.9 }));
    expect(statusByField(checks)).toEqual({
      "spec.spread.dte": "passed",
      "spec.spread.shortDelta": "passed",
      "spec.spread.width": "passed",
      // The long leg's 800 is below 1000.
      "spec.filters.minVolume": "failed",
      // 3000 on the long leg is exactly the minimum.
      "spec.filters.minOpenInterest": "passed",
      // 0.07 on the long leg is exactly the maximum.
      "spec.filters.maxBidAskSpread": "passed",
      "spec.filters.minIvPercentile": "failed",
      "spec.filters.thetaAbove": "passed",
      "spec.filters.maxGamma": "passed",
      // No IV, no probability of profit.
      "spec.filters.minProbabilityOfProfit": "unknown",
      "spec.filters.minReturnOnRisk": "passed",
      "spec.filters.minCreditToWidth": "passed",
      "spec.filters.maxDebitToWidth": "not-applied",
    });
    const volume = checks.find((c) => c.field === "spec.filters.minVolume");
    expect(volume?.actual).toBe("short 1,200 / long 800");
    expect(checks.find((c) => c.field === "spec.filters.minProbabilityOfProfit")?.actual).toBe("—");
    expect(checks.find((c) => c.field === "spec.filters.minCreditToWidth")?.requirement).toBe("≥ 30.0%");
  });

  it("is empty without a spec", () => {
    expect(filterChecks(undefined, candidate)).toEqual([]);
  });
});
