/**
 * Number helpers shared by the money math: TWS's "unset" sentinel and rounding that removes
 * binary floating-point dust (2.10 − 1.00 = 1.1000000000000003) before values reach clients.
 *
 * @packageDocumentation
 */

/** TWS's unset double (Java `Double.MAX_VALUE`), e.g. realizedPNL of an opening execution. */
export const UNSET_DOUBLE = 1.7976931348623157e308;

/** Tolerance of price comparisons (marketability) — far below any tick. */
export const PRICE_EPSILON = 1e-9;

/** True when `value` is a real number a client meant to set (not absent, NaN, ±∞ or the sentinel). */
export function isSet(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && Math.abs(value) < UNSET_DOUBLE / 2;
}

/** A price per share rounded to 1e-8. */
export function roundPrice(value: number): number {
  return Math.round(value * 1e8) / 1e8 + 0;
}

/** An amount of money rounded to 1e-6 (sub-cent precision, no float dust). */
export function roundMoney(value: number): number {
  return Math.round(value * 1e6) / 1e6 + 0;
}
