/**
 * Wall-clock conversions in the exchange's time zone through `Intl` (the IANA database that
 * ships with Node), so nothing depends on the machine's `TZ`.
 *
 * @packageDocumentation
 */

import { DAY_MS } from "./civil-date.js";

/** Offsets are looked up per 15-minute bucket: every real zone changes offset on such a boundary. */
const BUCKET_MS = 900_000;
/** Bound on the offset cache; it is cleared when full (a year is ~35,000 buckets). */
const MAX_CACHED_OFFSETS = 100_000;

/** The exchange time zone of the simulated US market. */
export const NEW_YORK = "America/New_York";

/** Converts between UTC instants (epoch ms) and wall-clock dates/times of one IANA zone. */
export class ExchangeTimeZone {
  /** IANA zone name, e.g. "America/New_York". */
  readonly name: string;
  readonly #format: Intl.DateTimeFormat;
  readonly #offsets = new Map<number, number>();

  /** @throws RangeError when `name` is not a zone known to the runtime's ICU data. */
  constructor(name: string = NEW_YORK) {
    this.name = name;
    this.#format = new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  }

  /** Wall-clock minus UTC in milliseconds at the instant (e.g. −4 h during EDT). */
  offsetMs(utcMs: number): number {
    const bucket = Math.floor(utcMs / BUCKET_MS);
    const cached = this.#offsets.get(bucket);
    if (cached !== undefined) return cached;
    const at = bucket * BUCKET_MS;
    const fields: Record<string, number> = {};
    for (const part of this.#format.formatToParts(at)) {
      if (part.type !== "literal") fields[part.type] = Number(part.value);
    }
    const wall = Date.UTC(
      fields.year ?? NaN,
      (fields.month ?? NaN) - 1,
      fields.day ?? NaN,
      fields.hour ?? NaN,
      fields.minute ?? NaN,
      fields.second ?? NaN,
    );
    const offset = wall - at;
    if (!Number.isFinite(offset)) throw new RangeError(`cannot resolve the offset of ${this.name} at ${at}`);
    if (this.#offsets.size >= MAX_CACHED_OFFSETS) this.#offsets.clear();
    this.#offsets.set(bucket, offset);
    return offset;
  }

  /** The zone's calendar date (day number) at the instant. */
  dayOf(utcMs: number): number {
    return Math.floor((utcMs + this.offsetMs(utcMs)) / DAY_MS);
  }

  /** Milliseconds since the zone's local midnight at the instant. */
  timeOfDayMs(utcMs: number): number {
    const local = utcMs + this.offsetMs(utcMs);
    return local - Math.floor(local / DAY_MS) * DAY_MS;
  }

  /**
   * The UTC instant of a wall-clock time (ms after local midnight) on a date. Times that do not
   * exist or repeat at a DST change resolve to one of the candidates; exchange hours never fall
   * in those windows (US changes happen at 02:00).
   */
  toUtc(day: number, timeOfDayMs: number): number {
    const wall = day * DAY_MS + timeOfDayMs;
    const first = wall - this.offsetMs(wall);
    return wall - this.offsetMs(first);
  }
}
