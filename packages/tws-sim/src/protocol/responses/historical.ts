import { formatDecimal, formatDouble, formatInt } from "../field-writer.js";
import { OutgoingMessageId as Out } from "../message-ids.js";

/** One historical bar. Every number is required: ib_async parses them with a bare `float()`/`int()`. */
export interface HistoricalBar {
  /**
   * `YYYYMMDD` for daily bars, `YYYYMMDD HH:mm:ss <IANA tz>` intraday (formatDate 1), or epoch
   * seconds as text (formatDate 2).
   */
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /** Volume-weighted average price. */
  readonly wap: number;
  /** Number of trades in the bar. */
  readonly barCount: number;
}

/** A reqHistoricalData answer. */
export interface HistoricalDataMessage {
  readonly reqId: number;
  /** Period start, e.g. `20250102 09:30:00 US/Eastern`. */
  readonly start: string;
  /** Period end. */
  readonly end: string;
  readonly bars: readonly HistoricalBar[];
}

/**
 * `historicalData`: `[17, reqId, start, end, count, 8 fields per bar…]` (no version, no hasGaps
 * at v124+). It is also the end of the data: there is no end message below v196 (trap T13).
 */
export function historicalDataFields(data: HistoricalDataMessage): string[] {
  const out = [formatInt(Out.historicalData), formatInt(data.reqId), data.start, data.end, formatInt(data.bars.length)];
  for (const bar of data.bars) {
    out.push(
      bar.date,
      formatDouble(bar.open),
      formatDouble(bar.high),
      formatDouble(bar.low),
      formatDouble(bar.close),
      formatDecimal(bar.volume),
      formatDecimal(bar.wap),
      formatInt(bar.barCount),
    );
  }
  return out;
}

/**
 * `historicalDataUpdate` (keepUpToDate): `[90, reqId, barCount, date, open, close, high, low,
 * wap, volume]` — close before high and low (trap T13).
 */
export function historicalDataUpdateFields(reqId: number, bar: HistoricalBar): string[] {
  return [
    formatInt(Out.historicalDataUpdate),
    formatInt(reqId),
    formatInt(bar.barCount),
    bar.date,
    formatDouble(bar.open),
    formatDouble(bar.close),
    formatDouble(bar.high),
    formatDouble(bar.low),
    formatDecimal(bar.wap),
    formatDecimal(bar.volume),
  ];
}

/** `headTimestamp`: `[88, reqId, timestamp]`, the earliest data point (same format as bar dates). */
export function headTimestampFields(reqId: number, headTimestamp: string): string[] {
  return [formatInt(Out.headTimestamp), formatInt(reqId), headTimestamp];
}
