import type { ContractDetails } from "@spreadops/api";

/**
 * A bounded LRU of resolved option contract details, keyed by the question asked
 * (`con:<conId>` or `opt:<symbol>/<expiry>/<strike>/<right>`). Contract details (con id,
 * multiplier, minimum tick) do not change during a trading day, so a hit saves a gateway round
 * trip on the order path; an entry from an earlier exchange day is treated as a miss, so
 * overnight changes (corporate actions, new tick rules) are always read again. Only
 * unambiguous, validated answers are stored; the caller still checks a hit against the trade.
 */
export class ContractCache {
  readonly #capacity: number;
  readonly #entries = new Map<string, { readonly day: string; readonly details: ContractDetails }>();

  /** `capacity` > 0: the most entries kept; the least recently used is evicted first. */
  constructor(capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
  }

  /** The key of a leg asked by con id, or by its description when the con id is 0. */
  static key(conId: number, symbol: string, expiry: number, strike: number, right: number): string {
    return conId !== 0 ? `con:${conId}` : `opt:${symbol}/${expiry}/${strike}/${right}`;
  }

  /** The details stored under `key` on exchange day `day`; refreshes its recency. */
  get(key: string, day: string): ContractDetails | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.day !== day) return undefined;
    this.#entries.set(key, entry);
    return entry.details;
  }

  /** Stores details under `key` for exchange day `day`, evicting the least recently used beyond capacity. */
  set(key: string, day: string, details: ContractDetails): void {
    this.#entries.delete(key);
    this.#entries.set(key, { day, details });
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  /** Entries held now. */
  get size(): number {
    return this.#entries.size;
  }
}
