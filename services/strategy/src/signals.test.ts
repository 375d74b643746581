import { create } from "@bufbuild/protobuf";
import { Direction, EntryRuleSchema, Indicator, IndicatorSeries } from "@spreadops/api";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { PriceBar } from "./signals.js";
import { barsNeeded, evaluateRule, evaluateSignals } from "./signals.js";

const rule = (init: MessageInitShape<typeof EntryRuleSchema>) => create(EntryRuleSchema, init);
const barsOf = (closes: readonly number[]): PriceBar[] => closes.map((c) => ({ high: c + 1, low: c - 1, close: c }));

/** Wilder's RSI straight from the definition, for checking. */
function wilderRsi(closes: readonly number[], period: number): number {
  const changes = closes.slice(1).map((c, i) => c - (closes[i] ?? 0));
  let gain = changes.slice(0, period).reduce((s, d) => s + Math.max(d, 0), 0) / period;
  let loss = changes.slice(0, period).reduce((s, d) => s + Math.max(-d, 0), 0) / period;
  for (const d of changes.slice(period)) {
    gain = (gain * (period - 1) + Math.max(d, 0)) / period;
    loss = (loss * (period - 1) + Math.max(-d, 0)) / period;
  }
  return 100 - 100 / (1 + gain / loss);
}

// A falling series with noise: RSI ends low.
const FALLING = Array.from({ length: 60 }, (_, i) => 100 - i * 0.8 + (i % 3 === 0 ? 0.9 : -0.2));

describe("RSI rule", () => {
  it("matches Wilder's definition and agrees below the threshold", () => {
    const expected = wilderRsi(FALLING, 14);
    const { result } = evaluateRule(rule({ indicator: Indicator.RSI, period: 14, below: 30, direction: Direction.BULLISH }), 0, barsOf(FALLING));
    const value = result.values.find((v) => v.series === IndicatorSeries.RSI);
    expect(value?.value).toBeCloseTo(expected, 9);
    expect(value?.previousValue).toBeCloseTo(wilderRsi(FALLING.slice(0, -1), 14), 9);
    expect(expected).toBeLessThan(30);
    expect(result.agreed).toBe(true);
    expect(result.reason).toBe(`RSI(14) ${expected.toFixed(1)} < 30`);
  });

  it("does not agree above `below` and says so", () => {
    const rising = FALLING.map((c) => 200 - c);
    const { result } = evaluateRule(rule({ indicator: Indicator.RSI, period: 14, below: 30, direction: Direction.BULLISH }), 0, barsOf(rising));
    expect(result.agreed).toBe(false);
    expect(result.reason).toMatch(/≥ 30$/);
  });

  it("reports too few bars", () => {
    const outcome = evaluateRule(rule({ indicator: Indicator.RSI, period: 14, below: 30, direction: Direction.BULLISH }), 0, barsOf([1, 2, 3]));
    expect(outcome.insufficientData).toBe(true);
    expect(outcome.result.agreed).toBe(false);
  });
});

describe("SMA/EMA level rules", () => {
  const closes = [...Array.from({ length: 20 }, () => 100), 110];
  it("uses the close's percent distance from the average", () => {
    const ma = (19 * 100 + 110) / 20; // 100.5
    const distance = ((110 - ma) / ma) * 100;
    const { result } = evaluateRule(rule({ indicator: Indicator.SMA, period: 20, above: 5, direction: Direction.BULLISH }), 0, barsOf(closes));
    expect(result.values.find((v) => v.series === IndicatorSeries.SMA)?.value).toBeCloseTo(ma, 12);
    expect(result.values.find((v) => v.series === IndicatorSeries.MA_DISTANCE_PERCENT)?.value).toBeCloseTo(distance, 12);
    expect(result.agreed).toBe(true);
    const tight = evaluateRule(rule({ indicator: Indicator.SMA, period: 20, above: 5, below: 9, direction: Direction.BULLISH }), 0, barsOf(closes));
    expect(tight.result.agreed).toBe(false);
  });

  it("without thresholds compares the close with the average by direction", () => {
    expect(evaluateRule(rule({ indicator: Indicator.EMA, period: 5, direction: Direction.BULLISH }), 0, barsOf(closes)).result.agreed).toBe(true);
    expect(evaluateRule(rule({ indicator: Indicator.EMA, period: 5, direction: Direction.BEARISH }), 0, barsOf(closes)).result.agreed).toBe(false);
  });
});

