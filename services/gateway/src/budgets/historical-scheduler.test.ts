import { describe, expect, it } from "vitest";
import { historicalIdentity, historicalPacingRequest, historicalTtlMs, type HistoricalRequestSpec } from "./historical-request.js";
import { HistoricalScheduler } from "./historical-scheduler.js";
import { TtlCache } from "./ttl-cache.js";

const spec = (over: Partial<HistoricalRequestSpec> = {}): HistoricalRequestSpec => ({
  contractKey: "756733@SMART",
  duration: "1 D",
  barSize: "5 mins",
  whatToShow: "TRADES",
  useRTH: true,
  ...over,
});

const DAY = 86_400_000;

describe("historical request identity", () => {
  it("differs in every field that makes requests non-identical", () => {
    const base = historicalIdentity(spec());
    for (const over of [
      { contractKey: "1@SMART" },
      { endMs: 0 },
      { duration: "2 D" },
      { barSize: "1 min" },
      { whatToShow: "MIDPOINT" },
      { useRTH: false },
    ]) {
      expect(historicalIdentity(spec(over))).not.toBe(base);
    }
    expect(historicalIdentity(spec())).toBe(base);
  });

  it("compares end times in whole seconds, as TWS receives them", () => {
    const at = Date.parse("2026-11-20T15:00:00.000Z");
    expect(historicalIdentity(spec({ endMs: at + 999 }))).toBe(historicalIdentity(spec({ endMs: at })));
    expect(historicalIdentity(spec({ endMs: at + 1000 }))).not.toBe(historicalIdentity(spec({ endMs: at })));
  });

  it("keys the same-contract rule by contract + tick type and counts BID_ASK twice", () => {
    expect(historicalPacingRequest(spec({ duration: "2 D" })).contractKey).toBe(historicalPacingRequest(spec()).contractKey);
    expect(historicalPacingRequest(spec({ whatToShow: "BID_ASK" }))).toMatchObject({ weight: 2 });
    expect(historicalPacingRequest(spec()).weight).toBe(1);
  });

  it("keeps closed daily bars longer than intraday or open-ended ones", () => {
    const now = 100 * DAY;
    expect(historicalTtlMs(spec(), now)).toBe(60_000);
    expect(historicalTtlMs(spec({ barSize: "1 day" }), now)).toBe(60_000); // open end: today's bar forms
    expect(historicalTtlMs(spec({ barSize: "1 day", endMs: now - DAY }), now)).toBe(6 * 3_600_000);
    expect(historicalTtlMs(spec({ barSize: "5 mins", endMs: now - DAY }), now)).toBe(60_000);
    expect(historicalTtlMs(spec({ barSize: "1 week", endMs: now + DAY }), now)).toBe(60_000);
  });
});

describe("TtlCache", () => {
  it("expires exactly at the TTL and bounds its size", () => {
    const c = new TtlCache<number>({ maxEntries: 2 });
    c.set("a", 1, 1_000, 0);
    expect(c.get("a", 999)).toBe(1);
    expect(c.get("a", 1_000)).toBeUndefined();
    c.set("a", 1, 1_000, 0);
    c.set("b", 2, 1_000, 0);
    c.set("c", 3, 1_000, 0);
    expect([c.get("a", 1), c.get("b", 1), c.get("c", 1)]).toEqual([undefined, 2, 3]);
  });
});

describe("HistoricalScheduler", () => {
  it("coalesces identical requests in flight into one send, then serves from cache until the TTL", () => {
    const s = new HistoricalScheduler<string>();
    const first = s.request(spec(), 0);
    expect(first.kind).toBe("send");
    expect(s.request(spec(), 10)).toEqual({ kind: "join", identity: first.identity });
    expect(s.request(spec(), 20).kind).toBe("join");
    s.complete(first.identity, "bars", 500);
    expect(s.request(spec(), 60_499)).toEqual({ kind: "cached", identity: first.identity, value: "bars" });
    // TTL counts from completion: gone at 500 + 60,000; 60 s > 15 s, so the identical rule is clear.
    expect(s.request(spec(), 60_500).kind).toBe("send");
    expect(s.stats()).toMatchObject({ sent: 2, joined: 2, cacheHits: 1, pending: 1 });
  });

  it("a failed request is not cached and may be asked again (after the identical window)", () => {
    const s = new HistoricalScheduler<string>();
    const d = s.request(spec(), 0);
    s.fail(d.identity);
    // IB counted the failed request: an identical one within 15 s must wait.
    expect(s.request(spec(), 1_000)).toMatchObject({ kind: "wait", atMs: 15_000, rule: "identical" });
    expect(s.retry(d.identity, 15_000).kind).toBe("send");
  });

  it("waits for the same-contract rule, joins identical askers meanwhile, and sends on retry", () => {
    const s = new HistoricalScheduler<string>();
    for (let i = 0; i < 5; i += 1) expect(s.request(spec({ duration: `${i + 1} D` }), i * 100).kind).toBe("send");
    const sixth = s.request(spec({ duration: "6 D" }), 500);
    expect(sixth).toEqual({ kind: "wait", identity: sixth.identity, atMs: 2_000, rule: "sameContract" });
    expect(s.request(spec({ duration: "6 D" }), 600).kind).toBe("join");
    // A different tick type is a different same-contract key.
    expect(s.request(spec({ whatToShow: "MIDPOINT" }), 700).kind).toBe("send");
    expect(s.retry(sixth.identity, 1_999)).toMatchObject({ kind: "wait", atMs: 2_000 });
    expect(s.retry(sixth.identity, 2_000).kind).toBe("send");
    expect(() => s.retry(sixth.identity, 2_001)).toThrow(/not waiting/);
  });

  it("gives up past the wait bound with the retry time (overall 60 / 10 min rule)", () => {
    const s = new HistoricalScheduler<string>({ maxWaitMs: 30_000 });
    for (let i = 0; i < 60; i += 1) expect(s.request(spec({ contractKey: `c${i}` }), i * 1_000).kind).toBe("send");
    // Full until t=0 leaves the window at 600,000.
    expect(s.request(spec({ contractKey: "x" }), 570_000)).toMatchObject({ kind: "wait", atMs: 600_000, rule: "window" });
    const late = s.request(spec({ contractKey: "y" }), 569_999);
    expect(late).toMatchObject({ kind: "exhausted", retryAtMs: 600_000, rule: "window" });
    expect(s.stats()).toMatchObject({ exhausted: 1, waits: 1 });
    // The exhausted request is no longer pending: asking again starts over.
    expect(s.request(spec({ contractKey: "y" }), 580_000)).toMatchObject({ kind: "wait", atMs: 600_000 });
  });
});
