/**
 * The day level of an underlying's price path: a log-price random walk whose volatility follows a
 * mean-reverting log-normal stochastic-volatility process (an exponential Ornstein-Uhlenbeck
 * process for ln σ, correlated with returns for the leverage effect), stepped once per session.
 *
 * Per session i with log-vol x_i, σ_i = e^{x_i}, v_i = σ_i², Δ = session minutes / 390 / 252:
 * - overnight gap   g_i = −½·s·v_i·Δ + √(s·v_i·Δ)·Z_g               (s = overnight variance share)
 * - open → close    r_i = (μ − q)·Δ − ½(1 − s)·v_i·Δ + √((1 − s)·v_i·Δ)·Z_1
 * - high / low      the exact law of a Brownian bridge's max / min between open and close
 * - log-vol         x_{i+1} = x_i + κ(x̄ − x_i)/252 + η/√252·(ρ·Z_1 + √(1 − ρ²)·Z_2)
 * with x̄ = ln σ̄ − η²/(2κ) so that the stationary E[σ²] = σ̄², and x_0 drawn from the stationary law
 * (no burn-in needed). Volume: average volume × log-normal noise × (0.45 + 0.69|Z_1|), so big
 * moves trade more. Every session draws from its own stream (symbol seed, date), so sessions
 * can be generated lazily and in any order of request.
 *
 * @packageDocumentation
 */

import type { TradingCalendar } from "./calendar.js";
import { bridgeMax, bridgeMin } from "./extreme-bridge.js";
import { REGULAR_CLOSE_MINUTES, REGULAR_OPEN_MINUTES } from "./holidays.js";
import { streamFor } from "./rng.js";

/** Parameters of the day-level process. */
export interface DailyPathParams {
  /** Seed of the symbol's streams. */
  readonly seed: number;
  /** Long-run realised volatility σ̄ per √year. */
  readonly longRunVol: number;
  /** Mean reversion κ of ln σ per year. */
  readonly volMeanReversion: number;
  /** Volatility η of ln σ per √year. */
  readonly volOfVol: number;
  /** Correlation ρ of return and log-vol shocks (negative: the leverage effect). */
  readonly leverage: number;
  /** Share of a day's variance that falls overnight (the opening gap). */
  readonly overnightShare: number;
  /** Expected return μ per year. */
  readonly drift: number;
  /** Dividend yield q per year (the price drifts down by it). */
  readonly dividendYield: number;
  /** Average daily volume in shares. */
  readonly averageVolume: number;
}

/** Trading days per year of the variance clock. */
export const SESSIONS_PER_YEAR = 252;
const REGULAR_SESSION_MINUTES = REGULAR_CLOSE_MINUTES - REGULAR_OPEN_MINUTES;
const TAG_SESSION = 0x5e55;
const TAG_INITIAL = 0x1417;
const GROW_BY = 128;

/** The day-level record of a session (log prices before the level shift). */
export interface DailyRecord {
  readonly day: number;
  readonly minutes: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Log-vol at the open, x_i. */
  readonly logVolOpen: number;
  /** Log-vol at the close, x_{i+1}. */
  readonly logVolClose: number;
  /** Variance of the log price from open to close. */
  readonly intradayVariance: number;
  readonly volume: number;
}

/** Sessions of one underlying from a first date onwards, generated on demand. */
export class DailyPath {
  readonly #params: DailyPathParams;
  readonly #calendar: TradingCalendar;
  readonly #meanLogVol: number;
  readonly #records: DailyRecord[] = [];
  #nextDay: number;
  #prevClose = 0;
  #logVol: number;

