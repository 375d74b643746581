import { describe, expect, it } from "vitest";
import type { OptionContract } from "./market-source.js";
import type { SimMarket } from "./sim-market.js";
import { testMarket, TUESDAY_11AM } from "./test-fixtures.js";

/** Everything a client could look at for a symbol, as one comparable value. */
function snapshot(market: SimMarket, symbol: string): unknown {
  const conId = market.stock(symbol)!.conId;
  const options = market.findContracts({ symbol, secType: "OPT", expiry: market.optionParameters(symbol)!.expirations[3]! }) as OptionContract[];
  return {
    quote: market.quote(conId),
    days: market.historicalBars(conId, { duration: "1 Y", barSize: "1 day", whatToShow: "TRADES", useRth: true }),
    minutes: market.historicalBars(conId, { duration: "2 D", barSize: "1 min", whatToShow: "TRADES", useRth: true }),
    iv: market.historicalBars(conId, { duration: "6 M", barSize: "1 day", whatToShow: "OPTION_IMPLIED_VOLATILITY", useRth: true }),
    options: options.filter((_, i) => i % 5 === 0).map((o) => [o.conId, market.quote(o.conId), market.optionComputation(o.conId)]),
  };
}

describe("determinism", () => {
  it("gives the same market for the same seed and start", () => {
    const a = testMarket({ seed: 77, symbols: ["AAPL", "SPY"] });
    const b = testMarket({ seed: 77, symbols: ["AAPL", "SPY"] });
    expect(snapshot(a, "AAPL")).toEqual(snapshot(b, "AAPL"));
    a.advanceTo(TUESDAY_11AM + 3_600_000);
    b.advanceTo(TUESDAY_11AM + 3_600_000);
    expect(snapshot(a, "SPY")).toEqual(snapshot(b, "SPY"));
  });

  it("does not depend on how often or in which order the market is asked", () => {
    const stepped = testMarket({ seed: 5, symbols: ["TSLA"] });
    const conId = stepped.stock("TSLA")!.conId;
    for (let s = 1; s <= 600; s++) {
      stepped.advanceTo(TUESDAY_11AM + s * 1_000);
      stepped.quote(conId);
    }
    const jumped = testMarket({ seed: 5, symbols: ["TSLA"] });
    jumped.advanceTo(TUESDAY_11AM + 600_000);
    expect(snapshot(jumped, "TSLA")).toEqual(snapshot(stepped, "TSLA"));
  });

  it("gives different paths for different seeds", () => {
    const closes = (seed: number): number[] => {
      const market = testMarket({ seed, symbols: ["AAPL"] });
      return market.historicalBars(market.stock("AAPL")!.conId, { duration: "60 D", barSize: "1 day", whatToShow: "TRADES", useRth: true }).map((b) => b.close);
    };
    const one = closes(1);
    const two = closes(2);
    expect(one.at(-1)).toBe(two.at(-1)); // both anchored at the reference price
    expect(one.slice(0, -1)).not.toEqual(two.slice(0, -1));
    expect(one.filter((c, i) => c === two[i]).length).toBeLessThan(5);
  });

  it("keeps a symbol's path when other symbols are added or reordered", () => {
    const alone = testMarket({ seed: 21, symbols: ["AAPL"] });
    const crowd = testMarket({ seed: 21, symbols: ["XOM", "SPY", "AAPL", "PBLT"] });
    const full = testMarket({ seed: 21 });
    expect(snapshot(crowd, "AAPL")).toEqual(snapshot(alone, "AAPL"));
    expect(snapshot(full, "AAPL")).toEqual(snapshot(alone, "AAPL"));
  });
});
