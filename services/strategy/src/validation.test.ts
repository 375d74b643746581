import { Direction, Indicator, SpreadKindSelection, TradingMode } from "@spreadops/api";
import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { validSpec } from "./testing/specs.js";
import { firstViolationError, validateSpec } from "./validation.js";

const fields = (spec: Parameters<typeof validateSpec>[0]) => validateSpec(spec).map((v) => v.field);

describe("validateSpec", () => {
  it("accepts the architecture's example spec", () => {
    expect(validateSpec(validSpec())).toEqual([]);
  });

  it.each([
    ["spec.mode", { mode: TradingMode.UNSPECIFIED }],
    ["spec.universe.symbols[1]", { universe: { symbols: ["SPY", "spy"] } }],
    ["spec.universe.minPrice", { universe: { symbols: [], minPrice: -1 } }],
    ["spec.schedule.timezone", { schedule: { timezone: "Mars/Olympus", window: { start: "09:45", end: "15:45" } } }],
    ["spec.schedule.window.start", { schedule: { timezone: "UTC", window: { start: "16:00", end: "15:45" } } }],
    ["spec.schedule.window.end", { schedule: { timezone: "UTC", window: { start: "09:00", end: "25:00" } } }],
    ["spec.schedule.scanInterval", { schedule: { timezone: "UTC", window: { start: "09:00", end: "10:00" }, scanInterval: { seconds: 0n } } }],
    ["spec.spread.dte.min", { spread: { kind: SpreadKindSelection.AUTO, dte: { min: 60, max: 30 } } }],
    ["spec.spread.shortDelta.max", { spread: { kind: SpreadKindSelection.AUTO, shortDelta: { min: 0.2, max: 1.5 } } }],
    ["spec.spread.width.min", { spread: { kind: SpreadKindSelection.AUTO, width: { min: 0 } } }],
    ["spec.spread.kind", { spread: { kind: SpreadKindSelection.UNSPECIFIED } }],
    ["spec.spread.kind", { spread: { kind: SpreadKindSelection.BEAR_CALL } }],
    ["spec.spread.creditWhenIvPercentileAbove", { spread: { kind: SpreadKindSelection.AUTO, creditWhenIvPercentileAbove: 120 } }],
    ["spec.risk.maxOpenTrades", { risk: { maxOpenTrades: 0 } }],
    ["spec.risk.maxRiskPerTrade", { risk: { maxRiskPerTrade: -5 } }],
    ["spec.risk.maxDailyLoss", { risk: { maxDailyLoss: 0 } }],
    ["spec.risk.takeProfitPercent", { risk: { takeProfitPercent: 150 } }],
    ["spec.risk.roll.atDte", { risk: { roll: { enabled: true } } }],
    ["spec.execution.limitOffset", { execution: { approval: 1, limitOffset: -0.01 } }],
    ["spec.execution.approval", { execution: {} }],
    ["spec.entry[0].period", { entry: [{ indicator: Indicator.RSI, below: 30, direction: Direction.BULLISH }] }],
    ["spec.entry[0].below", { entry: [{ indicator: Indicator.RSI, period: 14, direction: Direction.BULLISH }] }],
    ["spec.entry[0].above", { entry: [{ indicator: Indicator.RSI, period: 14, above: 150, direction: Direction.BULLISH }] }],
    ["spec.entry[0].indicator", { entry: [{ indicator: Indicator.UNSPECIFIED, direction: Direction.BULLISH }] }],
    ["spec.entry[0].direction", { entry: [{ indicator: Indicator.SMA, period: 20 }] }],
    ["spec.entry[0].fast", { entry: [{ indicator: Indicator.SMA_CROSS, fast: 50, slow: 20, direction: Direction.BULLISH }] }],
    ["spec.entry[0].slow", { entry: [{ indicator: Indicator.EMA_CROSS, fast: 5, direction: Direction.BULLISH }] }],
    ["spec.entry[0].multiple", { entry: [{ indicator: Indicator.ATR_MOVE, period: 14, direction: Direction.BULLISH }] }],
    ["spec.entry[0].multiple", { entry: [{ indicator: Indicator.SMA, period: 14, multiple: 2, direction: Direction.BULLISH }] }],
    ["spec.entry[0].above", { entry: [{ indicator: Indicator.SMA, period: 14, above: 2, below: 1, direction: Direction.BULLISH }] }],
    ["spec.filters.dte.max", { filters: { dte: { min: 10, max: 2000 } } }],
    ["spec.filters.dte.min", { filters: { dte: { min: -1 } } }],
    ["spec.filters.shortDelta.min", { filters: { shortDelta: { min: -0.1 } } }],
    ["spec.filters.longDelta.max", { filters: { longDelta: { max: 1.2 } } }],
    ["spec.filters.longDelta.min", { filters: { longDelta: { min: 0.5, max: 0.2 } } }],
    ["spec.filters.width.min", { filters: { width: { min: 0 } } }],
    ["spec.filters.maxBidAskSpread", { filters: { maxBidAskSpread: -0.05 } }],
    ["spec.filters.maxBidAskSpreadPercent", { filters: { maxBidAskSpreadPercent: 140 } }],
    ["spec.filters.minIvPercentile", { filters: { minIvPercentile: -5 } }],
    ["spec.filters.minIvRank", { filters: { minIvRank: 101 } }],
    ["spec.filters.thetaAbove", { filters: { thetaAbove: Number.NaN } }],
    ["spec.filters.maxGamma", { filters: { maxGamma: -0.01 } }],
    ["spec.filters.vega.min", { filters: { vega: { min: 0.5, max: -0.5 } } }],
    ["spec.filters.vega.max", { filters: { vega: { max: Number.POSITIVE_INFINITY } } }],
    ["spec.filters.minProbabilityOfProfit", { filters: { minProbabilityOfProfit: 65 } }],
    ["spec.filters.minReturnOnRisk", { filters: { minReturnOnRisk: -0.2 } }],
    ["spec.filters.minCreditToWidth", { filters: { minCreditToWidth: 1.5 } }],
    ["spec.filters.maxDebitToWidth", { filters: { maxDebitToWidth: -0.1 } }],
    ["spec.filters.minExpectedValue", { filters: { minExpectedValue: Number.NEGATIVE_INFINITY } }],
    ["spec.entry[1].direction", { entry: [{ indicator: Indicator.SMA, period: 20, direction: Direction.BULLISH }, { indicator: Indicator.RSI, period: 14, above: 70, direction: Direction.BEARISH }] }],
  ] as const)("names %s", (field, overrides) => {
    expect(fields(validSpec(overrides as Parameters<typeof validSpec>[0]))).toContain(field);
  });

  it("accepts every filter at its bounds", () => {
    const filters = {
      dte: { min: 0, max: 1500 }, shortDelta: { min: 0, max: 1 }, longDelta: { min: 0, max: 1 }, width: { min: 0.5, max: 50 },
      minVolume: 0, minOpenInterest: 10, maxBidAskSpread: 0, maxBidAskSpreadPercent: 100, minIvPercentile: 0, minIvRank: 100,
      thetaAbove: -0.5, maxGamma: 0, vega: { min: -2, max: 0 }, minProbabilityOfProfit: 1, minReturnOnRisk: 3, minCreditToWidth: 0,
      maxDebitToWidth: 1, minExpectedValue: -1,
    };
    expect(validateSpec(validSpec({ filters }))).toEqual([]);
  });

  it("reports a missing spec, schedule and spread", () => {
    expect(fields(undefined)).toEqual(["spec"]);
    const spec = validSpec();
    spec.schedule = undefined;
    spec.spread = undefined;
    expect(fields(spec)).toEqual(["spec.schedule", "spec.spread"]);
  });

  it("says what was expected and what was given", () => {
    const [v] = validateSpec(validSpec({ spread: { kind: SpreadKindSelection.AUTO, dte: { min: 60, max: 30 } } }));
    expect(v).toMatchObject({ field: "spec.spread.dte.min", given: "60" });
    expect(v?.message).toBe("expected ≤ spec.spread.dte.max (30), got 60");
  });

  it("turns the first violation into InvalidArgument naming the field", () => {
    const error = firstViolationError(validateSpec(validSpec({ schedule: { timezone: "Nowhere/Land", window: { start: "09:45", end: "15:45" } } })));
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toBe('invalid spec.schedule.timezone: expected an IANA time zone, e.g. America/New_York, got "Nowhere/Land"');
    expect(firstViolationError([])).toBeUndefined();
  });
});
