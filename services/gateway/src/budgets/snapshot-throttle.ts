/**
 * Paces snapshot market-data requests: IB refuses more than 100 snapshot requests per second,
 * and each outstanding snapshot holds a market-data line until it completes.
 *
 * @packageDocumentation
 */

/** Default snapshot requests per second: a margin under IB's 100/s. */
export const DEFAULT_SNAPSHOTS_PER_SECOND = 90;

/** Options of {@link SnapshotThrottle}. */
export interface SnapshotThrottleOptions {
  /** Requests allowed in any window; default {@link DEFAULT_SNAPSHOTS_PER_SECOND}. */
  readonly perWindow?: number;
  /** The window, ms; default 1,000. */
  readonly windowMs?: number;
  /**
   * Lines snapshots may hold at once, asked each time (it moves with the line budget, e.g.
   * `() => lineBudget.available`); snapshots already outstanding are not counted in it.
   */
  readonly freeLines: () => number;
}

/** Result of {@link SnapshotThrottle.allowance}. */
export interface SnapshotAllowance {
  /** Snapshots that may be issued now. */
  readonly count: number;
  /**
   * When `count` is 0 because of the rate: the time the next one may go. Undefined when the rate
   * allows some now, or when only completions (lines) can make room.
   */
  readonly nextAtMs: number | undefined;
}

/**
 * Sliding-window rate (never more than `perWindow` issued in any `(t − windowMs, t]`) plus a cap
 * on outstanding snapshots (the free lines). Pure: time comes in with each call; the data layer
 * issues, waits and reports completions.
 */
export class SnapshotThrottle {
  readonly #perWindow: number;
  readonly #windowMs: number;
  readonly #freeLines: () => number;
  /** Issue times inside the window, ascending. */
  #issued: number[] = [];
  #outstanding = 0;

  /** @throws RangeError on a non-positive rate or window. */
  constructor(opts: SnapshotThrottleOptions) {
    this.#perWindow = opts.perWindow ?? DEFAULT_SNAPSHOTS_PER_SECOND;
    this.#windowMs = opts.windowMs ?? 1_000;
    if (!Number.isInteger(this.#perWindow) || this.#perWindow < 1) throw new RangeError(`perWindow must be a positive integer, got ${this.#perWindow}`);
    if (!(this.#windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${this.#windowMs}`);
    this.#freeLines = opts.freeLines;
  }

  /** Snapshots issued and not yet completed. */
  get outstanding(): number {
    return this.#outstanding;
  }

  /** How many snapshots may be issued at `nowMs`. */
  allowance(nowMs: number): SnapshotAllowance {
    this.#trim(nowMs);
    const byRate = this.#perWindow - this.#issued.length;
    const byLines = Math.max(0, this.#freeLines());
    if (byRate <= 0) {
      const oldest = this.#issued[0] ?? nowMs;
      return { count: 0, nextAtMs: oldest + this.#windowMs };
    }
    return { count: Math.min(byRate, byLines), nextAtMs: undefined };
  }

  /**
   * Records `count` snapshots issued at `nowMs`. Only the rate is checked here: free lines were
   * counted by {@link allowance}, and the caller reserves each snapshot's line before issuing it,
   * so checking lines again would count a snapshot's own line against it.
   * @throws RangeError when that exceeds the rate (a bug in the caller).
   */
  issue(count: number, nowMs: number): void {
    this.#trim(nowMs);
    const allowed = Math.max(0, this.#perWindow - this.#issued.length);
    if (!Number.isInteger(count) || count < 0 || count > allowed) {
      throw new RangeError(`cannot issue ${count} snapshots at ${nowMs}: ${allowed} left in this window`);
    }
    for (let i = 0; i < count; i += 1) this.#issued.push(nowMs);
    this.#outstanding += count;
  }

  /** Records `count` snapshots completed (or failed, or timed out): their lines are free again. */
  complete(count = 1): void {
    this.#outstanding = Math.max(0, this.#outstanding - count);
  }

  #trim(nowMs: number): void {
    const cutoff = nowMs - this.#windowMs;
    let drop = 0;
    while (drop < this.#issued.length && (this.#issued[drop] ?? 0) <= cutoff) drop += 1;
    if (drop > 0) this.#issued = this.#issued.slice(drop);
  }
}
