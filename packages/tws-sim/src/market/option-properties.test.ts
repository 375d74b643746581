import { bsmGreeks, DAYS_PER_YEAR } from "@spreadops/core";
import { beforeAll, describe, expect, it } from "vitest";
import type { OptionComputation, OptionContract, OptionQuote } from "./market-source.js";
import type { SimMarket } from "./sim-market.js";
import { testMarket } from "./test-fixtures.js";
import { isOnTick } from "./tick-rules.js";

const YEAR_MS = DAYS_PER_YEAR * 86_400_000;

/** Starts covering mid-session, the last second, after the close, a weekend, an open and an expiry day. */
const STARTS = [
  "2026-03-10T15:00:00Z", "2026-03-11T19:59:59Z", "2026-03-12T23:00:00Z", "2026-03-14T16:00:00Z",
  "2026-03-16T13:30:00Z", "2026-03-20T18:45:12Z", "2026-04-01T14:00:00Z", "2026-06-17T17:00:00Z",
].map(Date.parse);
const SYMBOLS = ["SPY", "AAPL", "TSLA", "KO", "PBLT", "BRKW", "CDRX", "AMZN", "XOM", "HLMN", "QQQ", "F", "PFE", "META"];

interface Row {
  readonly contract: OptionContract;
  readonly quote: OptionQuote;
  readonly greeks: OptionComputation;
  readonly time: number;
}

/** Every listed option of a symbol, expiry by expiry, strikes ascending. */
function chainRows(market: SimMarket, symbol: string): Row[][] {
  const chain = market.optionChain(symbol)!;
  const stateTime = market.stateTime();
  return chain.expirations.map((e) =>
    market.findContracts({ symbol, secType: "OPT", expiry: e.expiry }).map((c) => {
      const contract = c as OptionContract;
      return {
        contract,
        quote: market.quote(contract.conId) as OptionQuote,
        greeks: market.optionComputation(contract.conId)!,
        time: (contract.lastTradeTime - stateTime) / YEAR_MS,
      };
    }));
}

interface Case {
  readonly label: string;
  readonly market: SimMarket;
  readonly symbol: string;
  readonly chain: Row[][];
}

/** Every (seed, start, symbol) case with its whole chain, built once for all property tests. */
function buildCases(): Case[] {
  return STARTS.flatMap((start, i) => {
    const seed = 1000 + i * 17;
    const symbols = [SYMBOLS[i % SYMBOLS.length]!, SYMBOLS[(i + 5) % SYMBOLS.length]!, SYMBOLS[(i + 9) % SYMBOLS.length]!];
    const market = testMarket({ seed, start, symbols });
    return symbols.map((symbol) => ({ label: `seed ${seed} ${new Date(start).toISOString()} ${symbol}`, market, symbol, chain: chainRows(market, symbol) }));
  });
}

let cases: Case[] = [];
beforeAll(() => {
  cases = buildCases();
});

/** Runs `check` over every case; returns the first failures. */
function overChains(check: (market: SimMarket, symbol: string, chain: Row[][], fail: (what: string) => void) => void): string[] {
  const failures: string[] = [];
  for (const c of cases) {
    check(c.market, c.symbol, c.chain, (what) => {
      if (failures.length < 10) failures.push(`${c.label}: ${what}`);
    });
  }
  return failures;
}

