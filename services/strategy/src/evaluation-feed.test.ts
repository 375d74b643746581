import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { EvaluateResponse } from "@spreadops/api";
import { EvaluateResponseSchema } from "@spreadops/api";
import { createMetrics } from "@spreadops/runtime";
import { describe, expect, it } from "vitest";
import type { FeedEntry } from "./evaluation-feed.js";
import { EvaluationFeed } from "./evaluation-feed.js";
import { createStrategyMetrics } from "./strategy-metrics.js";

/** An evaluation told apart by its as_of (minutes after a fixed start). */
const evaluation = (minute: number): EvaluateResponse => create(EvaluateResponseSchema, { asOf: timestampFromMs(Date.UTC(2026, 2, 10, 15, minute)) });
const minuteOf = (e: FeedEntry): number => new Date(Number(e.evaluation.asOf?.seconds ?? 0n) * 1000).getUTCMinutes();
/** Entries as [strategy, initial, minute] for compact assertions. */
const shown = (entries: readonly FeedEntry[]): [string, boolean, number][] => entries.map((e) => [e.strategyRef, e.initial, minuteOf(e)]);

/** Lets pending promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Reads `n` entries. */
async function take(iterator: AsyncIterator<FeedEntry>, n: number): Promise<FeedEntry[]> {
  const entries: FeedEntry[] = [];
  for (let i = 0; i < n; i++) {
    const result = await iterator.next();
    if (result.done === true) throw new Error(`feed ended after ${i} entries`);
    entries.push(result.value);
  }
  return entries;
}

