/**
 * Calendar arithmetic on exchange dates written as YYYY-MM-DD. Dates only: no times, no time
 * zones, no `Date` objects — the caller decides which exchange-local date "today" is
 * (CONVENTIONS.md: DTE counts calendar days from the exchange's current date).
 *
 * @packageDocumentation
 */

import { DAYS_PER_YEAR } from "./bsm-batch.js";

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A calendar date split into fields; month 1–12, day 1–31. */
export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * Day number (days since 1970-01-01, proleptic Gregorian) of a calendar date: Howard Hinnant's
 * `days_from_civil`, exact integer arithmetic, no time zone involved.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of {@link daysFromCivil} (Hinnant's `civil_from_days`). */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

function isoFromDays(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** True for a well-formed, existing calendar date YYYY-MM-DD. */
export function isExchangeDate(date: string): boolean {
  const m = YMD.exec(date);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Days since 1970-01-01 of a YYYY-MM-DD date.
 * @throws RangeError for a malformed or non-existent date (e.g. 2023-02-29).
 */
export function epochDay(date: string): number {
  if (!isExchangeDate(date)) throw new RangeError(`not a YYYY-MM-DD calendar date: ${JSON.stringify(date)}`);
  return daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}

/**
 * Days to expiry: calendar days from the exchange's current date to the expiry date
 * (0 on expiration day, negative after it).
 */
export function daysToExpiry(today: string, expiry: string): number {
  return calendarDaysBetween(today, expiry);
}

/** The date `days` calendar days after (or before, if negative) `date`. */
export function addCalendarDays(date: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return isoFromDays(epochDay(date) + days);
}

/** Year fraction for BSM from calendar days: days / 365 (the convention of this package). */
export function yearFraction(calendarDays: number): number {
  return calendarDays / DAYS_PER_YEAR;
}
