/**
 * Walks the Strategy CRD's spec schema (the TypeBox schema in @spreadops/resources, which is
 * plain Kubernetes-dialect JSON schema) into a tree of form fields: every leaf of the schema
 * becomes exactly one input, with its path in CR terms (without "spec."), its constraints and its
 * description. The editor renders this tree, so a field added to the CRD shows up in the form.
 */
import {
  DATE_PATTERN,
  DURATION_PATTERN,
  HH_MM_PATTERN,
  OBJECT_NAME_PATTERN,
  StrategySpecSchema,
  SYMBOL_PATTERN,
  TIME_ZONE_PATTERN,
} from "@spreadops/resources/schema";

/** One `x-kubernetes-validations` entry: a CEL rule the API server (and the console server) evaluates. */
export interface CelRuleJson {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
}

/** The subset of the Kubernetes JSON schema dialect the CRD uses. */
export interface JsonSchema {
  readonly type?: "object" | "array" | "string" | "number" | "integer" | "boolean";
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  /** Kubernetes' boolean form: the minimum itself is not allowed. */
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly default?: unknown;
  readonly format?: string;
  readonly "x-kubernetes-validations"?: readonly CelRuleJson[];
  readonly "x-kubernetes-list-type"?: string;
}

/**
 * - object: a fieldset of children; range: an object of exactly optional `min`/`max` numbers
 *   (rangeField), rendered as a dual-handle range input; array: a repeatable group of objects;
 *   list: an array of scalars (one text input);
 * - the rest are leaves (one input each).
 */
export type FieldKind = "object" | "range" | "array" | "list" | "number" | "integer" | "string" | "enum" | "boolean";

export interface FieldNode {
  readonly kind: FieldKind;
  /** Property name; "" for the root, "*" for an array's item. */
  readonly key: string;
  /** Template path in CR terms without "spec.", array items as "*": "entry.*.period". */
  readonly path: string;
  readonly label: string;
  readonly description: string | undefined;
  /** Absent from the parent's `required` (array items are never optional). */
  readonly optional: boolean;
  readonly schema: JsonSchema;
  /** Children of an object or range, in schema order. */
  readonly children: readonly FieldNode[];
  /** The item of an array or list. */
  readonly item: FieldNode | undefined;
}

export const LEAF_KINDS: ReadonlySet<FieldKind> = new Set(["list", "number", "integer", "string", "enum", "boolean"]);

export const isLeaf = (node: FieldNode): boolean => LEAF_KINDS.has(node.kind);

const ACRONYMS: Readonly<Record<string, string>> = { iv: "IV", dte: "DTE", atr: "ATR", pnl: "P&L", ema: "EMA", sma: "SMA", rsi: "RSI", usd: "USD" };

/** Labels the key's words do not say well. */
const LABELS: Readonly<Record<string, string>> = {
  entry: "Entry rules",
  dte: "Days to expiry (DTE)",
  shortDelta: "Short-leg |delta|",
  longDelta: "Long-leg |delta|",
  width: "Strike width",
  minAvgVolume: "Min average volume",
  thetaAbove: "Theta at least",
  atDte: "At DTE",
  every: "Every",
  onDelete: "On delete",
};

