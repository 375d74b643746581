import { setMaxListeners } from "node:events";
import type { Clock, Logger } from "@spreadops/runtime";
import type { WorkQueue } from "./work-queue.js";

/** What a reconcile asks for after a success. */
export interface ReconcileResult {
  /** Reconcile this key again after this long (schedules, polling); unset = only on changes. */
  readonly requeueAfterMs?: number;
}

/**
 * Brings the object under `key` toward its spec, reading from the synced cache. Throwing means
 * "retry with backoff"; `signal` aborts when the loop stops (leadership lost, shutdown).
 */
export type Reconcile = (key: string, signal: AbortSignal) => Promise<ReconcileResult | undefined>;

/** How one reconcile ended, for metrics. */
export type ReconcileOutcome = "success" | "requeue" | "error";

/** Options for {@link ControllerLoop}. */
export interface ControllerLoopOptions {
  /** The kind reconciled, for logs. */
  readonly name: string;
  readonly queue: WorkQueue;
  readonly reconcile: Reconcile;
  /** Concurrent workers; the queue still never runs one key twice at once. */
  readonly workers: number;
  readonly logger: Logger;
  readonly clock: Pick<Clock, "now">;
  readonly observe?: (outcome: ReconcileOutcome, durationMs: number) => void;
}

/**
 * Workers popping keys off a queue: a success forgets the key's backoff (and schedules the
 * requeue it asked for), a failure re-adds it rate-limited. Never lets an error escape.
 */
export class ControllerLoop {
  readonly #options: ControllerLoopOptions;
  readonly #abort = new AbortController();
  #workers: Promise<void>[] = [];

  constructor(options: ControllerLoopOptions) {
    this.#options = options;
    // Every reconcile in flight, and each RPC it makes, listens on this one signal: with several
    // workers that is more than Node's default warning threshold of 10 without being a leak.
    setMaxListeners(Math.max(10, options.workers * 16), this.#abort.signal);
  }

  /** Starts the workers. */
  start(): void {
    if (this.#workers.length > 0) return;
    for (let i = 0; i < Math.max(1, this.#options.workers); i++) this.#workers.push(this.#work());
  }

  /** Shuts the queue down and waits for the reconciles in flight to finish. */
  async stop(): Promise<void> {
    this.#abort.abort(new Error(`${this.#options.name} controller stopping`));
    this.#options.queue.shutdown();
    await Promise.all(this.#workers);
  }

  async #work(): Promise<void> {
    for (;;) {
      const key = await this.#options.queue.get();
      if (key === undefined) return;
      await this.#process(key);
    }
  }

  async #process(key: string): Promise<void> {
    const { queue, reconcile, logger, clock, name } = this.#options;
    const started = clock.now();
    try {
      const result = await reconcile(key, this.#abort.signal);
      queue.forget(key);
      const after = result?.requeueAfterMs;
      if (after !== undefined) queue.addAfter(key, after);
      this.#options.observe?.(after === undefined ? "success" : "requeue", clock.now() - started);
    } catch (error) {
      this.#options.observe?.("error", clock.now() - started);
      if (!this.#abort.signal.aborted) {
        logger.warn({ kind: name, key, err: error, retries: queue.numRequeues(key) }, "reconcile failed: retrying with backoff");
        queue.addRateLimited(key);
      }
    } finally {
      queue.done(key);
    }
  }
}
