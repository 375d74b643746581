import { create } from "@bufbuild/protobuf";
import { durationMs, timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  Direction,
  FilterSetSchema,
  OptionChainSchema,
  OptionRight,
  OrderAction,
  PriceEffect,
  ScanResultSchema,
  SpreadFilterId,
  SpreadKind,
  SpreadKindSelection,
  SpreadSettingsSchema,
  UnderlyingStatsSchema,
  type OptionChain,
} from "@spreadops/api";
import { DomainError } from "@spreadops/runtime";
import { ConnectError, Code } from "@connectrpc/connect";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { CoreScanEngine } from "./engine.js";

/** Puts 95/100/105 and calls 105/110, spot 104, 30 DTE, multiplier 100, tick 0.05. */
function chain(rows = 1): OptionChain {
  const base = [
    { k: 95, r: OptionRight.PUT, bid: 0.5, ask: 0.6, iv: 0.3, d: -0.1 },
    { k: 100, r: OptionRight.PUT, bid: 1.2, ask: 1.3, iv: 0.28, d: -0.25 },
    { k: 105, r: OptionRight.PUT, bid: 2.9, ask: 3.1, iv: 0.26, d: -0.55 },
  ];
  const calls = [
    { k: 105, r: OptionRight.CALL, bid: 2.0, ask: 2.2, iv: 0.25, d: 0.45 },
    { k: 110, r: OptionRight.CALL, bid: 0.7, ask: 0.8, iv: 0.26, d: 0.2 },
  ];
  const all = [...calls, ...base].slice(0, rows === 1 ? 5 : 5);
  return create(OptionChainSchema, {
    underlyingSymbol: "SPY",
    underlyingConId: 756733,
    underlyingPrice: 104,
    asOf: timestampFromMs(1_742_000_000_000),
    asOfDate: 20250219,
    multiplier: 100,
    minTick: 0.05,
    rowCount: all.length,
    conId: all.map((_, i) => 1000 + i),
    expiry: all.map(() => 20250321),
    dte: all.map(() => 30),
    strike: all.map((x) => x.k),
    right: all.map((x) => x.r),
    bid: all.map((x) => x.bid),
    ask: all.map((x) => x.ask),
    last: all.map(() => NaN),
    bidSize: all.map(() => 10),
    askSize: all.map(() => 10),
    volume: all.map(() => 100),
    openInterest: all.map(() => 1000),
    impliedVol: all.map((x) => x.iv),
    delta: all.map((x) => x.d),
    gamma: all.map(() => 0.02),
    theta: all.map(() => -0.03),
    vega: all.map(() => 0.08),
    underlyingPriceAtQuote: all.map(() => 104),
    quoteAgeMs: all.map(() => 5),
    flags: all.map(() => 0),
  });
}

const engine = new CoreScanEngine();
const settings = (over: Parameters<typeof create<typeof SpreadSettingsSchema>>[1] = {}) =>
  create(SpreadSettingsSchema, { kind: SpreadKindSelection.BULL_PUT, ...over });

