import { Code, ConnectError } from "@connectrpc/connect";

/** Options for {@link Subscription}. */
export interface SubscriptionOptions {
  /** Items that may wait for a slow reader; one more ends the subscription. Default 10,000. */
  readonly maxQueued?: number;
  /** Ends the subscription quietly when aborted (the caller went away). */
  readonly signal?: AbortSignal;
  /** Called once when the subscription ends, for any reason. */
  readonly onClose?: () => void;
}

/**
 * One subscriber of a fan-out: producers `push` (never blocking, never awaiting the reader), the
 * stream handler iterates. A reader that falls `maxQueued` items behind is cut off with
 * Unavailable, so one stalled browser never makes the console hold an unbounded backlog; it
 * reconnects and starts again from a snapshot.
 */
export class Subscription<T> implements AsyncIterable<T> {
  readonly #maxQueued: number;
  readonly #onClose: (() => void) | undefined;
  readonly #queue: T[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #error: Error | undefined;
  #closed = false;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort = (): void => {
    this.end();
  };

  constructor(options: SubscriptionOptions = {}) {
    this.#maxQueued = options.maxQueued ?? 10_000;
    this.#onClose = options.onClose;
    this.#signal = options.signal;
    if (this.#signal?.aborted === true) this.end();
    else this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** True once ended or failed: pushes are dropped. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Queues an item for the reader; dropped after the end. */
  push(item: T): void {
    if (this.#ended) return;
    if (this.#queue.length >= this.#maxQueued) {
      this.fail(new ConnectError(`the stream fell more than ${this.#maxQueued} messages behind; reconnect to start from a fresh snapshot`, Code.Unavailable));
      return;
    }
    this.#queue.push(item);
    this.#notify();
  }

  /** Ends the stream after the queued items. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#notify();
    this.#finish();
  }

  /** Ends the stream with `error` (queued items are dropped: the reader must start over anyway). */
  fail(error: Error): void {
    if (this.#ended) return;
    this.#error = error;
    this.#queue.length = 0;
    this.end();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    try {
      for (;;) {
        const item = this.#queue.shift();
        if (item !== undefined) {
          yield item;
          continue;
        }
        if (this.#ended) {
          if (this.#error !== undefined) throw this.#error;
          return;
        }
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
      }
    } finally {
      // The reader stopped (returned, threw, or was cancelled): nothing more is wanted.
      this.end();
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#signal?.removeEventListener("abort", this.#onAbort);
    this.#onClose?.();
  }
}
