/**
 * Listener plumbing shared by the market implementations.
 *
 * @packageDocumentation
 */

import type { ExpirationEvent, Quote, Unsubscribe } from "./market-source.js";

/**
 * Calls every listener with every value, in order. A throwing listener does not stop the others;
 * the first error is rethrown once all have been called.
 */
export function notifyAll<T>(listeners: Iterable<(value: T) => void>, values: readonly T[]): void {
  if (values.length === 0) return;
  let failure: { error: unknown } | undefined;
  for (const value of values) {
    for (const listener of [...listeners]) {
      try {
        listener(value);
      } catch (error: unknown) {
        failure ??= { error };
      }
    }
  }
  if (failure !== undefined) throw failure.error;
}

/** True when two quotes show the same market (their time may differ). */
export function sameQuote(a: Quote, b: Quote): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  for (const key of keys) if (key !== "time" && ra[key] !== rb[key]) return false;
  return true;
}

/**
 * The listeners of one market: quote subscribers per contract, advance and expiration listeners.
 * Both the synthetic and the replayed market publish through it, so a subscriber sees the same
 * order whichever market runs: expirations, then changed quotes, then the new version.
 */
export class MarketListeners {
  readonly #quoteOf: (conId: number) => Quote | undefined;
  readonly #subscribers = new Map<number, Set<(quote: Quote) => void>>();
  readonly #lastSent = new Map<number, Quote>();
  readonly #advance = new Set<(version: number) => void>();
  readonly #expiration = new Set<(event: ExpirationEvent) => void>();

  /** @param quoteOf the market's current quote of a contract. */
  constructor(quoteOf: (conId: number) => Quote | undefined) {
    this.#quoteOf = quoteOf;
  }

  subscribe(conId: number, listener: (quote: Quote) => void): Unsubscribe {
    let listeners = this.#subscribers.get(conId);
    if (listeners === undefined) {
      listeners = new Set();
      this.#subscribers.set(conId, listeners);
      // The subscriber already knows the current quote; only later changes are pushed.
      const current = this.#quoteOf(conId);
      if (current !== undefined) this.#lastSent.set(conId, current);
    }
    const set = listeners;
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#subscribers.get(conId) === set) {
        this.#subscribers.delete(conId);
        this.#lastSent.delete(conId);
      }
    };
  }

  onAdvance(listener: (version: number) => void): Unsubscribe {
    this.#advance.add(listener);
    return () => this.#advance.delete(listener);
  }

  onExpiration(listener: (event: ExpirationEvent) => void): Unsubscribe {
    this.#expiration.add(listener);
    return () => this.#expiration.delete(listener);
  }

  /** After the market moved to `version`: expirations, then every changed quote, then the version. */
  publish(version: number, expirations: readonly ExpirationEvent[]): void {
    notifyAll(this.#expiration, expirations);
    const updates: [Set<(quote: Quote) => void>, Quote][] = [];
    for (const [conId, listeners] of this.#subscribers) {
      const quote = this.#quoteOf(conId);
      const previous = this.#lastSent.get(conId);
      if (quote === undefined || (previous !== undefined && sameQuote(previous, quote))) continue;
      this.#lastSent.set(conId, quote);
      updates.push([listeners, quote]);
    }
    for (const [listeners, quote] of updates) notifyAll(listeners, [quote]);
    notifyAll(this.#advance, [version]);
  }
}
