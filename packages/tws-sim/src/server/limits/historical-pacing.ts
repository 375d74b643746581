/**
 * IB's historical-data pacing rules (error 162 "pacing violation"), server side: the rules
 * themselves live in `@spreadops/core` ({@link HistoricalPacingWindow}), shared with the gateway,
 * which uses them to schedule requests instead of refusing them.
 *
 * @packageDocumentation
 */

import { HistoricalPacingWindow, type HistoricalPacingRule } from "@spreadops/core";

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
export type PacingRule = HistoricalPacingRule;

/** The pacer's answer; `reason` is the full text of error 162, `rule` is for logs and stats. */
export type PacingVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly rule: PacingRule };

/** What pacing violations look like from TWS (code 162); IB does not say which rule was broken. */
export const PACING_VIOLATION_TEXT = "Historical Market Data Service error message:Historical data request pacing violation";

const OK: PacingVerdict = { ok: true };

/**
 * Refuses historical-data requests that break IB's pacing rules (see {@link HistoricalPacingWindow}
 * for the rules and their half-open windows) and counts what it accepted and refused.
 *
 * A refused request does not count toward any window: it never reached the data farm. This is
 * the lenient reading (IB does not document it) and makes "wait, then retry" always work.
 * IB's "BID_ASK counts twice" is the caller's to apply (check twice with distinct identities).
 */
export class HistoricalPacer {
  readonly #window: HistoricalPacingWindow;
  #accepted = 0;
  readonly #rejectedByRule: Record<PacingRule, number> = { identical: 0, sameContract: 0, window: 0 };

  /** @throws RangeError on a non-positive option. */
  constructor(opts: HistoricalPacerOptions = {}) {
    this.#window = new HistoricalPacingWindow(opts);
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
    const key = { identity: request.identity, contractKey: request.contractKey };
    const decision = this.#window.check(key, nowMs);
    if (!decision.ok) {
      this.#rejectedByRule[decision.rule] += 1;
      return { ok: false, reason: PACING_VIOLATION_TEXT, rule: decision.rule };
    }
    this.#accepted += 1;
    this.#window.record(key, nowMs);
    return OK;
  }
}
