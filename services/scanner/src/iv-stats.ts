import { create } from "@bufbuild/protobuf";
import type { Bar, FilterSet, SpreadSettings, UnderlyingStats } from "@spreadops/api";
import { SpreadKindSelection, UnderlyingStatsSchema } from "@spreadops/api";
import { ivPercentile, ivRank } from "@spreadops/core";

/** Which underlying facts a scan needs and does not have yet. */
export interface StatsNeed {
  readonly ivPercentile: boolean;
  readonly ivRank: boolean;
}

/**
 * What the filters and settings need that `given` lacks: IV percentile for `min_iv_percentile`
 * and for AUTO (which compares it with its threshold), IV rank for `min_iv_rank`.
 */
export function statsNeed(filters: FilterSet | undefined, settings: SpreadSettings | undefined, given: UnderlyingStats | undefined): StatsNeed {
  const wantsPercentile = filters?.minIvPercentile !== undefined || settings?.kind === SpreadKindSelection.AUTO;
  return {
    ivPercentile: wantsPercentile && given?.ivPercentile === undefined,
    ivRank: filters?.minIvRank !== undefined && given?.ivRank === undefined,
  };
}

/** Whether anything must be fetched. */
export function needsAny(need: StatsNeed): boolean {
  return need.ivPercentile || need.ivRank;
}

/**
 * IV percentile and rank (0–100) and today's IV from daily OPTION_IMPLIED_VOLATILITY bars,
 * oldest first: the last bar's close is today's 30-day IV, the bars before it the lookback
 * (core's functions want the window without today). Non-finite or non-positive closes are
 * skipped, since IB reports missing days that way. Unset where it cannot be computed (fewer
 * than two usable days, or a flat year for the rank).
 */
export function statsFromIvBars(bars: readonly Bar[]): UnderlyingStats {
  const closes = bars.map((b) => b.close).filter((v) => Number.isFinite(v) && v > 0);
  const current = closes.at(-1);
  const history = closes.slice(0, -1);
  const stats = create(UnderlyingStatsSchema, {});
  if (current === undefined || history.length === 0) return stats;
  const percentile = ivPercentile(history, current);
  const rank = ivRank(history, current);
  stats.impliedVol = current;
  if (Number.isFinite(percentile)) stats.ivPercentile = percentile * 100;
  if (Number.isFinite(rank)) stats.ivRank = rank * 100;
  return stats;
}

/** `given` with its unset fields filled from `fetched`; what the caller gave always wins. */
export function mergeStats(given: UnderlyingStats | undefined, fetched: UnderlyingStats | undefined): UnderlyingStats {
  const pick = (key: "ivPercentile" | "ivRank" | "impliedVol"): number | undefined => given?.[key] ?? fetched?.[key];
  const ivPercentileValue = pick("ivPercentile");
  const ivRankValue = pick("ivRank");
  const impliedVol = pick("impliedVol");
  return create(UnderlyingStatsSchema, {
    ...(ivPercentileValue === undefined ? {} : { ivPercentile: ivPercentileValue }),
    ...(ivRankValue === undefined ? {} : { ivRank: ivRankValue }),
    ...(impliedVol === undefined ? {} : { impliedVol }),
  });
}
