import { create } from "@bufbuild/protobuf";
import { BarSchema, FilterSetSchema, SpreadKindSelection, SpreadSettingsSchema, UnderlyingStatsSchema } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { mergeStats, statsFromIvBars, statsNeed } from "./iv-stats.js";

const bars = (closes: readonly number[]) => closes.map((close) => create(BarSchema, { close }));

describe("statsFromIvBars", () => {
  it("maps today's IV against the year before to percentile and rank in 0–100", () => {
    // History 0.10..0.40 (4 days), today 0.30: 2 of 4 below → 50; rank (0.30−0.10)/(0.40−0.10) → 66.7.
    const stats = statsFromIvBars(bars([0.1, 0.2, 0.4, 0.3, 0.3]));
    expect(stats.impliedVol).toBe(0.3);
    expect(stats.ivPercentile).toBeCloseTo(50, 10);
    expect(stats.ivRank).toBeCloseTo(66.6667, 3);
  });

  it("skips missing days and leaves unknown what cannot be computed", () => {
    expect(statsFromIvBars(bars([Number.NaN, 0, 0.1, 0.2])).ivPercentile).toBe(100);
    const one = statsFromIvBars(bars([0.2]));
    expect(one.ivPercentile).toBeUndefined();
    expect(one.ivRank).toBeUndefined();
    expect(statsFromIvBars([]).impliedVol).toBeUndefined();
    // A flat year has no rank, but a percentile of 0 (no day strictly below).
    const flat = statsFromIvBars(bars([0.2, 0.2, 0.2]));
    expect(flat.ivRank).toBeUndefined();
    expect(flat.ivPercentile).toBe(0);
  });
});

describe("statsNeed and mergeStats", () => {
  it("needs IV percentile for AUTO or its filter and IV rank for its filter, unless given", () => {
    const auto = create(SpreadSettingsSchema, { kind: SpreadKindSelection.AUTO });
    const put = create(SpreadSettingsSchema, { kind: SpreadKindSelection.BULL_PUT });
    expect(statsNeed(undefined, auto, undefined)).toEqual({ ivPercentile: true, ivRank: false });
    expect(statsNeed(create(FilterSetSchema, { minIvRank: 30 }), put, undefined)).toEqual({ ivPercentile: false, ivRank: true });
    expect(statsNeed(undefined, put, undefined)).toEqual({ ivPercentile: false, ivRank: false });
    expect(statsNeed(create(FilterSetSchema, { minIvPercentile: 30 }), auto, create(UnderlyingStatsSchema, { ivPercentile: 40 }))).toEqual({ ivPercentile: false, ivRank: false });
  });

  it("keeps what the caller gave over what was fetched", () => {
    const merged = mergeStats(create(UnderlyingStatsSchema, { ivPercentile: 80 }), create(UnderlyingStatsSchema, { ivPercentile: 20, ivRank: 10, impliedVol: 0.3 }));
    expect(merged).toMatchObject({ ivPercentile: 80, ivRank: 10, impliedVol: 0.3 });
    expect(mergeStats(undefined, undefined).ivPercentile).toBeUndefined();
  });
});
