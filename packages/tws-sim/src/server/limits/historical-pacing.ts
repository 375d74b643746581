/**
 * IB's historical-data pacing rules (error 162 "pacing violation").
 *
 * @packageDocumentation
 */

/** Options for {@link HistoricalPacer}; the defaults are IB's documented limits. */
export interface HistoricalPacerOptions {
  /** No identical request within this time; default 15 s. */
  readonly identicalWindowMs?: number;
  /** Window of the same-contract rule; default 2 s. */
  readonly sameContractWindowMs?: number;
  /** Requests allowed for one contract within that window; default 5 (the 6th is refused). */
  readonly sameContractMax?: number;
  /** Window of the overall rule; default 10 minutes. */
  readonly windowMs?: number;
  /** Requests allowed within that window; default 60 (the 61st is refused). */
  readonly windowMax?: number;
}

/** One historical-data request, as the pacer sees it. */
export interface HistoricalRequestKey {
  /** Everything that makes two requests identical (contract, end, duration, bar size, whatToShow, useRTH…). */
  readonly identity: string;
  /** Contract + exchange + tick type (whatToShow): the key of the same-contract rule. */
  readonly contractKey: string;
}

/** Which rule refused a request. */
export type PacingRule = "identical" | "sameContract" | "window";

/** The pacer's answer; `reason` is the full text of error 162, `rule` is for logs and stats. */
export type PacingVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly rule: PacingRule };

/** What pacing violations look like from TWS (code 162); IB does not say which rule was broken. */
export const PACING_VIOLATION_TEXT = "Historical Market Data Service error message:Historical data request pacing violation";

const OK: PacingVerdict = { ok: true };

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return v;
}

/**
 * Applies IB's three historical-data pacing rules to one account:
 * 1. no request identical to one made less than `identicalWindowMs` (15 s) ago;
 * 2. at most `sameContractMax` (5) requests for one contract key in any `sameContractWindowMs` (2 s),
 *    so the 6th within 2 s is refused;
 * 3. at most `windowMax` (60) requests in any `windowMs` (10 min).
 *
 * Windows are half-open, `(now − window, now]`: a request exactly `window` after an earlier one
 * no longer sees it (an identical request 15,000 ms later is allowed).
 *
 * A refused request does not count toward any window: it never reached the data farm. This is
 * the lenient reading (IB does not document it) and makes "wait, then retry" always work.
 * IB's "BID_ASK counts twice" is the caller's to apply (check twice with distinct identities).
 *
 * Time is whichever clock the server uses for requests; a timestamp earlier than the previous one
 * is treated as equal to it. Memory is bounded by the requests inside the windows.
 */
export class HistoricalPacer {
  readonly #identicalWindowMs: number;
  readonly #sameContractWindowMs: number;
  readonly #sameContractMax: number;
  readonly #windowMs: number;
  readonly #windowMax: number;
  /** identity → last accepted time; re-inserted on update, so iteration order is oldest first. */
  readonly #lastByIdentity = new Map<string, number>();
  /** contractKey → accepted times inside the window (ascending, at most sameContractMax); same ordering trick. */
  readonly #byContract = new Map<string, number[]>();
  /** Accepted times inside the overall window, from #windowHead on. */
  #window: number[] = [];
  #windowHead = 0;
  #last = Number.NEGATIVE_INFINITY;
  #accepted = 0;
  readonly #rejectedByRule: Record<PacingRule, number> = { identical: 0, sameContract: 0, window: 0 };

  /** @throws RangeError on a non-positive option. */
  constructor(opts: HistoricalPacerOptions = {}) {
    this.#identicalWindowMs = positiveInteger("identicalWindowMs", opts.identicalWindowMs, 15_000);
    this.#sameContractWindowMs = positiveInteger("sameContractWindowMs", opts.sameContractWindowMs, 2_000);
    this.#sameContractMax = positiveInteger("sameContractMax", opts.sameContractMax, 5);
    this.#windowMs = positiveInteger("windowMs", opts.windowMs, 600_000);
    this.#windowMax = positiveInteger("windowMax", opts.windowMax, 60);
  }

  /** Requests accepted so far. */
  get accepted(): number {
    return this.#accepted;
  }

  /** Requests refused so far, all rules. */
  get rejected(): number {
    const r = this.#rejectedByRule;
    return r.identical + r.sameContract + r.window;
  }

  /** Requests refused so far, by rule. */
  get rejectedByRule(): Readonly<Record<PacingRule, number>> {
    return { ...this.#rejectedByRule };
  }

  /** Decides one request made at `nowMs`; an accepted request is recorded, a refused one is not. */
  check(request: HistoricalRequestKey, nowMs: number): PacingVerdict {
    const now = nowMs > this.#last ? nowMs : this.#last;
    this.#last = now;
    this.#evict(now);

    if (this.#lastByIdentity.has(request.identity)) return this.#reject("identical");
    const contractTimes = this.#contractTimes(request.contractKey, now);
    if (contractTimes.length >= this.#sameContractMax) return this.#reject("sameContract");
    if (this.#window.length - this.#windowHead >= this.#windowMax) return this.#reject("window");

    this.#accepted += 1;
    this.#lastByIdentity.delete(request.identity);
    this.#lastByIdentity.set(request.identity, now);
    contractTimes.push(now);
    this.#byContract.delete(request.contractKey);
    this.#byContract.set(request.contractKey, contractTimes);
    this.#window.push(now);
    return OK;
  }

  /** The accepted times of one contract key inside its window (older ones trimmed here, lazily). */
  #contractTimes(key: string, now: number): number[] {
    const times = this.#byContract.get(key);
    if (times === undefined) return [];
    const cutoff = now - this.#sameContractWindowMs;
    let drop = 0;
    while (drop < times.length && (times[drop] ?? 0) <= cutoff) drop += 1;
    if (drop > 0) times.splice(0, drop);
    return times;
  }

  #reject(rule: PacingRule): PacingVerdict {
    this.#rejectedByRule[rule] += 1;
    return { ok: false, reason: PACING_VIOLATION_TEXT, rule };
  }

  /** Forgets everything at or before each window's start, so what is left is exactly "inside". */
  #evict(now: number): void {
    const identicalCutoff = now - this.#identicalWindowMs;
    for (const [identity, at] of this.#lastByIdentity) {
      if (at > identicalCutoff) break;
      this.#lastByIdentity.delete(identity);
    }

    const contractCutoff = now - this.#sameContractWindowMs;
    for (const [key, times] of this.#byContract) {
      const newest = times[times.length - 1] ?? Number.NEGATIVE_INFINITY;
      if (newest > contractCutoff) break;
      this.#byContract.delete(key);
    }

    const windowCutoff = now - this.#windowMs;
    while (this.#windowHead < this.#window.length && (this.#window[this.#windowHead] ?? 0) <= windowCutoff) {
      this.#windowHead += 1;
    }
    // Compact once the dead prefix dominates, keeping pushes and evictions O(1) amortised.
    if (this.#windowHead > 1_024 && this.#windowHead * 2 > this.#window.length) {
      this.#window = this.#window.slice(this.#windowHead);
      this.#windowHead = 0;
    }
  }
}
