import type { StrategySpec } from "@spreadops/resources";

/**
 * The Strategy's daily trading window in its own time zone (never the machine's): weekdays,
 * start inclusive, end exclusive. The strategy service applies the same rule inside Evaluate; the
 * controller needs it on its own to set InTradingWindow and to sleep until the window opens
 * without calling anything. Exchange holidays are not known (the market just stays quiet).
 */
type Schedule = StrategySpec["schedule"];

interface Local {
  /** Days since 1970-01-01 of the local date. */
  readonly epochDay: number;
  /** Minutes after local midnight. */
  readonly minutes: number;
  /** YYYYMMDD. */
  readonly date: number;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** "HH:MM" → minutes after midnight, or undefined. */
export function parseHhMm(text: string): number | undefined {
  const m = HHMM.exec(text);
  return m === null ? undefined : Number(m[1]) * 60 + Number(m[2]);
}

// Howard Hinnant's days_from_civil: proleptic Gregorian date → days since 1970-01-01.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function local(ms: number, timeZone: string): Local {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" }).formatToParts(ms);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  const [year, month, day] = [get("year"), get("month"), get("day")];
  return { epochDay: daysFromCivil(year, month, day), minutes: get("hour") * 60 + get("minute"), date: year * 10_000 + month * 100 + day };
}

function isWeekday(epochDay: number): boolean {
  const weekday = (((epochDay + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  return weekday >= 1 && weekday <= 5;
}

/** The instant of local `minutes` on local `epochDay` (two offset passes settle DST). */
function instantOf(epochDay: number, minutes: number, timeZone: string): number {
  const wall = epochDay * 86_400_000 + minutes * 60_000;
  const offset = (at: number): number => {
    const l = local(at, timeZone);
    return l.epochDay * 86_400_000 + l.minutes * 60_000 - Math.floor(at / 60_000) * 60_000;
  };
  let guess = wall - offset(wall);
  guess = wall - offset(guess);
  return guess;
}

/** Whether `ms` is inside the window; false for an unusable window or zone. */
export function inTradingWindow(ms: number, schedule: Schedule): boolean {
  const start = parseHhMm(schedule.window.start);
  const end = parseHhMm(schedule.window.end);
  if (start === undefined || end === undefined) return false;
  const l = local(ms, schedule.timezone);
  return isWeekday(l.epochDay) && l.minutes >= start && l.minutes < end;
}

/** The next window start strictly after `ms` (or `ms` itself when inside: the window is open). */
export function nextWindowOpen(ms: number, schedule: Schedule): number {
  if (inTradingWindow(ms, schedule)) return ms;
  const start = parseHhMm(schedule.window.start) ?? 0;
  const today = local(ms, schedule.timezone).epochDay;
  for (let day = today; day <= today + 8; day++) {
    if (!isWeekday(day)) continue;
    const at = instantOf(day, start, schedule.timezone);
    if (at > ms) return at;
  }
  return ms + 86_400_000;
}

/** The local date of `ms` in `timeZone`, YYYYMMDD ("today" of the daily P&L). */
export function localDate(ms: number, timeZone: string): number {
  return local(ms, timeZone).date;
}

/** The next local midnight after `ms` in `timeZone` (when "today" ends). */
export function nextLocalMidnight(ms: number, timeZone: string): number {
  const l = local(ms, timeZone);
  return instantOf(l.epochDay + 1, 0, timeZone);
}
