import type { EvaluateResponse } from "@spreadops/api";
import type { StrategyMetrics } from "./strategy-metrics.js";

/** Strategies remembered by default; far above any real fleet, low enough to bound memory. */
export const DEFAULT_MAX_STRATEGIES = 1000;

/** One message of the feed: an evaluation of one strategy. */
export interface FeedEntry {
  readonly strategyRef: string;
  /** True for the latest-known evaluations sent first on subscribe; false for new ones. */
  readonly initial: boolean;
  readonly evaluation: EvaluateResponse;
}

/** Settings of an {@link EvaluationFeed}. */
export interface EvaluationFeedOptions {
  /**
   * Strategies remembered (least recently evaluated forgotten first), and also the most distinct
   * strategies one subscriber may have pending. Default {@link DEFAULT_MAX_STRATEGIES}.
   */
  readonly maxStrategies?: number;
  /** Omitted = no metrics. */
  readonly metrics?: Pick<StrategyMetrics, "evaluationWatchers" | "evaluationsRemembered" | "evaluationFeedSkipped">;
}

/**
 * The latest non-dry-run evaluation per strategy, in memory, and its fan-out to WatchEvaluations
 * subscribers.
 *
 * Memory stays bounded whatever the callers do: at most `maxStrategies` strategies are kept (a
 * new one pushes out the least recently evaluated), and a subscriber that reads slower than
 * evaluations complete keeps only the latest evaluation per strategy pending (an older one it
 * has not taken yet is replaced), at most `maxStrategies` of them (beyond that the oldest pending
 * is dropped). Evaluations of one strategy are minutes apart, so in practice only a stalled
 * client ever skips any; the skips are counted.
 */
export class EvaluationFeed {
  readonly #max: number;
  readonly #metrics: EvaluationFeedOptions["metrics"];
  /** Insertion order = least recently evaluated first. */
  readonly #latest = new Map<string, EvaluateResponse>();
  readonly #subscribers = new Set<Subscription>();

  constructor(options: EvaluationFeedOptions = {}) {
    const max = options.maxStrategies ?? DEFAULT_MAX_STRATEGIES;
    if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`maxStrategies must be a whole number ≥ 1, got ${max}`);
    this.#max = max;
    this.#metrics = options.metrics;
    this.#metrics?.evaluationWatchers.set(0);
    this.#metrics?.evaluationsRemembered.set(0);
  }

  /** Strategies remembered now. */
  get size(): number {
    return this.#latest.size;
  }

  /** Subscribers now. */
  get watchers(): number {
    return this.#subscribers.size;
  }

  /** The latest evaluation of `strategyRef`, if remembered. */
  latest(strategyRef: string): EvaluateResponse | undefined {
    return this.#latest.get(strategyRef);
  }

  /** Remembers a finished non-dry-run evaluation and hands it to every matching subscriber. */
  record(strategyRef: string, evaluation: EvaluateResponse): void {
    this.#latest.delete(strategyRef);
    this.#latest.set(strategyRef, evaluation);
    if (this.#latest.size > this.#max) {
      const oldest = this.#latest.keys().next();
      if (oldest.done !== true) this.#latest.delete(oldest.value);
    }
    this.#metrics?.evaluationsRemembered.set(this.#latest.size);
    for (const subscriber of this.#subscribers) {
      if (!subscriber.matches(strategyRef)) continue;
      const skipped = subscriber.push(strategyRef, evaluation);
      if (skipped !== undefined) this.#metrics?.evaluationFeedSkipped.inc({ reason: skipped });
    }
  }

  /**
   * The latest evaluation of every remembered strategy (only `strategyRef`'s when not empty),
   * least recently evaluated first, marked initial; then each new one as it is recorded, until
   * `signal` aborts. Subscribes on the first `next()`; unsubscribes when the signal aborts or
   * the iteration ends, whichever comes first.
   */
  async *watch(strategyRef: string, signal: AbortSignal): AsyncGenerator<FeedEntry, void, undefined> {
    const matches = (ref: string): boolean => strategyRef === "" || ref === strategyRef;
    const initial: FeedEntry[] = [];
    for (const [ref, evaluation] of this.#latest) if (matches(ref)) initial.push({ strategyRef: ref, initial: true, evaluation });
    const subscription = new Subscription(matches, initial, this.#max);
    const unsubscribe = (): void => {
      if (this.#subscribers.delete(subscription)) this.#metrics?.evaluationWatchers.set(this.#subscribers.size);
      subscription.wake();
    };
    this.#subscribers.add(subscription);
    this.#metrics?.evaluationWatchers.set(this.#subscribers.size);
    // Unsubscribed at once on abort, even while the consumer is not reading: a client that went
    // away must not keep collecting evaluations until someone calls next() again. (A signal that
    // has already aborted never enters the loop; `finally` unsubscribes.)
    signal.addEventListener("abort", unsubscribe, { once: true });
    try {
      while (!signal.aborted) {
        const entry = subscription.take();
        if (entry === undefined) await subscription.wait();
        else yield entry;
      }
    } finally {
      signal.removeEventListener("abort", unsubscribe);
      unsubscribe();
    }
  }
}

/** Why a subscriber skipped an evaluation: a newer one of the same strategy replaced it, or too many strategies were pending. */
type Skip = "replaced" | "overflow";

/** One subscriber's pending entries: the initial snapshot first, then the latest new evaluation per strategy. */
class Subscription {
  readonly matches: (strategyRef: string) => boolean;
  readonly #initial: FeedEntry[];
  #nextInitial = 0;
  /** Insertion order = order in which the pending evaluations completed. */
  readonly #live = new Map<string, EvaluateResponse>();
  readonly #max: number;
  #wake: (() => void) | undefined;

  constructor(matches: (strategyRef: string) => boolean, initial: FeedEntry[], max: number) {
    this.matches = matches;
    this.#initial = initial;
    this.#max = max;
  }

  /** Queues a new evaluation; returns what was skipped to keep the queue bounded, if anything. */
  push(strategyRef: string, evaluation: EvaluateResponse): Skip | undefined {
    let skipped: Skip | undefined;
    if (this.#live.delete(strategyRef)) skipped = "replaced";
    this.#live.set(strategyRef, evaluation);
    if (this.#live.size > this.#max) {
      const oldest = this.#live.keys().next();
      if (oldest.done !== true) this.#live.delete(oldest.value);
      skipped = "overflow";
    }
    this.wake();
    return skipped;
  }

  /** The next entry to send, if any. */
  take(): FeedEntry | undefined {
    const initial = this.#initial[this.#nextInitial];
    if (initial !== undefined) {
      this.#nextInitial += 1;
      return initial;
    }
    // The snapshot is sent: let go of it (it may hold evaluations the feed has since forgotten).
    this.#initial.length = 0;
    this.#nextInitial = 0;
    const next = this.#live.entries().next();
    if (next.done === true) return undefined;
    const [strategyRef, evaluation] = next.value;
    this.#live.delete(strategyRef);
    return { strategyRef, initial: false, evaluation };
  }

  /** Resolves at the next {@link push} or {@link wake}. */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  wake(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