describe("CoreScanEngine", () => {
  it("fills candidates and diagnostics, and survives a binary round trip", () => {
    const result = engine.scan({ chain: chain(), filters: undefined, settings: settings(), underlying: undefined });
    expect(result.kinds).toEqual([SpreadKind.BULL_PUT]);
    expect(result.candidates).toHaveLength(3);
    const c = result.candidates.find((x) => x.key === "SPY 20250321 P 100/95")!;
    expect(c.kind).toBe(SpreadKind.BULL_PUT);
    expect(c.priceEffect).toBe(PriceEffect.CREDIT);
    expect(c.shortLeg?.action).toBe(OrderAction.SELL);
    expect(c.shortLeg?.strike).toBe(100);
    expect(c.longLeg?.action).toBe(OrderAction.BUY);
    expect(c.longLeg?.conId).toBe(1002);
    expect(c.longLeg?.mid).toBeCloseTo(0.55, 12);
    expect(c.longLeg?.last).toBeUndefined();
    expect(c.limitPrice).toBe(0.7);
    expect(c.priceIncrement).toBe(0.05);
    expect(c.maxProfitPerSpreadUsd).toBeCloseTo(70, 9);
    expect(c.maxLossPerSpreadUsd).toBeCloseTo(430, 9);
    expect(c.probabilityOfProfit).toBeGreaterThan(0.5);
    expect(c.expectedValue).toBeDefined();
    expect(c.passedFilters).toEqual([SpreadFilterId.QUOTES_PRESENT, SpreadFilterId.PRICE_VALID]);
    expect(result.candidates.map((x) => x.rank)).toEqual([1, 2, 3]);
    expect(result.diagnostics?.rowsInChain).toBe(5);
    expect(result.diagnostics?.rowsUsable).toBe(3);
    expect(result.diagnostics?.pairsEvaluated).toBe(3);
    expect(durationMs(result.diagnostics!.scanDuration!)).toBeGreaterThanOrEqual(0);
    const back = fromBinary(ScanResultSchema, toBinary(ScanResultSchema, result));
    expect(back.candidates[0]?.key).toBe(result.candidates[0]?.key);
    expect(back.candidates[0]?.score).toBe(result.candidates[0]?.score);
  });

  it("counts rejections under their filter ids", () => {
    const filters = create(FilterSetSchema, { minCreditToWidth: 0.2 });
    const result = engine.scan({ chain: chain(), filters, settings: settings(), underlying: undefined });
    // 100/95 earns 0.70/5 = 0.14 < 0.2; 105/95 2.45/10 and 105/100 1.75/5 pass.
    expect(result.candidates.map((x) => x.key).sort()).toEqual(["SPY 20250321 P 105/100", "SPY 20250321 P 105/95"]);
    expect(result.diagnostics?.rejections.map((r) => [r.filter, r.count])).toEqual([[SpreadFilterId.MIN_CREDIT_TO_WIDTH, 1]]);
  });

  it("AUTO picks credit strictly above the threshold and explains why", () => {
    const auto = settings({ kind: SpreadKindSelection.AUTO, direction: Direction.BULLISH, creditWhenIvPercentileAbove: 80 });
    const high = engine.scan({ chain: chain(), filters: undefined, settings: auto, underlying: create(UnderlyingStatsSchema, { ivPercentile: 84 }) });
    expect(high.kinds).toEqual([SpreadKind.BULL_PUT]);
    expect(high.kindChoice?.reason).toBe("IV percentile 84 > 80: credit spread (bull put)");
    const equal = engine.scan({ chain: chain(), filters: undefined, settings: auto, underlying: create(UnderlyingStatsSchema, { ivPercentile: 80 }) });
    expect(equal.kinds).toEqual([SpreadKind.BULL_CALL]);
    expect(equal.kindChoice?.reason).toBe("IV percentile 80 ≤ 80: debit spread (bull call)");
    const bear = settings({ kind: SpreadKindSelection.AUTO, direction: Direction.BEARISH });
    const r = engine.scan({ chain: chain(), filters: undefined, settings: bear, underlying: create(UnderlyingStatsSchema, { ivPercentile: 51 }) });
    expect(r.kindChoice?.kind).toBe(SpreadKind.BEAR_CALL);
    expect(r.kindChoice?.threshold).toBe(50);
    expect(r.candidates[0]?.key).toBe("SPY 20250321 C 105/110");
  });

  it("AUTO with an unknown IV percentile is failed_precondition", () => {
    const auto = settings({ kind: SpreadKindSelection.AUTO, direction: Direction.BULLISH });
    const run = () => engine.scan({ chain: chain(), filters: undefined, settings: auto, underlying: undefined });
    expect(run).toThrow(DomainError);
    try {
      run();
    } catch (e) {
      expect((e as DomainError).kind).toBe("failed_precondition");
    }
  });

  it("rejects the underlying on min IV percentile / rank (unknown rejects)", () => {
    const filters = create(FilterSetSchema, { minIvPercentile: 60, minIvRank: 10 });
    const result = engine.scan({ chain: chain(), filters, settings: settings(), underlying: create(UnderlyingStatsSchema, { ivPercentile: 59 }) });
    expect(result.underlyingRejectedBy).toEqual([SpreadFilterId.MIN_IV_PERCENTILE, SpreadFilterId.MIN_IV_RANK]);
    expect(result.candidates).toHaveLength(0);
    expect(result.diagnostics?.rejections.map((r) => [r.filter, r.count])).toEqual([[SpreadFilterId.MIN_IV_PERCENTILE, 1]]);
  });

  it("throws invalid_argument naming the field for a filter set it cannot use", () => {
    const filters = create(FilterSetSchema, { shortDelta: { min: 0.4, max: 0.2 } });
    try {
      engine.scan({ chain: chain(), filters, settings: settings(), underlying: undefined });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConnectError);
      expect((e as ConnectError).code).toBe(Code.InvalidArgument);
      expect((e as ConnectError).message).toContain("filters.short_delta.max");
    }
    expect(() => engine.scan({ chain: chain(), filters: undefined, settings: settings({ kind: SpreadKindSelection.UNSPECIFIED }), underlying: undefined })).toThrow(/settings.kind/);
  });

  it("stops at the deadline with deadline_exceeded naming how far it got", () => {
    let t = 0;
    const clock = new CoreScanEngine({ now: () => t });
    t = 10;
    try {
      clock.scan({ chain: chain(), filters: undefined, settings: settings(), underlying: undefined, deadlineMs: 5 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).kind).toBe("deadline_exceeded");
      expect((e as DomainError).message).toMatch(/deadline/);
    }
    // A big chain whose clock passes the deadline mid-scan: "after N of M pairs".
    const big = create(OptionChainSchema, { ...chain(), rowCount: 0 });
    const n = 4000;
    const k = Array.from({ length: n }, (_, i) => 100 + i * 0.05);
    Object.assign(big, {
      rowCount: n, conId: k.map((_, i) => i), expiry: k.map(() => 20250321), dte: k.map(() => 30), strike: k,
      right: k.map(() => OptionRight.PUT), bid: k.map((_, i) => 1 + i * 0.01), ask: k.map((_, i) => 1.1 + i * 0.01),
      last: k.map(() => NaN), volume: k.map(() => 1), openInterest: k.map(() => 1), impliedVol: k.map(() => 0.2),
      delta: k.map(() => -0.3), gamma: k.map(() => 0), theta: k.map(() => 0), vega: k.map(() => 0), flags: k.map(() => 0),
    });
    let calls = 0;
    const slow = new CoreScanEngine({ now: () => (calls++ < 3 ? 0 : 100) });
    expect(() => slow.scan({ chain: big, filters: undefined, settings: settings(), underlying: undefined, deadlineMs: 50 })).toThrow(
      /after \d+ of \d+ pairs/,
    );
  });
});
