// Test-only: one simulated timeline shared by several contenders, each with its own clock view
// (skewed, or frozen to simulate a hung process).
import type { Clock as RuntimeClock } from "../clock.js";

/** The part of the clock used here. */
type Clock = Pick<RuntimeClock, "now" | "sleep">;

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly view: FakeClock;
  readonly resolve: () => void;
}

/** A clock view onto {@link FakeTime}. */
export interface FakeClock extends Clock {
  /** Offset of this view's `now()` from the shared timeline. */
  readonly skewMs: number;
  /** From now on this view's sleeps never finish: the process hangs (its wall clock still runs). */
  freeze(): void;
}

/** Options for {@link FakeTime}. */
export interface FakeTimeOptions {
  /** Timeline start, epoch ms; default 2026-01-05T14:30:00Z. */
  readonly start?: number;
  /**
   * Waits until the code woken by a timer has done its work. The default lets promise chains
   * run (a few macrotask turns); tests with real I/O pass one that waits for it.
   */
  readonly settle?: () => Promise<void>;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Lets pending promise chains run: a few event-loop turns. */
export async function settleTurns(turns = 3): Promise<void> {
  for (let i = 0; i < turns; i++) await turn();
}

/** A simulated timeline: time moves only in {@link FakeTime.advance}. */
export class FakeTime {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];
  readonly #settle: () => Promise<void>;

  constructor(options: FakeTimeOptions = {}) {
    this.#now = options.start ?? Date.UTC(2026, 0, 5, 14, 30);
    this.#settle = options.settle ?? (() => settleTurns());
  }

  /** Milliseconds on the shared timeline. */
  now(): number {
    return this.#now;
  }

  /** A clock `skewMs` ahead of (or behind, if negative) the timeline. */
  clock(skewMs = 0): FakeClock {
    let frozen = false;
    const view: FakeClock = {
      skewMs,
      now: () => this.#now + skewMs,
      freeze: () => {
        frozen = true;
        this.#timers = this.#timers.filter((t) => t.view !== view);
      },
      sleep: (ms, signal) =>
        new Promise<void>((resolve) => {
          if (frozen) return;
          if (signal?.aborted === true) {
            resolve();
            return;
          }
          const onAbort = (): void => {
            this.#timers = this.#timers.filter((t) => t !== timer);
            resolve();
          };
          const timer: Timer = {
            at: this.#now + Math.max(0, ms),
            seq: this.#seq++,
            view,
            resolve: () => {
              signal?.removeEventListener("abort", onAbort);
              resolve();
            },
          };
          this.#timers.push(timer);
          signal?.addEventListener("abort", onAbort, { once: true });
        }),
    };
    return view;
  }

  /** Lets woken code run without moving time. */
  settle(): Promise<void> {
    return this.#settle();
  }

  /**
   * Moves time forward by `ms`, firing timers in order and settling after each. `onTick` runs
   * after every timer and at least every `stepMs` of simulated time, to check invariants.
   */
  async advance(ms: number, options: { stepMs?: number; onTick?: (now: number) => void } = {}): Promise<void> {
    const end = this.#now + ms;
    const stepMs = options.stepMs ?? 100;
    await this.#settle();
    options.onTick?.(this.#now);
    while (this.#now < end) {
      const next = this.#timers.reduce<Timer | undefined>(
        (best, t) => (best === undefined || t.at < best.at || (t.at === best.at && t.seq < best.seq) ? t : best),
        undefined,
      );
      const stepTo = Math.min(end, this.#now + stepMs);
      if (next !== undefined && next.at <= stepTo) {
        this.#now = Math.max(this.#now, next.at);
        this.#timers = this.#timers.filter((t) => t !== next);
        next.resolve();
      } else {
        this.#now = stepTo;
      }
      await this.#settle();
      options.onTick?.(this.#now);
    }
  }
}
