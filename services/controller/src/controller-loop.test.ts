import { describe, expect, it } from "vitest";
import { ControllerLoop } from "./controller-loop.js";
import type { ReconcileResult } from "./controller-loop.js";
import { FakeClock, settle } from "./testing/fake-clock.js";
import { quietLogger } from "./testing/quiet-logger.js";
import { WorkQueue } from "./work-queue.js";

function setup(reconcile: (key: string) => Promise<ReconcileResult | undefined>, workers = 2) {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock, rateLimit: { baseDelayMs: 100, maxDelayMs: 10_000 } });
  const outcomes: string[] = [];
  const loop = new ControllerLoop({ name: "Thing", queue, reconcile, workers, logger: quietLogger(), clock, observe: (o) => outcomes.push(o) });
  return { clock, queue, loop, outcomes };
}

describe("ControllerLoop", () => {
  it("retries a failing key with growing backoff and forgets it after a success", async () => {
    const calls: number[] = [];
    let failuresLeft = 3;
    const { clock, queue, loop, outcomes } = setup(() => {
      calls.push(clock.now());
      if (failuresLeft-- > 0) return Promise.reject(new Error("unavailable"));
      return Promise.resolve(undefined);
    });
    loop.start();
    const t0 = clock.now();
    queue.add("k");
    await clock.advance(10_000);
    expect(calls.map((t) => t - t0)).toEqual([0, 100, 300, 700]);
    expect(outcomes).toEqual(["error", "error", "error", "success"]);
    expect(queue.numRequeues("k")).toBe(0);
    await loop.stop();
  });

  it("requeues after the delay a reconcile asks for", async () => {
    const calls: number[] = [];
    const { clock, queue, loop } = setup(() => {
      calls.push(clock.now());
      return Promise.resolve({ requeueAfterMs: 5_000 });
    });
    loop.start();
    const t0 = clock.now();
    queue.add("k");
    await clock.advance(12_000);
    expect(calls.map((t) => t - t0)).toEqual([0, 5_000, 10_000]);
    await loop.stop();
  });

  it("never runs one key on two workers at once, and runs it again if it changed meanwhile", async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const release: (() => void)[] = [];
    const { queue, loop } = setup(async () => {
      running++;
      runs++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((resolve) => release.push(resolve));
      running--;
      return undefined;
    }, 4);
    loop.start();
    queue.add("k");
    await settle();
    queue.add("k");
    queue.add("k");
    await settle();
    expect(runs).toBe(1);
    release.shift()?.();
    await settle();
    expect(runs).toBe(2);
    release.shift()?.();
    await settle();
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
    await loop.stop();
  });

  it("stop waits for the reconcile in flight and drops its retry", async () => {
    let finish!: () => void;
    let finished = false;
    const { clock, queue, loop } = setup(async (_key) => {
      await new Promise<void>((resolve) => { finish = resolve; });
      finished = true;
      throw new Error("late failure");
    });
    loop.start();
    queue.add("k");
    await settle();
    const stopping = loop.stop();
    let stopped = false;
    void stopping.then(() => { stopped = true; });
    await settle();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(finished).toBe(true);
    expect(clock.pending()).toBe(0);
  });
});
