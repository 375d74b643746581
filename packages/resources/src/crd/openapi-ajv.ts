/**
 * Ajv 8 for the Kubernetes dialect of OpenAPI v3: translates what draft-07 reads differently
 * (boolean `exclusiveMinimum`/`exclusiveMaximum`, `nullable`) and turns Ajv's errors into
 * causes that name the field and say what was expected and what was given.
 */
import { Ajv, type ErrorObject, type SchemaObject, type ValidateFunction } from "ajv";
import type { JsonSchemaProps } from "./crd-manifests.js";
import { formatPath, jsonTypeOf, showValue, type PathSegment } from "./field-path.js";
import type { FieldCause } from "./schema-tree.js";

/** The dialect difference only: `x-kubernetes-*` keys are left for Ajv to ignore (strict: false). */
export function toAjvSchema(schema: JsonSchemaProps): SchemaObject {
  const out: SchemaObject = { ...schema };
  if (schema.exclusiveMinimum === true && schema.minimum !== undefined) {
    out.exclusiveMinimum = schema.minimum;
    delete out.minimum;
  } else delete out.exclusiveMinimum;
  if (schema.exclusiveMaximum === true && schema.maximum !== undefined) {
    out.exclusiveMaximum = schema.maximum;
    delete out.maximum;
  } else delete out.exclusiveMaximum;
  if (schema.nullable === true && schema.type !== undefined) out.type = [schema.type, "null"];
  delete out.nullable;
  if (schema.properties !== undefined) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([key, child]) => [key, toAjvSchema(child)]));
  if (schema.items !== undefined) out.items = toAjvSchema(schema.items);
  if (typeof schema.additionalProperties === "object") out.additionalProperties = toAjvSchema(schema.additionalProperties);
  return out;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Compiles the translated schema; defaults are applied while validating, as the API server defaults before it validates. */
export function compileAjv(schema: JsonSchemaProps): ValidateFunction {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    useDefaults: true,
    verbose: true,
    logger: false,
    // The formats Kubernetes validates that these CRDs use; the number formats only document width.
    formats: { "date-time": RFC3339, date: DATE, int32: true, int64: true, double: true, float: true },
  });
  return ajv.compile(toAjvSchema(schema));
}

function pathOf(error: ErrorObject): PathSegment[] {
  if (error.instancePath === "") return [];
  return error.instancePath
    .slice(1)
    .split("/")
    .map((raw) => raw.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

const ARTICLE: Record<string, string> = { integer: "an integer", number: "a number", string: "a string", boolean: "a boolean", object: "an object", array: "an array", null: "null" };

function bounds(schema: SchemaObject): string {
  const parts: string[] = [];
  const lower: unknown = schema.exclusiveMinimum ?? schema.minimum;
  const upper: unknown = schema.exclusiveMaximum ?? schema.maximum;
  if (typeof lower === "number") parts.push(`${schema.exclusiveMinimum === undefined ? "≥" : ">"} ${lower}`);
  if (typeof upper === "number") parts.push(`${schema.exclusiveMaximum === undefined ? "≤" : "<"} ${upper}`);
  return parts.join(" and ");
}

function expectedType(schema: SchemaObject): string {
  const type: unknown = schema.type;
  const names = (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === "string");
  return names.map((name) => ARTICLE[name] ?? name).join(" or ");
}

function messageOf(error: ErrorObject): string {
  const data: unknown = error.data;
  const schema = (error.parentSchema ?? {}) as SchemaObject;
  const given = showValue(data);
  switch (error.keyword) {
    case "required":
      return "Required value";
    case "type":
      return `expected ${expectedType(schema)}, got ${jsonTypeOf(data)} ${given}`;
    case "enum": {
      const allowed = Array.isArray(schema.enum) ? schema.enum.map(showValue).join(", ") : "";
      return `Unsupported value ${given}: expected one of ${allowed}`;
    }
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `expected ${expectedType(schema)} ${bounds(schema)}, got ${given}`;
    case "pattern":
      return `expected a string matching ${String(schema.pattern)}, got ${given}`;
    case "format":
      return `expected ${schema.format === "date-time" ? "an RFC 3339 date-time" : `format ${String(schema.format)}`}, got ${given}`;
    case "minLength":
    case "maxLength":
      return `expected ${error.keyword === "minLength" ? "at least" : "at most"} ${String(error.params.limit)} characters, got ${typeof data === "string" ? data.length : given}`;
    case "minItems":
    case "maxItems":
      return `expected ${error.keyword === "minItems" ? "at least" : "at most"} ${String(error.params.limit)} items, got ${Array.isArray(data) ? data.length : given}`;
    default:
      return error.message ?? `failed ${error.keyword}`;
  }
}

/** One cause per Ajv error; a missing property is reported on the property itself. */
export function ajvCauses(errors: readonly ErrorObject[] | null | undefined): FieldCause[] {
  return (errors ?? []).map((error) => {
    const path = pathOf(error);
    if (error.keyword === "required") path.push(String(error.params.missingProperty));
    return { field: formatPath(path), message: messageOf(error) };
  });
}
