import { describe, expect, it } from "vitest";
import { parseDate, weekday } from "./civil-date.js";
import { decodeOptionConId } from "./contract-ids.js";
import type { ExpirationEvent, OptionContract, OptionQuote, StockQuote } from "./market-source.js";
import { testCalendar, testMarket, TUESDAY_11AM } from "./test-fixtures.js";

const DAY = 86_400_000;
const isFriday = (iso: string): boolean => weekday(parseDate(iso)) === 5;
const thursdayBeforeHoliday = (iso: string): boolean => weekday(parseDate(iso)) === 4 && !testCalendar.isTradingDay(parseDate(iso) + 1);

describe("listed expirations", () => {
  const market = testMarket({ symbols: ["SPY", "AAPL", "PBLT", "FNTM"] });

  it("lists weeklies and monthlies to about a year, moving holiday Fridays to Thursday", () => {
    const expiries = market.optionParameters("SPY")!.expirations;
    expect(expiries.slice(0, 6)).toEqual(["2026-03-13", "2026-03-20", "2026-03-27", "2026-04-02", "2026-04-10", "2026-04-17"]);
    expect(expiries).toContain("2026-06-18"); // June's third Friday is Juneteenth
    expect(expiries).not.toContain("2026-06-19");
    expect(expiries.every((e) => isFriday(e) || thursdayBeforeHoliday(e))).toBe(true);
    const lastDays = (Date.parse(expiries.at(-1)!) - TUESDAY_11AM) / DAY;
    expect(lastDays).toBeGreaterThan(300);
    expect(lastDays).toBeLessThan(420);
    const monthly = market.optionChain("SPY")!.expirations.filter((e) => e.monthly).map((e) => e.expiry);
    expect(monthly.slice(0, 4)).toEqual(["2026-03-20", "2026-04-17", "2026-05-15", "2026-06-18"]);
  });

  it("lists fewer, monthly-only expirations for illiquid names and none for names without options", () => {
    const chain = market.optionChain("PBLT")!;
    expect(chain.expirations.length).toBeGreaterThanOrEqual(3);
    expect(chain.expirations.length).toBeLessThan(market.optionChain("AAPL")!.expirations.length / 2);
    expect(chain.expirations.every((e) => e.monthly)).toBe(true);
    expect(market.optionParameters("FNTM")).toBeUndefined();
    expect(market.optionChain("NOPE")).toBeUndefined();
  });
});

describe("listed strikes", () => {
  const market = testMarket({ symbols: ["SPY", "AAPL", "META", "PBLT"] });
  const strikesOf = (symbol: string, index: number): readonly number[] => market.optionChain(symbol)!.expirations[index]!.strikes;

  it("uses $1 near the money and $5 further out for SPY, across ±30–40 %", () => {
    const front = strikesOf("SPY", 0);
    for (const k of [590, 599, 600, 601, 610]) expect(front).toContain(k);
    expect(front.filter((k) => Math.abs(k - 600) > 80).every((k) => k % 5 === 0)).toBe(true);
    expect(Math.min(...front)).toBeLessThanOrEqual(0.72 * 600);
    expect(Math.max(...front)).toBeGreaterThanOrEqual(1.28 * 600);
    const far = strikesOf("SPY", market.optionChain("SPY")!.expirations.length - 1);
    expect(Math.max(...far)).toBeGreaterThan(Math.max(...front));
    expect(Math.max(...far)).toBeLessThanOrEqual(1.41 * 600);
  });

  it("uses coarser increments for higher-priced names and $0.50–$1 for cheap ones", () => {
    const aapl = strikesOf("AAPL", 0);
    expect(aapl).toEqual(expect.arrayContaining([225, 227.5, 230, 232.5, 235]));
    expect(aapl.filter((k) => Math.abs(k - 230) > 30).every((k) => k % 10 === 0)).toBe(true);
    expect(strikesOf("META", 0)).toEqual(expect.arrayContaining([690, 695, 700, 705, 710]));
    const pblt = strikesOf("PBLT", 0);
    expect(pblt).toEqual(expect.arrayContaining([3, 3.5]));
    expect(pblt.every((k) => k > 0 && Number.isInteger(k * 2))).toBe(true);
    for (const list of [aapl, pblt]) expect([...list].sort((a, b) => a - b)).toEqual(list);
  });
});

