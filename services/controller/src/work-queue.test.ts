import { describe, expect, it } from "vitest";
import { FakeClock, settle } from "./testing/fake-clock.js";
import { WorkQueue } from "./work-queue.js";

const queue = (clock = new FakeClock(), observer = {}) => new WorkQueue({ clock, rateLimit: { baseDelayMs: 100, maxDelayMs: 1_000 }, observer });

describe("WorkQueue", () => {
  it("queues a key once however often it is added, in first-added order", async () => {
    const q = queue();
    q.add("a");
    q.add("b");
    q.add("a");
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe("a");
    expect(await q.get()).toBe("b");
  });

  it("never hands out a key that is being processed; re-queues it at done() when added meanwhile", async () => {
    const q = queue();
    q.add("a");
    const first = await q.get();
    expect(first).toBe("a");
    q.add("a");
    expect(q.len()).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => { second = k; });
    await settle();
    expect(second).toBeUndefined();
    q.done("a");
    await settle();
    expect(second).toBe("a");
  });

  it("does not re-queue a processed key that was not added again", async () => {
    const q = queue();
    q.add("a");
    await q.get();
    q.done("a");
    expect(q.len()).toBe(0);
  });

  it("addAfter delivers after the delay and keeps the earliest of two delays", async () => {
    const clock = new FakeClock();
    const q = queue(clock);
    q.addAfter("a", 500);
    q.addAfter("a", 200);
    q.addAfter("a", 900);
    await clock.advance(199);
    expect(q.len()).toBe(0);
    await clock.advance(1);
    expect(q.len()).toBe(1);
    expect(q.delayed()).toBe(0);
  });

  it("addRateLimited backs off exponentially per key, capped, until forget", async () => {
    const clock = new FakeClock();
    const q = queue(clock);
    expect([0, 1, 2, 3, 4, 5].map((n) => q.backoffMs(n))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    q.addRateLimited("a");
    q.addRateLimited("b");
    expect(q.numRequeues("a")).toBe(1);
    await clock.advance(100);
    expect(q.len()).toBe(2);
    await q.get();
    q.done("a");
    q.addRateLimited("a");
    await clock.advance(199);
    expect(q.len()).toBe(1); // only b
    await clock.advance(1);
    expect(q.len()).toBe(2);
    q.forget("a");
    expect(q.numRequeues("a")).toBe(0);
    expect(q.numRequeues("b")).toBe(1);
  });

  it("reports depth and the wait between add and get", async () => {
    const clock = new FakeClock();
    const depths: number[] = [];
    const latencies: number[] = [];
    const q = queue(clock, { depth: (d: number) => depths.push(d), latency: (ms: number) => latencies.push(ms) });
    q.add("a");
    q.add("b");
    await clock.advance(250);
    await q.get();
    expect(depths).toEqual([1, 2, 1]);
    expect(latencies).toEqual([250]);
  });

  it("shutdown wakes waiting workers with undefined and drops delayed keys", async () => {
    const clock = new FakeClock();
    const q = queue(clock);
    const waiting = q.get();
    q.addAfter("x", 100);
    q.shutdown();
    expect(await waiting).toBeUndefined();
    expect(clock.pending()).toBe(0);
    q.add("y");
    expect(await q.get()).toBeUndefined();
  });
});
