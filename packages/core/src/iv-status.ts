/**
 * Outcome codes of implied-volatility solves.
 *
 * @packageDocumentation
 */

/** Numeric status codes, used in the `Uint8Array` status output of the batch API. */
export const IvStatus = {
  /** Solved; the vol is in the output. */
  Ok: 0,
  /** Price ≤ the lower arbitrage bound (discounted forward intrinsic): no vol > 0 reproduces it. */
  BelowIntrinsic: 1,
  /** Price ≥ the upper arbitrage bound (S·e^{−qT} for a call, K·e^{−rT} for a put). */
  AboveUpperBound: 2,
  /** Time to expiry ≤ 0: the option has no time value to invert. */
  NonPositiveTime: 3,
  /** A non-finite or out-of-domain input (spot or strike ≤ 0, NaN price, unknown right code). */
  InvalidInput: 4,
  /** The evaluation cap was reached (a safeguard; not observed on any tested input). */
  NotConverged: 5,
} as const;

/** One of the {@link IvStatus} codes. */
export type IvStatusCode = (typeof IvStatus)[keyof typeof IvStatus];

/** Names of the failure statuses in the scalar API. */
export type IvFailure = "below-intrinsic" | "above-upper-bound" | "non-positive-time" | "invalid-input" | "not-converged";

const FAILURE_NAMES: readonly IvFailure[] = [
  "below-intrinsic",
  "above-upper-bound",
  "non-positive-time",
  "invalid-input",
  "not-converged",
];

/** Name of a failure status code (e.g. for logs next to a batch status array); undefined for Ok. */
export function ivFailureName(code: number): IvFailure | undefined {
  return FAILURE_NAMES[code - 1];
}
