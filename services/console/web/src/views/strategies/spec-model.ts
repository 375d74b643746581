/**
 * The editor's model: the spec itself as a JSON value, where an unset optional field is an
 * absent key (never 0 or ""). A field the user set but left empty holds EMPTY, which the
 * client-side checks report ("Enter a number") and `toServerSpec` drops, so it is never sent.
 * Immutable path updates, initial values from the schema's defaults, and the entry rules'
 * indicator-dependent fields.
 */
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import type { IndicatorName } from "@spreadops/resources/schema";
import { INDICATORS } from "@spreadops/resources/schema";
import type { FieldNode } from "./schema-fields";

/** A set field with no value yet (a number or a choice not entered). */
export const EMPTY = "";

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export const pathKey = (path: Path): string => path.map(String).join(".");

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function getAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === "number") value = value[segment];
    else if (isObject(value) && typeof segment === "string") value = value[segment];
    else return undefined;
  }
  return value;
}

/** `root` with `value` at `path`; missing parents are created (objects, or arrays for numeric segments). */
export function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [PathSegment, ...PathSegment[]];
  if (typeof head === "number") {
    const list = Array.isArray(root) ? [...(root as unknown[])] : [];
    list[head] = setAt(list[head], rest, value);
    return list;
  }
  const object = isObject(root) ? { ...root } : {};
  object[head] = setAt(object[head], rest, value);
  return object;
}

/** `root` without the key (or array item) at `path`. */
export function unsetAt(root: unknown, path: Path): unknown {
  if (path.length === 0) return undefined;
  const [head, ...rest] = path as [PathSegment, ...PathSegment[]];
  if (rest.length === 0) {
    if (Array.isArray(root) && typeof head === "number") return root.filter((_, i) => i !== head);
    if (isObject(root) && typeof head === "string") {
      const copy = { ...root };
      Reflect.deleteProperty(copy, head);
      return copy;
    }
    return root;
  }
  const child = getAt(root, [head]);
  if (child === undefined) return root;
  return setAt(root, [head], unsetAt(child, rest));
}

/** The list at `path` with item `from` moved to `to`. */
export function moveItem(root: unknown, path: Path, from: number, to: number): unknown {
  const list = getAt(root, path);
  if (!Array.isArray(list) || from < 0 || from >= list.length || to < 0 || to >= list.length) return root;
  const next: unknown[] = [...(list as unknown[])];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return setAt(root, path, next);
}

const clone = <T>(v: T): T => structuredClone(v);

/**
 * The value a field starts with when it is set (or a required field when a form is new): the
 * schema's default, else an object with its required children, an empty list, or EMPTY.
 */
export function initialValue(node: FieldNode): unknown {
  const d = node.schema.default;
  if (d !== undefined) return clone(d);
  switch (node.kind) {
    case "object":
    case "range": {
      const out: Record<string, unknown> = {};
      for (const child of node.children) if (!child.optional) out[child.key] = initialValue(child);
      return out;
    }
    case "array":
    case "list":
      return [];
    case "boolean":
      return false;
    case "string":
      return "";
    default:
      return EMPTY;
  }
}

/** What the form holds for a brand-new Strategy. */
export const newSpec = (root: FieldNode): Record<string, unknown> => initialValue(root) as Record<string, unknown>;

/**
 * The spec as sent to CheckStrategy/SaveStrategy: unset fields stay absent and set-but-empty
 * numbers and choices (EMPTY) are left out, so nothing is ever sent as 0 or "" in their place.
 * Text fields keep "" (an empty text is what the user typed, and the server names it). Keys the
 * schema does not know are kept: the server reports them.
 */
export function toServerSpec(node: FieldNode, value: unknown): JsonObject {
  const out = clean(node, value);
  return isObject(out) ? out : {};
}

function clean(node: FieldNode | undefined, value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (node !== undefined && value === EMPTY && (node.kind === "number" || node.kind === "integer" || node.kind === "enum" || node.kind === "boolean")) return undefined;
  if (Array.isArray(value)) {
    return value.map((v) => clean(node?.item, v)).filter((v): v is JsonValue => v !== undefined);
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, v] of Object.entries(value)) {
      const cleaned = clean(node?.children.find((c) => c.key === key), v);
      if (cleaned !== undefined) out[key] = cleaned;
    }
    return out;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return undefined;
  return value as JsonValue;
}

// ---------------------------------------------------------------------------------------------
// Entry rules: which fields an indicator uses (the CRD's CEL rules on EntryRuleSchema say the
// same; a test holds the two together).
// ---------------------------------------------------------------------------------------------

export type EntryParameter = "period" | "fast" | "slow" | "above" | "below" | "multiple";

export interface IndicatorFields {
  /** Needed (the server rejects the rule without them). */
  readonly required: readonly EntryParameter[];
  /** Allowed but optional. */
  readonly optional: readonly EntryParameter[];
  /** Plain-language note on the combination (e.g. rsi needs above or below). */
  readonly note?: string;
}

export const INDICATOR_FIELDS: Readonly<Record<IndicatorName, IndicatorFields>> = {
  rsi: { required: ["period"], optional: ["above", "below"], note: "rsi needs above or below (or both), RSI levels 0–100." },
  sma: { required: ["period"], optional: ["above", "below"] },
  ema: { required: ["period"], optional: ["above", "below"] },
  smaCross: { required: ["fast", "slow"], optional: ["period"] },
  emaCross: { required: ["fast", "slow"], optional: ["period"] },
  atrMove: { required: ["period", "multiple"], optional: [] },
};

export const ENTRY_PARAMETERS: readonly EntryParameter[] = ["period", "fast", "slow", "above", "below", "multiple"];

export const isIndicator = (v: unknown): v is IndicatorName => typeof v === "string" && (INDICATORS as readonly string[]).includes(v);

/** Whether the entry rule's `key` applies to its indicator (non-parameter keys always do). */
export function entryFieldApplies(indicator: unknown, key: string): boolean {
  if (!(ENTRY_PARAMETERS as readonly string[]).includes(key)) return true;
  if (!isIndicator(indicator)) return true;
  const f = INDICATOR_FIELDS[indicator];
  return (f.required as readonly string[]).includes(key) || (f.optional as readonly string[]).includes(key);
}

export function entryFieldRequired(indicator: unknown, key: string): boolean {
  return isIndicator(indicator) && (INDICATOR_FIELDS[indicator].required as readonly string[]).includes(key);
}

/**
 * The rule with a new indicator: parameters the new one does not use are dropped (the server
 * would reject them), parameters it needs are added as EMPTY so the form asks for them, and
 * values that still apply are kept.
 */
export function applyIndicator(rule: unknown, indicator: string): Record<string, unknown> {
  const out: Record<string, unknown> = isObject(rule) ? { ...rule } : {};
  out.indicator = indicator;
  if (!isIndicator(indicator)) return out;
  for (const key of ENTRY_PARAMETERS) {
    if (!entryFieldApplies(indicator, key)) Reflect.deleteProperty(out, key);
    else if (entryFieldRequired(indicator, key) && out[key] === undefined) out[key] = EMPTY;
  }
  return out;
}
