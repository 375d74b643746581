import { describe, expect, it } from "vitest";
import { SimClock } from "./clock.js";
import type { OptionContract, Quote, StockQuote } from "./market-source.js";
import { SimMarket } from "./sim-market.js";
import { testCalendar, testMarket, TUESDAY_11AM } from "./test-fixtures.js";
import { DEFAULT_UNIVERSE } from "./universe.js";

const MINUTE = 60_000;

describe("SimMarket quotes", () => {
  it("quotes stocks with a sane book and session data", () => {
    const market = testMarket({ symbols: ["SPY", "QRKS", "BRKW"] });
    for (const stock of market.stocks()) {
      const q = market.quote(stock.conId) as StockQuote;
      expect(q.kind).toBe("stock");
      expect(q.bid).toBeLessThan(q.ask);
      expect(q.bid).toBeLessThanOrEqual(q.last);
      expect(q.last).toBeLessThanOrEqual(q.ask);
      expect(q.low).toBeLessThanOrEqual(q.last);
      expect(q.high).toBeGreaterThanOrEqual(q.last);
      expect(q.bidSize % 100).toBe(0);
      expect(q.volume).toBeGreaterThan(0);
      const days = market.historicalBars(stock.conId, { duration: "2 D", barSize: "1 day", whatToShow: "TRADES", useRth: true });
      expect(q.previousClose).toBe(days[0]!.close);
      expect(q.open).toBe(days[1]!.open);
    }
    expect(market.quote(12345)).toBeUndefined();
    expect(market.quote(2 ** 30 + 5)).toBeUndefined();
    expect((market.quote(market.stock("QRKS")!.conId) as StockQuote).impliedVol).toBeUndefined();
  });

  it("moves during the session, accumulates volume, and freezes outside regular hours", () => {
    const market = testMarket({ symbols: ["NVDA"] });
    const conId = market.stock("NVDA")!.conId;
    const prices = new Set<number>();
    let volume = 0;
    for (let m = 1; m <= 30; m++) {
      market.advanceTo(TUESDAY_11AM + m * MINUTE);
      const q = market.quote(conId) as StockQuote;
      prices.add(q.last);
      expect(q.volume).toBeGreaterThanOrEqual(volume);
      volume = q.volume;
    }
    expect(prices.size).toBeGreaterThan(10);
    const close = Date.parse("2026-03-10T20:00:00Z");
    market.advanceTo(close);
    const atClose = market.quote(conId);
    const version = market.version;
    for (const t of [close + 1, Date.parse("2026-03-10T23:00:00Z"), Date.parse("2026-03-11T13:29:59Z")]) {
      market.advanceTo(t);
      expect(market.quote(conId)).toEqual(atClose);
      expect(market.stateTime()).toBe(close);
    }
    expect(market.version).toBe(version);
    market.advanceTo(Date.parse("2026-03-11T13:30:05Z"));
    expect(market.version).toBe(version + 1);
    expect((market.quote(conId) as StockQuote).previousClose).toBe((atClose as StockQuote).last);
  });

  it("changes version at most once per simulated second and ignores moves back in time", () => {
    const market = testMarket({ symbols: ["SPY"] });
    const v0 = market.version;
    market.advanceTo(TUESDAY_11AM + 400);
    expect(market.version).toBe(v0);
    market.advanceTo(TUESDAY_11AM + 1_000);
    expect(market.version).toBe(v0 + 1);
    market.advanceTo(TUESDAY_11AM);
    expect(market.now()).toBe(TUESDAY_11AM + 1_000);
    expect(market.version).toBe(v0 + 1);
  });

  it("computes option quotes lazily and caches them per state", () => {
    const market = testMarket({ symbols: ["AAPL"] });
    const option = market.findContracts({ symbol: "AAPL", expiry: "20260417", strike: 230, right: "P" })[0] as OptionContract;
    const first = market.quote(option.conId);
    expect(market.quote(option.conId)).toBe(first);
    market.advanceTo(TUESDAY_11AM + 5_000);
    expect(market.quote(option.conId)).not.toBe(first);
    expect(market.optionComputation(market.stock("AAPL")!.conId)).toBeUndefined();
  });
});

describe("SimMarket notifications", () => {
  it("notifies subscribers only when their quote changes, until they unsubscribe", () => {
    const market = testMarket({ symbols: ["MSFT"] });
    const conId = market.stock("MSFT")!.conId;
    const seen: Quote[] = [];
    const versions: number[] = [];
    const stop = market.subscribe(conId, (q) => seen.push(q));
    market.onAdvance((v) => versions.push(v));
    market.advanceTo(TUESDAY_11AM + 10_000);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual(market.quote(conId));
    expect(versions).toEqual([market.version]);
    market.advanceTo(Date.parse("2026-03-10T21:00:00Z"));
    market.advanceTo(Date.parse("2026-03-10T22:00:00Z")); // closed: nothing changes
    expect(seen).toHaveLength(2);
    stop();
    market.advanceTo(Date.parse("2026-03-11T14:00:00Z"));
    expect(seen).toHaveLength(2);
  });

  it("keeps notifying the others when a listener throws, then reports the error", () => {
    const market = testMarket({ symbols: ["MSFT"] });
    const conId = market.stock("MSFT")!.conId;
    let calls = 0;
    market.subscribe(conId, () => {
      throw new Error("boom");
    });
    market.subscribe(conId, () => calls++);
    expect(() => { market.advanceTo(TUESDAY_11AM + 2_000); }).toThrow("boom");
    expect(calls).toBe(1);
  });

  it("follows its clock on sync(), accelerated or stepped", () => {
    let real = 0;
    const clock = SimClock.accelerated({ start: TUESDAY_11AM, factor: 60, source: () => real });
    const market = new SimMarket({ seed: 1, clock, calendar: testCalendar, universe: DEFAULT_UNIVERSE.slice(0, 2) });
    expect(market.now()).toBe(TUESDAY_11AM);
    real += 30_000; // 30 real seconds = 30 simulated minutes
    market.sync();
    expect(market.now()).toBe(TUESDAY_11AM + 30 * MINUTE);
    const manual = SimClock.manual(TUESDAY_11AM);
    const stepped = new SimMarket({ seed: 1, clock: manual, calendar: testCalendar, universe: DEFAULT_UNIVERSE.slice(0, 2) });
    manual.advance(MINUTE);
    stepped.sync();
    expect(stepped.now()).toBe(TUESDAY_11AM + MINUTE);
  });
});

describe("SimMarket reference data", () => {
  it("describes stocks like contract details do", () => {
    const market = testMarket();
    expect(market.stocks().map((s) => s.symbol)).toEqual(DEFAULT_UNIVERSE.map((s) => s.symbol));
    expect(market.stock("aapl")).toMatchObject({
      secType: "STK", conId: 265598, exchange: "SMART", primaryExchange: "NASDAQ", currency: "USD", industry: "Technology",
      category: "Computers", stockType: "COMMON", timeZoneId: "America/New_York", optionable: true,
    });
    expect(market.contractByConId(265598)).toBe(market.stock("AAPL"));
  });

  it("refuses an invalid universe", () => {
    const spy = DEFAULT_UNIVERSE[0]!;
    expect(() => new SimMarket({ seed: 1, start: TUESDAY_11AM, universe: [spy, spy] })).toThrow(/duplicate/);
  });
});