/** "minIvPercentile" → "Min IV percentile". */
export function humanize(key: string): string {
  const override = LABELS[key];
  if (override !== undefined) return override;
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").split(" ").map((w) => w.toLowerCase());
  const text = words.map((w) => ACRONYMS[w] ?? w).join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isRange(schema: JsonSchema): boolean {
  const props = schema.properties;
  if (schema.type !== "object" || props === undefined) return false;
  const keys = Object.keys(props).sort();
  if (keys.length !== 2 || keys[0] !== "max" || keys[1] !== "min") return false;
  const required = schema.required ?? [];
  const numeric = (s: JsonSchema | undefined) => s?.type === "number" || s?.type === "integer";
  return required.length === 0 && numeric(props.min) && numeric(props.max) && props.min?.type === props.max?.type;
}

function kindOf(schema: JsonSchema): FieldKind {
  switch (schema.type) {
    case "object": return isRange(schema) ? "range" : "object";
    case "array": return schema.items?.type === "object" ? "array" : "list";
    case "number": return "number";
    case "integer": return "integer";
    case "boolean": return "boolean";
    case "string": return schema.enum === undefined ? "string" : "enum";
    case undefined: throw new Error(`schema without a type: ${JSON.stringify(schema).slice(0, 80)}`);
  }
}

const joinPath = (base: string, key: string): string => (base === "" ? key : `${base}.${key}`);

export function buildFieldTree(schema: JsonSchema, key = "", path = "", optional = false): FieldNode {
  const kind = kindOf(schema);
  const required = new Set(schema.required ?? []);
  const children = kind === "object" || kind === "range"
    ? Object.entries(schema.properties ?? {}).map(([childKey, child]) => buildFieldTree(child, childKey, joinPath(path, childKey), !required.has(childKey)))
    : [];
  const item = (kind === "array" || kind === "list") && schema.items !== undefined ? buildFieldTree(schema.items, "*", joinPath(path, "*"), false) : undefined;
  return { kind, key, path, label: key === "" ? "Spec" : humanize(key), description: schema.description, optional, schema, children, item };
}

/** The Strategy spec's field tree (built once). */
export const STRATEGY_SPEC_JSON = StrategySpecSchema as unknown as JsonSchema;
export const SPEC_TREE: FieldNode = buildFieldTree(STRATEGY_SPEC_JSON);

/** Every leaf (one input each), depth first in schema order; an array's item leaves appear once, under "*". */
export function leafFields(node: FieldNode): FieldNode[] {
  if (isLeaf(node)) return [node];
  if (node.kind === "array") return node.item === undefined ? [] : leafFields(node.item);
  return node.children.flatMap(leafFields);
}

/** Every node, depth first. */
export function allNodes(node: FieldNode): FieldNode[] {
  const below = node.kind === "array" && node.item !== undefined ? allNodes(node.item) : node.children.flatMap(allNodes);
  return [node, ...below];
}

/** The node at a concrete path ("entry.0.period", or segments); undefined when the schema has none. */
export function findNode(root: FieldNode, path: string | readonly (string | number)[]): FieldNode | undefined {
  const segments = typeof path === "string" ? (path === "" ? [] : path.split(".")) : path.map(String);
  let node: FieldNode | undefined = root;
  for (const segment of segments) {
    if (node === undefined) return undefined;
    if (node.kind === "array" || node.kind === "list") {
      node = /^\d+$/.test(segment) || segment === "*" ? node.item : undefined;
    } else {
      node = node.children.find((c) => c.key === segment);
    }
  }
  return node;
}

/** Plain words for the CRD's patterns (the pattern itself is shown when unknown). */
const PATTERN_WORDS: Readonly<Record<string, string>> = {
  [SYMBOL_PATTERN]: "an upper-case ticker such as SPY or BRK.B",
  [HH_MM_PATTERN]: "a 24-hour time HH:MM such as 09:45",
  [DURATION_PATTERN]: "a duration such as 20s, 5m or 1h30m (units ms, s, m, h)",
  [TIME_ZONE_PATTERN]: "an IANA time zone such as America/New_York",
  [DATE_PATTERN]: "a date YYYY-MM-DD",
  [OBJECT_NAME_PATTERN]: "lower-case letters, digits, '-' and '.', starting and ending with a letter or digit",
};

export function patternWords(pattern: string): string {
  return PATTERN_WORDS[pattern] ?? `text matching ${pattern}`;
}

/** A rule placed on the field it reports on (its node's path plus the rule's fieldPath). */
export interface PlacedRule {
  readonly path: string;
  readonly message: string;
  readonly rule: string;
}

/**
 * Where each CEL rule of the tree reports: `{path, message}` with the template path of the field
 * the API server names in its error ("schedule.window.start" for the window rule).
 */
export function placeRules(root: FieldNode): PlacedRule[] {
  const out: PlacedRule[] = [];
  for (const node of allNodes(root)) {
    for (const rule of node.schema["x-kubernetes-validations"] ?? []) {
      const relative = (rule.fieldPath ?? "").replace(/^\./, "").replace(/\[(\d+)\]/g, ".$1");
      const path = relative === "" ? node.path : joinPath(node.path, relative);
      out.push({ path, message: rule.message ?? rule.rule, rule: rule.rule });
    }
  }
  return out;
}

/** "entry.3.period" → "entry.*.period" (the template path of a concrete one). */
export function templatePath(concrete: string): string {
  return concrete.split(".").map((s) => (/^\d+$/.test(s) ? "*" : s)).join(".");
}
