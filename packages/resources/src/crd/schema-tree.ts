/**
 * What the API server does to a custom resource besides OpenAPI validation and CEL: prune fields
 * the schema does not know (and nulls of non-nullable fields, which are dropped so defaults can
 * apply), and enforce `x-kubernetes-list-type` set/map uniqueness (structural schemas may not
 * use `uniqueItems`).
 */
import type { JsonSchemaProps } from "./crd-manifests.js";
import { formatPath, isPlainObject, showValue, type PathSegment } from "./field-path.js";

export interface FieldCause {
  /** Path of the field, e.g. `spec.risk.maxOpenTrades`. */
  readonly field: string;
  /** What is wrong: the expected form and the value given. */
  readonly message: string;
}

/** A schema node with its children resolved once. */
export interface SchemaNode {
  readonly schema: JsonSchemaProps;
  readonly properties: ReadonlyMap<string, SchemaNode>;
  readonly items: SchemaNode | undefined;
  readonly additional: SchemaNode | undefined;
  /** Unknown fields are kept (x-kubernetes-preserve-unknown-fields, or the API server's own metadata). */
  readonly preserveUnknown: boolean;
}

export function buildSchemaTree(schema: JsonSchemaProps, isRootMetadata = false): SchemaNode {
  const properties = new Map<string, SchemaNode>();
  for (const [key, child] of Object.entries(schema.properties ?? {})) properties.set(key, buildSchemaTree(child));
  return {
    schema,
    properties,
    items: schema.items === undefined ? undefined : buildSchemaTree(schema.items),
    additional: typeof schema.additionalProperties === "object" ? buildSchemaTree(schema.additionalProperties) : undefined,
    preserveUnknown: isRootMetadata || schema["x-kubernetes-preserve-unknown-fields"] === true || schema.additionalProperties === true,
  };
}

/** The root's `metadata` belongs to the API server: never pruned here. */
export function buildRootTree(schema: JsonSchemaProps): SchemaNode {
  const root = buildSchemaTree(schema);
  const metadata = schema.properties?.metadata;
  if (metadata === undefined) return root;
  const properties = new Map(root.properties);
  properties.set("metadata", buildSchemaTree(metadata, true));
  return { ...root, properties };
}

/**
 * Removes unknown fields and nulls in place; returns the paths of the unknown fields removed
 * (nulls are dropped silently, as the API server does).
 */
export function pruneUnknownFields(node: SchemaNode, value: unknown, path: PathSegment[] = []): string[] {
  const unknown: string[] = [];
  if (Array.isArray(value)) {
    const items = node.items;
    if (items !== undefined) value.forEach((item, i) => unknown.push(...pruneUnknownFields(items, item, [...path, i])));
    return unknown;
  }
  if (!isPlainObject(value) || node.preserveUnknown) return unknown;
  for (const key of Object.keys(value)) {
    const child = node.properties.get(key) ?? node.additional;
    if (child === undefined) {
      unknown.push(formatPath([...path, key]));
      Reflect.deleteProperty(value, key);
    } else if (value[key] === null && child.schema.nullable !== true) {
      Reflect.deleteProperty(value, key);
    } else {
      unknown.push(...pruneUnknownFields(child, value[key], [...path, key]));
    }
  }
  return unknown;
}

/** Duplicate items of `set` lists and duplicate keys of `map` lists. */
export function listUniquenessCauses(node: SchemaNode, value: unknown, path: PathSegment[] = []): FieldCause[] {
  const causes: FieldCause[] = [];
  if (Array.isArray(value)) {
    const listType = node.schema["x-kubernetes-list-type"];
    const keys = node.schema["x-kubernetes-list-map-keys"] ?? [];
    const seen = new Set<string>();
    value.forEach((item, i) => {
      let identity: string | undefined;
      if (listType === "set") identity = JSON.stringify(item);
      else if (listType === "map" && isPlainObject(item)) identity = JSON.stringify(keys.map((key) => item[key]));
      if (identity !== undefined) {
        if (seen.has(identity)) {
          const shown = listType === "map" && isPlainObject(item) ? keys.map((key) => `${key}=${showValue(item[key])}`).join(", ") : showValue(item);
          causes.push({ field: formatPath([...path, i]), message: `Duplicate value: ${shown}` });
        }
        seen.add(identity);
      }
      if (node.items !== undefined) causes.push(...listUniquenessCauses(node.items, item, [...path, i]));
    });
    return causes;
  }
  if (!isPlainObject(value)) return causes;
  for (const [key, child] of Object.entries(value)) {
    const childNode = node.properties.get(key) ?? node.additional;
    if (childNode !== undefined) causes.push(...listUniquenessCauses(childNode, child, [...path, key]));
  }
  return causes;
}
