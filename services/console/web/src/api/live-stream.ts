/**
 * A server stream that stays open: it reconnects with capped exponential backoff when the
 * console or a service behind it goes away, and tells the UI whether what it shows is live.
 * Streams never end on their own, so a normal end is retried like an error.
 */
import { Code, ConnectError } from "@connectrpc/connect";

export type StreamStatus = "connecting" | "live" | "retrying";

/** How long a call must stay open without an error, before its first message, to count as live. */
export const OPEN_GRACE_MS = 1_500;

export interface StreamState {
  readonly status: StreamStatus;
  /** When the status was entered, ms since epoch. */
  readonly since: number;
  /** The last failure, e.g. "unavailable: gateway unreachable at …". */
  readonly error?: string;
  readonly code?: Code;
  /** When the last message arrived; data older than the last disconnect is stale. */
  readonly lastMessageAt?: number;
  /** When the next attempt starts, while retrying. */
  readonly retryAt?: number;
  /** Failed attempts in a row. */
  readonly attempt: number;
}

export interface LiveStreamOptions<T> {
  /**
   * Starts the call; pass `opened` as the call's `onHeader` option: a stream whose server has
   * nothing to say yet (no evaluations so far) is live once its response headers arrive.
   */
  readonly open: (signal: AbortSignal, opened: () => void) => AsyncIterable<T>;
  readonly onMessage: (message: T) => void;
  readonly onState: (state: StreamState) => void;
  /** Called when a new attempt starts, before its first message (views reset partial state). */
  readonly onReconnect?: () => void;
  readonly now?: () => number;
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
}

export const describeError = (error: unknown): { message: string; code?: Code } => {
  if (error instanceof ConnectError) return { message: `${Code[error.code]}: ${error.rawMessage}`, code: error.code };
  return { message: error instanceof Error ? error.message : String(error) };
};

export class LiveStream<T> {
  readonly #options: LiveStreamOptions<T>;
  readonly #now: () => number;
  #abort: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #state: StreamState;
  #stopped = false;

  constructor(options: LiveStreamOptions<T>) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#state = { status: "connecting", since: this.#now(), attempt: 0 };
  }

  get state(): StreamState {
    return this.#state;
  }

  start(): void {
    this.#stopped = false;
    void this.#run();
  }

  /** Skips the wait of a retrying stream. */
  retryNow(): void {
    if (this.#state.status !== "retrying" || this.#stopped) return;
    clearTimeout(this.#timer);
    void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#abort?.abort();
  }

  async #run(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    if (this.#state.status !== "retrying") this.#setState({ ...this.#state, status: "connecting", since: this.#now() });
    this.#options.onReconnect?.();
    // Headers alone also arrive with an error that ends the call at once (a proxied service that
    // is down), so an open call counts as live only once it has stayed open for a moment.
    let openTimer: ReturnType<typeof setTimeout> | undefined;
    const opened = () => {
      clearTimeout(openTimer);
      openTimer = setTimeout(() => {
        if (abort.signal.aborted || this.#state.status === "live") return;
        const at = this.#now();
        this.#setState({ status: "live", since: at, lastMessageAt: at, attempt: 0 });
      }, OPEN_GRACE_MS);
    };
    try {
      for await (const message of this.#options.open(abort.signal, opened)) {
        clearTimeout(openTimer);
        if (abort.signal.aborted) return;
        const at = this.#now();
        if (this.#state.status !== "live") {
          this.#setState({ status: "live", since: at, lastMessageAt: at, attempt: 0 });
        } else {
          this.#state = { ...this.#state, lastMessageAt: at };
        }
        this.#options.onMessage(message);
      }
      clearTimeout(openTimer);
      if (abort.signal.aborted || this.#stopped) return;
      this.#retry({ message: "the stream ended; reconnecting" });
    } catch (error) {
      clearTimeout(openTimer);
      if (abort.signal.aborted || this.#stopped) return;
      this.#retry(describeError(error));
    }
  }

  #retry(failure: { message: string; code?: Code }): void {
    const attempt = this.#state.attempt + 1;
    const min = this.#options.minDelayMs ?? 500;
    const max = this.#options.maxDelayMs ?? 10_000;
    const delay = Math.min(max, min * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
    const at = this.#now();
    this.#setState({
      status: "retrying",
      since: this.#state.status === "retrying" ? this.#state.since : at,
      error: failure.message,
      ...(failure.code === undefined ? {} : { code: failure.code }),
      ...(this.#state.lastMessageAt === undefined ? {} : { lastMessageAt: this.#state.lastMessageAt }),
      retryAt: at + delay,
      attempt,
    });
    this.#timer = setTimeout(() => { void this.#run(); }, delay);
  }

  #setState(state: StreamState): void {
    this.#state = state;
    this.#options.onState(state);
  }
}
