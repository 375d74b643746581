/**
 * A wall-clock time of day in an IANA zone, turned into UTC instants day by day.
 *
 * @packageDocumentation
 */

import { ExchangeTimeZone } from "../../market/time-zone.js";

/** One occurrence: the zone's calendar day (day number) and its UTC instant. */
export interface Occurrence {
  readonly day: number;
  readonly atMs: number;
}

const MINUTE_MS = 60_000;

/**
 * "Every day at HH:MM in this zone". Each local calendar day has exactly one occurrence, found
 * through `Intl` (never the machine's TZ), so a DST change moves the UTC instant by an hour but
 * never skips or repeats a day. A time that does not exist or exists twice on a DST day resolves
 * to one of its candidates (US changes happen at 02:00; 23:45 New York is never affected).
 */
export class DailySchedule {
  readonly zone: ExchangeTimeZone;
  readonly #timeOfDayMs: number;

  /** @throws RangeError when `at` is not `HH:MM` or the zone is unknown. */
  constructor(at: string, timeZone: string) {
    const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(at);
    if (match === null) throw new RangeError(`time of day must be HH:MM, got ${at}`);
    this.#timeOfDayMs = (Number(match[1]) * 60 + Number(match[2])) * MINUTE_MS;
    this.zone = new ExchangeTimeZone(timeZone);
  }

  /** The occurrence on a local calendar day. */
  on(day: number): Occurrence {
    return { day, atMs: this.zone.toUtc(day, this.#timeOfDayMs) };
  }

  /** The last occurrence at or before `nowMs`. */
  latestAtOrBefore(nowMs: number): Occurrence {
    const today = this.on(this.zone.dayOf(nowMs));
    return today.atMs <= nowMs ? today : this.on(today.day - 1);
  }

  /**
   * The first occurrence whose window `[atMs, atMs + durationMs)` has not ended at `nowMs`: the
   * one in progress, if any, else the next one.
   */
  firstEndingAfter(nowMs: number, durationMs: number): Occurrence {
    let occurrence = this.latestAtOrBefore(nowMs);
    if (occurrence.atMs + durationMs <= nowMs) occurrence = this.on(occurrence.day + 1);
    return occurrence;
  }
}
