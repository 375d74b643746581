/**
 * TypeBox builders that emit the Kubernetes dialect of OpenAPI v3 (apiextensions.k8s.io/v1
 * JSONSchemaProps), not JSON Schema draft 2019+: TypeBox's own `Type.Number({ exclusiveMinimum })`
 * writes a number where Kubernetes expects a boolean, and `Type.Union` of literals writes
 * `anyOf`/`const`, which a structural schema cannot use. Every builder takes the description
 * first, so a field without one does not compile.
 */
import { Type, type TArray, type TObject, type TProperties, type TSchema, type TUnsafe } from "@sinclair/typebox";

/** One `x-kubernetes-validations` entry (a CEL rule the API server evaluates with `self`). */
export interface CelRule {
  /** CEL expression that must be true; `self` is the value at the node, `oldSelf` its previous value (transition rule). */
  readonly rule: string;
  /** Shown when the rule is false. */
  readonly message: string;
  /** CEL expression evaluating to the message (shown instead of `message` when it evaluates). */
  readonly messageExpression?: string;
  /** JSONPath-like path, relative to the node, of the field the error is reported on, e.g. ".min". */
  readonly fieldPath?: string;
  readonly reason?: "FieldValueInvalid" | "FieldValueForbidden" | "FieldValueRequired" | "FieldValueDuplicate";
}

interface NumericOptions {
  readonly minimum?: number;
  readonly maximum?: number;
  /** The minimum itself is not allowed (Kubernetes' boolean form). */
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly default?: number;
}

const defined = <T extends object>(options: T): Partial<T> =>
  Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;

/** A real number (`type: number`, a double in CEL). */
export const numberField = (description: string, options: NumericOptions = {}): TUnsafe<number> =>
  Type.Unsafe<number>({ type: "number", description, ...defined(options) });

/** A whole number (`type: integer`, an int in CEL). */
export const integerField = (description: string, options: NumericOptions & { readonly format?: "int32" | "int64" } = {}): TUnsafe<number> =>
  Type.Unsafe<number>({ type: "integer", description, ...defined(options) });

interface StringOptions {
  readonly pattern?: string;
  readonly minLength?: number;
  /** Always set where a CEL rule reads the string: the API server's cost estimate needs it. */
  readonly maxLength?: number;
  readonly format?: "date-time" | "date";
  readonly default?: string;
  readonly rules?: readonly CelRule[];
}

export const stringField = (description: string, options: StringOptions = {}): TUnsafe<string> => {
  const { rules, ...rest } = options;
  return Type.Unsafe<string>({ type: "string", description, ...defined(rest), ...celRules(rules) });
};

export const booleanField = (description: string, defaultValue?: boolean): TUnsafe<boolean> =>
  Type.Unsafe<boolean>({ type: "boolean", description, ...defined({ default: defaultValue }) });

/** A string restricted to `values` (`enum`, which Kubernetes allows where `const`/`anyOf` are not). */
export const enumField = <const Values extends readonly [string, ...string[]]>(
  values: Values,
  description: string,
  defaultValue?: Values[number],
): TUnsafe<Values[number]> => Type.Unsafe<Values[number]>({ type: "string", enum: [...values], description, ...defined({ default: defaultValue }) });

interface ObjectOptions {
  readonly rules?: readonly CelRule[];
  /** Applied by the API server when the field is absent (its own defaults then apply inside). */
  readonly default?: Record<string, unknown>;
}

export const objectField = <Properties extends TProperties>(description: string, properties: Properties, options: ObjectOptions = {}): TObject<Properties> =>
  Type.Object(properties, { description, ...defined({ default: options.default }), ...celRules(options.rules) });

interface ArrayOptions {
  readonly minItems?: number;
  /** Always set where a CEL rule iterates the list: the API server's cost estimate needs it. */
  readonly maxItems?: number;
  /** `set`: items unique; `map`: items unique by `mapKeys`; `atomic`: replaced as a whole. */
  readonly listType?: "atomic" | "set" | "map";
  readonly mapKeys?: readonly string[];
  readonly rules?: readonly CelRule[];
}

export const arrayField = <Item extends TSchema>(description: string, items: Item, options: ArrayOptions = {}): TArray<Item> =>
  Type.Array(items, {
    description,
    ...defined({ minItems: options.minItems, maxItems: options.maxItems }),
    ...(options.listType === undefined ? {} : { "x-kubernetes-list-type": options.listType }),
    ...(options.mapKeys === undefined ? {} : { "x-kubernetes-list-map-keys": [...options.mapKeys] }),
    ...celRules(options.rules),
  });

function celRules(rules: readonly CelRule[] | undefined): Record<string, unknown> {
  return rules === undefined || rules.length === 0 ? {} : { "x-kubernetes-validations": rules.map((rule) => ({ ...rule })) };
}

/** `min ≤ max` when both are set, reported on `min` with both values. */
export const MIN_LE_MAX: CelRule = {
  rule: "!has(self.min) || !has(self.max) || self.min <= self.max",
  message: "min must be less than or equal to max",
  messageExpression: "'min (' + string(self.min) + ') must be less than or equal to max (' + string(self.max) + ')'",
  fieldPath: ".min",
  reason: "FieldValueInvalid",
};

/**
 * An inclusive range `{ min?, max? }` whose bounds share one unit and limits; an unset bound is
 * open. Every range carries the min ≤ max rule.
 */
export function rangeField(description: string, bound: (which: "min" | "max") => TUnsafe<number>) {
  return objectField(description, { min: Type.Optional(bound("min")), max: Type.Optional(bound("max")) }, { rules: [MIN_LE_MAX] });
}
