/** Settings of a {@link Backoff}. */
export interface BackoffOptions {
  /** Delay before the first retry (before jitter), ms. */
  readonly initialMs: number;
  /** Upper bound of any delay, ms. */
  readonly maxMs: number;
  /** Growth per failed attempt (default 2). */
  readonly factor?: number;
  /**
   * Fraction of the delay that is random (0..1, default 0.5): the delay is uniform in
   * `[base × (1 − jitter), base]`, so clients restarted together do not retry in lockstep.
   */
  readonly jitter?: number;
}

/**
 * Exponential backoff with jitter: attempt n waits `min(maxMs, initialMs × factor^n)` less a
 * random part. `random` is injected so tests can pin it.
 */
export class Backoff {
  readonly #initial: number;
  readonly #max: number;
  readonly #factor: number;
  readonly #jitter: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions, random: () => number = Math.random) {
    if (!(options.initialMs > 0) || options.maxMs < options.initialMs) {
      throw new RangeError("backoff needs 0 < initialMs ≤ maxMs");
    }
    this.#initial = options.initialMs;
    this.#max = options.maxMs;
    this.#factor = options.factor ?? 2;
    this.#jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
    this.#random = random;
  }

  /** Failed attempts since the last {@link reset}. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The un-jittered delay of attempt `n`. */
  baseDelay(n: number): number {
    // Math.pow overflows to Infinity for huge n, which min() turns into maxMs.
    return Math.min(this.#max, this.#initial * this.#factor ** n);
  }

  /** The delay before the next attempt; counts the attempt. */
  next(): number {
    const base = this.baseDelay(this.#attempt);
    this.#attempt++;
    return Math.round(base * (1 - this.#jitter * this.#random()));
  }

  /** After a success: the next failure starts from `initialMs` again. */
  reset(): void {
    this.#attempt = 0;
  }
}