describe("option contracts", () => {
  const market = testMarket({ symbols: ["SPY", "AAPL"] });

  it("have stable, decodable ids that resolve back to the same contract", () => {
    const contracts = market.findContracts({ symbol: "AAPL", secType: "OPT" }) as OptionContract[];
    expect(contracts.length).toBeGreaterThan(500);
    const mismatched = contracts.filter((c) => {
      const fields = decodeOptionConId(c.conId);
      return fields?.strike !== c.strike || fields.right !== c.right || JSON.stringify(market.contractByConId(c.conId)) !== JSON.stringify(c);
    });
    expect(mismatched).toEqual([]);
    const again = testMarket({ symbols: ["AAPL"] }).findContracts({ symbol: "AAPL", secType: "OPT" });
    expect(again.map((c) => c.conId)).toEqual(contracts.map((c) => c.conId));
    // Another seed lists other strikes around another path, but the same contract has the same id.
    const key = (c: OptionContract): string => `${c.expiry} ${c.strike} ${c.right}`;
    const ids = new Map(contracts.map((c) => [key(c), c.conId]));
    const other = testMarket({ seed: 99, symbols: ["AAPL"] }).findContracts({ symbol: "AAPL", secType: "OPT" }) as OptionContract[];
    const shared = other.filter((c) => ids.has(key(c)));
    expect(shared.length).toBeGreaterThan(100);
    expect(shared.every((c) => ids.get(key(c)) === c.conId)).toBe(true);
    const first = contracts[0]!;
    expect(first).toMatchObject({ multiplier: 100, exchange: "SMART", currency: "USD", tradingClass: "AAPL", underlyingConId: 265598, minTick: 0.01 });
    expect(first.localSymbol).toMatch(/^AAPL {2}\d{6}[CP]\d{8}$/);
  });

  it("match reqContractDetails-style queries", () => {
    const one = market.findContracts({ symbol: "SPY", secType: "OPT", expiry: "20260320", strike: 600, right: "C" });
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ expiry: "2026-03-20", strike: 600, right: "C" });
    expect(market.findContracts({ symbol: "SPY", expiry: "2026-03-20", strike: 600, right: "CALL", exchange: "CBOE" })).toEqual(one);
    expect(market.findContracts({ conId: one[0]!.conId })).toEqual(one);
    expect(market.findContracts({ symbol: "SPY", expiry: "20260320", strike: 600 })).toHaveLength(2);
    const march = market.findContracts({ symbol: "SPY", expiry: "202603", strike: 600, right: "P" });
    expect(march.map((c) => (c as OptionContract).expiry)).toEqual(["2026-03-13", "2026-03-20", "2026-03-27"]);
    expect(market.findContracts({ symbol: "SPY", expiry: "20260320", strike: 600.5, right: "C" })).toEqual([]);
    expect(market.findContracts({ symbol: "SPY", expiry: "20260319", strike: 600, right: "C" })).toEqual([]);
    expect(market.findContracts({ symbol: "SPY", expiry: "20260320", strike: 600, right: "X" })).toEqual([]);
    expect(market.findContracts({ symbol: "SPY", exchange: "NYSE", expiry: "20260320" })).toEqual([]);
  });

  it("finds stocks by symbol, id and listing exchange", () => {
    const spy = market.stock("SPY")!;
    expect(market.findContracts({ symbol: "spy" })).toEqual([spy]);
    expect(market.findContracts({ symbol: "SPY", secType: "STK", exchange: "ARCA", currency: "USD" })).toEqual([spy]);
    expect(market.findContracts({ conId: spy.conId, secType: "STK" })).toEqual([spy]);
    expect(market.findContracts({ symbol: "SPY", exchange: "NASDAQ" })).toEqual([]);
    expect(market.findContracts({ symbol: "NOPE" })).toEqual([]);
    expect(spy).toMatchObject({ secType: "STK", primaryExchange: "ARCA", stockType: "ETF", minTick: 0.01, optionable: true });
  });

  it("give secDefOptParams-style parameters", () => {
    const params = market.optionParameters("SPY")!;
    expect(params).toMatchObject({ exchange: "SMART", underlyingConId: 756733, tradingClass: "SPY", multiplier: 100 });
    const union = new Set(market.optionChain("SPY")!.expirations.flatMap((e) => e.strikes));
    expect(params.strikes).toEqual([...union].sort((a, b) => a - b));
  });
});

