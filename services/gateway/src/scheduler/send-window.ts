/**
 * The hard cap: never more than `cap` messages in any sliding window of `windowMs`. Keeps the
 * timestamps of the last `cap` sends; k more messages may go at `t` only if the (cap − k + 1)-th
 * most recent send is at least `windowMs + marginMs` before `t`. The margin absorbs timer and
 * socket jitter (a message sent 999 ms after another may arrive 1001 ms after it at TWS, or the
 * other way round).
 */
export class SendWindow {
  readonly #cap: number;
  readonly #spanMs: number;
  /** Timestamps of the last `cap` sends, oldest first. */
  readonly #sent: number[] = [];
  #overLimit = 0;

  constructor(cap: number, windowMs: number, marginMs: number) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`cap must be a positive integer, got ${cap}`);
    this.#cap = cap;
    this.#spanMs = windowMs + marginMs;
  }

  /** The most messages one call may cost. */
  get cap(): number {
    return this.#cap;
  }

  /** The earliest time (≥ now) at which `cost` more messages may be sent. */
  earliest(now: number, cost: number): number {
    // The send that must have left the window: the (cap − cost + 1)-th most recent.
    const index = this.#sent.length - (this.#cap - cost) - 1;
    if (index < 0) return now;
    const blocking = this.#sent[index];
    if (blocking === undefined) return now;
    return Math.max(now, blocking + this.#spanMs);
  }

  /**
   * Messages sent in the `ms` before `now`. Exact while `ms` is at most the window: the cap never
   * lets more sends into one window than the timestamps kept.
   */
  sentWithin(now: number, ms: number): number {
    let count = 0;
    for (let i = this.#sent.length - 1; i >= 0; i--) {
      const at = this.#sent[i];
      if (at === undefined || at <= now - ms) break;
      count++;
    }
    return count;
  }

  /**
   * Messages recorded while `cap` others were already inside one second (margin not counted):
   * the tripwire for a bug in the pacing, which should keep it at 0.
   */
  get overLimit(): number {
    return this.#overLimit;
  }

  /** Records `cost` messages sent at `now`. */
  record(now: number, cost: number): void {
    for (let i = 0; i < cost; i++) {
      const capAgo = this.#sent[this.#sent.length - this.#cap];
      if (capAgo !== undefined && capAgo > now - 1000) this.#overLimit++;
      this.#sent.push(now);
      if (this.#sent.length > this.#cap) this.#sent.shift();
    }
  }
}
