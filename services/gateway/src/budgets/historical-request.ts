/**
 * What identifies a historical-data request, for caching, coalescing and IB's pacing rules.
 *
 * @packageDocumentation
 */

import type { HistoricalPacingRequest } from "@spreadops/core";

/** A historical-bars request in the shape the pacing and cache rules need. */
export interface HistoricalRequestSpec {
  /** The contract and exchange, e.g. `"756733@SMART"` (conId@exchange); the same string for the same contract. */
  readonly contractKey: string;
  /** End of the requested span, epoch ms; undefined = "now" (an open end, the newest bars). */
  readonly endMs?: number | undefined;
  /** IB duration string, e.g. `"1 D"`, `"6 M"`. */
  readonly duration: string;
  /** IB bar size setting, e.g. `"5 mins"`, `"1 day"`. */
  readonly barSize: string;
  /** IB whatToShow, e.g. `"TRADES"`, `"BID_ASK"`. */
  readonly whatToShow: string;
  /** Regular trading hours only. */
  readonly useRTH: boolean;
}

/**
 * Everything that makes two requests identical (IB's "identical request" rule and our coalescing
 * key). The end time counts in whole seconds, as it goes to TWS (`yyyymmdd-hh:mm:ss`): two
 * requests ending in the same second ARE identical to TWS, so they must be to us — found when two
 * strategies scanning the same symbols at once drew error 162 for "different" requests.
 */
export function historicalIdentity(spec: HistoricalRequestSpec): string {
  const end = spec.endMs === undefined ? "now" : String(Math.floor(spec.endMs / 1000));
  return [spec.contractKey, end, spec.duration, spec.barSize, spec.whatToShow, spec.useRTH ? "rth" : "all"].join("|");
}

/** The request as IB's pacing rules see it: same-contract key = contract + exchange + tick type; BID_ASK counts twice. */
export function historicalPacingRequest(spec: HistoricalRequestSpec): HistoricalPacingRequest {
  return {
    identity: historicalIdentity(spec),
    contractKey: `${spec.contractKey}|${spec.whatToShow}`,
    weight: spec.whatToShow.toUpperCase() === "BID_ASK" ? 2 : 1,
  };
}

/** Bar sizes of a day or longer ("1 day", "1 week", "1 month"), whose closed bars never change. */
export function isDailyOrLonger(barSize: string): boolean {
  return /\b(day|days|week|weeks|month|months)\b/i.test(barSize);
}

/** Cache lifetimes of completed results. */
export interface HistoricalTtlPolicy {
  /** Lifetime of results that can still change (open end, or intraday bars); default 60 s. */
  readonly liveMs: number;
  /** Lifetime of daily-or-longer bars whose end lies in the past; default 6 h. */
  readonly closedMs: number;
}

/** Default {@link HistoricalTtlPolicy}. */
export const DEFAULT_HISTORICAL_TTL: HistoricalTtlPolicy = Object.freeze({ liveMs: 60_000, closedMs: 6 * 3_600_000 });

/**
 * How long a completed result stays servable. Daily bars ending in the past are final; anything
 * with an open end or intraday bars may still be revised (last bar forming, late prints), so it
 * gets the short lifetime — which is still longer than IB's 15 s identical-request window, so a
 * cached result is what keeps that rule from ever triggering.
 */
export function historicalTtlMs(spec: HistoricalRequestSpec, nowMs: number, policy: HistoricalTtlPolicy = DEFAULT_HISTORICAL_TTL): number {
  const closed = spec.endMs !== undefined && spec.endMs <= nowMs && isDailyOrLonger(spec.barSize);
  return closed ? policy.closedMs : policy.liveMs;
}
