import { describe, expect, it } from "vitest";
import { HistoricalPacer, PACING_VIOLATION_TEXT } from "./historical-pacing.js";

const req = (identity: string, contractKey = identity): { identity: string; contractKey: string } => ({
  identity,
  contractKey,
});

describe("HistoricalPacer", () => {
  describe("identical requests within 15 s", () => {
    it("refuses at 14,999 ms and allows at 15,000 ms", () => {
      const p = new HistoricalPacer();
      expect(p.check(req("SPY|1 D|5 mins|TRADES"), 0)).toEqual({ ok: true });
      expect(p.check(req("SPY|1 D|5 mins|TRADES"), 14_999)).toEqual({
        ok: false,
        reason: PACING_VIOLATION_TEXT,
        rule: "identical",
      });
      expect(p.check(req("SPY|1 D|5 mins|TRADES"), 15_000)).toEqual({ ok: true });
    });

    it("measures from the last accepted request, not a refused one", () => {
      const p = new HistoricalPacer();
      p.check(req("q"), 0);
      expect(p.check(req("q"), 10_000).ok).toBe(false); // refused: does not restart the 15 s
      expect(p.check(req("q"), 15_000).ok).toBe(true);
    });
  });

  describe("6 or more for the same contract within 2 s", () => {
    it("allows 5, refuses the 6th within 2 s, allows it at exactly 2 s after the first", () => {
      const p = new HistoricalPacer();
      for (let i = 0; i < 5; i += 1) expect(p.check(req(`SPY-${i}`, "SPY@SMART:TRADES"), i * 100).ok).toBe(true);
      const sixth = p.check(req("SPY-5", "SPY@SMART:TRADES"), 1_999);
      expect(sixth).toMatchObject({ ok: false, rule: "sameContract" });
      expect(p.check(req("OTHER", "QQQ@SMART:TRADES"), 1_999).ok).toBe(true); // other contract unaffected
      expect(p.check(req("SPY-5", "SPY@SMART:TRADES"), 2_000).ok).toBe(true); // t=0 left the window
      expect(p.check(req("SPY-6", "SPY@SMART:TRADES"), 2_050).ok).toBe(false); // 100..400 + 2000 = 5
      expect(p.check(req("SPY-6", "SPY@SMART:TRADES"), 2_100).ok).toBe(true);
    });

    it("honours custom limits", () => {
      const p = new HistoricalPacer({ sameContractMax: 1, sameContractWindowMs: 500 });
      expect(p.check(req("a", "k"), 0).ok).toBe(true);
      expect(p.check(req("b", "k"), 499).ok).toBe(false);
      expect(p.check(req("b", "k"), 500).ok).toBe(true);
    });
  });

  describe("more than 60 in 10 minutes", () => {
    it("refuses the 61st within 600 s and allows it once the first leaves the window", () => {
      const p = new HistoricalPacer();
      // 60 distinct contracts, one every 5 s: t = 0 … 295,000.
      for (let i = 0; i < 60; i += 1) expect(p.check(req(`c${i}`), i * 5_000).ok).toBe(true);
      expect(p.check(req("c60"), 599_999)).toMatchObject({ ok: false, rule: "window" });
      expect(p.check(req("c60"), 600_000).ok).toBe(true); // t=0 is out of (0, 600000]
      expect(p.check(req("c61"), 600_001).ok).toBe(false); // t=5000 is still in
      expect(p.check(req("c61"), 605_000).ok).toBe(true);
    });
  });

  it("counts accepted and refused requests by rule", () => {
    const p = new HistoricalPacer({ windowMax: 3 });
    p.check(req("a"), 0);
    p.check(req("a"), 1);
    for (let i = 0; i < 5; i += 1) p.check(req(`b${i}`, "same"), 100 + i);
    expect(p.accepted).toBe(3);
    expect(p.rejected).toBe(4);
    expect(p.rejectedByRule).toEqual({ identical: 1, sameContract: 0, window: 3 });
  });

  it("refuses bad options", () => {
    expect(() => new HistoricalPacer({ windowMax: 0 })).toThrow(RangeError);
  });
});
