/**
 * The account-wide market-data line budget (error 101 past it).
 *
 * @packageDocumentation
 */

/**
 * Counts concurrent market-data lines (`reqMktData` subscriptions) across every connection, as IB
 * counts them per account (100 by default). A line is identified by a key the server chooses, e.g.
 * `"<clientId>:<tickerId>"`.
 *
 * - `acquire` of a key already held succeeds without counting it twice;
 * - `acquire` past the limit fails and counts a rejection (the server sends error 101);
 * - `release` of a key not held does nothing (cancels of unknown tickers are the server's 300).
 */
export class MarketDataLineBudget {
  /** Lines allowed at once. */
  readonly limit: number;
  readonly #held = new Set<string>();
  #peak = 0;
  #rejected = 0;

  /** @throws RangeError when `limit` is not a non-negative integer. */
  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 0) {
      throw new RangeError(`market-data line limit must be a non-negative integer, got ${limit}`);
    }
    this.limit = limit;
  }

  /** Lines held now. */
  get inUse(): number {
    return this.#held.size;
  }

  /** The most lines held at once. */
  get peak(): number {
    return this.#peak;
  }

  /** Acquisitions refused because the budget was full. */
  get rejected(): number {
    return this.#rejected;
  }

  /** Whether `key` holds a line now. */
  has(key: string): boolean {
    return this.#held.has(key);
  }

  /** Takes a line for `key`; false (and one more rejection) when the budget is full. */
  acquire(key: string): boolean {
    if (this.#held.has(key)) return true;
    if (this.#held.size >= this.limit) {
      this.#rejected += 1;
      return false;
    }
    this.#held.add(key);
    if (this.#held.size > this.#peak) this.#peak = this.#held.size;
    return true;
  }

  /** Gives back the line of `key`, if it holds one. */
  release(key: string): void {
    this.#held.delete(key);
  }
}
