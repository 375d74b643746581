/**
 * The account's market-data lines (`reqMktData` subscriptions, ~100 by default, error 101 past
 * the limit), shared by every caller of the gateway.
 *
 * @packageDocumentation
 */

/** Default number of concurrent market-data lines of an IB account. */
export const DEFAULT_LINE_LIMIT = 100;

/** Options of {@link LineBudget}. */
export interface LineBudgetOptions {
  /** Lines allowed at once; default {@link DEFAULT_LINE_LIMIT}. */
  readonly limit?: number;
  /** Clock in ms (epoch or monotonic); used to age idle lines. Default `Date.now`. */
  readonly now?: () => number;
}

/** A caller's hold on one line; release it exactly once when done (further calls do nothing). */
export interface LineHandle {
  /** The contract key the line is for. */
  readonly key: string;
  /**
   * Drops this caller's hold. The line stays subscribed, idle and warm, until evicted or swept.
   * @returns false when the handle was already released or its line was dropped or reset away.
   */
  release(): boolean;
}

/** Result of {@link LineBudget.acquire}. */
export type LineAcquireOutcome =
  | {
      readonly ok: true;
      readonly handle: LineHandle;
      /** True when a new TWS subscription must be made (`reqMktData`); false when the line already exists. */
      readonly subscribe: boolean;
      /** Idle lines evicted to make room: the data layer cancels their TWS subscriptions. */
      readonly evicted: readonly string[];
    }
  | {
      readonly ok: false;
      readonly reason: "exhausted";
      /** Human-readable, for the ResourceExhausted error the data layer returns. */
      readonly message: string;
      /** Lines held by active callers (none of them can be evicted). */
      readonly inUse: number;
      /** The limit in force. */
      readonly limit: number;
    };

/** Counters for metrics. */
export interface LineBudgetStats {
  /** Lines held by at least one caller. */
  readonly inUse: number;
  /** Lines subscribed but held by nobody (kept warm, evictable). */
  readonly idle: number;
  /** The limit in force. */
  readonly limit: number;
  /** Idle lines evicted so far (by acquire or a lower limit). */
  readonly evictions: number;
  /** Acquisitions served by an existing line (active or idle). */
  readonly hits: number;
  /** Acquisitions that needed a new subscription. */
  readonly misses: number;
  /** Acquisitions refused because every line was active. */
  readonly exhausted: number;
  /** The most lines subscribed at once. */
  readonly peak: number;
}

/** One subscribed line; a fresh object per subscription, so stale handles can recognise themselves. */
interface Line {
  refs: number;
}

/**
 * Reference-counted, de-duplicated market-data lines with LRU eviction of idle ones.
 *
 * The same contract key acquired by several callers is one line. A line whose last holder
 * released it stays subscribed ("idle") so a caller coming back soon (the next scan) gets it warm
 * without a new subscription; idle lines are evicted least-recently-released first when room is
 * needed. A line held by a caller is never evicted: when every line is held, acquiring a new key
 * is refused ("line budget exhausted") rather than breaking someone's stream.
 *
 * Pure bookkeeping: it decides, the data layer subscribes and cancels.
 */
export class LineBudget {
  #limit: number;
  readonly #now: () => number;
  /** Lines held by at least one caller. */
  readonly #active = new Map<string, Line>();
  /** Idle lines → when they became idle; insertion order = least recently used first. */
  readonly #idle = new Map<string, { line: Line; since: number }>();
  #evictions = 0;
  #hits = 0;
  #misses = 0;
  #exhausted = 0;
  #peak = 0;

  /** @throws RangeError when the limit is not a non-negative integer. */
  constructor(opts: LineBudgetOptions = {}) {
    this.#limit = checkLimit(opts.limit ?? DEFAULT_LINE_LIMIT);
    this.#now = opts.now ?? Date.now;
  }

  /** The limit in force. */
  get limit(): number {
    return this.#limit;
  }

  /** Lines held by at least one caller. */
  get inUse(): number {
    return this.#active.size;
  }

  /** Lines subscribed but idle. */
  get idle(): number {
    return this.#idle.size;
  }

