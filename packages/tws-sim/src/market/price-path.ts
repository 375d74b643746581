/**
 * One underlying's price path across all three levels (day, minute, second), anchored so that the
 * price at the simulation's start equals the universe's reference price: the generated log path
 * is shifted by a constant, which keeps every return and every bar's shape.
 *
 * Prices only move during regular sessions; the tick grid is one second (the price during second
 * s of minute j is the second level's point s + 1, so the last second of a minute shows the
 * minute's close). Overnight moves appear as the next session's opening gap.
 *
 * @packageDocumentation
 */

import type { Session, TradingCalendar } from "./calendar.js";
import { DailyPath, type DailyPathParams, type DailyRecord } from "./daily-path.js";
import { generateMinutePath, generateSecondPath, SECONDS_PER_MINUTE, type MinutePath } from "./intraday-path.js";
import { streamFor } from "./rng.js";

const TAG_MINUTES = 0x3140;
const TAG_SECONDS = 0x5ec0;
/** Sessions of minute paths and minutes of second paths kept per underlying. */
const MINUTE_CACHE = 12;
const SECOND_CACHE = 8;

/** Options of a {@link PricePath}. */
export interface PricePathOptions {
  readonly params: DailyPathParams;
  readonly calendar: TradingCalendar;
  /** First date of the history (day number); session 0 is the first trading day from it. */
  readonly firstDay: number;
  /** A state time (inside a session or at a close) at which the price is `anchorPrice`. */
  readonly anchorTime: number;
  /** Price at `anchorTime`. */
  readonly anchorPrice: number;
}

/** The path's state at one instant, in log prices before the anchoring shift. */
export interface PathPoint {
  /** The state time (≤ the session's close). */
  readonly time: number;
  /** Session index (see {@link DailyPath}). */
  readonly sessionIndex: number;
  readonly session: Session;
  /** Minute of the session (n at the close). */
  readonly minute: number;
  /** Second within the minute (0 at the close). */
  readonly second: number;
  /** Fraction of the session elapsed, 0 at the open, 1 at the close. */
  readonly fraction: number;
  /** True at (or after) the session's close. */
  readonly atClose: boolean;
  readonly logPrice: number;
  /**
   * Log-volatility x = ln σ shown at this state: x moves linearly through the session from x_i to
   * x_{i+1}; during a second it is the value at the second's end (as the price is).
   */
  readonly logVol: number;
  /** The session so far: open, high, low, volume. */
  readonly dayOpen: number;
  readonly dayHigh: number;
  readonly dayLow: number;
  readonly dayVolume: number;
}

/** Price path of one underlying; all generation is lazy and deterministic. */
export class PricePath {
  /** The day level. */
  readonly daily: DailyPath;
  readonly #calendar: TradingCalendar;
  readonly #seed: number;
  readonly #shift: number;
  readonly #minutes = new Map<number, MinutePath>();
  readonly #seconds = new Map<number, Float64Array>();

  constructor(options: PricePathOptions) {
    this.#calendar = options.calendar;
    this.#seed = options.params.seed;
    this.daily = new DailyPath(options.params, options.calendar, options.firstDay);
    this.#shift = 0;
    const anchor = this.pointAt(options.anchorTime);
    this.#shift = Math.log(options.anchorPrice) - anchor.logPrice;
  }

  /** Log shift added to generated log prices. */
  get shift(): number {
    return this.#shift;
  }

  /** A generated log price as a price in USD, rounded to the cent (never below $0.01). */
  toPrice(logPrice: number): number {
    return Math.max(0.01, Math.round(Math.exp(logPrice + this.#shift) * 100) / 100);
  }

  /** Session i's minute path (cached for a few sessions). */
  minutePath(index: number): MinutePath {
    const cached = this.#minutes.get(index);
    if (cached !== undefined) {
      this.#minutes.delete(index);
      this.#minutes.set(index, cached);
      return cached;
    }
    const record = this.daily.record(index);
    const path = generateMinutePath(
      { open: record.open, high: record.high, low: record.low, close: record.close, variance: record.intradayVariance, volume: record.volume },
      record.minutes,
      streamFor(this.#seed, TAG_MINUTES, record.day),
    );
    remember(this.#minutes, index, path, MINUTE_CACHE);
    return path;
  }

  /** Minute j of session i at second resolution: 61 log prices (cached for a few minutes). */
  secondPath(index: number, minute: number): Float64Array {
    const key = index * 4096 + minute;
    const cached = this.#seconds.get(key);
    if (cached !== undefined) return cached;
    const minutes = this.minutePath(index);
    const record = this.daily.record(index);
    const path = generateSecondPath(
      {
        open: minutes.points[minute] ?? NaN,
        close: minutes.points[minute + 1] ?? NaN,
        high: minutes.highs[minute] ?? NaN,
        low: minutes.lows[minute] ?? NaN,
        variance: minutes.variances[minute] ?? NaN,
      },
      streamFor(this.#seed, TAG_SECONDS, record.day, minute),
    );
    remember(this.#seconds, key, path, SECOND_CACHE);
    return path;
  }

  /** Log-vol at a fraction of session i. */
  logVolAt(record: DailyRecord, fraction: number): number {
    return record.logVolOpen + (record.logVolClose - record.logVolOpen) * fraction;
  }

  /**
   * The path's state at an instant; outside sessions it is the state at the last close.
   * @throws RangeError before the first session of the path.
   */
  pointAt(time: number): PathPoint {
    const session = this.#calendar.lastSessionStarted(time);
    const index = this.daily.indexOfDay(session.day);
    if (index === undefined) throw new RangeError(`no price history at ${new Date(time).toISOString()}`);
    const record = this.daily.record(index);
    const t = Math.min(time, session.close);
    const span = session.close - session.open;
    const fraction = (t - session.open) / span;
    if (t >= session.close) {
      const logVol = record.logVolClose;
      return {
        time: t, sessionIndex: index, session, minute: record.minutes, second: 0, fraction: 1, atClose: true,
        logPrice: record.close, logVol, dayOpen: record.open, dayHigh: record.high, dayLow: record.low, dayVolume: record.volume,
      };
    }
    const elapsed = t - session.open;
    const minute = Math.floor(elapsed / 60_000);
    const second = Math.floor((elapsed - minute * 60_000) / 1000);
    const minutes = this.minutePath(index);
    const ticks = this.secondPath(index, minute);
    let high = minutes.highBefore[minute] ?? NaN;
    let low = minutes.lowBefore[minute] ?? NaN;
    for (let k = 0; k <= second + 1; k++) {
      const v = ticks[k] ?? NaN;
      if (v > high) high = v;
      if (v < low) low = v;
    }
    // Like the price, the vol state shown during a second is the one at its end.
    const logVol = this.logVolAt(record, Math.min(1, (t - session.open + 1000) / span));
    const minuteVolume = minutes.volumes[minute] ?? 0;
    const dayVolume = (minutes.volumeBefore[minute] ?? 0) + Math.floor((minuteVolume * (second + 1)) / SECONDS_PER_MINUTE);
    return {
      time: t, sessionIndex: index, session, minute, second, fraction, atClose: false,
      logPrice: ticks[second + 1] ?? NaN, logVol, dayOpen: record.open, dayHigh: high, dayLow: low, dayVolume,
    };
  }
}

/** Inserts into a small LRU map (Map keeps insertion order; the first key is the oldest). */
function remember<K, V>(cache: Map<K, V>, key: K, value: V, capacity: number): void {
  if (cache.size >= capacity) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(key, value);
}
