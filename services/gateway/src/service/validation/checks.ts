import type { Duration, Timestamp } from "@bufbuild/protobuf/wkt";
import { invalidArgument } from "@spreadops/runtime";

/**
 * Small building blocks of request validation. Each throws the runtime's `invalidArgument`
 * naming the field by its proto path (`order.order_ref`, `contracts[2].strike`), so a caller can
 * tell exactly what to fix. Field names are the proto (snake_case) names, because that is what
 * every client language sees in the contract.
 */

/** The longest orderRef IB keeps reliably; the contract says 1–40 characters. */
export const MAX_ORDER_REF_LENGTH = 40;

/** A generous bound for symbols, exchanges, classes: real ones are far shorter. */
export const MAX_SHORT_TEXT = 32;

/** A message field that must be set. */
export function requirePresent<T>(value: T | undefined, field: string, expected: string): T {
  if (value === undefined) throw invalidArgument(field, expected, undefined);
  return value;
}

/** Text that must be non-blank and at most `max` characters. */
export function requireText(value: string, field: string, max = MAX_SHORT_TEXT): void {
  if (value.trim() === "") throw invalidArgument(field, `a non-empty text of at most ${max} characters`, value);
  checkOptionalText(value, field, max);
}

/** Text that may be empty (meaning "default") but, when given, is not blank and not too long. */
export function checkOptionalText(value: string, field: string, max = MAX_SHORT_TEXT): void {
  if (value === "") return;
  if (value.trim() === "" || value.length > max) {
    throw invalidArgument(field, `empty or a non-blank text of at most ${max} characters`, value);
  }
}

/** An IB orderRef: 1–40 characters, not blank. */
export function requireOrderRef(value: string, field: string): void {
  if (value.trim() === "" || value.length > MAX_ORDER_REF_LENGTH) {
    throw invalidArgument(field, `an orderRef of 1 to ${MAX_ORDER_REF_LENGTH} non-blank characters`, value);
  }
}

/** A finite number (NaN and ±Infinity are refused everywhere: they never mean anything to IB). */
export function requireFinite(value: number, field: string, expected = "a finite number"): void {
  if (!Number.isFinite(value)) throw invalidArgument(field, expected, value);
}

/** A finite number ≥ `min` (or > `min` when `exclusive`). */
export function requireAtLeast(value: number, min: number, field: string, exclusive = false): void {
  const expected = exclusive ? `a finite number above ${min}` : `a finite number of at least ${min}`;
  requireFinite(value, field, expected);
  if (exclusive ? value <= min : value < min) throw invalidArgument(field, expected, value);
}

/** A whole number in [min, max]. */
export function requireIntIn(value: number, min: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(field, `a whole number from ${min} to ${max}`, value);
  }
}

/** An enum value that is one of `allowed` (generated enums: pass the members that are valid here). */
export function requireEnum(value: number, allowed: readonly number[], field: string, expected: string): void {
  if (!allowed.includes(value)) throw invalidArgument(field, expected, value);
}

/** Members of a generated numeric enum, optionally without its UNSPECIFIED (0) member. */
export function enumValues(enumObject: Readonly<Record<string, string | number>>, withUnspecified: boolean): number[] {
  return Object.values(enumObject).filter((v): v is number => typeof v === "number" && (withUnspecified || v !== 0));
}

/** An optional pair of bounds that, when both are set, must not be inverted. */
export function requireOrdered(min: number | undefined, max: number | undefined, field: string): void {
  if (min !== undefined && max !== undefined && min > max) {
    throw invalidArgument(`${field}.min`, `at most ${field}.max (${max})`, min);
  }
}

/** A protobuf Duration from `minMs` (default 0) to `maxMs`, when set. */
export function checkDuration(value: Duration | undefined, field: string, maxMs: number, minMs = 0): void {
  if (value === undefined) return;
  const ms = Number(value.seconds) * 1000 + value.nanos / 1e6;
  if (!Number.isFinite(ms) || ms < minMs || ms > maxMs || value.nanos < 0 || value.nanos > 999_999_999) {
    throw invalidArgument(field, `a duration from ${minMs / 1000} to ${maxMs / 1000} s`, `${value.seconds}s ${value.nanos}ns`);
  }
}

/** A valid protobuf Timestamp, when set. */
export function checkTimestamp(value: Timestamp | undefined, field: string): void {
  if (value === undefined) return;
  const seconds = Number(value.seconds);
  // Years 1970–9999, as google.protobuf.Timestamp requires; IB has nothing before 1970 anyway.
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 253_402_300_799 || value.nanos < 0 || value.nanos > 999_999_999) {
    throw invalidArgument(field, "a timestamp between 1970 and 9999", `${value.seconds}s ${value.nanos}ns`);
  }
}

/** A YYYYMMDD date that exists in the calendar. */
export function isYyyymmdd(value: number): boolean {
  if (!Number.isInteger(value) || value < 19_000_101 || value > 29_991_231) return false;
  const year = Math.floor(value / 10_000);
  const month = Math.floor(value / 100) % 100;
  const day = value % 100;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
