/** JSON values as the API server sees them: what survives a round trip through JSON. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * A deep copy through JSON: callers never share objects with the store, and whatever the caller
 * passed is normalised exactly as the API server's wire format would (undefined dropped).
 */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a).filter((key) => a[key] !== undefined);
    const otherKeys = Object.keys(b).filter((key) => b[key] !== undefined);
    return keys.length === otherKeys.length && keys.every((key) => jsonEqual(a[key], b[key]));
  }
  return false;
}

/** For messages about values that may not be what their static type says (request bodies, files). */
export function show(value: unknown): string {
  if (typeof value === "string") return value;
  // JSON has no text for these (JSON.stringify returns undefined).
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return String(value);
  return JSON.stringify(value);
}
