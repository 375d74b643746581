import type { CustomResourceDefinition, JsonSchemaProps } from "./crd-manifests.js";
import { strategyCrd, tradeCrd } from "./crd-manifests.js";

/** Where docs/operator.md keeps the generated field reference. */
export const FIELD_REFERENCE_MARKERS = { start: "<!-- crd-field-reference:start -->", end: "<!-- crd-field-reference:end -->" } as const;

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function typeText(schema: JsonSchemaProps): string {
  const base = schema.enum !== undefined ? schema.enum.map(String).join(" \\| ") : (schema.type ?? "");
  const range = schema.minimum !== undefined || schema.maximum !== undefined
    ? ` ${schema.minimum === undefined ? "" : String(schema.minimum)}–${schema.maximum === undefined ? "" : String(schema.maximum)}`
    : "";
  return `${base}${range}`;
}

function defaultText(schema: JsonSchemaProps): string {
  if (schema.default === undefined) return "";
  // JSON for every default: objects read as in a manifest, scalars as themselves (strings unquoted).
  return typeof schema.default === "string" ? `\`${schema.default}\`` : `\`${JSON.stringify(schema.default)}\``;
}

function rows(schema: JsonSchemaProps, path: string, out: string[]): void {
  if (schema.type === "array" && schema.items !== undefined) {
    rows(schema.items, `${path}[]`, out);
    return;
  }
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    const childPath = `${path}.${name}`;
    const rules = (child["x-kubernetes-validations"] ?? []).map((r) => r.message ?? r.rule);
    const meaning = [child.description ?? "", ...rules.map((r) => `Rule: ${r}.`)].filter((t) => t !== "").join(" ");
    out.push(`| \`${childPath}\` | ${cell(typeText(child))} | ${cell(defaultText(child))} | ${cell(meaning)} |`);
    rows(child, childPath, out);
  }
}

function section(crd: CustomResourceDefinition, part: "spec" | "status"): string {
  const version = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
  const schema = version?.schema.openAPIV3Schema.properties?.[part];
  const out = [`#### ${crd.spec.names.kind} \`${part}\``, "", "| field | type | default | meaning |", "|---|---|---|---|"];
  if (schema !== undefined) rows(schema, part, out);
  return out.join("\n");
}

/**
 * The field-by-field reference of both CRDs as Markdown tables, rendered from the schemas that
 * ship, so docs/operator.md cannot drift from them (a test compares; `npm run generate:crds`
 * rewrites the block).
 */
export function renderFieldReference(): string {
  return [strategyCrd(), tradeCrd()].flatMap((crd) => [section(crd, "spec"), section(crd, "status")]).join("\n\n") + "\n";
}

/** `doc` with the block between the markers replaced by the current reference. */
export function withFieldReference(doc: string): string {
  const start = doc.indexOf(FIELD_REFERENCE_MARKERS.start);
  const end = doc.indexOf(FIELD_REFERENCE_MARKERS.end);
  if (start < 0 || end < start) throw new Error(`the document has no ${FIELD_REFERENCE_MARKERS.start} … ${FIELD_REFERENCE_MARKERS.end} block`);
  return `${doc.slice(0, start + FIELD_REFERENCE_MARKERS.start.length)}\n${renderFieldReference()}${doc.slice(end)}`;
}
