/**
 * IB's historical-data pacing rules (TWS error 162 "pacing violation"), as pure bookkeeping that
 * serves both sides: the simulator *rejects* a request that breaks them, the gateway *schedules*
 * requests so that they never do (it asks when a request would be allowed and waits until then).
 *
 * @packageDocumentation
 */

/** The limits of IB's three pacing rules; the defaults ({@link DEFAULT_HISTORICAL_PACING_RULES}) are IB's documented ones. */
export interface HistoricalPacingRules {
  /** No identical request within this time, ms; IB: 15 s. */
  readonly identicalWindowMs: number;
  /** Window of the same-contract rule, ms; IB: 2 s. */
  readonly sameContractWindowMs: number;
  /** Requests allowed for one contract key within that window; IB: 5 (the 6th is refused). */
  readonly sameContractMax: number;
  /** Window of the overall rule, ms; IB: 10 minutes. */
  readonly windowMs: number;
  /** Requests allowed within that window; IB: 60 (the 61st is refused). */
  readonly windowMax: number;
}

/** IB's documented limits (tws-api "historical_limitations"). */
export const DEFAULT_HISTORICAL_PACING_RULES: HistoricalPacingRules = Object.freeze({
  identicalWindowMs: 15_000,
  sameContractWindowMs: 2_000,
  sameContractMax: 5,
  windowMs: 600_000,
  windowMax: 60,
});

/** One historical-data request, as the pacing rules see it. */
export interface HistoricalPacingRequest {
  /** Everything that makes two requests identical (contract, end, duration, bar size, whatToShow, useRTH…). */
  readonly identity: string;
  /** Contract + exchange + tick type (whatToShow): the key of the same-contract rule. */
  readonly contractKey: string;
  /**
   * How many requests this one counts as toward the same-contract and overall rules; default 1.
   * IB counts a `BID_ASK` request twice.
   */
  readonly weight?: number;
}

/** Which pacing rule a request would break. */
export type HistoricalPacingRule = "identical" | "sameContract" | "window";

/**
 * Answer of {@link HistoricalPacingWindow.check}. When refused, `rule` is the first rule broken in
 * the order identical → same contract → window, and `retryAtMs` the earliest time at which *every*
 * rule would allow the request (provided nothing else is recorded meanwhile).
 */
export type HistoricalPacingDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly rule: HistoricalPacingRule; readonly retryAtMs: number };

const OK: HistoricalPacingDecision = Object.freeze({ ok: true });

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return v;
}

/**
 * The requests recorded inside IB's three pacing windows, for one account:
 * 1. no request identical to one made less than `identicalWindowMs` (15 s) ago;
 * 2. at most `sameContractMax` (5) requests for one contract key in any `sameContractWindowMs` (2 s);
 * 3. at most `windowMax` (60) requests in any `windowMs` (10 min).
 *
 * Windows are half-open, `(now − window, now]`: a request exactly `window` after an earlier one
 * no longer sees it (an identical request 15,000 ms later is allowed). Only {@link record}ed
 * requests count; {@link check} never records, so a refused request counts toward nothing.
 *
 * Time never goes backwards here: a timestamp earlier than the latest one seen is treated as equal
 * to it. Memory is bounded by the requests inside the windows.
 */
export class HistoricalPacingWindow {
  /** The limits in force. */
  readonly rules: HistoricalPacingRules;
  /** identity → last recorded time; re-inserted on update, so iteration order is oldest first. */
  readonly #lastByIdentity = new Map<string, number>();
  /** contractKey → recorded times inside the window, ascending; re-inserted on update (same ordering trick). */
  readonly #byContract = new Map<string, number[]>();
  /** Recorded times inside the overall window, ascending, from #windowHead on. */
  #window: number[] = [];
  #windowHead = 0;
  #last = Number.NEGATIVE_INFINITY;

  /** @throws RangeError when a rule is not a positive integer. */
  constructor(rules: Partial<HistoricalPacingRules> = {}) {
    const d = DEFAULT_HISTORICAL_PACING_RULES;
    this.rules = Object.freeze({
      identicalWindowMs: positiveInteger("identicalWindowMs", rules.identicalWindowMs, d.identicalWindowMs),
      sameContractWindowMs: positiveInteger("sameContractWindowMs", rules.sameContractWindowMs, d.sameContractWindowMs),
      sameContractMax: positiveInteger("sameContractMax", rules.sameContractMax, d.sameContractMax),
      windowMs: positiveInteger("windowMs", rules.windowMs, d.windowMs),
      windowMax: positiveInteger("windowMax", rules.windowMax, d.windowMax),
    });
  }