/** Whether `promise` has settled by now. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => { done = true; }, () => { done = true; });
  await settle();
  return done;
}

describe("EvaluationFeed", () => {
  it("sends the latest evaluation of every strategy first (least recently evaluated first), then new ones live", async () => {
    const feed = new EvaluationFeed();
    feed.record("ns/a", evaluation(1));
    feed.record("ns/b", evaluation(2));
    feed.record("ns/a", evaluation(3));
    const abort = new AbortController();
    const watch = feed.watch("", abort.signal);
    expect(shown(await take(watch, 2))).toEqual([["ns/b", true, 2], ["ns/a", true, 3]]);

    const next = watch.next();
    expect(await settled(next)).toBe(false); // nothing new yet: it waits
    feed.record("ns/c", evaluation(4));
    const live = await next;
    expect(live.done).toBe(false);
    expect(shown([live.value as FeedEntry])).toEqual([["ns/c", false, 4]]);
    abort.abort();
  });

  it("starts empty: a subscriber sees only what is evaluated after it subscribed", async () => {
    const feed = new EvaluationFeed();
    const abort = new AbortController();
    const watch = feed.watch("", abort.signal);
    const first = watch.next();
    await settle();
    feed.record("ns/a", evaluation(5));
    expect(shown([(await first).value as FeedEntry])).toEqual([["ns/a", false, 5]]);
    abort.abort();
  });

  it("filters by strategy_ref, initial and live", async () => {
    const feed = new EvaluationFeed();
    feed.record("ns/a", evaluation(1));
    feed.record("ns/b", evaluation(2));
    const abort = new AbortController();
    const watch = feed.watch("ns/b", abort.signal);
    expect(shown(await take(watch, 1))).toEqual([["ns/b", true, 2]]);
    const next = watch.next();
    feed.record("ns/a", evaluation(3));
    feed.record("ns/bb", evaluation(4));
    expect(await settled(next)).toBe(false);
    feed.record("ns/b", evaluation(5));
    expect(shown([(await next).value as FeedEntry])).toEqual([["ns/b", false, 5]]);
    abort.abort();
  });

  it("keeps only the latest evaluation per strategy pending for a slow subscriber, in completion order", async () => {
    const metrics = createStrategyMetrics(createMetrics({ service: "strategy-test", defaultMetrics: false }));
    const feed = new EvaluationFeed({ metrics });
    feed.record("ns/x", evaluation(0));
    const abort = new AbortController();
    const slow = feed.watch("", abort.signal);
    const fast = feed.watch("", abort.signal);
    await take(slow, 1);
    await take(fast, 1);
    const fastSeen: FeedEntry[] = [];
    const reading = (async () => {
      for (let i = 0; i < 4; i++) fastSeen.push(...(await take(fast, 1)));
    })();
    for (const [ref, minute] of [["ns/a", 1], ["ns/b", 2], ["ns/a", 3], ["ns/a", 4]] as const) {
      feed.record(ref, evaluation(minute));
      await settle(); // the fast subscriber reads between evaluations
    }
    await reading;
    expect(shown(fastSeen)).toEqual([["ns/a", false, 1], ["ns/b", false, 2], ["ns/a", false, 3], ["ns/a", false, 4]]);
    // The slow one did not read meanwhile: a1 and a3 were replaced; b2 stays before a4.
    expect(shown(await take(slow, 2))).toEqual([["ns/b", false, 2], ["ns/a", false, 4]]);
    expect(await settled(slow.next())).toBe(false);
    expect((await metrics.evaluationFeedSkipped.get()).values.find((v) => v.labels.reason === "replaced")?.value).toBe(2);
    abort.abort();
  });

  it("remembers at most maxStrategies, forgetting the least recently evaluated", async () => {
    const feed = new EvaluationFeed({ maxStrategies: 3 });
    for (const [ref, minute] of [["ns/a", 1], ["ns/b", 2], ["ns/c", 3], ["ns/a", 4], ["ns/d", 5]] as const) feed.record(ref, evaluation(minute));
    // a was evaluated again before d arrived, so b (least recent) went.
    expect(feed.size).toBe(3);
    expect(feed.latest("ns/b")).toBeUndefined();
    const abort = new AbortController();
    expect(shown(await take(feed.watch("", abort.signal), 3))).toEqual([["ns/c", true, 3], ["ns/a", true, 4], ["ns/d", true, 5]]);
    abort.abort();
  });

  it("bounds a stalled subscriber's pending strategies by the same cap, dropping the oldest", async () => {
    const metrics = createStrategyMetrics(createMetrics({ service: "strategy-test", defaultMetrics: false }));
    const feed = new EvaluationFeed({ maxStrategies: 2, metrics });
    const abort = new AbortController();
    const stalled = feed.watch("", abort.signal);
    const first = stalled.next(); // subscribed, then never read while evaluations pile up
    await settle();
    feed.record("ns/a", evaluation(1));
    for (const [ref, minute] of [["ns/b", 2], ["ns/c", 3], ["ns/d", 4]] as const) feed.record(ref, evaluation(minute));
    expect(shown([(await first).value as FeedEntry])).toEqual([["ns/c", false, 3]]);
    expect(shown(await take(stalled, 1))).toEqual([["ns/d", false, 4]]);
    expect((await metrics.evaluationFeedSkipped.get()).values.find((v) => v.labels.reason === "overflow")?.value).toBe(2);
    abort.abort();
  });

  it("unsubscribes as soon as the signal aborts, even while the subscriber is not reading", async () => {
    const metrics = createStrategyMetrics(createMetrics({ service: "strategy-test", defaultMetrics: false }));
    const feed = new EvaluationFeed({ metrics });
    feed.record("ns/a", evaluation(1));
    const abort = new AbortController();
    const watch = feed.watch("", abort.signal);
    await take(watch, 1);
    const waiting = feed.watch("ns/other", abort.signal); // nothing for it: waits
    const pending = waiting.next();
    await settle();
    expect(feed.watchers).toBe(2);
    expect((await metrics.evaluationWatchers.get()).values[0]?.value).toBe(2);

    abort.abort(); // `watch` sits after a yield, nobody calls next() on it again
    expect(feed.watchers).toBe(0);
    expect((await metrics.evaluationWatchers.get()).values[0]?.value).toBe(0);
    expect(await pending).toEqual({ value: undefined, done: true });
    feed.record("ns/a", evaluation(2));
    expect(await watch.next()).toEqual({ value: undefined, done: true });
  });

  it("does not subscribe with a signal that has already aborted", async () => {
    const feed = new EvaluationFeed();
    feed.record("ns/a", evaluation(1));
    expect(await feed.watch("", AbortSignal.abort()).next()).toEqual({ value: undefined, done: true });
    expect(feed.watchers).toBe(0);
  });
});
