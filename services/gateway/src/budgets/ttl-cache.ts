/**
 * A small time-to-live cache with a size bound, clock passed per call (no timers).
 *
 * @packageDocumentation
 */

/** Options of {@link TtlCache}. */
export interface TtlCacheOptions {
  /** Entries kept at most; the least recently stored are dropped first. Default 1,000. */
  readonly maxEntries?: number;
}

/**
 * Values by key, each expiring at its own time. Expired entries are dropped when read or when
 * room is needed; memory is bounded by `maxEntries`.
 */
export class TtlCache<V> {
  readonly #max: number;
  /** key → entry; insertion order = oldest stored first. */
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();

  /** @throws RangeError when maxEntries is not a positive integer. */
  constructor(opts: TtlCacheOptions = {}) {
    const max = opts.maxEntries ?? 1_000;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxEntries must be a positive integer, got ${max}`);
    this.#max = max;
  }

  /** Entries stored (some may have expired but not yet been dropped). */
  get size(): number {
    return this.#entries.size;
  }

  /** The value of `key` if stored and not expired at `nowMs` (expiry is exclusive: gone at `expiresAt`). */
  get(key: string, nowMs: number): V | undefined {
    const e = this.#entries.get(key);
    if (e === undefined) return undefined;
    if (nowMs >= e.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Stores `value` for `ttlMs` from `nowMs`; a non-positive TTL stores nothing. */
  set(key: string, value: V, ttlMs: number, nowMs: number): void {
    this.#entries.delete(key);
    if (!(ttlMs > 0)) return;
    this.#entries.set(key, { value, expiresAt: nowMs + ttlMs });
    for (const k of this.#entries.keys()) {
      if (this.#entries.size <= this.#max) break;
      this.#entries.delete(k);
    }
  }

  /** Forgets `key`. */
  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  /** Forgets everything. */
  clear(): void {
    this.#entries.clear();
  }
}
