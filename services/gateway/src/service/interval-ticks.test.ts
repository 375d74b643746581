import { describe, expect, it } from "vitest";
import { FakeClock } from "../scheduler/testing/fake-clock.js";
import { intervalTicks } from "./interval-ticks.js";

/** Lets pending promise callbacks run (the generator reaches its next await). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("intervalTicks", () => {
  it("ticks at once, then once per interval after the previous tick was taken", async () => {
    const clock = new FakeClock();
    const abort = new AbortController();
    const ticks = intervalTicks(clock, 1000, abort.signal);
    expect(await ticks.next()).toEqual({ value: 0, done: false });
    expect(clock.pending).toBe(0); // no timer until the consumer asks for more

    let second: IteratorResult<number> | undefined;
    void ticks.next().then((r) => { second = r; });
    await settle();
    expect(clock.pending).toBe(1);
    clock.advance(999);
    await settle();
    expect(second).toBeUndefined();
    clock.advance(1);
    await settle();
    expect(second).toEqual({ value: 1, done: false });

    const third = ticks.next();
    await settle();
    clock.advance(1000);
    expect(await third).toEqual({ value: 2, done: false });
    abort.abort();
  });

  it("ends as soon as the signal aborts and leaves no timer behind", async () => {
    const clock = new FakeClock();
    const abort = new AbortController();
    const ticks = intervalTicks(clock, 60_000, abort.signal);
    await ticks.next();
    const waiting = ticks.next();
    await settle();
    expect(clock.pending).toBe(1);
    abort.abort();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(clock.pending).toBe(0);
    expect(await ticks.next()).toEqual({ value: undefined, done: true });
  });

  it("does not tick at all when the signal has already aborted", async () => {
    const clock = new FakeClock();
    const ticks = intervalTicks(clock, 1000, AbortSignal.abort());
    expect(await ticks.next()).toEqual({ value: undefined, done: true });
    expect(clock.pending).toBe(0);
  });
});
