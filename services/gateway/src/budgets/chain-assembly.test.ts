import { MarketDataType, OptionRight, QuoteFlag } from "@spreadops/api";
import { bsmGreeks } from "@spreadops/core";
import { describe, expect, it } from "vitest";
import { assembleOptionChain, greeksFromQuote, type ChainAssemblyInput, type OptionQuoteResult } from "./chain-assembly.js";
import { ChainCache, chainRequestKey } from "./chain-cache.js";
import type { PlannedOption } from "./chain-plan.js";

const contract = (expiry: string, dte: number, strike: number, right: "call" | "put"): PlannedOption => ({
  symbol: "SPY",
  expiry,
  dte,
  strike,
  right,
  tradingClass: "SPY",
  exchange: "SMART",
  multiplier: 100,
});

const header: Omit<ChainAssemblyInput, "rows"> = {
  underlyingSymbol: "SPY",
  underlyingConId: 756733,
  underlyingPrice: 500,
  asOfMs: 1_795_000_000_000,
  asOfDate: "2026-11-20",
  marketDataType: MarketDataType.LIVE,
  tradingClass: "SPY",
  exchange: "SMART",
  currency: "USD",
  multiplier: 100,
  minTick: 0.01,
  rate: 0.04,
  dividendYield: 0.01,
};

describe("greeks from mid", () => {
  it("recovers the vol a mid was generated at, and the greeks at that vol", () => {
    const c = contract("20261218", 28, 480, "put");
    const truth = bsmGreeks({ right: "put", spot: 500, strike: 480, time: 28 / 365, rate: 0.04, dividendYield: 0.01, vol: 0.27 });
    const g = greeksFromQuote({ contract: c, conId: 1, bid: truth.price - 0.05, ask: truth.price + 0.05 }, 500, header);
    expect(g?.impliedVol).toBeCloseTo(0.27, 8);
    expect(g?.delta).toBeCloseTo(truth.delta, 8);
    expect(g?.vega).toBeCloseTo(truth.vega, 8);
  });

  it("has none without a two-sided quote, with no time left, or with a mid below intrinsic", () => {
    const c = contract("20261218", 28, 480, "put");
    expect(greeksFromQuote({ contract: c, conId: 1, bid: 1 }, 500, header)).toBeUndefined();
    expect(greeksFromQuote({ contract: contract("20261120", 0, 480, "put"), conId: 1, bid: 1, ask: 1.2 }, 500, header)).toBeUndefined();
    expect(greeksFromQuote({ contract: contract("20261218", 28, 400, "call"), conId: 1, bid: 1, ask: 1.2 }, 500, header)).toBeUndefined();
  });
});

describe("assembleOptionChain", () => {
  const truthCall = bsmGreeks({ right: "call", spot: 500, strike: 510, time: 28 / 365, rate: 0.04, dividendYield: 0.01, vol: 0.22 });
  const rows: OptionQuoteResult[] = [
    // Out of order on purpose; TWS greeks present on the first.
    { contract: contract("20261218", 28, 500, "put"), conId: 3, bid: 9.9, ask: 10.1, delta: -0.47, impliedVol: 0.21, gamma: 0.01, theta: -0.2, vega: 0.5, underlyingPrice: 500.5, lastTickMs: header.asOfMs - 250 },
    { contract: contract("20261218", 28, 510, "call"), conId: 2, bid: truthCall.price - 0.02, ask: truthCall.price + 0.02, bidSize: 12, flags: QuoteFlag.DELAYED },
    { contract: contract("20261204", 14, 520, "call"), conId: 1 },
  ];
  const chain = assembleOptionChain({ ...header, rows });

  it("builds parallel columns of row_count entries sorted by (expiry, right, strike)", () => {
    expect(chain.rowCount).toBe(3);
    const columns = [chain.conId, chain.expiry, chain.dte, chain.strike, chain.right, chain.bid, chain.ask, chain.last, chain.bidSize, chain.askSize, chain.volume, chain.openInterest, chain.impliedVol, chain.delta, chain.gamma, chain.theta, chain.vega, chain.underlyingPriceAtQuote, chain.quoteAgeMs, chain.flags];
    for (const col of columns) expect(col).toHaveLength(3);
    expect(chain.conId).toEqual([1, 2, 3]);
    expect(chain.expiry).toEqual([20261204, 20261218, 20261218]);
    expect(chain.right).toEqual([OptionRight.CALL, OptionRight.CALL, OptionRight.PUT]);
    expect(chain.asOfDate).toBe(20261120);
    expect(chain.underlyingPrice).toBe(500);
  });

  it("uses NaN for unknowns and flags rows without a quote", () => {
    expect(chain.bid[0]).toBeNaN();
    expect(chain.delta[0]).toBeNaN();
    expect(chain.quoteAgeMs[0]).toBeNaN();
    expect(chain.flags[0]).toBe(QuoteFlag.NO_QUOTE);
    expect(chain.last[2]).toBeNaN();
    expect(chain.quoteAgeMs[2]).toBe(250);
  });

  it("keeps TWS greeks unflagged and computes missing ones from the mid, flagged", () => {
    expect([chain.delta[2], chain.impliedVol[2], chain.underlyingPriceAtQuote[2], chain.flags[2]]).toEqual([-0.47, 0.21, 500.5, 0]);
    expect(chain.impliedVol[1]).toBeCloseTo(0.22, 8);
    expect(chain.delta[1]).toBeCloseTo(truthCall.delta, 8);
    expect(chain.underlyingPriceAtQuote[1]).toBe(500);
    expect(chain.flags[1]).toBe(QuoteFlag.DELAYED | QuoteFlag.GREEKS_COMPUTED);
    expect(chain.bidSize[1]).toBe(12);
  });
});

describe("ChainCache", () => {
  it("serves fresh contracts from cache, requests the rest, and counts both", () => {
    const cache = new ChainCache({ ttlMs: 60_000 });
    const a = contract("20261218", 28, 500, "put");
    const b = contract("20261218", 28, 505, "put");
    expect(cache.split([a, b], 0)).toEqual({ cached: [], toRequest: [a, b] });
    cache.store([{ contract: a, conId: 9, bid: 1, ask: 1.1 }], 1_000);
    const s = cache.split([a, b], 60_999);
    expect(s.cached.map((r) => r.conId)).toEqual([9]);
    expect(s.toRequest).toEqual([b]);
    expect(cache.split([a], 61_000).toRequest).toEqual([a]); // expired
    expect(cache.counts).toEqual({ fromCache: 1, requested: 4 });
  });

  it("keys request shapes by everything that changes the plan", () => {
    const params = { exchange: "SMART", tradingClass: "SPY", multiplier: 100, expirations: [], strikes: [] };
    const k = (over = {}) =>
      chainRequestKey({ symbol: "SPY", params, today: "2026-11-20", dte: { min: 7, max: 45 }, band: { kind: "absDelta", min: 0.1, max: 0.5 }, ...over });
    expect(k()).toBe(k({ rights: ["put", "call"] }));
    expect(k()).not.toBe(k({ dte: { min: 7, max: 46 } }));
    expect(k()).not.toBe(k({ band: { kind: "absolute", min: 0.1, max: 0.5 } }));
  });
});
