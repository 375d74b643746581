import type { Clock, Logger } from "@spreadops/runtime";
import type { ExecutionPort } from "./ports.js";
import type { RateLimit } from "./work-queue.js";

export interface SpreadEventFollowerDeps {
  readonly execution: Pick<ExecutionPort, "streamSpreadEvents">;
  /** The Trade key of a trade id (uid), if the Trade is known. */
  readonly keyOf: (tradeId: string) => string | undefined;
  readonly enqueue: (key: string) => void;
  readonly clock: Pick<Clock, "now" | "sleep">;
  readonly logger: Logger;
  /** Between reconnects; default 1 s doubling to 30 s. */
  readonly backoff?: RateLimit;
}

/**
 * Follows ExecutionService.StreamSpreadEvents and enqueues the Trade whose spread changed, so a
 * fill shows in the Trade's status at once rather than at the next poll. The stream is only a
 * trigger: the reconcile reads the truth with GetSpread. Reconnects with backoff; never throws.
 */
export class SpreadEventFollower {
  readonly #deps: SpreadEventFollowerDeps;
  readonly #backoff: RateLimit;
  #abort: AbortController | undefined;
  #loop: Promise<void> | undefined;

  constructor(deps: SpreadEventFollowerDeps) {
    this.#deps = deps;
    this.#backoff = deps.backoff ?? { baseDelayMs: 1_000, maxDelayMs: 30_000 };
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
        for await (const event of this.#deps.execution.streamSpreadEvents({}, { signal })) {
          failures = 0;
          const key = this.#deps.keyOf(event.tradeId);
          if (key !== undefined) this.#deps.enqueue(key);
        }
      } catch (error) {
        if (aborted()) return;
        this.#deps.logger.warn({ err: error }, "spread event stream failed: reconnecting");
      }
      if (aborted()) return;
      const delay = Math.min(this.#backoff.maxDelayMs, this.#backoff.baseDelayMs * 2 ** Math.min(failures, 30));
      failures++;
      await this.#deps.clock.sleep(delay, signal);
    }
  }
}
