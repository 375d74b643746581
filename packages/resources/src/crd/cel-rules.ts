/**
 * Evaluates a CRD's `x-kubernetes-validations` with @bufbuild/cel, as the API server does with
 * cel-go: `self` is the value at the schema node, `oldSelf` its previous value (transition rules,
 * only on update and only where the old value can be correlated). Values are converted by the
 * schema, so `type: integer` fields are CEL ints and `type: number` fields doubles, as in
 * Kubernetes. Not emulated: the API server's cost budget and its compile-time type check (the
 * rules are type-checked when the CRD is applied to a real cluster).
 */
import { celEnv, isCelError, parse, plan, type CelInput, type CelResult } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import type { ValidationRule } from "./crd-manifests.js";
import { formatPath, isPlainObject, joinFieldPath, type PathSegment } from "./field-path.js";
import type { FieldCause, SchemaNode } from "./schema-tree.js";

type Program = (bindings: Record<string, CelInput>) => CelResult;

interface CompiledRule {
  readonly source: ValidationRule;
  readonly program: Program;
  readonly messageProgram: Program | undefined;
  /** References oldSelf: evaluated only when an old value exists. */
  readonly transition: boolean;
}

// Kubernetes also enables the strings extension library for CRD rules.
const ENV = celEnv({ funcs: strings });

function compile(expression: string, where: string): Program {
  try {
    return plan(ENV, parse(expression));
  } catch (error) {
    throw new Error(`invalid CEL rule at ${where === "" ? "<root>" : where}: ${expression}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Converts JSON to CEL input by the schema (integers become CEL ints, objects maps). */
export function toCelValue(value: unknown, node: SchemaNode | undefined): CelInput {
  if (Array.isArray(value)) return value.map((item) => toCelValue(item, node?.items));
  if (isPlainObject(value)) {
    return new Map(Object.entries(value).map(([key, child]) => [key, toCelValue(child, node?.properties.get(key) ?? node?.additional)]));
  }
  if (typeof value === "number") return node?.schema.type === "integer" && Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === "string" || typeof value === "boolean" || value === null) return value;
  throw new TypeError(`not a JSON value: ${typeof value}`);
}

/** The old item a new list item corresponds to: by key for `map` lists, none otherwise (as Kubernetes). */
function correlatedOldItem(node: SchemaNode, item: unknown, oldList: unknown): unknown {
  if (node.schema["x-kubernetes-list-type"] !== "map" || !Array.isArray(oldList) || !isPlainObject(item)) return undefined;
  const keys = node.schema["x-kubernetes-list-map-keys"] ?? [];
  return oldList.find((old) => isPlainObject(old) && keys.every((key) => old[key] === item[key]));
}

export class CelRuleSet {
  private readonly rules = new Map<SchemaNode, CompiledRule[]>();

  constructor(private readonly root: SchemaNode) {
    this.collect(root, []);
  }

  /** Number of rules compiled (for tests and diagnostics). */
  get size(): number {
    let count = 0;
    for (const rules of this.rules.values()) count += rules.length;
    return count;
  }

  private collect(node: SchemaNode, path: PathSegment[]): void {
    const where = formatPath(path);
    const rules = (node.schema["x-kubernetes-validations"] ?? []).map((source) => ({
      source,
      program: compile(source.rule, where),
      messageProgram: source.messageExpression === undefined ? undefined : compile(source.messageExpression, where),
      transition: /\boldSelf\b/.test(source.rule),
    }));
    if (rules.length > 0) this.rules.set(node, rules);
    for (const [key, child] of node.properties) this.collect(child, [...path, key]);
    if (node.items !== undefined) this.collect(node.items, [...path, 0]);
    if (node.additional !== undefined) this.collect(node.additional, [...path, "*"]);
  }

  /**
   * Causes of every failing rule. `hasSchemaErrors(path)` says the node or something below it
   * already failed schema validation: a rule that then cannot be evaluated (a wrong type, a
   * missing field) would only restate that error, so it is dropped; a rule that is false is kept.
   */
  evaluate(value: unknown, oldValue: unknown, hasSchemaErrors: (path: string) => boolean): FieldCause[] {
    const causes: FieldCause[] = [];
    this.walk(this.root, value, oldValue, [], hasSchemaErrors, causes);
    return causes;
  }

  private walk(node: SchemaNode, value: unknown, oldValue: unknown, path: PathSegment[], hasSchemaErrors: (path: string) => boolean, causes: FieldCause[]): void {
    if (value === undefined) return;
    const where = formatPath(path);
    const rules = this.rules.get(node);
    if (rules !== undefined) {
      const self = toCelValue(value, node);
      const oldSelf = oldValue === undefined ? undefined : toCelValue(oldValue, node);
      for (const rule of rules) {
        if (rule.transition && oldSelf === undefined) continue;
        const outcome = this.run(rule, oldSelf === undefined ? { self } : { self, oldSelf }, where);
        if (outcome !== undefined && !(outcome.evaluationError && hasSchemaErrors(where))) causes.push(outcome.cause);
      }
    }
    if (Array.isArray(value)) {
      const items = node.items;
      if (items !== undefined) value.forEach((item, i) => { this.walk(items, item, correlatedOldItem(node, item, oldValue), [...path, i], hasSchemaErrors, causes); });
      return;
    }
    if (!isPlainObject(value)) return;
    const old = isPlainObject(oldValue) ? oldValue : undefined;
    for (const [key, child] of Object.entries(value)) {
      const childNode = node.properties.get(key) ?? node.additional;
      if (childNode !== undefined) this.walk(childNode, child, old?.[key], [...path, key], hasSchemaErrors, causes);
    }
  }

  private run(rule: CompiledRule, bindings: Record<string, CelInput>, where: string): { cause: FieldCause; evaluationError: boolean } | undefined {
    const field = joinFieldPath(where, rule.source.fieldPath);
    const broken = (why: string) => ({ cause: { field, message: `rule could not be evaluated (${why}): ${rule.source.rule}` }, evaluationError: true });
    let result: CelResult;
    try {
      result = rule.program(bindings);
    } catch (error) {
      return broken(error instanceof Error ? error.message : String(error));
    }
    if (result === true) return undefined;
    if (isCelError(result)) return broken(result.message);
    if (result !== false) return broken("not a boolean");
    return { cause: { field, message: this.message(rule, bindings) }, evaluationError: false };
  }

  private message(rule: CompiledRule, bindings: Record<string, CelInput>): string {
    if (rule.messageProgram !== undefined) {
      const text = rule.messageProgram(bindings);
      if (typeof text === "string" && text !== "") return text;
    }
    return rule.source.message ?? `failed rule: ${rule.source.rule}`;
  }
}
