/**
 * The simulated clock: real time, accelerated time or manually stepped time. The real-time
 * source is injected so tests never depend on the wall clock.
 *
 * @packageDocumentation
 */

/** A source of real time in epoch milliseconds (`Date.now` in production). */
export type TimeSource = () => number;

/** How a {@link SimClock} moves. */
export type ClockMode = "real" | "accelerated" | "manual";

/** Anything that can tell the simulated time (epoch ms). */
export interface Clock {
  /** Simulated time, epoch milliseconds. */
  now(): number;
}

/**
 * Simulated time. `real` follows the source; `accelerated` runs `factor` times faster than the
 * source from a chosen start; `manual` only moves through {@link SimClock.advance} and
 * {@link SimClock.set}. Simulated time never goes backwards.
 */
export class SimClock implements Clock {
  readonly #source: TimeSource;
  #mode: ClockMode;
  #baseSim: number;
  #baseReal: number;
  #factor: number;
  #last: number;

  private constructor(mode: ClockMode, source: TimeSource, start: number, factor: number) {
    if (!Number.isFinite(start)) throw new RangeError(`clock start must be finite, got ${start}`);
    if (!(factor > 0 && factor < Infinity)) throw new RangeError(`clock factor must be > 0, got ${factor}`);
    this.#mode = mode;
    this.#source = source;
    this.#baseSim = start;
    this.#baseReal = source();
    this.#factor = factor;
    this.#last = start;
  }

  /** A clock that follows real time. */
  static real(source: TimeSource = Date.now): SimClock {
    return new SimClock("real", source, source(), 1);
  }

  /** A clock that starts at `start` and runs `factor` times faster than `source`. */
  static accelerated(options: { readonly start: number; readonly factor: number; readonly source?: TimeSource }): SimClock {
    return new SimClock("accelerated", options.source ?? Date.now, options.start, options.factor);
  }

  /** A clock that stands still at `start` until stepped. */
  static manual(start: number): SimClock {
    return new SimClock("manual", () => 0, start, 1);
  }

  /** How the clock moves. */
  get mode(): ClockMode {
    return this.#mode;
  }

  /** Simulated seconds per real second (1 for real time; meaningless for manual clocks). */
  get factor(): number {
    return this.#factor;
  }

  /** Simulated time, epoch ms; never less than a value returned before. */
  now(): number {
    if (this.#mode !== "manual") {
      const t = this.#baseSim + (this.#source() - this.#baseReal) * this.#factor;
      if (t > this.#last) this.#last = t;
    }
    return this.#last;
  }

  /**
   * Changes the speed from now on, keeping the current simulated time (turns a real clock into
   * an accelerated one).
   * @throws Error on a manual clock.
   */
  setFactor(factor: number): void {
    if (this.#mode === "manual") throw new Error("a manual clock has no speed; use advance()");
    if (!(factor > 0 && factor < Infinity)) throw new RangeError(`clock factor must be > 0, got ${factor}`);
    this.#baseSim = this.now();
    this.#baseReal = this.#source();
    this.#factor = factor;
    this.#mode = factor === 1 && this.#mode === "real" ? "real" : "accelerated";
  }

  /**
   * Moves simulated time forward by `ms`. On a running clock this jumps ahead (the clock keeps
   * running from the new time).
   */
  advance(ms: number): number {
    if (!(ms >= 0 && ms < Infinity)) throw new RangeError(`clock can only advance by a finite ms ≥ 0, got ${ms}`);
    return this.set(this.now() + ms);
  }

  /**
   * Sets simulated time to `time` (≥ the current time).
   * @throws RangeError when `time` is in the simulated past.
   */
  set(time: number): number {
    const now = this.now();
    if (!(time >= now && time < Infinity)) throw new RangeError(`clock cannot move back from ${now} to ${time}`);
    if (this.#mode !== "manual") {
      this.#baseSim = time;
      this.#baseReal = this.#source();
    }
    this.#last = time;
    return time;
  }
}
