/**
 * The exchange's trading calendar: regular sessions 09:30–16:00 America/New_York on weekdays
 * that are not NYSE holidays, 13:00 closes on the usual early-close days.
 *
 * @packageDocumentation
 */

import { civilFromDays, ibDateFromDays, isoFromDays, parseDate, Weekday, weekday, type IsoDate } from "./civil-date.js";
import { nyseEarlyCloses, nyseHolidays, REGULAR_CLOSE_MINUTES, REGULAR_OPEN_MINUTES } from "./holidays.js";
import { ExchangeTimeZone } from "./time-zone.js";

/** One regular trading session. */
export interface Session {
  /** Exchange date as a day number (days since 1970-01-01). */
  readonly day: number;
  /** Exchange date, `YYYY-MM-DD`. */
  readonly date: IsoDate;
  /** Opening instant, epoch ms. */
  readonly open: number;
  /** Closing instant, epoch ms (13:00 on early-close days). */
  readonly close: number;
  /** True on an early-close day. */
  readonly earlyClose: boolean;
}

/** Options of a {@link TradingCalendar}. */
export interface TradingCalendarOptions {
  /** The exchange zone; America/New_York by default. */
  readonly timeZone?: ExchangeTimeZone;
  /** Further full-day closures (`YYYY-MM-DD` or `YYYYMMDD`), e.g. a national day of mourning. */
  readonly extraHolidays?: readonly string[];
}

/** How far to search for the next or previous session before giving up (a month of closures). */
const MAX_SEARCH_DAYS = 40;
const MAX_CACHED_DAYS = 50_000;

/** Sessions, holidays and the open/closed state of the simulated US market. */
export class TradingCalendar {
  /** The exchange time zone. */
  readonly timeZone: ExchangeTimeZone;
  readonly #extra: ReadonlySet<number>;
  readonly #holidays = new Map<number, ReadonlyMap<number, string>>();
  readonly #early = new Map<number, ReadonlyMap<number, number>>();
  readonly #sessions = new Map<number, Session | null>();

  constructor(options: TradingCalendarOptions = {}) {
    this.timeZone = options.timeZone ?? new ExchangeTimeZone();
    this.#extra = new Set((options.extraHolidays ?? []).map((text) => parseDate(text)));
  }

  /** Name of the holiday on the date, or undefined when it is not a holiday. */
  holidayName(day: number): string | undefined {
    if (this.#extra.has(day)) return "Market closed";
    const year = civilFromDays(day).year;
    let holidays = this.#holidays.get(year);
    if (holidays === undefined) {
      holidays = nyseHolidays(year);
      this.#holidays.set(year, holidays);
    }
    return holidays.get(day);
  }

  /** True when the date has a session (a weekday that is not a holiday). */
  isTradingDay(day: number): boolean {
    const wd = weekday(day);
    return wd !== Weekday.Saturday && wd !== Weekday.Sunday && this.holidayName(day) === undefined;
  }

  /** The session of a date, or undefined on weekends and holidays. */
  session(day: number): Session | undefined {
    const cached = this.#sessions.get(day);
    if (cached !== undefined) return cached ?? undefined;
    let session: Session | null = null;
    if (this.isTradingDay(day)) {
      const year = civilFromDays(day).year;
      let early = this.#early.get(year);
      if (early === undefined) {
        early = nyseEarlyCloses(year);
        this.#early.set(year, early);
      }
      const closeMinutes = early.get(day);
      session = {
        day,
        date: isoFromDays(day),
        open: this.timeZone.toUtc(day, REGULAR_OPEN_MINUTES * 60_000),
        close: this.timeZone.toUtc(day, (closeMinutes ?? REGULAR_CLOSE_MINUTES) * 60_000),
        earlyClose: closeMinutes !== undefined,
      };
    }
    if (this.#sessions.size >= MAX_CACHED_DAYS) this.#sessions.clear();
    this.#sessions.set(day, session);
    return session ?? undefined;
  }

  /** The exchange date (day number) at an instant. */
  dayOf(time: number): number {
    return this.timeZone.dayOf(time);
  }

  /** The session in progress at the instant (open ≤ time < close), if any. */
  sessionAt(time: number): Session | undefined {
    const session = this.session(this.dayOf(time));
    return session !== undefined && time >= session.open && time < session.close ? session : undefined;
  }

  /** True while a regular session is in progress. */
  isOpen(time: number): boolean {
    return this.sessionAt(time) !== undefined;
  }

  /** The first trading day strictly after the date. */
  nextTradingDay(day: number): number {
    for (let d = day + 1; d <= day + MAX_SEARCH_DAYS; d++) if (this.isTradingDay(d)) return d;
    throw new RangeError(`no trading day within ${MAX_SEARCH_DAYS} days after ${isoFromDays(day)}`);
  }

  /** The last trading day strictly before the date. */
  previousTradingDay(day: number): number {
    for (let d = day - 1; d >= day - MAX_SEARCH_DAYS; d--) if (this.isTradingDay(d)) return d;
    throw new RangeError(`no trading day within ${MAX_SEARCH_DAYS} days before ${isoFromDays(day)}`);
  }

  /** The latest session that has opened at or before the instant (possibly still running). */
  lastSessionStarted(time: number): Session {
    const day = this.dayOf(time);
    const today = this.session(day);
    if (today !== undefined && today.open <= time) return today;
    return this.#sessionOrThrow(this.previousTradingDay(day));
  }

  /** The first session that opens strictly after the instant. */
  nextSessionAfter(time: number): Session {
    const day = this.dayOf(time);
    const today = this.session(day);
    if (today !== undefined && today.open > time) return today;
    return this.#sessionOrThrow(this.nextTradingDay(day));
  }

  /**
   * The instant whose market state is in force at `time`: the time itself during a session and
   * the last close otherwise (the simulated market does not move outside regular hours).
   */
  stateTime(time: number): number {
    const session = this.lastSessionStarted(time);
    return Math.min(time, session.close);
  }

  /** Trading days d with from ≤ d ≤ to, in order. */
  tradingDaysBetween(from: number, to: number): number[] {
    const days: number[] = [];
    for (let d = from; d <= to; d++) if (this.isTradingDay(d)) days.push(d);
    return days;
  }

  /**
   * IB's `tradingHours` / `liquidHours` string for contract details, e.g.
   * `20260320:0930-20260320:1600;20260321:CLOSED`, for `days` dates from `from`.
   */
  tradingHoursString(from: number, days: number): string {
    const parts: string[] = [];
    for (let d = from; d < from + days; d++) {
      const session = this.session(d);
      const date = ibDateFromDays(d);
      if (session === undefined) {
        parts.push(`${date}:CLOSED`);
      } else {
        const close = this.timeZone.timeOfDayMs(session.close) / 60_000;
        const hhmm = `${String(Math.floor(close / 60)).padStart(2, "0")}${String(close % 60).padStart(2, "0")}`;
        parts.push(`${date}:0930-${date}:${hhmm}`);
      }
    }
    return parts.join(";");
  }

  #sessionOrThrow(day: number): Session {
    const session = this.session(day);
    if (session === undefined) throw new RangeError(`${isoFromDays(day)} has no session`);
    return session;
  }
}
