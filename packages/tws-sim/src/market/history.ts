/**
 * Historical bars of an underlying from its price path: day bars from the day level, intraday
 * bars by aggregating minute (or, below one minute, second) bars into wall-clock buckets. Because
 * the levels nest exactly (see extreme-bridge.ts) a day's intraday bars aggregate to its day bar,
 * and the last bar ends at the current state, so the latest close is the current price.
 *
 * @packageDocumentation
 */

import type { Session, TradingCalendar } from "./calendar.js";
import { civilFromDays, isoFromDays, weekday } from "./civil-date.js";
import type { DailyRecord } from "./daily-path.js";
import { SECONDS_PER_MINUTE } from "./intraday-path.js";
import { MarketDataError, type Bar, type BarSize, type Duration, type WhatToShow } from "./market-source.js";
import { durationStart } from "./bar-spec.js";
import type { PricePath } from "./price-path.js";

/** What the bar builder needs from an underlying. */
export interface BarSource {
  readonly calendar: TradingCalendar;
  readonly path: PricePath;
  /** The 30-day ATM implied vol for a log-vol state x = ln σ. */
  readonly impliedVolOf: (logVol: number) => number;
}

/** A normalised request. */
export interface BarQuery {
  /** Market state time the bars end at (≤ now; inside a session or at a close). */
  readonly end: number;
  readonly duration: Duration;
  readonly barSize: BarSize;
  readonly whatToShow: WhatToShow;
}

/** Longest span served at second resolution (IB is far stricter). */
const MAX_SECONDS_SPAN_MS = 86_400_000;

/** A bar in the making (values already in output units). */
interface Acc {
  time: number;
  day: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  wapVolume: number;
  count: number;
}

function startAcc(time: number, day: number, o: number, h: number, l: number, c: number, v: number, wap: number): Acc {
  return { time, day, open: o, high: h, low: l, close: c, volume: v, wapVolume: wap * v, count: Math.ceil(v / 100) };
}

