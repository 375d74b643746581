import { describe, expect, it } from "vitest";
import { parseBarSize, parseDuration } from "./bar-spec.js";
import { MarketDataError, type Bar, type StockQuote } from "./market-source.js";
import { aggregate, groupBy, testCalendar, testMarket, TUESDAY_11AM } from "./test-fixtures.js";

const HOUR = 3_600_000;

function ohlcvOf(bar: Bar): ReturnType<typeof aggregate> {
  return { open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume };
}

function badBars(bars: readonly Bar[]): Bar[] {
  return bars.filter((b) => !(b.high >= Math.max(b.open, b.close) && b.low <= Math.min(b.open, b.close) && b.low > 0 && b.volume >= 0));
}

describe("daily history", () => {
  const market = testMarket({ symbols: ["SPY", "AAPL", "PBLT"] });

  it("covers more than a year of sessions with consistent OHLC ending at the current price", () => {
    for (const symbol of ["SPY", "AAPL", "PBLT"]) {
      const conId = market.stock(symbol)!.conId;
      const bars = market.historicalBars(conId, { duration: "300 D", barSize: "1 day", whatToShow: "TRADES", useRth: true });
      expect(bars).toHaveLength(300);
      expect(badBars(bars)).toEqual([]);
      const quote = market.quote(conId) as StockQuote;
      expect(bars.at(-1)!.close).toBe(quote.last);
      expect(bars.at(-1)!.date).toBe("2026-03-10");
      for (let i = 1; i < bars.length; i++) expect(bars[i]!.date > bars[i - 1]!.date).toBe(true);
      expect(bars.every((b) => testCalendar.session(Date.parse(`${b.date}T12:00:00Z`) / 86_400_000) !== undefined)).toBe(true);
      const year = market.historicalBars(conId, { duration: "1 Y", barSize: "1 day", whatToShow: "TRADES", useRth: true });
      expect(year.length).toBeGreaterThanOrEqual(250);
      expect(year[0]!.date >= "2025-03-10").toBe(true);
      const twoYears = market.historicalBars(conId, { duration: "2 Y", barSize: "1 day", whatToShow: "TRADES", useRth: true });
      expect(twoYears.length).toBeGreaterThanOrEqual(500);
    }
  });

  it("starts at the universe's reference price and moves like a stock", () => {
    const conId = market.stock("SPY")!.conId;
    const bars = market.historicalBars(conId, { duration: "1 Y", barSize: "1 day", whatToShow: "TRADES", useRth: true });
    expect(bars.at(-1)!.close).toBe(600);
    const returns = bars.slice(1).map((b, i) => Math.log(b.close / bars[i]!.close));
    const vol = Math.sqrt((returns.reduce((s, r) => s + r * r, 0) / returns.length) * 252);
    expect(vol).toBeGreaterThan(0.06);
    expect(vol).toBeLessThan(0.45);
    expect(new Set(bars.map((b) => b.close)).size).toBeGreaterThan(200);
  });

  it("aggregates daily bars into weekly bars", () => {
    const conId = market.stock("AAPL")!.conId;
    const days = market.historicalBars(conId, { duration: "3 M", barSize: "1 day", whatToShow: "TRADES", useRth: true });
    const weeks = market.historicalBars(conId, { duration: "3 M", barSize: "1 week", whatToShow: "TRADES", useRth: true });
    const byWeek = [...groupBy(days, (b) => weeks.findLast((w) => w.date <= b.date)!.date).values()];
    expect(weeks.map(ohlcvOf)).toEqual(byWeek.map(aggregate));
  });
});

