import type { Clock } from "./clock.js";

/** Reconnect delays of a {@link StreamFollower}: `baseDelayMs` doubling per failure up to `maxDelayMs`. */
export interface StreamBackoff {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface StreamFollowerOptions<T> {
  /** Starts one call of the server stream (e.g. `client.streamSpreadEvents({}, { signal })`). */
  readonly open: (signal: AbortSignal) => AsyncIterable<T>;
  /** Each message; it must not throw (a throw ends that call and counts as a failure). */
  readonly onMessage: (message: T) => void;
  /** A call that failed (not one stopped by {@link StreamFollower.stop}); the follower reconnects after it. */
  readonly onFailure?: (error: unknown) => void;
  readonly clock: Pick<Clock, "sleep">;
  /** Default 1 s doubling to 30 s; the first message of a call resets it. */
  readonly backoff?: StreamBackoff;
}

/**
 * Keeps one long-lived server stream open for as long as it runs: a call that fails, or that the
 * server ends (a restart, a drain), is opened again after a backoff. Never throws; `stop` ends
 * the current call and waits for the loop to finish.
 */
export class StreamFollower<T> {
  readonly #options: StreamFollowerOptions<T>;
  readonly #backoff: StreamBackoff;
  #abort: AbortController | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: StreamFollowerOptions<T>) {
    this.#options = options;
    this.#backoff = options.backoff ?? { baseDelayMs: 1_000, maxDelayMs: 30_000 };
  }

  start(): void {
    if (this.#abort !== undefined) return;
    this.#abort = new AbortController();
    this.#loop = this.#run(this.#abort.signal);
  }

  async stop(): Promise<void> {
    this.#abort?.abort();
    await this.#loop;
    this.#abort = undefined;
    this.#loop = undefined;
  }

  async #run(signal: AbortSignal): Promise<void> {
    // A function, not the property: the compiler would narrow `signal.aborted` to false in the loop.
    const aborted = (): boolean => signal.aborted;
    let failures = 0;
    while (!aborted()) {
      try {
        for await (const message of this.#options.open(signal)) {
          failures = 0;
          this.#options.onMessage(message);
        }
      } catch (error) {
        if (aborted()) return;
        this.#options.onFailure?.(error);
      }
      if (aborted()) return;
      const delay = Math.min(this.#backoff.maxDelayMs, this.#backoff.baseDelayMs * 2 ** Math.min(failures, 30));
      failures++;
      await this.#options.clock.sleep(delay, signal).catch(() => undefined);
    }
  }
}
