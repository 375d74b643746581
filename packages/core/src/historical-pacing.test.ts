import { describe, expect, it } from "vitest";
import { DEFAULT_HISTORICAL_PACING_RULES, HistoricalPacingWindow } from "./historical-pacing.js";

const req = (identity: string, contractKey = identity, weight?: number) =>
  weight === undefined ? { identity, contractKey } : { identity, contractKey, weight };

/** check, and record when allowed: the simulator's use. */
function send(w: HistoricalPacingWindow, r: ReturnType<typeof req>, now: number): boolean {
  const d = w.check(r, now);
  if (d.ok) w.record(r, now);
  return d.ok;
}

describe("HistoricalPacingWindow", () => {
  it("defaults to IB's documented limits", () => {
    expect(new HistoricalPacingWindow().rules).toEqual({
      identicalWindowMs: 15_000,
      sameContractWindowMs: 2_000,
      sameContractMax: 5,
      windowMs: 600_000,
      windowMax: 60,
    });
    expect(DEFAULT_HISTORICAL_PACING_RULES.windowMax).toBe(60);
  });

  describe("identical rule (15 s)", () => {
    it("refuses at 14,999 ms with retry at 15,000, allows at 15,000", () => {
      const w = new HistoricalPacingWindow();
      w.record(req("SPY|1 D|5 mins"), 1_000);
      expect(w.check(req("SPY|1 D|5 mins"), 15_999)).toEqual({ ok: false, rule: "identical", retryAtMs: 16_000 });
      expect(w.check(req("SPY|1 D|5 mins"), 16_000)).toEqual({ ok: true });
    });

    it("check does not record: checking repeatedly never moves the retry time", () => {
      const w = new HistoricalPacingWindow();
      w.record(req("q"), 0);
      expect(w.check(req("q"), 5_000)).toMatchObject({ retryAtMs: 15_000 });
      expect(w.check(req("q"), 10_000)).toMatchObject({ retryAtMs: 15_000 });
      expect(w.check(req("other"), 10_000)).toEqual({ ok: true });
      expect(w.inWindow).toBe(1);
    });

    it("measures from the latest record of that identity", () => {
      const w = new HistoricalPacingWindow();
      w.record(req("q"), 0);
      w.record(req("q"), 20_000);
      expect(w.check(req("q"), 34_999)).toMatchObject({ ok: false, retryAtMs: 35_000 });
    });
  });

  describe("same-contract rule (≤ 5 in 2 s)", () => {
    it("allows 5, refuses the 6th until the oldest leaves the window", () => {
      const w = new HistoricalPacingWindow();
      for (let i = 0; i < 5; i += 1) expect(send(w, req(`SPY-${i}`, "SPY@SMART:TRADES"), i * 100)).toBe(true);
      expect(w.check(req("SPY-5", "SPY@SMART:TRADES"), 1_999)).toEqual({
        ok: false,
        rule: "sameContract",
        retryAtMs: 2_000,
      });
      expect(w.check(req("QQQ", "QQQ@SMART:TRADES"), 1_999)).toEqual({ ok: true });
      expect(send(w, req("SPY-5", "SPY@SMART:TRADES"), 2_000)).toBe(true);
      // Inside (50, 2050]: 100, 200, 300, 400, 2000 → full; next slot when 100 leaves.
      expect(w.check(req("SPY-6", "SPY@SMART:TRADES"), 2_050)).toMatchObject({ ok: false, retryAtMs: 2_100 });
      expect(w.check(req("SPY-6", "SPY@SMART:TRADES"), 2_100)).toEqual({ ok: true });
    });

    it("a weight-2 request (BID_ASK) needs two free slots", () => {
      const w = new HistoricalPacingWindow();
      for (let i = 0; i < 4; i += 1) w.record(req(`a${i}`, "k"), i * 100); // 0,100,200,300
      expect(w.check(req("b", "k", 2), 500)).toEqual({ ok: false, rule: "sameContract", retryAtMs: 2_000 });
      expect(w.check(req("b", "k", 1), 500)).toEqual({ ok: true });
      w.record(req("bidask", "k2", 2), 600);
      expect(w.inWindow).toBe(6);
    });
  });

  describe("overall rule (≤ 60 in 10 min)", () => {
    it("refuses the 61st until the first leaves, then the 62nd until the second leaves", () => {
      const w = new HistoricalPacingWindow();
      for (let i = 0; i < 60; i += 1) expect(send(w, req(`c${i}`), i * 5_000)).toBe(true);
      expect(w.check(req("c60"), 599_999)).toEqual({ ok: false, rule: "window", retryAtMs: 600_000 });
      expect(send(w, req("c60"), 600_000)).toBe(true);
      expect(w.check(req("c61"), 600_001)).toEqual({ ok: false, rule: "window", retryAtMs: 605_000 });
      expect(send(w, req("c61"), 605_000)).toBe(true);
    });
  });

  it("reports the first broken rule but the retry time that satisfies every rule", () => {
    const w = new HistoricalPacingWindow({ windowMax: 3, windowMs: 60_000 });
    w.record(req("x", "k"), 0);
    w.record(req("y", "k"), 1_000);
    w.record(req("z", "k"), 2_000);
    // identical until 15,000; window full until 60,000 (t=0 leaves).
    expect(w.check(req("x", "k"), 3_000)).toEqual({ ok: false, rule: "identical", retryAtMs: 60_000 });
  });

  it("treats a timestamp earlier than the latest seen as the latest", () => {
    const w = new HistoricalPacingWindow();
    w.record(req("q"), 10_000);
    expect(w.check(req("q"), 5_000)).toMatchObject({ ok: false, retryAtMs: 25_000 });
  });

  it("refuses bad rules and impossible weights", () => {
    expect(() => new HistoricalPacingWindow({ windowMax: 0 })).toThrow(RangeError);
    expect(() => new HistoricalPacingWindow({ windowMs: 1.5 })).toThrow(RangeError);
    expect(() => new HistoricalPacingWindow().check(req("a", "a", 6), 0)).toThrow(RangeError);
  });
});
