import type { Clock } from "@spreadops/runtime";

/** What {@link WindowLimiter.take} decided. */
export type WindowDecision = "allowed" | "first-refused" | "refused";

/**
 * At most `limit` events per fixed window of `windowMs`. The first event refused in a window is
 * told apart, so the caller can say once that it stops showing them.
 */
export class WindowLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #clock: Pick<Clock, "now">;
  #windowStart = Number.NEGATIVE_INFINITY;
  #count = 0;

  constructor(options: { readonly limit: number; readonly windowMs: number; readonly clock: Pick<Clock, "now"> }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#clock = options.clock;
  }

  take(): WindowDecision {
    const now = this.#clock.now();
    if (now - this.#windowStart >= this.#windowMs) {
      this.#windowStart = now;
      this.#count = 0;
    }
    this.#count++;
    if (this.#count <= this.#limit) return "allowed";
    return this.#count === this.#limit + 1 ? "first-refused" : "refused";
  }
}