describe("expiry", () => {
  it("settles at intrinsic value on the expiry close, then rolls the chain forward", () => {
    const fridayClose = Date.parse("2026-03-13T20:00:00Z");
    const market = testMarket({ seed: 4, symbols: ["SPY", "PBLT"] });
    const events: ExpirationEvent[] = [];
    market.onExpiration((e) => events.push(e));
    market.advanceTo(fridayClose);
    const spy = market.stock("SPY")!.conId;
    const contracts = market.findContracts({ symbol: "SPY", expiry: "20260313" }) as OptionContract[];
    const close = (market.quote(spy) as StockQuote).last;
    // At the closing instant the expiring options are worth their intrinsic value.
    for (const c of contracts.filter((_, i) => i % 7 === 0)) {
      const intrinsic = Math.max(0, c.right === "C" ? close - c.strike : c.strike - close);
      expect((market.quote(c.conId) as OptionQuote).modelPrice).toBeCloseTo(intrinsic, 9);
    }
    expect(events).toEqual([]);
    market.advanceTo(fridayClose + 1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ expiry: "2026-03-13", time: fridayClose });
    expect(events[0]!.underlyings.map((u) => u.symbol)).toEqual(["SPY"]); // PBLT has no weeklies
    expect(events[0]!.underlyings[0]!.close).toBe(close);
    const daily = market.historicalBars(spy, { duration: "1 D", barSize: "1 day", whatToShow: "TRADES", useRth: true });
    expect(daily.at(-1)).toMatchObject({ date: "2026-03-13", close });
    for (const c of contracts) {
      expect(market.quote(c.conId)).toBeUndefined();
      expect(market.optionComputation(c.conId)).toBeUndefined();
      expect(market.contractByConId(c.conId)).toEqual(c);
      expect(market.settlement(c.conId)).toEqual({
        conId: c.conId, expiry: "2026-03-13", underlyingClose: close, time: fridayClose,
        value: Math.round(Math.max(0, c.right === "C" ? close - c.strike : c.strike - close) * 100) / 100,
      });
    }
    const listed = market.optionParameters("SPY")!.expirations;
    expect(listed[0]).toBe("2026-03-20");
    expect(listed).toContain("2026-06-05"); // a new weekly at the far end
    const one = contracts.find((c) => c.right === "P")!;
    expect(market.findContracts({ symbol: "SPY", expiry: "20260313", strike: one.strike, right: "P" })).toEqual([]);
    expect(market.findContracts({ symbol: "SPY", expiry: "20260313", strike: one.strike, right: "P", includeExpired: true })).toEqual([one]);
    // A jump over several expiries fires them in order, with Thursday expiries before holidays.
    market.advanceTo(Date.parse("2026-04-06T14:00:00Z"));
    expect(events.map((e) => e.expiry)).toEqual(["2026-03-13", "2026-03-20", "2026-03-27", "2026-04-02"]);
    expect(events[1]!.underlyings.map((u) => u.symbol)).toEqual(["SPY", "PBLT"]);
    const live = market.findContracts({ symbol: "SPY", expiry: "20260410" })[0]!;
    expect(market.settlement(live.conId)).toBeUndefined();
    expect(market.quote(live.conId)).toBeDefined();
  });
});
