/**
 * Listener plumbing shared by the market implementations.
 *
 * @packageDocumentation
 */

import type { Quote } from "./market-source.js";

/**
 * Calls every listener with every value, in order. A throwing listener does not stop the others;
 * the first error is rethrown once all have been called.
 */
export function notifyAll<T>(listeners: Iterable<(value: T) => void>, values: readonly T[]): void {
  if (values.length === 0) return;
  let failure: { error: unknown } | undefined;
  for (const value of values) {
    for (const listener of [...listeners]) {
      try {
        listener(value);
      } catch (error: unknown) {
        failure ??= { error };
      }
    }
  }
  if (failure !== undefined) throw failure.error;
}

/** True when two quotes show the same market (their time may differ). */
export function sameQuote(a: Quote, b: Quote): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  for (const key of keys) if (key !== "time" && ra[key] !== rb[key]) return false;
  return true;
}
