/**
 * Which options are listed: expirations (weeklies on Fridays, monthlies on the third Friday,
 * then quarterlies and January out to about a year; fewer for less liquid names) and strikes
 * (finer increments near the money, coarser further out, about ±30–40 % around the reference
 * price). An expiry whose Friday is a holiday moves to the trading day before (e.g. Good Friday,
 * or Juneteenth 2026 which is June's third Friday).
 *
 * @packageDocumentation
 */

import type { TradingCalendar } from "./calendar.js";
import { civilFromDays, isoFromDays, nthWeekdayOfMonth, Weekday, type IsoDate } from "./civil-date.js";
import { expiryWeek, fridayOfWeek, MAX_EXPIRY_WEEKS, MAX_STRIKE } from "./contract-ids.js";
import type { LiquidityTier } from "./universe.js";

/** One listed expiration. */
export interface Expiration {
  /** Exchange date (day number). */
  readonly day: number;
  /** Exchange date `YYYY-MM-DD`. */
  readonly date: IsoDate;
  /** Expiry week number (part of the option contract id). */
  readonly week: number;
  /** True for the standard monthly (third-Friday) expiry. */
  readonly monthly: boolean;
  /** The instant options stop trading and settle: that session's close, epoch ms. */
  readonly close: number;
}

/** How far out a tier lists. */
interface ListingRule {
  /** Number of weekly expirations. */
  readonly weeklies: number;
  /** Number of consecutive monthly expirations. */
  readonly monthlies: number;
  /** Quarterly (Mar/Jun/Sep/Dec) and January monthlies are listed up to this many days out. */
  readonly maxDays: number;
}

const LISTING: Readonly<Record<LiquidityTier, ListingRule>> = {
  index: { weeklies: 12, monthlies: 6, maxDays: 400 },
  high: { weeklies: 8, monthlies: 6, maxDays: 400 },
  medium: { weeklies: 4, monthlies: 4, maxDays: 300 },
  low: { weeklies: 0, monthlies: 3, maxDays: 200 },
};

/**
 * The expiry date of a week: its Friday, or the last trading day before it in the same week
 * when the Friday is a holiday; undefined when the whole week is closed.
 */
export function expiryDayOfWeek(calendar: TradingCalendar, week: number): number | undefined {
  const friday = fridayOfWeek(week);
  for (let day = friday; day > friday - 5; day--) if (calendar.isTradingDay(day)) return day;
  return undefined;
}

/** The monthly expiry date of a month (third Friday, or the trading day before it). */
export function monthlyExpiryDay(calendar: TradingCalendar, year: number, month: number): number | undefined {
  return expiryDayOfWeek(calendar, expiryWeek(nthWeekdayOfMonth(year, month, Weekday.Friday, 3)));
}

/** True when the date is the monthly expiry of its month. */
export function isMonthlyExpiry(calendar: TradingCalendar, day: number): boolean {
  const { year, month } = civilFromDays(day);
  return monthlyExpiryDay(calendar, year, month) === day;
}

/**
 * True when an underlying of the tier would ever list this date as an expiry: any week's expiry
 * date for tiers with weeklies, only monthly expiries otherwise. Used to validate contract ids.
 */
export function isExpiryForTier(calendar: TradingCalendar, tier: LiquidityTier, day: number): boolean {
  const week = expiryWeek(day);
  if (week < 0 || week >= MAX_EXPIRY_WEEKS || expiryDayOfWeek(calendar, week) !== day) return false;
  return LISTING[tier].weeklies > 0 || isMonthlyExpiry(calendar, day);
}

function expiration(calendar: TradingCalendar, day: number): Expiration | undefined {
  const session = calendar.session(day);
  if (session === undefined) return undefined;
  return { day, date: isoFromDays(day), week: expiryWeek(day), monthly: isMonthlyExpiry(calendar, day), close: session.close };
}

/**
 * Expirations listed at an instant, in date order: those whose expiry close is not yet past (an
 * expiry is listed up to and including the closing instant of its session).
 */
