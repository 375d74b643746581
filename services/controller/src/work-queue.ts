import type { CancelTimer, Clock } from "@spreadops/runtime";

/** Per-key capped exponential backoff of {@link WorkQueue.addRateLimited}. */
export interface RateLimit {
  /** Delay of the first retry; doubles with each further failure. */
  readonly baseDelayMs: number;
  /** Cap of the delay. */
  readonly maxDelayMs: number;
}

/** Default backoff: 1 s, 2 s, 4 s … capped at 5 minutes (a broker outage should not be hammered). */
export const DEFAULT_RATE_LIMIT: RateLimit = { baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

/** What a queue reports, for metrics. */
export interface WorkQueueObserver {
  /** Keys waiting to be processed (not counting delayed ones), after every change. */
  depth?(depth: number): void;
  /** How long a key waited between being added and being handed to a worker. */
  latency?(ms: number): void;
  /** A key was re-queued with backoff. */
  retry?(): void;
}

/** Options for {@link WorkQueue}. */
export interface WorkQueueOptions {
  readonly clock: Pick<Clock, "now" | "setTimer">;
  readonly rateLimit?: RateLimit;
  readonly observer?: WorkQueueObserver;
}

/**
 * A work queue with client-go's semantics: a key is queued at most once however often it is
 * added; a key being processed is never handed to a second worker, and if it was added meanwhile
 * it is queued again when the first worker calls {@link done}; delayed adds keep the earliest
 * time; failed keys come back with per-key exponential backoff until {@link forget}.
 */
export class WorkQueue {
  readonly #clock: Pick<Clock, "now" | "setTimer">;
  readonly #rateLimit: RateLimit;
  readonly #observer: WorkQueueObserver;
  readonly #queue: string[] = [];
  /** Keys that need processing: queued, or added while being processed. */
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #addedAt = new Map<string, number>();
  readonly #waiting = new Map<string, { readonly at: number; readonly cancel: CancelTimer }>();
  readonly #failures = new Map<string, number>();
  readonly #getters: ((key: string | undefined) => void)[] = [];
  #shuttingDown = false;

  constructor(options: WorkQueueOptions) {
    this.#clock = options.clock;
    this.#rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    this.#observer = options.observer ?? {};
  }

  /** Marks `key` for processing. */
  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    this.#addedAt.set(key, this.#clock.now());
    if (this.#processing.has(key)) return;
    this.#enqueue(key);
  }

  /** Adds `key` after `delayMs`; an earlier pending delayed add of the same key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = this.#clock.now() + delayMs;
    const pending = this.#waiting.get(key);
    if (pending !== undefined) {
      if (pending.at <= at) return;
      pending.cancel();
    }
    const cancel = this.#clock.setTimer(delayMs, () => {
      this.#waiting.delete(key);
      this.add(key);
    });
    this.#waiting.set(key, { at, cancel });
  }

  /** Adds `key` after its backoff: base × 2^(failures so far), capped. */
  addRateLimited(key: string): void {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    this.#observer.retry?.();
    this.addAfter(key, this.backoffMs(failures));
  }

  /** The delay of the retry after `failures` earlier failures. */
  backoffMs(failures: number): number {
    return Math.min(this.#rateLimit.maxDelayMs, this.#rateLimit.baseDelayMs * 2 ** Math.min(failures, 40));
  }

  /** Clears the backoff of `key` (after a success). */
  forget(key: string): void {
    this.#failures.delete(key);
  }

  /** Failures counted for `key` since its last {@link forget}. */
  numRequeues(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** The next key to process, or `undefined` once the queue shuts down. Call {@link done} after. */
  get(): Promise<string | undefined> {
    const key = this.#queue.shift();
    if (key !== undefined) {
      this.#observer.depth?.(this.#queue.length);
      return Promise.resolve(this.#handOut(key));
    }
    if (this.#shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  /** Ends the processing of `key`; if it was added meanwhile, it is queued again. */
  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key) && !this.#shuttingDown) this.#enqueue(key);
  }

  /** Keys queued now (not delayed, not being processed). */
  len(): number {
    return this.#queue.length;
  }

  /** Keys with a delayed add pending. */
  delayed(): number {
    return this.#waiting.size;
  }

  /** Whether `key` is being processed. */
  isProcessing(key: string): boolean {
    return this.#processing.has(key);
  }

  /** Stops handing out keys: waiting `get`s resolve `undefined`, delayed adds are dropped. */
  shutdown(): void {
    this.#shuttingDown = true;
    for (const { cancel } of this.#waiting.values()) cancel();
    this.#waiting.clear();
    this.#queue.length = 0;
    this.#observer.depth?.(0);
    for (const resolve of this.#getters.splice(0)) resolve(undefined);
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  #enqueue(key: string): void {
    const getter = this.#getters.shift();
    if (getter !== undefined) {
      getter(this.#handOut(key));
      return;
    }
    this.#queue.push(key);
    this.#observer.depth?.(this.#queue.length);
  }

  #handOut(key: string): string {
    this.#dirty.delete(key);
    this.#processing.add(key);
    const addedAt = this.#addedAt.get(key);
    this.#addedAt.delete(key);
    if (addedAt !== undefined) this.#observer.latency?.(this.#clock.now() - addedAt);
    return key;
  }
}