describe("intraday history", () => {
  it("aggregates minute, 5-minute, 30-minute and hourly bars to each day's bar, the partial day included", () => {
    for (const symbol of ["SPY", "PBLT"]) {
      const market = testMarket({ seed: 7, symbols: [symbol] });
      const conId = market.stock(symbol)!.conId;
      const daily = market.historicalBars(conId, { duration: "4 D", barSize: "1 day", whatToShow: "TRADES", useRth: true });
      expect(daily).toHaveLength(4);
      for (const barSize of ["1 min", "5 mins", "30 mins", "1 hour"]) {
        const intraday = market.historicalBars(conId, { duration: "4 D", barSize, whatToShow: "TRADES", useRth: true });
        expect(badBars(intraday)).toEqual([]);
        const perDay = [...groupBy(intraday, (b) => b.date).values()].map(aggregate);
        expect(perDay, `${symbol} ${barSize}`).toEqual(daily.map(ohlcvOf));
      }
    }
  });

  it("aligns bars to the New York clock: hourly bars start 09:30, 10:00, 11:00, …", () => {
    const market = testMarket({ symbols: ["QQQ"] });
    const bars = market.historicalBars(market.stock("QQQ")!.conId, { duration: "1 D", barSize: "1 hour", whatToShow: "TRADES", useRth: true });
    const open = Date.parse("2026-03-10T13:30:00Z");
    expect(bars.map((b) => b.time)).toEqual([open, open + 0.5 * HOUR, open + 1.5 * HOUR]);
    expect(bars.at(-1)!.volume).toBeGreaterThan(0); // the 11:00 bar has just begun
  });

  it("builds second bars that aggregate to the minute bars, and ticks stay inside and touch each minute's range", () => {
    const market = testMarket({ symbols: ["AAPL"] });
    const conId = market.stock("AAPL")!.conId;
    const start = TUESDAY_11AM + 5 * 60_000;
    market.advanceTo(start);
    const seen: number[] = [];
    for (let s = 1; s <= 60; s++) {
      market.advanceTo(start + s * 1000 - 1);
      seen.push((market.quote(conId) as StockQuote).last);
    }
    market.advanceTo(start + 60_000 + 30_000);
    const minutes = market.historicalBars(conId, { duration: "300 S", barSize: "1 min", whatToShow: "TRADES", useRth: true });
    const seconds = market.historicalBars(conId, { duration: "300 S", barSize: "1 secs", whatToShow: "TRADES", useRth: true });
    const whole = seconds.filter((b) => b.time >= minutes[0]!.time);
    const grouped = [...groupBy(whole, (b) => Math.floor(b.time / 60_000)).values()].map(aggregate);
    expect(grouped).toEqual(minutes.map(ohlcvOf));
    const minute = minutes.find((b) => b.time === start)!;
    expect(Math.max(...seen)).toBe(minute.high);
    expect(Math.min(...seen)).toBe(minute.low);
    expect(seen.at(-1)).toBe(minute.close);
  });

  it("is unchanged by later advances, and the newest bar follows the price", () => {
    const market = testMarket({ symbols: ["MSFT"] });
    const conId = market.stock("MSFT")!.conId;
    const request = { end: TUESDAY_11AM - HOUR, duration: "2 D", barSize: "5 mins", whatToShow: "TRADES" as const, useRth: true };
    const before = market.historicalBars(conId, request);
    market.advanceTo(TUESDAY_11AM + 3 * HOUR + 17_000);
    expect(market.historicalBars(conId, request)).toEqual(before);
    const latest = market.historicalBars(conId, { duration: "1 D", barSize: "1 min", whatToShow: "TRADES", useRth: true });
    expect(latest.at(-1)!.close).toBe((market.quote(conId) as StockQuote).last);
    // After the close and over the weekend the last bar is the full session and equals the price.
    market.advanceTo(Date.parse("2026-03-14T16:00:00Z"));
    const days = market.historicalBars(conId, { duration: "5 D", barSize: "1 day", whatToShow: "TRADES", useRth: true });
    expect(days.at(-1)!.date).toBe("2026-03-13");
    expect(days.at(-1)!.close).toBe((market.quote(conId) as StockQuote).last);
  });

  it("shows MIDPOINT with TRADES' prices and IB's −1 volume", () => {
    const market = testMarket({ symbols: ["IWM"] });
    const conId = market.stock("IWM")!.conId;
    const trades = market.historicalBars(conId, { duration: "1 D", barSize: "15 mins", whatToShow: "TRADES", useRth: true });
    const mid = market.historicalBars(conId, { duration: "1 D", barSize: "15 mins", whatToShow: "MIDPOINT", useRth: false });
    expect(mid.map((b) => [b.open, b.high, b.low, b.close])).toEqual(trades.map((b) => [b.open, b.high, b.low, b.close]));
    expect(mid.every((b) => b.volume === -1 && b.wap === -1)).toBe(true);
  });
});

