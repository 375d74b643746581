import { describe, expect, it } from "vitest";

import { allocateLegPrices, comboPrice, comboQuote, comboTouch, type PricingLeg } from "./combo-pricing.js";
import { matchOrder } from "./matching.js";

/** Bull put as defined by its legs: SELL 100P (2.10/2.20), BUY 95P (0.90/1.00). */
const bullPut = (sizes = { shortBid: 10, longAsk: 10 }): PricingLeg[] => [
  { ratio: 1, action: "SELL", quote: { bid: 2.1, ask: 2.2, bidSize: sizes.shortBid, askSize: 10 } },
  { ratio: 1, action: "BUY", quote: { bid: 0.9, ask: 1.0, bidSize: 10, askSize: sizes.longAsk } },
];

describe("combo pricing (IB sign rule)", () => {
  it("a credit spread bought as defined has a negative natural ask: long ask − short bid", () => {
    const q = comboQuote(bullPut());
    expect(q.ask).toBeCloseTo(1.0 - 2.1, 9);
    expect(q.bid).toBeCloseTo(0.9 - 2.2, 9);
    expect(q.mid).toBeCloseTo(0.95 - 2.15, 9);
  });

  it("a debit spread (BUY 95P, SELL 90P style) has a positive natural ask", () => {
    const legs: PricingLeg[] = [
      { ratio: 1, action: "BUY", quote: { bid: 2.1, ask: 2.2 } },
      { ratio: 1, action: "SELL", quote: { bid: 0.9, ask: 1.0 } },
    ];
    expect(comboQuote(legs).ask).toBeCloseTo(2.2 - 0.9, 9);
  });

  it("buying crosses each leg in its own direction; selling reverses every leg", () => {
    expect(comboTouch(bullPut(), "BUY")?.legPrices).toEqual([2.1, 1.0]);
    expect(comboTouch(bullPut(), "SELL")?.legPrices).toEqual([2.2, 0.9]);
  });

  it("size is the fewest whole combo units any leg shows, less what the pass used", () => {
    expect(comboTouch(bullPut({ shortBid: 7, longAsk: 3 }), "BUY")?.size).toBe(3);
    const ratio2: PricingLeg[] = [
      { ratio: 2, action: "SELL", quote: { bid: 2.1, ask: 2.2, bidSize: 7 } },
      { ratio: 1, action: "BUY", quote: { bid: 0.9, ask: 1.0, askSize: 10 }, usedAsk: 6 },
    ];
    expect(comboTouch(ratio2, "BUY")?.size).toBe(3);
    expect(comboTouch(ratio2, "BUY")?.price).toBeCloseTo(1.0 - 2 * 2.1, 9);
    expect(comboTouch([{ ratio: 1, action: "BUY", quote: { bid: 1, ask: 1.1 } }], "BUY")?.size).toBeUndefined();
  });

  it("a missing side makes the combo unpriceable on that side", () => {
    const legs: PricingLeg[] = [
      { ratio: 1, action: "SELL", quote: { bid: 0, ask: 0.05 } },
      { ratio: 1, action: "BUY", quote: { bid: 0.9, ask: 1.0 } },
    ];
    expect(comboTouch(legs, "BUY")).toBeUndefined();
    expect(comboTouch(legs, "SELL")?.price).toBeCloseTo(0.9 - 0.05, 9);
  });

  it("allocates a combo price to the legs by raising one leg's price", () => {
    const legs = bullPut();
    // Worse credit than natural (−1.00 vs −1.10): the BUY leg pays 0.10 more.
    expect(allocateLegPrices(legs, [2.1, 1.0], -1.0)).toEqual([2.1, 1.1]);
    // Better credit (−1.20): the SELL leg receives 0.10 more.
    expect(allocateLegPrices(legs, [2.1, 1.0], -1.2)).toEqual([2.2, 1.0]);
    expect(comboPrice(legs, allocateLegPrices(legs, [2.1, 1.0], -1.37))).toBeCloseTo(-1.37, 9);
  });
});

describe("matching", () => {
  const single = (bid: number, ask: number): PricingLeg[] => [{ ratio: 1, action: "BUY", quote: { bid, ask, bidSize: 5, askSize: 5 } }];
  const base = { orderType: "LMT", remaining: 8, resting: false, limitBySize: true } as const;

  it("BUY limit fills when limit ≥ ask, at the ask on arrival (price improvement)", () => {
    expect(matchOrder({ ...base, side: "BUY", lmtPrice: 1.04, legs: single(1.0, 1.05) }).kind).toBe("none");
    const r = matchOrder({ ...base, side: "BUY", lmtPrice: 1.1, legs: single(1.0, 1.05) });
    expect(r).toEqual({ kind: "fill", fill: { quantity: 5, price: 1.05, legPrices: [1.05], liquidity: "removed" } });
  });

  it("SELL limit fills when limit ≤ bid; a resting order fills at its limit", () => {
    expect(matchOrder({ ...base, side: "SELL", lmtPrice: 1.01, legs: single(1.0, 1.05) }).kind).toBe("none");
    const r = matchOrder({ ...base, side: "SELL", lmtPrice: 0.95, resting: true, legs: single(1.0, 1.05) });
    expect(r).toEqual({ kind: "fill", fill: { quantity: 5, price: 0.95, legPrices: [0.95], liquidity: "added" } });
  });

  it("BUY combo at −1.20 fills only once the natural ask is −1.20 or lower", () => {
    expect(matchOrder({ ...base, side: "BUY", lmtPrice: -1.2, legs: bullPut() }).kind).toBe("none");
    const moved: PricingLeg[] = [
      { ratio: 1, action: "SELL", quote: { bid: 2.35, ask: 2.45 } },
      { ratio: 1, action: "BUY", quote: { bid: 1.05, ask: 1.1 } },
    ];
    const r = matchOrder({ ...base, side: "BUY", lmtPrice: -1.2, legs: moved });
    expect(r.kind === "fill" && r.fill.price).toBeCloseTo(-1.25, 9);
    expect(r.kind === "fill" && r.fill.quantity).toBe(8);
  });

  it("market orders take the touch; no quote → none; used-up size → starved", () => {
    const mkt = { ...base, orderType: "MKT", lmtPrice: undefined } as const;
    expect(matchOrder({ ...mkt, side: "SELL", legs: single(1.0, 1.05) }).kind === "fill").toBe(true);
    expect(matchOrder({ ...mkt, side: "BUY", legs: [{ ratio: 1, action: "BUY", quote: undefined }] }).kind).toBe("none");
    const used: PricingLeg[] = [{ ratio: 1, action: "BUY", quote: { bid: 1, ask: 1.05, askSize: 5 }, usedAsk: 5 }];
    expect(matchOrder({ ...mkt, side: "BUY", legs: used }).kind).toBe("starved");
    expect(matchOrder({ ...mkt, side: "BUY", limitBySize: false, legs: used })).toMatchObject({ kind: "fill", fill: { quantity: 8 } });
  });
});
