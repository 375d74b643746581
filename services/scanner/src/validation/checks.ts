import type { Duration } from "@bufbuild/protobuf/wkt";
import { invalidArgument } from "@spreadops/runtime";

/**
 * Small building blocks of request validation. Each throws the runtime's `invalidArgument`
 * naming the field by its proto path (`filters.short_delta.min`, `targets[3].symbol`), because
 * the proto (snake_case) name is what every client language sees in the contract.
 */

/** A generous bound for symbols, exchanges, classes: real ones are far shorter. */
export const MAX_SHORT_TEXT = 32;

/** Path of a sub-field: `join("", "dte")` is `dte`, `join("filters", "dte")` is `filters.dte`. */
export function join(prefix: string, field: string): string {
  return prefix === "" ? field : `${prefix}.${field}`;
}

/** A message field that must be set. */
export function requirePresent<T>(value: T | undefined, field: string, expected: string): T {
  if (value === undefined) throw invalidArgument(field, expected, undefined);
  return value;
}

/** A finite number (NaN and ±Infinity mean nothing as a filter bound). */
export function requireFinite(value: number, field: string, expected = "a finite number"): void {
  if (!Number.isFinite(value)) throw invalidArgument(field, expected, value);
}

/** A finite number within [min, max] (either side open when undefined). */
export function requireBetween(value: number, min: number | undefined, max: number | undefined, field: string, expected: string): void {
  if (!Number.isFinite(value) || (min !== undefined && value < min) || (max !== undefined && value > max)) {
    throw invalidArgument(field, expected, value);
  }
}

/** A whole number in [min, max]. */
export function requireIntIn(value: number, min: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(field, `a whole number from ${min} to ${max}`, value);
  }
}

/** An optional pair of bounds that, when both are set, must not be inverted. */
export function requireOrdered(min: number | undefined, max: number | undefined, field: string): void {
  if (min !== undefined && max !== undefined && min > max) {
    throw invalidArgument(`${field}.min`, `at most ${field}.max (${max})`, min);
  }
}

/** Text that must be non-blank and at most `max` characters. */
export function requireText(value: string, field: string, max = MAX_SHORT_TEXT): void {
  if (value.trim() === "" || value.length > max) {
    throw invalidArgument(field, `a non-blank text of at most ${max} characters`, value);
  }
}

/** Text that may be empty (meaning "default") but, when given, is not blank and not too long. */
export function checkOptionalText(value: string, field: string, max = MAX_SHORT_TEXT): void {
  if (value === "") return;
  requireText(value, field, max);
}

/** An enum value that is one of `allowed`. */
export function requireEnum(value: number, allowed: readonly number[], field: string, expected: string): void {
  if (!allowed.includes(value)) throw invalidArgument(field, expected, value);
}

/** Members of a generated numeric enum, optionally without its UNSPECIFIED (0) member. */
export function enumValues(enumObject: Readonly<Record<string, string | number>>, withUnspecified: boolean): number[] {
  return Object.values(enumObject).filter((v): v is number => typeof v === "number" && (withUnspecified || v !== 0));
}

/** A non-negative protobuf Duration of at most `maxMs`, when set. */
export function checkDuration(value: Duration | undefined, field: string, maxMs: number): void {
  if (value === undefined) return;
  const ms = Number(value.seconds) * 1000 + value.nanos / 1e6;
  if (!Number.isFinite(ms) || ms < 0 || ms > maxMs || value.nanos < 0 || value.nanos > 999_999_999) {
    throw invalidArgument(field, `a duration from 0 to ${maxMs / 1000} s`, `${value.seconds}s ${value.nanos}ns`);
  }
}