  /** Requests (by weight) inside the overall window as of the latest time seen. */
  get inWindow(): number {
    return this.#window.length - this.#windowHead;
  }

  /**
   * Whether `request` may be sent at `nowMs`; when not, which rule refuses it and the earliest time
   * it would be allowed. Does not record the request.
   * @throws RangeError when the weight is not a positive integer or can never fit the limits.
   */
  check(request: HistoricalPacingRequest, nowMs: number): HistoricalPacingDecision {
    const weight = this.#weight(request);
    const now = this.#advance(nowMs);
    const { identicalWindowMs, sameContractWindowMs, sameContractMax, windowMs, windowMax } = this.rules;

    let rule: HistoricalPacingRule | undefined;
    let retryAtMs = now;
    const lastIdentical = this.#lastByIdentity.get(request.identity);
    if (lastIdentical !== undefined) {
      rule = "identical";
      retryAtMs = Math.max(retryAtMs, lastIdentical + identicalWindowMs);
    }
    const contractTimes = this.#contractTimes(request.contractKey, now);
    const contractExcess = contractTimes.length + weight - sameContractMax;
    if (contractExcess > 0) {
      rule ??= "sameContract";
      // The excess-th oldest entry must leave the window: at its time + window it no longer counts.
      retryAtMs = Math.max(retryAtMs, (contractTimes[contractExcess - 1] ?? now) + sameContractWindowMs);
    }
    const windowExcess = this.inWindow + weight - windowMax;
    if (windowExcess > 0) {
      rule ??= "window";
      retryAtMs = Math.max(retryAtMs, (this.#window[this.#windowHead + windowExcess - 1] ?? now) + windowMs);
    }
    return rule === undefined ? OK : { ok: false, rule, retryAtMs };
  }

  /**
   * Records `request` as sent at `nowMs`, whether or not {@link check} allowed it (the caller
   * knows what it sent; a request TWS refused should not be recorded).
   * @throws RangeError when the weight is not a positive integer or can never fit the limits.
   */
  record(request: HistoricalPacingRequest, nowMs: number): void {
    const weight = this.#weight(request);
    const now = this.#advance(nowMs);
    this.#lastByIdentity.delete(request.identity);
    this.#lastByIdentity.set(request.identity, now);
    const contractTimes = this.#contractTimes(request.contractKey, now);
    for (let i = 0; i < weight; i += 1) {
      contractTimes.push(now);
      this.#window.push(now);
    }
    this.#byContract.delete(request.contractKey);
    this.#byContract.set(request.contractKey, contractTimes);
  }

  #weight(request: HistoricalPacingRequest): number {
    const w = request.weight ?? 1;
    if (!Number.isInteger(w) || w < 1 || w > this.rules.sameContractMax || w > this.rules.windowMax) {
      throw new RangeError(`request weight must be an integer in 1..min(sameContractMax, windowMax), got ${w}`);
    }
    return w;
  }

  /** Clamps time to be non-decreasing and forgets what left the windows. */
  #advance(nowMs: number): number {
    const now = nowMs > this.#last ? nowMs : this.#last;
    this.#last = now;
    this.#evict(now);
    return now;
  }

  /** The recorded times of one contract key inside its window (older ones trimmed here, lazily). */
  #contractTimes(key: string, now: number): number[] {
    const times = this.#byContract.get(key);
    if (times === undefined) return [];
    const cutoff = now - this.rules.sameContractWindowMs;
    let drop = 0;
    while (drop < times.length && (times[drop] ?? 0) <= cutoff) drop += 1;
    if (drop > 0) times.splice(0, drop);
    return times;
  }

  /** Forgets everything at or before each window's start, so what is left is exactly "inside". */
  #evict(now: number): void {
    const identicalCutoff = now - this.rules.identicalWindowMs;
    for (const [identity, at] of this.#lastByIdentity) {
      if (at > identicalCutoff) break;
      this.#lastByIdentity.delete(identity);
    }

    const contractCutoff = now - this.rules.sameContractWindowMs;
    for (const [key, times] of this.#byContract) {
      const newest = times[times.length - 1] ?? Number.NEGATIVE_INFINITY;
      if (newest > contractCutoff) break;
      this.#byContract.delete(key);
    }

    const windowCutoff = now - this.rules.windowMs;
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
