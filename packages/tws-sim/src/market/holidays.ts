/**
 * US equity/option market holidays and early closes, computed from the NYSE rules rather than a
 * list so the simulator works in any year. Unscheduled closures (national days of mourning,
 * weather) are not modelled; a calendar can add them as extra closed dates.
 *
 * @packageDocumentation
 */

import { daysFromCivil, lastWeekdayOfMonth, nthWeekdayOfMonth, Weekday, weekday } from "./civil-date.js";

/** Minutes after local midnight of a regular open (09:30). */
export const REGULAR_OPEN_MINUTES = 9 * 60 + 30;
/** Minutes after local midnight of a regular close (16:00). */
export const REGULAR_CLOSE_MINUTES = 16 * 60;
/** Minutes after local midnight of an early close (13:00). */
export const EARLY_CLOSE_MINUTES = 13 * 60;

/** Day number of Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return daysFromCivil(year, month, day);
}

/** A fixed-date holiday observed on Friday when it falls on Saturday and Monday on Sunday. */
function observed(day: number): number {
  const wd = weekday(day);
  if (wd === Weekday.Saturday) return day - 1;
  if (wd === Weekday.Sunday) return day + 1;
  return day;
}

/**
 * NYSE full-day holidays of a year: day number → name. New Year's Day on a Saturday is not
 * moved to the preceding Friday (NYSE Rule 7.2), the other fixed-date holidays are.
 */
export function nyseHolidays(year: number): ReadonlyMap<number, string> {
  const holidays = new Map<number, string>();
  const newYear = daysFromCivil(year, 1, 1);
  if (weekday(newYear) !== Weekday.Saturday) holidays.set(observed(newYear), "New Year's Day");
  holidays.set(nthWeekdayOfMonth(year, 1, Weekday.Monday, 3), "Martin Luther King, Jr. Day");
  holidays.set(nthWeekdayOfMonth(year, 2, Weekday.Monday, 3), "Washington's Birthday");
  holidays.set(easterSunday(year) - 2, "Good Friday");
  holidays.set(lastWeekdayOfMonth(year, 5, Weekday.Monday), "Memorial Day");
  if (year >= 2022) holidays.set(observed(daysFromCivil(year, 6, 19)), "Juneteenth National Independence Day");
  holidays.set(observed(daysFromCivil(year, 7, 4)), "Independence Day");
  holidays.set(nthWeekdayOfMonth(year, 9, Weekday.Monday, 1), "Labor Day");
  holidays.set(nthWeekdayOfMonth(year, 11, Weekday.Thursday, 4), "Thanksgiving Day");
  holidays.set(observed(daysFromCivil(year, 12, 25)), "Christmas Day");
  return holidays;
}

/**
 * NYSE early closes (13:00) of a year: day number → close in minutes after midnight. July 3 and
 * December 24 when they are regular weekdays (Monday–Thursday), and the day after Thanksgiving.
 */
export function nyseEarlyCloses(year: number): ReadonlyMap<number, number> {
  const early = new Map<number, number>();
  const isMonToThu = (day: number): boolean => weekday(day) >= Weekday.Monday && weekday(day) <= Weekday.Thursday;
  const july3 = daysFromCivil(year, 7, 3);
  if (isMonToThu(july3)) early.set(july3, EARLY_CLOSE_MINUTES);
  early.set(nthWeekdayOfMonth(year, 11, Weekday.Thursday, 4) + 1, EARLY_CLOSE_MINUTES);
  const christmasEve = daysFromCivil(year, 12, 24);
  if (isMonToThu(christmasEve)) early.set(christmasEve, EARLY_CLOSE_MINUTES);
  return early;
}