describe("cross rules", () => {
  // Falling, then rising: SMA2 (102) crosses above SMA4 (101.25) at index 7, 1 bar before the last.
  const closes = [105, 104, 103, 102, 101, 100, 101, 103, 106];
  it("agrees while fast > slow, and with period only when the cross is recent enough", () => {
    const base = { indicator: Indicator.SMA_CROSS, fast: 2, slow: 4, direction: Direction.BULLISH } as const;
    const plain = evaluateRule(rule(base), 0, barsOf(closes)).result;
    expect(plain.agreed).toBe(true);
    expect(plain.reason).toBe("SMA2 104.50 > SMA4 102.50, crossed above 1 bar ago");
    expect(evaluateRule(rule({ ...base, period: 2 }), 0, barsOf(closes)).result.agreed).toBe(true);
    expect(evaluateRule(rule({ ...base, period: 1 }), 0, barsOf(closes)).result.agreed).toBe(false);
    expect(evaluateRule(rule({ ...base, direction: Direction.BEARISH }), 0, barsOf(closes)).result.agreed).toBe(false);
  });

  it("a bearish cross after a bullish one", () => {
    const closes2 = [100, 101, 102, 103, 104, 105, 104, 101, 97];
    const { result } = evaluateRule(rule({ indicator: Indicator.SMA_CROSS, fast: 2, slow: 4, period: 3, direction: Direction.BEARISH }), 0, barsOf(closes2));
    expect(result.agreed).toBe(true);
    expect(result.reason).toMatch(/crossed below 1 bar ago/);
  });
});

describe("ATR move rule", () => {
  it("compares the last move with multiple × the ATR before it", () => {
    const closes = [...Array.from({ length: 16 }, () => 100), 105];
    // Every bar before the last: high − low = 2 and no gaps, so the ATR is exactly 2.
    const { result } = evaluateRule(rule({ indicator: Indicator.ATR_MOVE, period: 14, multiple: 2, direction: Direction.BULLISH }), 0, barsOf(closes));
    expect(result.values.find((v) => v.series === IndicatorSeries.ATR)?.value).toBeCloseTo(2, 12);
    expect(result.values.find((v) => v.series === IndicatorSeries.ATR_MOVE)?.value).toBeCloseTo(2.5, 12);
    expect(result.agreed).toBe(true);
    expect(evaluateRule(rule({ indicator: Indicator.ATR_MOVE, period: 14, multiple: 3, direction: Direction.BULLISH }), 0, barsOf(closes)).result.agreed).toBe(false);
    expect(evaluateRule(rule({ indicator: Indicator.ATR_MOVE, period: 14, multiple: 2, direction: Direction.BEARISH }), 0, barsOf(closes)).result.agreed).toBe(false);
  });
});

describe("evaluateSignals", () => {
  it("needs every rule to agree and explains itself", () => {
    const rules = [
      rule({ indicator: Indicator.RSI, period: 14, below: 30, direction: Direction.BULLISH }),
      rule({ indicator: Indicator.SMA, period: 5, direction: Direction.BEARISH }),
    ];
    const outcome = evaluateSignals(rules.map((r) => ({ ...r, direction: Direction.BULLISH })), barsOf(FALLING));
    expect(outcome.agreed).toBe(false);
    expect(outcome.direction).toBe(Direction.UNSPECIFIED);
    expect(outcome.reason).toMatch(/^RSI\(14\) .* < 30: bullish; close .* SMA\(5\) .*: no → no entry$/);
    const both = evaluateSignals([rules[0] ?? rule({}), rule({ indicator: Indicator.SMA, period: 5, direction: Direction.BULLISH, below: 0 })], barsOf(FALLING));
    expect(both.agreed).toBe(true);
    expect(both.direction).toBe(Direction.BULLISH);
    expect(both.reason).toMatch(/→ enter bullish$/);
  });

  it("no rules, no entries", () => {
    expect(evaluateSignals([], barsOf(FALLING))).toMatchObject({ agreed: false, reason: "no entry rules → no entries" });
  });

  it("asks for enough bars for the longest period", () => {
    expect(barsNeeded([rule({ indicator: Indicator.RSI, period: 14 }), rule({ indicator: Indicator.SMA_CROSS, fast: 20, slow: 50, period: 5 })])).toBe(56);
    expect(barsNeeded([rule({ indicator: Indicator.EMA, period: 30 })])).toBe(90);
  });
});
