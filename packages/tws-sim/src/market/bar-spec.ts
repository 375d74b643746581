/**
 * Parsing of IB historical-data durations ("1 Y", "30 D", "2 W", "6 M", "3600 S") and bar sizes
 * ("1 secs" … "8 hours", "1 day", "1 week", "1 month"), and the start instant a duration implies.
 *
 * @packageDocumentation
 */

import type { TradingCalendar } from "./calendar.js";
import { civilFromDays, DAY_MS, daysFromCivil } from "./civil-date.js";
import { MarketDataError, type BarSize, type Duration, type DurationUnit } from "./market-source.js";

const UNITS: ReadonlySet<string> = new Set<DurationUnit>(["S", "D", "W", "M", "Y"]);

/**
 * Parses an IB duration string: a positive integer, a space, and S, D, W, M or Y.
 * @throws MarketDataError invalid-request.
 */
export function parseDuration(text: string): Duration {
  const match = /^\s*(\d+)\s*([SDWMY])\s*$/i.exec(text);
  const unit = match?.[2]?.toUpperCase();
  const amount = Number(match?.[1]);
  if (unit === undefined || !UNITS.has(unit) || !(amount > 0)) {
    throw new MarketDataError("invalid-request", `Invalid duration ${JSON.stringify(text)}: use "<n> S|D|W|M|Y", e.g. "30 D"`);
  }
  return { amount, unit: unit as DurationUnit };
}

const INTRADAY_UNITS: Readonly<Record<string, number>> = {
  sec: 1, secs: 1, second: 1, seconds: 1,
  min: 60, mins: 60, minute: 60, minutes: 60,
  hour: 3600, hours: 3600,
};

/** The bar sizes IB accepts, in seconds. */
const INTRADAY_SECONDS: ReadonlySet<number> = new Set([1, 5, 10, 15, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 14400, 28800]);

/**
 * Parses an IB bar size ("5 mins", "1 hour", "1 day", …).
 * @throws MarketDataError invalid-request for sizes IB does not offer.
 */
export function parseBarSize(text: string): BarSize {
  const match = /^\s*(\d+)\s*([a-z]+)\s*$/i.exec(text);
  const n = Number(match?.[1]);
  const unit = (match?.[2] ?? "").toLowerCase();
  const fail = (): never => {
    throw new MarketDataError("invalid-request", `Invalid bar size ${JSON.stringify(text)}`);
  };
  if (!(n > 0)) fail();
  if (unit === "day" || unit === "days" || unit === "d") return n === 1 ? { kind: "day" } : fail();
  if (unit === "week" || unit === "weeks" || unit === "w") return n === 1 ? { kind: "week" } : fail();
  if (unit === "month" || unit === "months") return n === 1 ? { kind: "month" } : fail();
  const perUnit = INTRADAY_UNITS[unit];
  if (perUnit === undefined) return fail();
  const seconds = n * perUnit;
  if (!INTRADAY_SECONDS.has(seconds)) fail();
  return { kind: "intraday", seconds };
}

/** Normalises a duration given as a string or as an object. */
export function toDuration(value: string | Duration): Duration {
  if (typeof value === "string") return parseDuration(value);
  if (!(Number.isInteger(value.amount) && value.amount > 0) || !UNITS.has(value.unit)) {
    throw new MarketDataError("invalid-request", `Invalid duration ${JSON.stringify(value)}`);
  }
  return value;
}

/** Normalises a bar size given as a string or as an object. */
export function toBarSize(value: string | BarSize): BarSize {
  if (typeof value === "string") return parseBarSize(value);
  if (value.kind === "intraday" && !INTRADAY_SECONDS.has(value.seconds)) {
    throw new MarketDataError("invalid-request", `Invalid bar size of ${value.seconds} seconds`);
  }
  return value;
}

/** The same wall-clock time `months` months earlier (day of month clamped to the month's end). */
function monthsBefore(calendar: TradingCalendar, time: number, months: number): number {
  const tz = calendar.timeZone;
  const { year, month, day } = civilFromDays(tz.dayOf(time));
  const index = year * 12 + (month - 1) - months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const lastDay = daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
  return tz.toUtc(daysFromCivil(y, m, Math.min(day, lastDay)), tz.timeOfDayMs(time));
}

/**
 * The first instant a request covers. `D` counts sessions (the session containing `end` is the
 * first), like IB; the other units are calendar spans back from `end`.
 */
export function durationStart(calendar: TradingCalendar, end: number, duration: Duration): number {
  const n = duration.amount;
  switch (duration.unit) {
    case "S":
      return end - n * 1000;
    case "D": {
      let day = calendar.lastSessionStarted(end).day;
      for (let k = 1; k < n; k++) day = calendar.previousTradingDay(day);
      const session = calendar.session(day);
      return session === undefined ? end : session.open;
    }
    case "W":
      return end - n * 7 * DAY_MS;
    case "M":
      return monthsBefore(calendar, end, n);
    case "Y":
      return monthsBefore(calendar, end, 12 * n);
  }
}