  /** Lines a new key could get now, counting idle lines as available (they would be evicted). */
  get available(): number {
    return Math.max(0, this.#limit - this.#active.size);
  }

  /** Counters for metrics. */
  stats(): LineBudgetStats {
    return {
      inUse: this.#active.size,
      idle: this.#idle.size,
      limit: this.#limit,
      evictions: this.#evictions,
      hits: this.#hits,
      misses: this.#misses,
      exhausted: this.#exhausted,
      peak: this.#peak,
    };
  }

  /** Whether `key` is subscribed (active or idle). */
  has(key: string): boolean {
    return this.#active.has(key) || this.#idle.has(key);
  }

  /** Holders of `key` now (0 when idle or unknown). */
  refs(key: string): number {
    return this.#active.get(key)?.refs ?? 0;
  }

  /**
   * Takes a line for `key`: joins the existing one (active or idle), else subscribes a new one,
   * evicting the least recently used idle lines if the budget is full.
   */
  acquire(key: string): LineAcquireOutcome {
    const active = this.#active.get(key);
    if (active !== undefined) {
      active.refs += 1;
      this.#hits += 1;
      return { ok: true, handle: this.#handle(key, active), subscribe: false, evicted: [] };
    }
    const idle = this.#idle.get(key);
    if (idle !== undefined) {
      this.#idle.delete(key);
      idle.line.refs = 1;
      this.#active.set(key, idle.line);
      this.#hits += 1;
      return { ok: true, handle: this.#handle(key, idle.line), subscribe: false, evicted: [] };
    }
    if (this.#active.size >= this.#limit) {
      this.#exhausted += 1;
      return {
        ok: false,
        reason: "exhausted",
        message: `market-data line budget exhausted: all ${this.#limit} lines are held by active subscriptions`,
        inUse: this.#active.size,
        limit: this.#limit,
      };
    }
    const evicted = this.#evictDownTo(this.#limit - 1);
    const line: Line = { refs: 1 };
    this.#active.set(key, line);
    this.#misses += 1;
    this.#peak = Math.max(this.#peak, this.#active.size + this.#idle.size);
    return { ok: true, handle: this.#handle(key, line), subscribe: true, evicted };
  }

  /**
   * Changes the limit (e.g. lowered after TWS error 101 says the account has fewer lines).
   * Idle lines beyond the new limit are evicted and returned; active ones are kept even if they
   * exceed it — new keys are then refused until enough are released.
   * @throws RangeError when the limit is not a non-negative integer.
   */
  setLimit(limit: number): readonly string[] {
    this.#limit = checkLimit(limit);
    return this.#evictDownTo(this.#limit);
  }

  /**
   * Forgets `key` whatever its holders (its subscription failed or TWS cancelled it); their
   * handles become inert. @returns whether the key was subscribed.
   */
  drop(key: string): boolean {
    return this.#active.delete(key) || this.#idle.delete(key);
  }

  /**
   * Releases idle lines that have been idle for at least `maxIdleMs` (so warm lines do not
   * linger forever) and returns their keys for the data layer to cancel. Not counted as evictions.
   */
  sweepIdle(maxIdleMs: number): readonly string[] {
    const cutoff = this.#now() - maxIdleMs;
    const swept: string[] = [];
    for (const [key, { since }] of this.#idle) {
      if (since > cutoff) break; // insertion order is idle-since order
      this.#idle.delete(key);
      swept.push(key);
    }
    return swept;
  }

  /**
   * TWS lost every subscription (1101 "restored, data lost"): idle lines are forgotten, active
   * ones are kept with their holders and returned, to be subscribed again.
   */
  reset(): readonly string[] {
    this.#idle.clear();
    return [...this.#active.keys()];
  }

  /** Evicts LRU idle lines until at most `target` lines are subscribed (or no idle one is left). */
  #evictDownTo(target: number): string[] {
    const evicted: string[] = [];
    for (const key of this.#idle.keys()) {
      if (this.#active.size + this.#idle.size <= target) break;
      this.#idle.delete(key);
      evicted.push(key);
    }
    this.#evictions += evicted.length;
    return evicted;
  }

  #handle(key: string, line: Line): LineHandle {
    let released = false;
    return {
      key,
      release: (): boolean => {
        // A handle of a dropped/reset line, or of an earlier subscription of the same key, is inert.
        if (released || this.#active.get(key) !== line) return false;
        released = true;
        line.refs -= 1;
        if (line.refs === 0) {
          this.#active.delete(key);
          this.#idle.set(key, { line, since: this.#now() });
        }
        return true;
      },
    };
  }
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`line limit must be a non-negative integer, got ${limit}`);
  return limit;
}
