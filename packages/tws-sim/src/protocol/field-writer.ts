/*
 * Field formatting for server messages (reference §2.3). Integers never carry a decimal point
 * (ib_async parses them with int()); unset doubles are Java's Double.MAX_VALUE, which
 * @stoqey/ib maps back to undefined; booleans are 0/1.
 */

/** IB's "unset" double on the wire (Java `Double.MAX_VALUE`). */
export const UNSET_DOUBLE_FIELD = "1.7976931348623157E308";

/** IB's "unset" int on the wire (Java `Integer.MAX_VALUE`). */
export const UNSET_INTEGER_FIELD = "2147483647";

/**
 * An integer field.
 *
 * @throws RangeError for a non-integer: a decimal point would make ib_async's `int()` raise.
 */
export function formatInt(value: number): string {
  if (!Number.isInteger(value)) throw new RangeError(`${value} is not an integer`);
  return String(value);
}

/** An integer field that may be unset, written as `""`. */
export function formatIntOrEmpty(value: number | undefined): string {
  return value === undefined ? "" : formatInt(value);
}

/** An integer field that may be unset, written as `2147483647`. */
export function formatIntOrUnset(value: number | undefined): string {
  return value === undefined ? UNSET_INTEGER_FIELD : formatInt(value);
}

/**
 * A double field that must carry a value (ib_async parses several with a bare `float()`).
 *
 * @throws RangeError for NaN, which neither client can read back.
 */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) throw new RangeError("NaN is not a valid field value");
  return String(value);
}

/** A double field that may be unset, written as `1.7976931348623157E308`. */
export function formatDoubleOrUnset(value: number | undefined): string {
  return value === undefined || value === Number.MAX_VALUE || Number.isNaN(value)
    ? UNSET_DOUBLE_FIELD
    : String(value);
}

/** A decimal quantity (size, position, volume) that must carry a value. */
export function formatDecimal(value: number): string {
  return formatDouble(value);
}

/** A decimal quantity that may be unset, written as `""` (both clients read it as "no value"). */
export function formatDecimalOrEmpty(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? "" : String(value);
}

/** A boolean field: `1` or `0` (unset is false). */
export function formatBool(value: boolean | undefined): string {
  return value === true ? "1" : "0";
}
