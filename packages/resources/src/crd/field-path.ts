/** Field paths as the API server prints them in causes: `spec.entry[0].period`. */
export type PathSegment = string | number;

export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

/** Appends a CEL rule's `fieldPath` (".min", ".entry[0]") to a node's path. */
export function joinFieldPath(base: string, relative: string | undefined): string {
  if (relative === undefined || relative === "") return base;
  if (base === "") return relative.startsWith(".") ? relative.slice(1) : relative;
  return relative.startsWith("[") ? `${base}${relative}` : `${base}${relative.startsWith(".") ? "" : "."}${relative}`;
}

/** True when `path` is `prefix` or lies below it. */
export function isAtOrBelow(path: string, prefix: string): boolean {
  if (prefix === "") return true;
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

/** Shows a value the way a message quotes it: strings quoted, objects as JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" || value === null) return String(value);
  return JSON.stringify(value);
}

/** JSON type name of a value, for "expected integer, got string" messages. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
