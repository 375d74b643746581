import { describe, expect, it } from "vitest";
import { StreamFollower } from "./stream-follower.js";

/** A clock that records each requested delay and returns at once (the backoff schedule is the subject). */
function recordingClock(): { sleep: (ms: number, signal?: AbortSignal) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: (ms) => { delays.push(ms); return new Promise((resolve) => setImmediate(resolve)); } };
}

describe("StreamFollower", () => {
  it("reopens a failing stream with doubling delays up to the cap, and a message resets them", async () => {
    const clock = recordingClock();
    const received: number[] = [];
    const failures: string[] = [];
    let calls = 0;
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => { done = resolve; });
    const follower = new StreamFollower<number>({
      clock,
      backoff: { baseDelayMs: 100, maxDelayMs: 500 },
      open: async function* (signal) {
        calls++;
        if (calls === 5) { yield 1; yield 2; throw new Error("reset by peer"); }
        // The seventh call stays open until stop() aborts it, as a Connect call does.
        if (calls === 7) { done(); await new Promise((resolve) => { signal.addEventListener("abort", resolve); }); throw new Error("aborted"); }
        throw new Error(`refused ${calls}`);
      },
      onMessage: (m) => { received.push(m); },
      onFailure: (error) => { failures.push((error as Error).message); },
    });
    follower.start();
    await finished;
    await follower.stop();
    // 100, 200, 400, 500 (capped); after messages the next failure starts again at 100.
    expect(clock.delays).toEqual([100, 200, 400, 500, 100, 200]);
    expect(received).toEqual([1, 2]);
    expect(failures).toEqual(["refused 1", "refused 2", "refused 3", "refused 4", "reset by peer", "refused 6"]);
  });

  it("reconnects when the server ends the stream, and stop ends the open call without reporting it", async () => {
    const clock = recordingClock();
    const failures: unknown[] = [];
    let calls = 0;
    let open: () => void = () => undefined;
    const secondOpen = new Promise<void>((resolve) => { open = resolve; });
    let sawAbort = false;
    const follower = new StreamFollower<string>({
      clock,
      open: async function* (signal) {
        calls++;
        if (calls === 1) { yield "a"; return; }
        open();
        await new Promise<void>((resolve) => { signal.addEventListener("abort", () => { sawAbort = true; resolve(); }); });
        throw new Error("aborted by the caller");
      },
      onMessage: () => undefined,
      onFailure: (error) => { failures.push(error); },
    });
    follower.start();
    await secondOpen;
    await follower.stop();
    expect(calls).toBe(2);
    expect(sawAbort).toBe(true);
    expect(failures).toEqual([]);
    expect(clock.delays).toEqual([1_000]);
  });
});
