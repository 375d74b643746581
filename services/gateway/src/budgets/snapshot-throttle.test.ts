import { describe, expect, it } from "vitest";
import { LineBudget, type LineHandle } from "./line-budget.js";
import { SnapshotThrottle } from "./snapshot-throttle.js";

describe("SnapshotThrottle", () => {
  it("allows at most 90 in any second and reports when the next slot opens", () => {
    const t = new SnapshotThrottle({ freeLines: () => 1_000 });
    expect(t.allowance(0)).toEqual({ count: 90, nextAtMs: undefined });
    t.issue(60, 0);
    t.issue(30, 500);
    expect(t.allowance(999)).toEqual({ count: 0, nextAtMs: 1_000 });
    expect(t.allowance(1_000).count).toBe(60); // the 60 at t=0 left (0, 1000]
    expect(() => {
      t.issue(61, 1_000);
    }).toThrow(RangeError);
  });

  it("issuing 1,000 snapshots against 40 free lines never exceeds 90/s nor 40 outstanding", () => {
    const lines = new LineBudget({ limit: 100 });
    // 60 lines held by streaming subscribers: snapshots get the other 40.
    for (let i = 0; i < 60; i += 1) lines.acquire(`stream${i}`);
    const t = new SnapshotThrottle({ freeLines: () => lines.available });
    const issuedAt: number[] = [];
    const inFlight: { handle: LineHandle; doneAt: number }[] = [];
    let maxOutstanding = 0;
    let next = 0;
    for (let now = 0; next < 1_000; now += 10) {
      for (let i = inFlight.length - 1; i >= 0; i -= 1) {
        const f = inFlight[i]!;
        if (f.doneAt <= now) {
          f.handle.release();
          lines.drop(f.handle.key); // a snapshot's line ends with it
          t.complete();
          inFlight.splice(i, 1);
        }
      }
      const n = Math.min(t.allowance(now).count, 1_000 - next);
      t.issue(n, now);
      for (let i = 0; i < n; i += 1, next += 1) {
        const o = lines.acquire(`snap${next}`);
        if (!o.ok) throw new Error("line budget exhausted");
        inFlight.push({ handle: o.handle, doneAt: now + 150 }); // fast snapshots: rate is the binding limit
        issuedAt.push(now);
      }
      maxOutstanding = Math.max(maxOutstanding, inFlight.length);
    }
    expect(maxOutstanding).toBe(40); // the line cap binds, and is never passed
    for (const start of issuedAt) {
      const inSecond = issuedAt.filter((x) => x > start - 1_000 && x <= start).length;
      expect(inSecond).toBeLessThanOrEqual(90);
    }
  });

  it("issues the last free line's snapshot when the caller reserves the line first (as the fetcher does)", () => {
    const lines = new LineBudget({ limit: 3 });
    lines.acquire("a");
    lines.acquire("b");
    const t = new SnapshotThrottle({ freeLines: () => lines.available });
    expect(t.allowance(0).count).toBe(1);
    const reserved = lines.acquire("snapshot");
    expect(reserved.ok).toBe(true);
    // The reserved line is the snapshot's own: issuing it must not count it again.
    expect(() => {
      t.issue(1, 0);
    }).not.toThrow();
    expect(t.allowance(0).count).toBe(0);
  });

  it("is rate-bound with plenty of lines: 900 snapshots take 10 windows", () => {
    const t = new SnapshotThrottle({ freeLines: () => 10_000 });
    const issuedAt: number[] = [];
    for (let now = 0; issuedAt.length < 900; now += 1) {
      const n = Math.min(t.allowance(now).count, 900 - issuedAt.length);
      t.issue(n, now);
      for (let i = 0; i < n; i += 1) issuedAt.push(now);
    }
    expect(issuedAt.at(-1)).toBe(9_000);
    for (const start of issuedAt) expect(issuedAt.filter((x) => x > start - 1_000 && x <= start).length).toBeLessThanOrEqual(90);
  });
});
