/** How one task ended, tagged with its position. */
export type Settled<T> =
  | { readonly index: number; readonly ok: true; readonly value: T }
  | { readonly index: number; readonly ok: false; readonly error: unknown };

/**
 * Runs `count` tasks with at most `concurrency` in flight and yields each as it settles, in
 * completion order. A failing task is yielded as `ok: false`; the others go on. Every task gets
 * one signal that aborts when `signal` does or when the consumer stops iterating (return /
 * throw), so outstanding work stops with the caller. After `signal` aborts, no task is started
 * and iteration ends by throwing the signal's reason.
 */
export async function* inCompletionOrder<T>(
  count: number,
  concurrency: number,
  run: (index: number, signal: AbortSignal) => Promise<T>,
  signal: AbortSignal,
): AsyncGenerator<Settled<T>, void, undefined> {
  const limit = Math.max(1, Math.floor(concurrency));
  const stop = new AbortController();
  const forward = (): void => { stop.abort(signal.reason); };
  signal.addEventListener("abort", forward, { once: true });
  const inFlight = new Map<number, Promise<Settled<T>>>();
  let next = 0;
  const launch = (): void => {
    while (inFlight.size < limit && next < count && !stop.signal.aborted) {
      const index = next++;
      const settled = Promise.resolve()
        .then(() => run(index, stop.signal))
        .then(
          (value): Settled<T> => ({ index, ok: true, value }),
          (error: unknown): Settled<T> => ({ index, ok: false, error }),
        );
      inFlight.set(index, settled);
    }
  };
  try {
    launch();
    while (inFlight.size > 0) {
      const done = await Promise.race(inFlight.values());
      inFlight.delete(done.index);
      signal.throwIfAborted();
      yield done;
      launch();
    }
    signal.throwIfAborted();
  } finally {
    signal.removeEventListener("abort", forward);
    // Consumer gone or call cancelled: tell every task still running to stop.
    stop.abort(signal.aborted ? signal.reason : new Error("scan stream closed"));
  }
}
