/**
 * A default trading calendar: weekday sessions closing at a fixed wall-clock time in the
 * exchange's time zone (16:00 America/New_York for US stocks and options). Exchange holidays
 * and early closes are not modelled; a server with a real calendar implements
 * {@link TradingCalendar} itself.
 *
 * @packageDocumentation
 */

import type { TradingCalendar } from "./ports.js";

const DAY_MS = 86_400_000;

interface WallDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Reads the wall-clock date and time of an instant in one time zone. */
class ZonedClock {
  private readonly format: Intl.DateTimeFormat;

  constructor(timeZone: string) {
    this.format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
  }

  /** The wall clock at `epochMs`, expressed as if it were UTC (epoch ms). */
  wallAsUtc(epochMs: number): number {
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(epochMs)) {
      if (part.type !== "literal") parts[part.type] = Number(part.value);
    }
    return Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  }

  /** The epoch ms at which the zone's wall clock shows `date` `hour:minute`. */
  instantOf(date: WallDate, hour: number, minute: number): number {
    const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
    // The zone's offset at the guess decides the instant; iterate because the offset may
    // differ on the other side of a DST change.
    let guess = wall;
    for (let i = 0; i < 3; i++) {
      const next = wall - (this.wallAsUtc(guess) - guess);
      if (next === guess) break;
      guess = next;
    }
    return guess;
  }

  dateOf(epochMs: number): WallDate {
    const wall = new Date(this.wallAsUtc(epochMs));
    return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
  }
}

function addDays(date: WallDate, days: number): WallDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function isWeekend(date: WallDate): boolean {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Options of {@link weekdayCloseCalendar}. */
export interface WeekdayCloseOptions {
  /** IANA zone of the exchange. Default `America/New_York`. */
  readonly timeZone?: string;
  /** Close hour, 24 h. Default 16. */
  readonly closeHour?: number;
  readonly closeMinute?: number;
}

/** A calendar whose sessions close every weekday at one wall-clock time (no holidays). */
export function weekdayCloseCalendar(options: WeekdayCloseOptions = {}): TradingCalendar {
  const clock = new ZonedClock(options.timeZone ?? "America/New_York");
  const hour = options.closeHour ?? 16;
  const minute = options.closeMinute ?? 0;
  return {
    sessionClose(atMs: number): number {
      let date = clock.dateOf(atMs);
      for (let i = 0; i < 8; i++) {
        if (!isWeekend(date)) {
          const close = clock.instantOf(date, hour, minute);
          if (close > atMs) return close;
        }
        date = addDays(date, 1);
      }
      throw new Error("unreachable: a weekday close exists within 8 days");
    },
  };
}
