/**
 * Calendar dates without a time zone, as day numbers (days since 1970-01-01 in the proleptic
 * Gregorian calendar). Exchange dates (expiries, sessions) are such dates in the exchange's zone,
 * so all date arithmetic is integer arithmetic and never touches the machine's local zone.
 * The conversions themselves are @spreadops/core's.
 *
 * @packageDocumentation
 */

/** An exchange date as ISO 8601 `YYYY-MM-DD` (e.g. an expiry "2026-03-20"). */
export type IsoDate = string;

import { civilFromDays, daysFromCivil, type CivilDate } from "@spreadops/core";

export { civilFromDays, daysFromCivil, type CivilDate };

/** Milliseconds per day. */
export const DAY_MS = 86_400_000;

/** Weekday numbers as returned by {@link weekday} (Sunday = 0). */
export const Weekday = { Sunday: 0, Monday: 1, Tuesday: 2, Wednesday: 3, Thursday: 4, Friday: 5, Saturday: 6 } as const;

/** Weekday of a day number, Sunday = 0 … Saturday = 6 (1970-01-01 was a Thursday). */
export function weekday(days: number): number {
  return (((days % 7) + 11) % 7);
}

/** Day number of the n-th (1-based) given weekday of a month. */
export function nthWeekdayOfMonth(year: number, month: number, dayOfWeek: number, n: number): number {
  const first = daysFromCivil(year, month, 1);
  const offset = (dayOfWeek - weekday(first) + 7) % 7;
  return first + offset + 7 * (n - 1);
}

/** Day number of the last given weekday of a month. */
export function lastWeekdayOfMonth(year: number, month: number, dayOfWeek: number): number {
  const nextFirst = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
  const last = nextFirst - 1;
  return last - ((weekday(last) - dayOfWeek + 7) % 7);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** `YYYY-MM-DD` of a day number. */
export function isoFromDays(days: number): IsoDate {
  const { year, month, day } = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** `YYYYMMDD` (IB's wire format for expiries and daily bars) of a day number. */
export function ibDateFromDays(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${pad(year, 4)}${pad(month, 2)}${pad(day, 2)}`;
}

/** `YYYYMMDD` from `YYYY-MM-DD`. */
export function toIbDate(date: IsoDate): string {
  return ibDateFromDays(parseDate(date));
}

/**
 * Day number of a date written `YYYY-MM-DD` or `YYYYMMDD` (IB's form).
 * @throws RangeError when the text is not a valid date in either form.
 */
export function parseDate(text: string): number {
  const days = tryParseDate(text);
  if (days === undefined) throw new RangeError(`not a date (YYYY-MM-DD or YYYYMMDD): ${JSON.stringify(text)}`);
  return days;
}

/** Like {@link parseDate} but returns undefined for invalid text. */
export function tryParseDate(text: string): number | undefined {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const days = daysFromCivil(year, month, day);
  const back = civilFromDays(days);
  return back.month === month && back.day === day ? days : undefined;
}
