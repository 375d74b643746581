import { describe, expect, it } from "vitest";
import { LineBudget, type LineAcquireOutcome, type LineHandle } from "./line-budget.js";

function handleOf(o: LineAcquireOutcome): LineHandle {
  if (!o.ok) throw new Error(o.message);
  return o.handle;
}

describe("LineBudget", () => {
  it("de-duplicates callers of one contract into one reference-counted line", () => {
    const b = new LineBudget({ limit: 2 });
    const a1 = b.acquire("SPY");
    const a2 = b.acquire("SPY");
    const a3 = b.acquire("SPY");
    expect([a1, a2, a3].map((o) => o.ok && o.subscribe)).toEqual([true, false, false]);
    expect(b.inUse).toBe(1);
    expect(b.refs("SPY")).toBe(3);
    expect(handleOf(a1).release()).toBe(true);
    expect(handleOf(a1).release()).toBe(false); // idempotent
    handleOf(a2).release();
    expect(b.refs("SPY")).toBe(1);
    handleOf(a3).release();
    expect(b).toMatchObject({ inUse: 0, idle: 1 });
    // Coming back to an idle line needs no new subscription.
    expect(b.acquire("SPY")).toMatchObject({ ok: true, subscribe: false, evicted: [] });
    expect(b.stats()).toMatchObject({ hits: 3, misses: 1, inUse: 1, idle: 0 });
  });

  it("150 contracts against 100 lines: evicts idle lines least recently released first, never active ones", () => {
    const b = new LineBudget();
    const handles = new Map<string, LineHandle>();
    for (let i = 0; i < 100; i += 1) handles.set(`c${i}`, handleOf(b.acquire(`c${i}`)));
    // Release the even-numbered ones in descending order: c98 is the least recently used, c0 the most.
    for (let i = 98; i >= 0; i -= 2) handles.get(`c${i}`)!.release();
    expect(b).toMatchObject({ inUse: 50, idle: 50, available: 50 });

    const evicted: string[] = [];
    let exhausted = 0;
    for (let i = 100; i < 150; i += 1) {
      const o = b.acquire(`c${i}`);
      if (o.ok) evicted.push(...o.evicted);
      else exhausted += 1;
    }
    expect(exhausted).toBe(0);
    expect(evicted).toEqual(Array.from({ length: 50 }, (_, k) => `c${98 - 2 * k}`));
    for (let i = 1; i < 100; i += 2) expect(b.refs(`c${i}`)).toBe(1); // active lines untouched
    expect(b.stats()).toMatchObject({ inUse: 100, idle: 0, evictions: 50, peak: 100 });

    // Now every line is active: the 151st contract is refused, nothing evicted.
    const refused = b.acquire("c150");
    expect(refused).toMatchObject({ ok: false, reason: "exhausted", inUse: 100, limit: 100 });
    expect(b.stats()).toMatchObject({ exhausted: 1, evictions: 50 });
    // But an already-subscribed contract can still be joined.
    expect(b.acquire("c1")).toMatchObject({ ok: true, subscribe: false });
  });

  it("re-acquiring an idle line makes it most recently used", () => {
    const b = new LineBudget({ limit: 3 });
    const hs = ["a", "b", "c"].map((k) => handleOf(b.acquire(k)));
    hs.forEach((h) => h.release()); // LRU order: a, b, c
    handleOf(b.acquire("a")).release(); // now b, c, a
    expect(b.acquire("d")).toMatchObject({ evicted: ["b"] });
    expect(b.acquire("e")).toMatchObject({ evicted: ["c"] });
  });

  it("lowering the limit evicts idle lines and refuses new keys while active ones exceed it", () => {
    const b = new LineBudget({ limit: 4 });
    const hs = ["a", "b", "c", "d"].map((k) => handleOf(b.acquire(k)));
    hs[0]!.release();
    hs[1]!.release(); // idle: a, b; active: c, d
    expect(b.setLimit(3)).toEqual(["a"]);
    expect(b.setLimit(1)).toEqual(["b"]);
    expect(b).toMatchObject({ inUse: 2, idle: 0, limit: 1, available: 0 });
    expect(b.acquire("e")).toMatchObject({ ok: false, reason: "exhausted" });
    hs[2]!.release();
    hs[3]!.release();
    // Two idle lines, limit 1: the new key evicts both.
    expect(b.acquire("e")).toMatchObject({ ok: true, subscribe: true, evicted: ["c", "d"] });
    expect(b.setLimit(10)).toEqual([]);
    expect(() => b.setLimit(-1)).toThrow(RangeError);
  });

  it("reset (1101) forgets idle lines and returns active ones to resubscribe", () => {
    const b = new LineBudget();
    const a = handleOf(b.acquire("a"));
    handleOf(b.acquire("b"));
    handleOf(b.acquire("c")).release();
    expect(b.reset()).toEqual(["a", "b"]);
    expect(b).toMatchObject({ inUse: 2, idle: 0 });
    expect(a.release()).toBe(true); // holders keep their handles across a reset
  });

  it("drop makes handles inert; sweepIdle releases lines idle too long", () => {
    let now = 0;
    const b = new LineBudget({ now: () => now });
    const a = handleOf(b.acquire("a"));
    expect(b.drop("a")).toBe(true);
    expect(a.release()).toBe(false);
    expect(b.has("a")).toBe(false);
    handleOf(b.acquire("x")).release();
    now = 30_000;
    handleOf(b.acquire("y")).release();
    now = 60_000;
    expect(b.sweepIdle(60_000)).toEqual(["x"]);
    expect(b.idle).toBe(1);
  });
});