describe("OPTION_IMPLIED_VOLATILITY history", () => {
  it("is the 30-day ATM IV of the vol state: a year that moves, ending at the quote's IV", () => {
    const market = testMarket({ seed: 3, symbols: ["TSLA", "KO", "FNTM"] });
    for (const symbol of ["TSLA", "KO"]) {
      const conId = market.stock(symbol)!.conId;
      const bars = market.historicalBars(conId, { duration: "1 Y", barSize: "1 day", whatToShow: "OPTION_IMPLIED_VOLATILITY", useRth: true });
      expect(bars.length).toBeGreaterThanOrEqual(250);
      const closes = bars.map((b) => b.close);
      expect(Math.min(...closes)).toBeGreaterThan(0.03);
      expect(Math.max(...closes)).toBeLessThan(2.5);
      expect(Math.max(...closes) / Math.min(...closes)).toBeGreaterThan(1.3);
      expect(bars.at(-1)!.close).toBe((market.quote(conId) as StockQuote).impliedVol);
      const intraday = market.historicalBars(conId, { duration: "3 D", barSize: "30 mins", whatToShow: "OPTION_IMPLIED_VOLATILITY", useRth: true });
      const perDay = [...groupBy(intraday, (b) => b.date).values()].map(aggregate).map(({ open, high, low, close }) => ({ open, high, low, close }));
      expect(perDay).toEqual(bars.slice(-3).map(({ open, high, low, close }) => ({ open, high, low, close })));
    }
    expect(() => market.historicalBars(market.stock("FNTM")!.conId, { duration: "1 Y", barSize: "1 day", whatToShow: "OPTION_IMPLIED_VOLATILITY", useRth: true }))
      .toThrow(MarketDataError);
  });
});

describe("request parsing and errors", () => {
  it("parses IB durations and bar sizes", () => {
    expect(parseDuration("1 Y")).toEqual({ amount: 1, unit: "Y" });
    expect(parseDuration("3600 S")).toEqual({ amount: 3600, unit: "S" });
    expect(parseDuration("2 w")).toEqual({ amount: 2, unit: "W" });
    expect(parseBarSize("5 mins")).toEqual({ kind: "intraday", seconds: 300 });
    expect(parseBarSize("1 hour")).toEqual({ kind: "intraday", seconds: 3600 });
    expect(parseBarSize("1 secs")).toEqual({ kind: "intraday", seconds: 1 });
    expect(parseBarSize("1 day")).toEqual({ kind: "day" });
    for (const bad of ["", "1", "Y", "0 D", "1 X", "1.5 D"]) expect(() => parseDuration(bad), bad).toThrow(MarketDataError);
    for (const bad of ["7 mins", "2 days", "1 fortnight", "mins"]) expect(() => parseBarSize(bad), bad).toThrow(MarketDataError);
  });

  it("answers unknown contracts, option contracts and bad requests with the right reason", () => {
    const market = testMarket({ symbols: ["SPY"] });
    const reason = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (error: unknown) {
        return error instanceof MarketDataError ? error.reason : "other";
      }
      return undefined;
    };
    const spy = market.stock("SPY")!.conId;
    const option = market.findContracts({ symbol: "SPY", secType: "OPT" })[0]!.conId;
    expect(reason(() => market.historicalBars(123, { duration: "1 D", barSize: "1 day", whatToShow: "TRADES", useRth: true }))).toBe("unknown-contract");
    expect(reason(() => market.historicalBars(option, { duration: "1 D", barSize: "1 day", whatToShow: "TRADES", useRth: true }))).toBe("no-data");
    expect(reason(() => market.historicalBars(spy, { duration: "1 D", barSize: "1 day", whatToShow: "BID_ASK" as "TRADES", useRth: true }))).toBe("invalid-request");
    expect(reason(() => market.historicalBars(spy, { duration: "3 D", barSize: "1 secs", whatToShow: "TRADES", useRth: true }))).toBe("invalid-request");
    expect(reason(() => market.historicalBars(spy, { duration: "10 Y", barSize: "1 day", whatToShow: "TRADES", useRth: true }))).toBeUndefined();
  });

  it("never returns bars from the future", () => {
    const market = testMarket({ symbols: ["SPY"] });
    const bars = market.historicalBars(market.stock("SPY")!.conId, { end: TUESDAY_11AM + 24 * HOUR, duration: "1 D", barSize: "1 min", whatToShow: "TRADES", useRth: true });
    expect(bars.at(-1)!.time).toBe(TUESDAY_11AM);
  });
});
