/**
 * keepUpToDate historical bars: after the history, TWS keeps sending the forming (last) bar as
 * historicalDataUpdate while it changes, and the next bar once it begins, until
 * cancelHistoricalData. Here the forming bar is re-read from the market whenever the market
 * moved, and sent when it differs from what the client last saw.
 */
import type { Bar, BarSize, Duration, MarketSource, WhatToShow } from "../market/index.js";
import { MarketDataError } from "../market/index.js";
import { historicalDataUpdateFields } from "../protocol/index.js";
import { wireBar } from "./wire.js";

/** One keepUpToDate subscription. */
export interface HistoricalStream {
  readonly reqId: number;
  readonly conId: number;
  readonly barSize: BarSize;
  readonly whatToShow: WhatToShow;
  readonly useRth: boolean;
  readonly formatDate: number;
  /** The last bar the client saw (history or update), as sent, to send only changes. */
  lastSent: string;
}

/**
 * The shortest request whose last bar is the whole forming bar. A bar is cut where the request's
 * span starts, so the span must reach back past the bar's start: two bar lengths for intraday
 * bars (the forming bar began less than one ago), the last session for day bars, two weeks or
 * months for those.
 */
function formingBarDuration(barSize: BarSize): Duration {
  switch (barSize.kind) {
    case "intraday":
      return { amount: 2 * barSize.seconds, unit: "S" };
    case "day":
      return { amount: 1, unit: "D" };
    case "week":
      return { amount: 2, unit: "W" };
    case "month":
      return { amount: 2, unit: "M" };
  }
}

/** The bar as the client will read it, for comparing with what it saw. */
export function barKey(stream: Pick<HistoricalStream, "barSize" | "formatDate">, bar: Bar): string {
  return JSON.stringify(wireBar(bar, stream.barSize.kind === "intraday", stream.formatDate));
}

/** The forming bar now, or undefined when the market has none (e.g. before the history starts). */
function formingBar(market: MarketSource, stream: HistoricalStream): Bar | undefined {
  try {
    const bars = market.historicalBars(stream.conId, {
      duration: formingBarDuration(stream.barSize),
      barSize: stream.barSize,
      whatToShow: stream.whatToShow,
      useRth: stream.useRth,
    });
    return bars.at(-1);
  } catch (error) {
    if (error instanceof MarketDataError) return undefined;
    throw error;
  }
}

/** The historicalDataUpdate message of a stream when its forming bar changed since last sent. */
export function historicalUpdate(market: MarketSource, stream: HistoricalStream): string[] | undefined {
  const bar = formingBar(market, stream);
  if (bar === undefined) return undefined;
  const key = barKey(stream, bar);
  if (key === stream.lastSent) return undefined;
  stream.lastSent = key;
  return historicalDataUpdateFields(stream.reqId, wireBar(bar, stream.barSize.kind === "intraday", stream.formatDate));
}
