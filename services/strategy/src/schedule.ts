import type { StrategySchedule } from "@spreadops/api";
import { civilFromDays, daysFromCivil } from "@spreadops/core";
import { parseHhMm } from "./validation.js";

/** Default scan interval when the spec leaves it unset: the CR example's 5 minutes. */
export const DEFAULT_SCAN_INTERVAL_MS = 5 * 60_000;

/** Wall-clock fields of an instant in a time zone. */
interface ZonedTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** Minutes after local midnight. */
  readonly minutes: number;
  /** Local epoch day (days since 1970-01-01 of the local date). */
  readonly epochDay: number;
}

// Formatters are cheap to reuse but not worth a module-level cache (no mutable module state);
// one per call is fine at a scan every few minutes.
function zoned(ms: number, timeZone: string): ZonedTime {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" }).formatToParts(ms);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  const year = get("year");
  const month = get("month");
  const day = get("day");
  return { year, month, day, minutes: get("hour") * 60 + get("minute"), epochDay: daysFromCivil(year, month, day) };
}

/** UTC offset of `timeZone` at instant `ms`, in ms (local − UTC). */
function offsetMs(ms: number, timeZone: string): number {
  const z = zoned(ms, timeZone);
  const secondsPart = ms - Math.floor(ms / 60_000) * 60_000;
  return daysFromCivil(z.year, z.month, z.day) * 86_400_000 + z.minutes * 60_000 + secondsPart - ms;
}

/**
 * The instant a local wall-clock time happens in `timeZone`. Two offset passes settle DST
 * changes; a time skipped by a spring-forward gap resolves to the instant after the gap.
 */
export function instantOf(epochDay: number, minutes: number, timeZone: string): number {
  const local = epochDay * 86_400_000 + minutes * 60_000;
  let guess = local - offsetMs(local, timeZone);
  guess = local - offsetMs(guess, timeZone);
  return guess;
}

/** The exchange-local date of an instant as YYYYMMDD (for proposal keys and "today"). */
export function localDate(ms: number, timeZone: string): number {
  const z = zoned(ms, timeZone);
  return z.year * 10_000 + z.month * 100 + z.day;
}

function isWeekday(epochDay: number): boolean {
  // 1970-01-01 was a Thursday (4, with Sunday = 0).
  const weekday = (((epochDay + 4) % 7) + 7) % 7;
  return weekday >= 1 && weekday <= 5;
}

/**
 * Whether `ms` is inside the schedule's daily window (start inclusive, end exclusive) on a
 * weekday, in the schedule's time zone — never the machine's. Exchange holidays are not known
 * here; the gateway's market data simply goes quiet on them.
 */
export function inTradingWindow(ms: number, schedule: StrategySchedule): boolean {
  const start = parseHhMm(schedule.window?.start ?? "");
  const end = parseHhMm(schedule.window?.end ?? "");
  if (start === undefined || end === undefined) return false;
  const z = zoned(ms, schedule.timezone);
  return isWeekday(z.epochDay) && z.minutes >= start && z.minutes < end;
}

/** The schedule's scan interval in ms. */
export function scanIntervalMs(schedule: StrategySchedule): number {
  const d = schedule.scanInterval;
  if (d === undefined) return DEFAULT_SCAN_INTERVAL_MS;
  return Number(d.seconds) * 1000 + Math.floor(d.nanos / 1e6);
}

/**
 * When the next scan is due: `ms` + scan interval when that is inside the window, else the next
 * window start (later today or on the next weekday), in the schedule's time zone.
 */
export function nextScanTime(ms: number, schedule: StrategySchedule): number {
  const candidate = ms + scanIntervalMs(schedule);
  if (inTradingWindow(candidate, schedule)) return candidate;
  const start = parseHhMm(schedule.window?.start ?? "") ?? 0;
  const today = zoned(candidate, schedule.timezone).epochDay;
  for (let day = today; day <= today + 8; day++) {
    if (!isWeekday(day)) continue;
    const at = instantOf(day, start, schedule.timezone);
    if (at >= candidate) return at;
  }
  return candidate;
}

/** YYYYMMDD of a local epoch day (for tests and messages). */
export function yyyymmdd(epochDay: number): number {
  const c = civilFromDays(epochDay);
  return c.year * 10_000 + c.month * 100 + c.day;
}
