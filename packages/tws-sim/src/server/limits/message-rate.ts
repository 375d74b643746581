/**
 * Per-connection client message rate, as TWS enforces it (error 100 past 50 messages/s).
 *
 * @packageDocumentation
 */

/** Length of the sliding window. */
const WINDOW_MS = 1_000;
/** Initial ring capacity (distinct timestamps); it grows by doubling when needed. */
const INITIAL_CAPACITY = 64;

/** Options for {@link MessageRateLimiter}. */
export interface MessageRateLimiterOptions {
  /** Messages allowed in any one-second window (TWS: 50). */
  readonly maxPerSecond: number;
  /** The N-th violation of a connection returns `"disconnect"`; 0 = never disconnect. */
  readonly disconnectAfterViolations: number;
}

/**
 * What to do with one client message:
 * - `ok`: nothing (the message is within the limit, or its burst was already reported);
 * - `violation`: send error 100 (the message is still processed, as TWS does);
 * - `disconnect`: this violation is the N-th; send error 100 and close the connection.
 */
export type RateVerdict = "ok" | "violation" | "disconnect";

/**
 * Counts one connection's client messages in a **sliding** one-second window: the window of a
 * message at `t` is `(t − 1000 ms, t]`, so a burst straddling a second boundary (26 at 0.6 s,
 * 25 at 1.2 s) is seen as 51 in one second. A fixed per-second bucket would miss it, and the
 * gateway promises "never more than 50 in any one-second window", which only a sliding window
 * can check.
 *
 * A violation is reported once per offending burst: when a message takes the window past
 * `maxPerSecond`, unless a violation was already reported less than one second earlier. So a
 * client that keeps flooding gets one error 100 per second, not one per message.
 *
 * Violations count for the connection's whole life (no decay): with `disconnectAfterViolations`
 * N > 0, the N-th violation, and every one after it, returns `"disconnect"`.
 *
 * Time should be a monotonic real clock (`performance.now()`), not simulated time: pacing is
 * about the socket. A timestamp earlier than the previous one is treated as equal to it.
 *
 * Cost: O(1) amortised per message. Messages with the same millisecond share one ring entry, so
 * with integer timestamps the ring never holds more than 1,000 entries whatever the rate.
 */
export class MessageRateLimiter {
  readonly #max: number;
  readonly #disconnectAfter: number;
  // Ring of (timestamp, count) entries, oldest at #head, all within the current window.
  #times = new Float64Array(INITIAL_CAPACITY);
  #counts = new Uint32Array(INITIAL_CAPACITY);
  #head = 0;
  #size = 0;
  /** Messages in the window, i.e. the sum of the ring's counts. */
  #inWindow = 0;
  #last = Number.NEGATIVE_INFINITY;
  #peak = 0;
  #violations = 0;
  #lastViolationAt = Number.NEGATIVE_INFINITY;

  /** @throws RangeError on a non-positive `maxPerSecond` or a negative `disconnectAfterViolations`. */
  constructor(opts: MessageRateLimiterOptions) {
    if (!Number.isInteger(opts.maxPerSecond) || opts.maxPerSecond < 1) {
      throw new RangeError(`maxPerSecond must be a positive integer, got ${opts.maxPerSecond}`);
    }
    if (!Number.isInteger(opts.disconnectAfterViolations) || opts.disconnectAfterViolations < 0) {
      throw new RangeError(
        `disconnectAfterViolations must be a non-negative integer, got ${opts.disconnectAfterViolations}`,
      );
    }
    this.#max = opts.maxPerSecond;
    this.#disconnectAfter = opts.disconnectAfterViolations;
  }

  /** The highest number of messages seen in any one-second window (exact). */
  get peakPerSecond(): number {
    return this.#peak;
  }

  /** Violations reported so far on this connection. */
  get violations(): number {
    return this.#violations;
  }

  /** Messages in the one-second window ending at the last message. */
  get inWindow(): number {
    return this.#inWindow;
  }

  /** Records one client message received at `nowMs` and says what the server should do. */
  onMessage(nowMs: number): RateVerdict {
    const now = nowMs > this.#last ? nowMs : this.#last;
    this.#evictBefore(now - WINDOW_MS);
    this.#push(now);
    // The count only grows when a message arrives, so its maximum over arrivals is the maximum
    // over every window.
    if (this.#inWindow > this.#peak) this.#peak = this.#inWindow;
    if (this.#inWindow <= this.#max || now - this.#lastViolationAt < WINDOW_MS) return "ok";
    this.#lastViolationAt = now;
    this.#violations += 1;
    return this.#disconnectAfter > 0 && this.#violations >= this.#disconnectAfter ? "disconnect" : "violation";
  }

  /** Drops entries at or before `cutoff` (they are outside `(cutoff, now]`). */
  #evictBefore(cutoff: number): void {
    const capacity = this.#times.length;
    while (this.#size > 0 && (this.#times[this.#head] ?? 0) <= cutoff) {
      this.#inWindow -= this.#counts[this.#head] ?? 0;
      this.#head = (this.#head + 1) % capacity;
      this.#size -= 1;
    }
  }

  #push(now: number): void {
    this.#last = now;
    this.#inWindow += 1;
    if (this.#size > 0) {
      const tail = (this.#head + this.#size - 1) % this.#times.length;
      if (this.#times[tail] === now) {
        this.#counts[tail] = (this.#counts[tail] ?? 0) + 1;
        return;
      }
    }
    if (this.#size === this.#times.length) this.#grow();
    const slot = (this.#head + this.#size) % this.#times.length;
    this.#times[slot] = now;
    this.#counts[slot] = 1;
    this.#size += 1;
  }

  #grow(): void {
    const capacity = this.#times.length;
    const times = new Float64Array(capacity * 2);
    const counts = new Uint32Array(capacity * 2);
    for (let i = 0; i < this.#size; i += 1) {
      const from = (this.#head + i) % capacity;
      times[i] = this.#times[from] ?? 0;
      counts[i] = this.#counts[from] ?? 0;
    }
    this.#times = times;
    this.#counts = counts;
    this.#head = 0;
  }
}
