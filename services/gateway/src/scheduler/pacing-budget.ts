/** Settings of a {@link PacingBudget}. */
export interface PacingBudgetOptions {
  /** Steady rate, messages per second (IB allows 50; the gateway budgets 45). */
  readonly ratePerSecond: number;
  /** Tokens that may accumulate while idle: the largest burst at the steady rate. */
  readonly burst: number;
  /** The rate never drops below this after pacing violations. */
  readonly floorPerSecond: number;
  /** After this long without a violation the rate grows by `recoveryFactor` (until the steady rate). */
  readonly recoveryIntervalMs: number;
  /** Growth per recovery interval, e.g. 1.1 for +10 %. */
  readonly recoveryFactor: number;
}

/**
 * A token bucket whose rate halves on each pacing violation (error 100) down to a floor, then
 * recovers step by step. Recovery is computed lazily from the time of the last change, so it
 * needs no timer and is exact on fake time.
 */
export class PacingBudget {
  readonly #options: PacingBudgetOptions;
  #rate: number;
  #tokens: number;
  #refilledAt: number;
  /** Start of the current recovery interval (last violation or last recovery step). */
  #stepFrom: number;

  constructor(options: PacingBudgetOptions, now: number) {
    if (!(options.ratePerSecond > 0)) throw new RangeError("ratePerSecond must be positive");
    if (!(options.floorPerSecond > 0 && options.floorPerSecond <= options.ratePerSecond)) {
      throw new RangeError("floorPerSecond must be positive and at most ratePerSecond");
    }
    this.#options = options;
    this.#rate = options.ratePerSecond;
    this.#tokens = Math.max(1, options.burst);
    this.#refilledAt = now;
    this.#stepFrom = now;
  }

  /** The current rate in messages per second (after any recovery due by `now`). */
  rate(now: number): number {
    this.#advance(now);
    return this.#rate;
  }

  /** The earliest time (≥ now) at which `cost` tokens are available. */
  earliest(now: number, cost: number): number {
    this.#advance(now);
    const missing = Math.min(cost, this.#capacity()) - this.#tokens;
    if (missing <= 0) return now;
    // Ceil to whole ms: being a fraction of a ms late is harmless, early is not.
    return now + Math.ceil((missing * 1000) / this.#rate);
  }

  /** Takes `cost` tokens (the caller checked {@link earliest}); may go negative for costs above the burst. */
  take(now: number, cost: number): void {
    this.#advance(now);
    this.#tokens -= cost;
  }

  /** Error 100: halve the rate (not below the floor) and drop the saved-up tokens. */
  onViolation(now: number): void {
    this.#advance(now);
    this.#rate = Math.max(this.#options.floorPerSecond, this.#rate / 2);
    this.#tokens = Math.min(this.#tokens, 0);
    this.#stepFrom = now;
  }

  #capacity(): number {
    return Math.max(1, this.#options.burst);
  }

  #advance(now: number): void {
    const o = this.#options;
    // Recovery steps due since the last change, each at its own instant so refill uses the right rate.
    while (this.#rate < o.ratePerSecond && now - this.#stepFrom >= o.recoveryIntervalMs) {
      const at = this.#stepFrom + o.recoveryIntervalMs;
      this.#refill(at);
      this.#rate = Math.min(o.ratePerSecond, this.#rate * o.recoveryFactor);
      this.#stepFrom = at;
    }
    if (this.#rate >= o.ratePerSecond) this.#stepFrom = Math.max(this.#stepFrom, now);
    this.#refill(now);
  }

  #refill(at: number): void {
    if (at <= this.#refilledAt) return;
    this.#tokens = Math.min(this.#capacity(), this.#tokens + ((at - this.#refilledAt) * this.#rate) / 1000);
    this.#refilledAt = at;
  }
}