  /** @param firstDay the first date of the path (the first trading day on or after it is session 0) */
  constructor(params: DailyPathParams, calendar: TradingCalendar, firstDay: number) {
    this.#params = params;
    this.#calendar = calendar;
    const { longRunVol, volMeanReversion: kappa, volOfVol: eta } = params;
    const stationaryVariance = (eta * eta) / (2 * kappa);
    this.#meanLogVol = Math.log(longRunVol) - stationaryVariance;
    this.#logVol = this.#meanLogVol + Math.sqrt(stationaryVariance) * streamFor(params.seed, TAG_INITIAL).normal();
    this.#nextDay = calendar.isTradingDay(firstDay) ? firstDay : calendar.nextTradingDay(firstDay);
  }

  /** Date (day number) of session 0. */
  get firstDay(): number {
    return this.record(0).day;
  }

  /** Session i (generating sessions up to it). */
  record(index: number): DailyRecord {
    if (!(index >= 0) || !Number.isInteger(index)) throw new RangeError(`session index must be an integer ≥ 0, got ${index}`);
    while (this.#records.length <= index) this.#grow();
    const record = this.#records[index];
    if (record === undefined) throw new RangeError(`session ${index} missing`);
    return record;
  }

  /** Index of the session on a date, or undefined when the date has none or precedes the path. */
  indexOfDay(day: number): number | undefined {
    if (day < this.firstDay) return undefined;
    while ((this.#records.at(-1)?.day ?? -Infinity) < day) this.#grow();
    let lo = 0;
    let hi = this.#records.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = this.#records[mid]?.day ?? NaN;
      if (d === day) return mid;
      if (d < day) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Index of the last session on or before a date (undefined before the path starts). */
  indexAtOrBefore(day: number): number | undefined {
    if (day < this.firstDay) return undefined;
    const exact = this.indexOfDay(day);
    if (exact !== undefined) return exact;
    return this.indexOfDay(this.#calendar.previousTradingDay(day));
  }

  #grow(): void {
    for (let k = 0; k < GROW_BY; k++) this.#step();
  }

  #step(): void {
    const p = this.#params;
    const day = this.#nextDay;
    this.#nextDay = this.#calendar.nextTradingDay(day);
    const session = this.#calendar.session(day);
    if (session === undefined) throw new RangeError(`no session on day ${day}`);
    const minutes = Math.round((session.close - session.open) / 60_000);
    const rng = streamFor(p.seed, TAG_SESSION, day);
    const zReturn = rng.normal();
    const zVol = rng.normal();
    const zGap = rng.normal();
    const zVolume = rng.normal();
    const uHigh = rng.uniform();
    const uLow = rng.uniform();

    const x = this.#logVol;
    const variance = Math.exp(2 * x);
    const dt = minutes / REGULAR_SESSION_MINUTES / SESSIONS_PER_YEAR;
    const s = p.overnightShare;
    const gapVariance = (s * variance) / SESSIONS_PER_YEAR;
    const open = this.#prevClose - 0.5 * gapVariance + Math.sqrt(gapVariance) * zGap;
    const intradayVariance = (1 - s) * variance * dt;
    const close = open + (p.drift - p.dividendYield) * dt - 0.5 * intradayVariance + Math.sqrt(intradayVariance) * zReturn;
    const high = bridgeMax(open, close, intradayVariance, uHigh);
    const low = bridgeMin(open, close, intradayVariance, uLow);

    const yearStep = 1 / SESSIONS_PER_YEAR;
    const rho = p.leverage;
    const logVolClose =
      x +
      p.volMeanReversion * (this.#meanLogVol - x) * yearStep +
      p.volOfVol * Math.sqrt(yearStep) * (rho * zReturn + Math.sqrt(1 - rho * rho) * zVol);

    const activity = 0.45 + 0.69 * Math.abs(zReturn);
    const volume = Math.max(
      1,
      Math.round(p.averageVolume * (minutes / REGULAR_SESSION_MINUTES) * Math.exp(0.3 * zVolume - 0.045) * activity),
    );

    this.#records.push({ day, minutes, open, high, low, close, logVolOpen: x, logVolClose, intradayVariance, volume });
    this.#prevClose = close;
    this.#logVol = logVolClose;
  }
}