export function listedExpirations(calendar: TradingCalendar, tier: LiquidityTier, now: number): Expiration[] {
  const rule = LISTING[tier];
  const today = calendar.dayOf(now);
  const byDay = new Map<number, Expiration>();
  const add = (day: number | undefined): boolean => {
    if (day === undefined) return false;
    const e = expiration(calendar, day);
    if (e === undefined || e.close < now || e.week < 0 || e.week >= MAX_EXPIRY_WEEKS) return false;
    byDay.set(day, e);
    return true;
  };
  let weeklies = 0;
  for (let week = expiryWeek(today); weeklies < rule.weeklies && week < expiryWeek(today) + rule.weeklies + 2; week++) {
    if (add(expiryDayOfWeek(calendar, week))) weeklies++;
  }
  const { year, month } = civilFromDays(today);
  let monthlies = 0;
  for (let m = 0; m < 24; m++) {
    const y = year + Math.floor((month - 1 + m) / 12);
    const mo = ((month - 1 + m) % 12) + 1;
    const day = monthlyExpiryDay(calendar, y, mo);
    if (day === undefined || day < today) continue;
    if (monthlies < rule.monthlies) {
      if (add(day)) monthlies++;
    } else if (day - today <= rule.maxDays && (mo % 3 === 0 || mo === 1)) {
      add(day);
    }
  }
  return [...byDay.values()].sort((a, b) => a.day - b.day);
}

/** Strike increments near and away from the money, in dollars. */
export interface StrikeIncrements {
  readonly near: number;
  readonly far: number;
}

/** Strike increments for a reference price. */
export function strikeIncrements(referencePrice: number, tier: LiquidityTier, isEtf: boolean): StrikeIncrements {
  const p = referencePrice;
  if (tier === "low") {
    if (p < 5) return { near: 0.5, far: 1 };
    if (p < 10) return { near: 1, far: 2.5 };
    if (p < 25) return { near: 2.5, far: 2.5 };
    return { near: 5, far: 5 };
  }
  if (isEtf) {
    if (p < 25) return { near: 0.5, far: 1 };
    if (p < 100) return { near: 1, far: 2.5 };
    return { near: 1, far: 5 };
  }
  if (p < 25) return { near: 0.5, far: 1 };
  if (p < 50) return { near: 1, far: 2.5 };
  if (p < 200) return { near: 1, far: 5 };
  if (p < 500) return { near: 2.5, far: 10 };
  return { near: 5, far: 10 };
}

/**
 * Listed strikes of one expiry, ascending: multiples of the near increment within ±10 % of the
 * reference price (±12 % for index ETFs) and multiples of the far increment out to ±(30 % + 10 %
 * per year to expiry, capped at 40 %), with at least three far strikes on each side.
 */
export function listedStrikes(referencePrice: number, yearsToExpiry: number, tier: LiquidityTier, isEtf: boolean): number[] {
  const { near, far } = strikeIncrements(referencePrice, tier, isEtf);
  // Work in half dollars so every increment (0.5, 1, 2.5, 5, 10) is an integer.
  const nearUnits = near * 2;
  const farUnits = far * 2;
  const refUnits = referencePrice * 2;
  const band = refUnits * (tier === "index" ? 0.12 : 0.1);
  const range = Math.max(refUnits * (0.3 + 0.1 * Math.min(1, Math.max(0, yearsToExpiry))), 3 * farUnits);
  const limit = MAX_STRIKE * 2;
  const units = new Set<number>();
  const addMultiples = (step: number, from: number, to: number): void => {
    for (let u = Math.max(step, Math.ceil(from / step) * step); u <= Math.min(to, limit); u += step) units.add(u);
  };
  addMultiples(nearUnits, refUnits - band, refUnits + band);
  addMultiples(farUnits, refUnits - range, refUnits + range);
  return [...units].sort((a, b) => a - b).map((u) => u / 2);
}