describe("option quotes (property tests over seeds, times and chains)", () => {
  it("quote sane markets: 0 ≤ bid < ask on the tick grid, model price inside", () => {
    let checked = 0;
    const failures = overChains((_m, _s, chain, fail) => {
      for (const row of chain.flat()) {
        checked++;
        const { bid, ask, modelPrice } = row.quote;
        const rule = row.contract.tickRule;
        if (!(bid >= 0 && bid < ask)) fail(`${row.contract.localSymbol} bid ${bid} ask ${ask}`);
        if (!((bid === 0 || isOnTick(bid, rule)) && isOnTick(ask, rule))) fail(`${row.contract.localSymbol} off tick ${bid}/${ask} (${rule})`);
        if (!(bid <= modelPrice + 1e-9 && modelPrice <= ask + 1e-9)) fail(`${row.contract.localSymbol} model ${modelPrice} outside ${bid}/${ask}`);
        if (row.quote.bidSize <= 0 || row.quote.askSize <= 0 || row.quote.openInterest < 0 || row.quote.volume < 0) fail(`${row.contract.localSymbol} sizes`);
      }
    });
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(5_000);
  });

  it("respect put-call parity: C_bid − P_ask ≤ S·e^{−qT} − K·e^{−rT} ≤ C_ask − P_bid", () => {
    const failures = overChains((market, symbol, chain, fail) => {
      const q = market.stock(symbol)!.dividendYield;
      const r = market.settings.rate;
      for (const expiry of chain) {
        for (let i = 0; i + 1 < expiry.length; i += 2) {
          const call = expiry[i]!;
          const put = expiry[i + 1]!;
          if (call.contract.right !== "C" || put.contract.right !== "P" || call.contract.strike !== put.contract.strike) {
            fail("chain not in (call, put) pairs");
            continue;
          }
          const S = call.greeks.underlyingPrice;
          const K = call.contract.strike;
          const parity = S * Math.exp(-q * call.time) - K * Math.exp(-r * call.time);
          if (!(call.quote.bid - put.quote.ask <= parity + 1e-9 && parity <= call.quote.ask - put.quote.bid + 1e-9)) {
            fail(`${call.contract.localSymbol}: ${call.quote.bid}/${call.quote.ask} vs put ${put.quote.bid}/${put.quote.ask}, parity ${parity}`);
          }
          if (Math.abs(call.quote.modelPrice - put.quote.modelPrice - parity) > 1e-9 * Math.max(1, S)) fail(`${call.contract.localSymbol} model parity`);
        }
      }
    });
    expect(failures).toEqual([]);
  });

  it("report greeks with the right signs and bounds, equal to core's BSM at the reported IV", () => {
    const failures = overChains((market, symbol, chain, fail) => {
      const q = market.stock(symbol)!.dividendYield;
      for (const row of chain.flat()) {
        const g = row.greeks;
        const isCall = row.contract.right === "C";
        if (isCall ? !(g.delta >= 0 && g.delta <= 1) : !(g.delta >= -1 && g.delta <= 0)) fail(`${row.contract.localSymbol} delta ${g.delta}`);
        if (!(g.gamma >= 0 && g.vega >= 0 && g.impliedVol > 0)) fail(`${row.contract.localSymbol} gamma ${g.gamma} vega ${g.vega}`);
        if (g.optionPrice !== row.quote.modelPrice || g.underlyingPrice !== row.quote.underlyingPrice) fail(`${row.contract.localSymbol} quote/greeks disagree`);
        const core = bsmGreeks({
          right: isCall ? "call" : "put",
          spot: g.underlyingPrice,
          strike: row.contract.strike,
          time: row.time,
          rate: market.settings.rate,
          dividendYield: q,
          vol: g.impliedVol,
        });
        const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(b));
        if (!(close(g.optionPrice, core.price) && close(g.delta, core.delta) && close(g.gamma, core.gamma) && close(g.vega, core.vega) && close(g.theta, core.theta))) {
          fail(`${row.contract.localSymbol} greeks differ from core`);
        }
        if (!close(g.pvDividend, g.underlyingPrice * (1 - Math.exp(-q * row.time)))) fail(`${row.contract.localSymbol} pvDividend`);
      }
    });
    expect(failures).toEqual([]);
  });

  it("have no static arbitrage across strikes: calls fall, puts rise, both convex in the strike", () => {
    const failures = overChains((market, _symbol, chain, fail) => {
      const r = market.settings.rate;
      for (const expiry of chain) {
        for (const right of ["C", "P"] as const) {
          const rows = expiry.filter((row) => row.contract.right === right);
          const discount = Math.exp(-r * (rows[0]?.time ?? 0));
          let previousSlope = -Infinity;
          for (let i = 1; i < rows.length; i++) {
            const a = rows[i - 1]!;
            const b = rows[i]!;
            const slope = (b.quote.modelPrice - a.quote.modelPrice) / (b.contract.strike - a.contract.strike);
            const tol = 1e-9;
            const bounded = right === "C" ? slope <= tol && slope >= -discount - tol : slope >= -tol && slope <= discount + tol;
            if (!bounded) fail(`${b.contract.localSymbol} slope ${slope}`);
            if (slope < previousSlope - tol) fail(`${b.contract.localSymbol} not convex (${previousSlope} then ${slope})`);
            previousSlope = slope;
          }
        }
      }
    });
    expect(failures).toEqual([]);
  });

  it("have no calendar arbitrage: without dividends a longer call is worth at least a shorter one of the same strike", () => {
    let compared = 0;
    const failures: string[] = [];
    for (const [i, symbol] of ["TSLA", "AMZN", "PBLT", "CDRX"].entries()) {
      const market = testMarket({ seed: 50 + i, start: STARTS[i]!, symbols: [symbol] });
      expect(market.stock(symbol)!.dividendYield).toBe(0);
      const chain = chainRows(market, symbol);
      for (let e = 1; e < chain.length; e++) {
        const longer = new Map(chain[e]!.filter((row) => row.contract.right === "C").map((row) => [row.contract.strike, row.quote.modelPrice]));
        for (const row of chain[e - 1]!.filter((x) => x.contract.right === "C")) {
          const price = longer.get(row.contract.strike);
          if (price === undefined) continue;
          compared++;
          if (price < row.quote.modelPrice - 1e-9) failures.push(`${symbol} ${row.contract.localSymbol}: ${price} < ${row.quote.modelPrice}`);
        }
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(200);
  });
});

describe("option market realism", () => {
  const market = testMarket({ seed: 9, symbols: ["SPY", "PBLT"] });
  const front = (symbol: string): Row[] => {
    const chain = chainRows(market, symbol);
    // First monthly at least two weeks out.
    const index = market.optionChain(symbol)!.expirations.findIndex((e) => e.monthly && e.lastTradeTime - market.now() > 14 * 86_400_000);
    return chain[index]!;
  };
  const relativeSpread = (row: Row): number => (row.quote.ask - row.quote.bid) / ((row.quote.ask + row.quote.bid) / 2);
  const atm = (rows: Row[], right: "C" | "P"): Row =>
    rows.filter((r) => r.contract.right === right).reduce((best, r) => (Math.abs(r.greeks.delta) - 0.5) ** 2 < (Math.abs(best.greeks.delta) - 0.5) ** 2 ? r : best);

  it("widens spreads in illiquid names and away from the money, and bids zero for worthless far options", () => {
    const spy = front("SPY");
    const pblt = front("PBLT");
    expect(relativeSpread(atm(pblt, "C"))).toBeGreaterThan(3 * relativeSpread(atm(spy, "C")));
    const farPuts = spy.filter((r) => r.contract.right === "P" && r.greeks.delta > -0.03 && r.quote.bid > 0);
    expect(farPuts.length).toBeGreaterThan(0);
    expect(Math.min(...farPuts.map(relativeSpread))).toBeGreaterThan(relativeSpread(atm(spy, "P")));
    const weekly = chainRows(market, "SPY")[0]!;
    expect(weekly.some((r) => r.quote.bid === 0 && r.quote.ask > 0)).toBe(true);
  });

  it("concentrates volume and open interest near the money, and keeps illiquid names tiny", () => {
    const spy = front("SPY");
    const near = spy.filter((r) => Math.abs(r.greeks.delta) > 0.3 && Math.abs(r.greeks.delta) < 0.7);
    const far = spy.filter((r) => Math.abs(r.greeks.delta) < 0.03);
    const mean = (rows: Row[], f: (r: Row) => number): number => rows.reduce((s, r) => s + f(r), 0) / rows.length;
    expect(mean(near, (r) => r.quote.openInterest)).toBeGreaterThan(5 * mean(far, (r) => r.quote.openInterest));
    expect(mean(near, (r) => r.quote.volume)).toBeGreaterThan(5 * mean(far, (r) => r.quote.volume));
    expect(atm(spy, "C").quote.openInterest).toBeGreaterThan(10_000);
    const pblt = front("PBLT");
    expect(Math.max(...pblt.map((r) => r.quote.openInterest))).toBeLessThan(2_000);
    expect(Math.max(...pblt.map((r) => r.quote.volume))).toBeLessThan(200);
  });

  it("shows a put skew", () => {
    const spy = front("SPY");
    const put = spy.filter((r) => r.contract.right === "P").reduce((best, r) => (Math.abs(r.greeks.delta + 0.2) < Math.abs(best.greeks.delta + 0.2) ? r : best));
    const call = spy.filter((r) => r.contract.right === "C").reduce((best, r) => (Math.abs(r.greeks.delta - 0.2) < Math.abs(best.greeks.delta - 0.2) ? r : best));
    expect(put.greeks.impliedVol).toBeGreaterThan(call.greeks.impliedVol + 0.02);
  });
});