function addTo(acc: Acc, h: number, l: number, c: number, v: number, wap: number): void {
  if (h > acc.high) acc.high = h;
  if (l < acc.low) acc.low = l;
  acc.close = c;
  acc.volume += v;
  acc.wapVolume += wap * v;
  acc.count += Math.ceil(v / 100);
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function finish(acc: Acc, whatToShow: WhatToShow): Bar {
  const trades = whatToShow === "TRADES";
  return {
    time: acc.time,
    date: isoFromDays(acc.day),
    open: acc.open,
    high: acc.high,
    low: acc.low,
    close: acc.close,
    volume: trades ? acc.volume : -1,
    wap: trades ? (acc.volume > 0 ? round4(acc.wapVolume / acc.volume) : acc.close) : -1,
    count: trades ? acc.count : -1,
  };
}

/** Appends one base bar to the list of buckets, opening a new bucket when the key changes. */
class Bucketer {
  readonly bars: Acc[] = [];
  #key = NaN;

  add(key: number, time: number, day: number, o: number, h: number, l: number, c: number, v: number, wap: number): void {
    const last = this.bars.at(-1);
    if (last !== undefined && key === this.#key) {
      addTo(last, h, l, c, v, wap);
    } else {
      this.bars.push(startAcc(time, day, o, h, l, c, v, wap));
      this.#key = key;
    }
  }
}

/** Index of the first session on or after a date (0 before the path starts). */
function firstIndexFrom(source: BarSource, day: number): number {
  const daily = source.path.daily;
  if (day <= daily.firstDay) return 0;
  const at = daily.indexAtOrBefore(day);
  if (at === undefined) return 0;
  return daily.record(at).day < day ? at + 1 : at;
}

/** Bars for a request; throws MarketDataError no-data when none exist in the span. */
export function buildBars(source: BarSource, query: BarQuery): Bar[] {
  const { calendar, path } = source;
  const end = query.end;
  const start = durationStart(calendar, end, query.duration);
  const lastSession = calendar.lastSessionStarted(end);
  const lastIndex = path.daily.indexOfDay(lastSession.day);
  if (lastIndex === undefined) throw new MarketDataError("no-data", "HMDS query returned no data");
  const bars =
    query.barSize.kind === "intraday"
      ? intradayBars(source, query, start, lastIndex, query.barSize.seconds)
      : dailyBars(source, query, start, lastIndex, query.barSize.kind);
  if (bars.length === 0) throw new MarketDataError("no-data", "HMDS query returned no data");
  return bars;
}

/** Day, week or month bars. */
function dailyBars(source: BarSource, query: BarQuery, start: number, lastIndex: number, kind: "day" | "week" | "month"): Bar[] {
  const { path, calendar } = source;
  const first = firstIndexFrom(source, calendar.dayOf(start));
  const out = new Bucketer();
  const iv = query.whatToShow === "OPTION_IMPLIED_VOLATILITY";
  for (let i = first; i <= lastIndex; i++) {
    const record = path.daily.record(i);
    const session = calendar.session(record.day);
    if (session === undefined) continue;
    const key = kind === "day" ? i : kind === "week" ? record.day - ((weekday(record.day) + 6) % 7) : monthKey(record.day);
    let o: number, h: number, l: number, c: number, v: number;
    if (i === lastIndex && query.end < session.close) {
      const point = path.pointAt(query.end);
      if (iv) {
        [o, c] = [source.impliedVolOf(record.logVolOpen), source.impliedVolOf(point.logVol)];
        [h, l, v] = [Math.max(o, c), Math.min(o, c), 0];
      } else {
        [o, h, l, c, v] = [path.toPrice(point.dayOpen), path.toPrice(point.dayHigh), path.toPrice(point.dayLow), path.toPrice(point.logPrice), point.dayVolume];
      }
    } else if (iv) {
      [o, c] = [source.impliedVolOf(record.logVolOpen), source.impliedVolOf(record.logVolClose)];
      [h, l, v] = [Math.max(o, c), Math.min(o, c), 0];
    } else {
      [o, h, l, c, v] = [path.toPrice(record.open), path.toPrice(record.high), path.toPrice(record.low), path.toPrice(record.close), record.volume];
    }
    out.add(key, session.open, record.day, o, h, l, c, v, (h + l + c) / 3);
  }
  return out.bars.map((acc) => finish(acc, query.whatToShow));
}

function monthKey(day: number): number {
  const { year, month } = civilFromDays(day);
  return year * 12 + month;
}

/** Intraday bars of `size` seconds aligned to New York wall-clock multiples of the size. */
function intradayBars(source: BarSource, query: BarQuery, start: number, lastIndex: number, size: number): Bar[] {
  const { calendar, path } = source;
  const end = query.end;
  const bySecond = size < SECONDS_PER_MINUTE;
  if (bySecond && end - start > MAX_SECONDS_SPAN_MS) {
    throw new MarketDataError("invalid-request", "Historical data request for second bars spans more than a day");
  }
  const first = firstIndexFrom(source, calendar.dayOf(start));
  const out = new Bucketer();
  const sizeMs = size * 1000;
  for (let i = first; i <= lastIndex; i++) {
    const record = path.daily.record(i);
    const session = calendar.session(record.day);
    if (session === undefined || session.close <= start) continue;
    const openTod = calendar.timeZone.timeOfDayMs(session.open);
    const emit = (time: number, o: number, h: number, l: number, c: number, v: number): void => {
      if (time < start) return;
      const tod = openTod + (time - session.open);
      const bucket = Math.floor(tod / sizeMs);
      const barTime = Math.max(session.open, time - (tod - bucket * sizeMs));
      out.add(i * 100_000 + bucket, barTime, record.day, o, h, l, c, v, (h + l + c) / 3);
    };
    sessionBaseBars(source, query.whatToShow, record, session, i, end, bySecond, emit);
  }
  return out.bars.map((acc) => finish(acc, query.whatToShow));
}

type Emit = (time: number, o: number, h: number, l: number, c: number, v: number) => void;

/**
 * Emits the session's minute (or second) bars up to the state time `end`. A bar that contains
 * `end` is partial: it ends at the price shown at `end`.
 */
function sessionBaseBars(
  source: BarSource, whatToShow: WhatToShow, record: DailyRecord, session: Session, index: number, end: number, bySecond: boolean, emit: Emit,
): void {
  const { path } = source;
  const minutes = path.minutePath(index);
  const n = minutes.minutes;
  const atClose = end >= session.close;
  const elapsed = end - session.open;
  const lastMinute = atClose ? n - 1 : Math.floor(elapsed / 60_000);
  const lastSecond = atClose ? SECONDS_PER_MINUTE - 1 : Math.floor((elapsed - lastMinute * 60_000) / 1000);
  const iv = whatToShow === "OPTION_IMPLIED_VOLATILITY";
  const span = session.close - session.open;
  const ivAt = (time: number): number => source.impliedVolOf(path.logVolAt(record, (time - session.open) / span));
  for (let j = 0; j <= lastMinute; j++) {
    const minuteStart = session.open + j * 60_000;
    const full = j < lastMinute || lastSecond === SECONDS_PER_MINUTE - 1;
    const minuteVolume = minutes.volumes[j] ?? 0;
    if (!bySecond && full && !iv) {
      const o = path.toPrice(minutes.points[j] ?? NaN);
      emit(minuteStart, o, path.toPrice(minutes.highs[j] ?? NaN), path.toPrice(minutes.lows[j] ?? NaN), path.toPrice(minutes.points[j + 1] ?? NaN), minuteVolume);
      continue;
    }
    const secondsHere = full ? SECONDS_PER_MINUTE : lastSecond + 1;
    if (iv) {
      if (bySecond) {
        for (let s = 0; s < secondsHere; s++) {
          const t = minuteStart + s * 1000;
          const [o, c] = [ivAt(t), ivAt(t + 1000)];
          emit(t, o, Math.max(o, c), Math.min(o, c), c, 0);
        }
      } else {
        const [o, c] = [ivAt(minuteStart), ivAt(minuteStart + secondsHere * 1000)];
        emit(minuteStart, o, Math.max(o, c), Math.min(o, c), c, 0);
      }
      continue;
    }
    const ticks = path.secondPath(index, j);
    if (bySecond) {
      for (let s = 0; s < secondsHere; s++) {
        const a = ticks[s] ?? NaN;
        const b = ticks[s + 1] ?? NaN;
        const v = Math.floor((minuteVolume * (s + 1)) / SECONDS_PER_MINUTE) - Math.floor((minuteVolume * s) / SECONDS_PER_MINUTE);
        emit(minuteStart + s * 1000, path.toPrice(a), path.toPrice(Math.max(a, b)), path.toPrice(Math.min(a, b)), path.toPrice(b), v);
      }
    } else {
      let high = -Infinity;
      let low = Infinity;
      for (let k = 0; k <= secondsHere; k++) {
        const v = ticks[k] ?? NaN;
        if (v > high) high = v;
        if (v < low) low = v;
      }
      const v = Math.floor((minuteVolume * secondsHere) / SECONDS_PER_MINUTE);
      emit(minuteStart, path.toPrice(ticks[0] ?? NaN), path.toPrice(high), path.toPrice(low), path.toPrice(ticks[secondsHere] ?? NaN), v);
    }
  }
}
