import { describe, expect, it } from "vitest";
import { inCompletionOrder } from "./completion-order.js";

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => { clearTimeout(t); reject(new Error("aborted")); }, { once: true });
  });

describe("inCompletionOrder", () => {
  it("yields in completion order with at most `concurrency` in flight; failures do not stop the rest", async () => {
    const delays = [100, 10, 30, 5, 20];
    let inFlight = 0;
    let maxInFlight = 0;
    const order: number[] = [];
    const failures: number[] = [];
    const run = async (i: number, signal: AbortSignal) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await sleep(delays[i] ?? 0, signal);
        if (i === 2) throw new Error("boom");
        return i * 10;
      } finally {
        inFlight--;
      }
    };
    for await (const s of inCompletionOrder(delays.length, 2, run, new AbortController().signal)) {
      order.push(s.index);
      if (!s.ok) failures.push(s.index);
      else expect(s.value).toBe(s.index * 10);
    }
    expect(maxInFlight).toBe(2);
    // 1 ends at 10 ms, 2 (started then) at 40, 3 at 45, 4 at 65, the slow first one at 100.
    expect(order).toEqual([1, 2, 3, 4, 0]);
    expect(failures).toEqual([2]);
  });

  it("stops outstanding work when the caller aborts, and throws the reason", async () => {
    const abort = new AbortController();
    const aborted: number[] = [];
    let started = 0;
    const run = async (i: number, signal: AbortSignal) => {
      started++;
      try {
        await sleep(i === 0 ? 5 : 10_000, signal);
      } catch (e) {
        aborted.push(i);
        throw e;
      }
      return i;
    };
    const seen: number[] = [];
    await expect(async () => {
      for await (const s of inCompletionOrder(10, 3, run, abort.signal)) {
        seen.push(s.index);
        abort.abort(new Error("client went away"));
      }
    }).rejects.toThrow("client went away");
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([0]);
    expect(started).toBe(3); // 3 at first; none started after the abort
    expect(aborted.sort()).toEqual([1, 2]);
  });

  it("aborts in-flight tasks when the consumer stops iterating", async () => {
    const aborted: number[] = [];
    const run = async (i: number, signal: AbortSignal) => {
      try {
        await sleep(i === 0 ? 1 : 10_000, signal);
      } catch (e) {
        aborted.push(i);
        throw e;
      }
      return i;
    };
    for await (const s of inCompletionOrder(4, 4, run, new AbortController().signal)) {
      expect(s.index).toBe(0);
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(aborted.sort()).toEqual([1, 2, 3]);
  });
});
