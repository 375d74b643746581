import type { Clock, Logger } from "@spreadops/runtime";
import { StreamFollower } from "@spreadops/runtime";
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
  readonly #stream: StreamFollower<{ readonly tradeId: string }>;

  constructor(deps: SpreadEventFollowerDeps) {
    this.#stream = new StreamFollower({
      open: (signal) => deps.execution.streamSpreadEvents({}, { signal }),
      onMessage: (event) => {
        const key = deps.keyOf(event.tradeId);
        if (key !== undefined) deps.enqueue(key);
      },
      onFailure: (error) => { deps.logger.warn({ err: error }, "spread event stream failed: reconnecting"); },
      clock: deps.clock,
      ...(deps.backoff === undefined ? {} : { backoff: deps.backoff }),
    });
  }

  start(): void {
    this.#stream.start();
  }

  stop(): Promise<void> {
    return this.#stream.stop();
  }
}
