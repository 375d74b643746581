import type { CancelTimer, Clock } from "../scheduler/clock.js";

/**
 * Ticks for a periodic server stream: one at once, then one `intervalMs` after the consumer took
 * the previous one, until `signal` aborts. The delay starts when the consumer asks for the next
 * tick, so a slow client gets fewer messages instead of a backlog. At most one timer is pending,
 * and it is cancelled the moment `signal` aborts, so an ended stream leaves nothing behind.
 */
export async function* intervalTicks(timers: Pick<Clock, "setTimer">, intervalMs: number, signal: AbortSignal): AsyncGenerator<number, void, undefined> {
  for (let tick = 0; !signal.aborted; tick++) {
    yield tick;
    await delay(timers, intervalMs, signal);
  }
}

/** Resolves after `ms` or as soon as `signal` aborts (never rejects), cancelling the timer either way. */
function delay(timers: Pick<Clock, "setTimer">, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    // Clock timers never fire synchronously, so `cancel` is set before either callback can run.
    const onAbort = (): void => {
      cancel();
      resolve();
    };
    const cancel: CancelTimer = timers.setTimer(ms, () => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
