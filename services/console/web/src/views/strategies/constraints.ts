/**
 * Client-side checks with the CRD's own rules, read from the schema: type, bounds (inclusive or
 * exclusive), pattern, enum, length, item count, set uniqueness, required fields, unknown fields,
 * and a range's min ≤ max. The CEL rules that tie fields together are left to the server's
 * CheckStrategy; these run on every keystroke.
 */
import { isLeaf, patternWords, type FieldNode } from "./schema-fields";
import { EMPTY } from "./spec-model";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const show = (n: number): string => String(n);

/** Problems of one leaf value (undefined = unset, checked by the parent's `required`). */
export function checkLeaf(node: FieldNode, value: unknown): string[] {
  if (value === undefined) return [];
  const s = node.schema;
  switch (node.kind) {
    case "number":
    case "integer": {
      if (value === EMPTY) return [node.optional ? "Enter a number, or untick “set” to leave it unset." : "Enter a number."];
      if (typeof value !== "number" || !Number.isFinite(value)) return ["Must be a number."];
      const out: string[] = [];
      if (node.kind === "integer" && !Number.isInteger(value)) out.push("Must be a whole number.");
      if (s.minimum !== undefined) {
        if (s.exclusiveMinimum === true && value <= s.minimum) out.push(`Must be greater than ${show(s.minimum)}.`);
        else if (value < s.minimum) out.push(`Must be at least ${show(s.minimum)}.`);
      }
      if (s.maximum !== undefined) {
        if (s.exclusiveMaximum === true && value >= s.maximum) out.push(`Must be less than ${show(s.maximum)}.`);
        else if (value > s.maximum) out.push(`Must be at most ${show(s.maximum)}.`);
      }
      return out;
    }
    case "enum": {
      const allowed = s.enum ?? [];
      if (value === EMPTY) return ["Choose a value."];
      return allowed.includes(value) ? [] : [`Must be one of: ${allowed.map(String).join(", ")}.`];
    }
    case "boolean":
      return typeof value === "boolean" ? [] : ["Must be true or false."];
    case "string":
      return checkString(node, value);
    case "list":
      return checkList(node, value);
    default:
      return [];
  }
}

function checkString(node: FieldNode, value: unknown): string[] {
  const s = node.schema;
  if (typeof value !== "string") return ["Must be text."];
  const out: string[] = [];
  if (s.minLength !== undefined && value.length < s.minLength) out.push(value === "" ? "Required." : `At least ${s.minLength} characters.`);
  if (s.maxLength !== undefined && value.length > s.maxLength) out.push(`At most ${s.maxLength} characters.`);
  if (s.pattern !== undefined && !new RegExp(s.pattern).test(value)) out.push(value === "" ? `Enter ${patternWords(s.pattern)}.` : `Must be ${patternWords(s.pattern)}.`);
  return out;
}

function checkList(node: FieldNode, value: unknown): string[] {
  const s = node.schema;
  if (!Array.isArray(value)) return ["Must be a list."];
  const out: string[] = [];
  if (s.maxItems !== undefined && value.length > s.maxItems) out.push(`At most ${s.maxItems} items (has ${value.length}).`);
  if (s.minItems !== undefined && value.length < s.minItems) out.push(`At least ${s.minItems} items.`);
  if (s["x-kubernetes-list-type"] === "set") {
    const seen = new Set<string>();
    const dupes = new Set<string>();
    for (const v of value) {
      const k = JSON.stringify(v);
      if (seen.has(k)) dupes.add(String(v));
      seen.add(k);
    }
    if (dupes.size > 0) out.push(`Each value once; repeated: ${[...dupes].join(", ")}.`);
  }
  const item = node.item;
  if (item !== undefined) {
    for (const v of value) {
      for (const problem of checkLeaf(item, v)) out.push(`${JSON.stringify(v)}: ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`);
    }
  }
  return out;
}

export type Problems = ReadonlyMap<string, readonly string[]>;

function add(out: Map<string, string[]>, path: string, message: string): void {
  const list = out.get(path);
  if (list === undefined) out.set(path, [message]);
  else if (!list.includes(message)) list.push(message);
}

const join = (base: string, key: string | number): string => (base === "" ? String(key) : `${base}.${String(key)}`);

/**
 * Every problem of `value` against the tree, keyed by concrete path ("entry.0.period"; "" for
 * the spec itself). Required fields that are missing are reported on their own path.
 */
export function validateSpec(node: FieldNode, value: unknown, path = ""): Map<string, string[]> {
  const out = new Map<string, string[]>();
  walk(node, value, path, out);
  return out;
}

function walk(node: FieldNode, value: unknown, path: string, out: Map<string, string[]>): void {
  if (value === undefined) return;
  if (isLeaf(node)) {
    for (const p of checkLeaf(node, value)) add(out, path, p);
    return;
  }
  if (node.kind === "array") {
    if (!Array.isArray(value)) { add(out, path, "Must be a list."); return; }
    const s = node.schema;
    if (s.maxItems !== undefined && value.length > s.maxItems) add(out, path, `At most ${s.maxItems} items (has ${value.length}).`);
    if (s.minItems !== undefined && value.length < s.minItems) add(out, path, `At least ${s.minItems} items.`);
    const item = node.item;
    if (item !== undefined) value.forEach((v, i) => { walk(item, v, join(path, i), out); });
    return;
  }
  // object or range
  if (!isObject(value)) { add(out, path, "Must be an object (a set of fields)."); return; }
  const known = new Set(node.children.map((c) => c.key));
  for (const key of Object.keys(value)) {
    if (!known.has(key)) add(out, path, `Unknown field “${key}”: the schema has ${[...known].join(", ")}.`);
  }
  for (const child of node.children) {
    const childValue = value[child.key];
    if (childValue === undefined) {
      if (!child.optional) add(out, join(path, child.key), "Required.");
      continue;
    }
    walk(child, childValue, join(path, child.key), out);
  }
  if (node.kind === "range") {
    const { min, max } = value;
    if (typeof min === "number" && typeof max === "number" && min > max) {
      // The CRD's MIN_LE_MAX rule, worded as the API server words it, on `min`.
      add(out, join(path, "min"), `min (${show(min)}) must be less than or equal to max (${show(max)})`);
    }
  }
}

/** Total count of problems. */
export const problemCount = (problems: Problems): number => [...problems.values()].reduce((n, list) => n + list.length, 0);
