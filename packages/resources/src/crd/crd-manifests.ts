/**
 * The two apiextensions.k8s.io/v1 CustomResourceDefinitions, built from the TypeBox schemas, and
 * their YAML. `kubectl apply -f k8s/crds/` installs exactly what `crdFiles()` renders (a test
 * fails when the committed files drift from it).
 */
import type { TSchema } from "@sinclair/typebox";
import { stringify } from "yaml";
import { StrategyObjectSchema, TradeObjectSchema } from "./schema.js";
import { GROUP, STRATEGY, TRADE, VERSION } from "./types.js";

/** An OpenAPI v3 schema node in the Kubernetes dialect, with its JSON keys as the API server reads them. */
export interface JsonSchemaProps {
  type?: "object" | "array" | "string" | "number" | "integer" | "boolean";
  description?: string;
  properties?: Record<string, JsonSchemaProps>;
  required?: string[];
  items?: JsonSchemaProps;
  additionalProperties?: JsonSchemaProps | boolean;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  nullable?: boolean;
  "x-kubernetes-validations"?: ValidationRule[];
  "x-kubernetes-list-type"?: "atomic" | "set" | "map";
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
}

export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: string;
  optionalOldSelf?: boolean;
}

export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: JsonSchemaProps };
  subresources?: { status?: Record<string, never> };
  additionalPrinterColumns?: PrinterColumn[];
}

export interface CustomResourceDefinition {
  apiVersion: "apiextensions.k8s.io/v1";
  kind: "CustomResourceDefinition";
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    group: string;
    names: { kind: string; listKind: string; plural: string; singular: string; shortNames?: string[]; categories?: string[] };
    scope: "Namespaced" | "Cluster";
    versions: CrdVersion[];
  };
}

const LEADING_KEYS = ["type", "description"];
const TRAILING_KEYS = ["x-kubernetes-validations", "required", "properties", "items"];

/** Type and description first, children last: the order people read a CRD in. */
function orderKeys(node: JsonSchemaProps): JsonSchemaProps {
  const entries = Object.entries(node);
  const rank = (key: string): number => (LEADING_KEYS.includes(key) ? LEADING_KEYS.indexOf(key) - LEADING_KEYS.length : TRAILING_KEYS.includes(key) ? TRAILING_KEYS.indexOf(key) + 1 : 0);
  const sorted = entries.sort(([a], [b]) => rank(a) - rank(b));
  const out = Object.fromEntries(sorted) as JsonSchemaProps;
  if (node.properties !== undefined) out.properties = Object.fromEntries(Object.entries(node.properties).map(([key, child]) => [key, orderKeys(child)]));
  if (node.items !== undefined) out.items = orderKeys(node.items);
  return out;
}

/** TypeBox keeps its bookkeeping in symbol keys; a JSON round trip leaves the plain schema. */
function plainSchema(schema: TSchema): JsonSchemaProps {
  return orderKeys(JSON.parse(JSON.stringify(schema)) as JsonSchemaProps);
}

const LABELS = { "app.kubernetes.io/name": "spreadops", "app.kubernetes.io/part-of": "spreadops" };

interface CrdInput {
  readonly kind: string;
  readonly plural: string;
  readonly shortNames: string[];
  readonly schema: TSchema;
  readonly columns: PrinterColumn[];
}

function buildCrd(input: CrdInput): CustomResourceDefinition {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${input.plural}.${GROUP}`, labels: { ...LABELS } },
    spec: {
      group: GROUP,
      names: {
        kind: input.kind,
        listKind: `${input.kind}List`,
        plural: input.plural,
        singular: input.kind.toLowerCase(),
        shortNames: input.shortNames,
        categories: ["spreadops"],
      },
      scope: "Namespaced",
      versions: [{
        name: VERSION,
        served: true,
        storage: true,
        schema: { openAPIV3Schema: plainSchema(input.schema) },
        subresources: { status: {} },
        additionalPrinterColumns: input.columns,
      }],
    },
  };
}

const AGE: PrinterColumn = { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" };

export function strategyCrd(): CustomResourceDefinition {
  return buildCrd({
    kind: STRATEGY.kind,
    plural: STRATEGY.plural,
    shortNames: ["strat"],
    schema: StrategyObjectSchema,
    columns: [
      { name: "Mode", type: "string", jsonPath: ".spec.mode", description: "paper or live" },
      { name: "Phase", type: "string", jsonPath: ".status.phase", description: "Active, Paused, Halted, Degraded or Invalid" },
      { name: "Open", type: "integer", jsonPath: ".status.openTrades", description: "Trades that are not terminal" },
      { name: "Day P&L", type: "number", jsonPath: ".status.dayPnl", description: "Today's P&L, USD" },
      AGE,
      { name: "Kind", type: "string", jsonPath: ".spec.spread.kind", description: "Spread kind", priority: 1 },
      { name: "Approval", type: "string", jsonPath: ".spec.execution.approval", description: "manual or auto", priority: 1 },
      { name: "Paused", type: "boolean", jsonPath: ".spec.paused", priority: 1 },
      { name: "Last Scan", type: "date", jsonPath: ".status.lastScanTime", priority: 1 },
    ],
  });
}

export function tradeCrd(): CustomResourceDefinition {
  return buildCrd({
    kind: TRADE.kind,
    plural: TRADE.plural,
    shortNames: ["trd", "spreadtrade"],
    schema: TradeObjectSchema,
    columns: [
      { name: "Strategy", type: "string", jsonPath: ".spec.strategyRef", description: "Owning Strategy" },
      { name: "Underlying", type: "string", jsonPath: ".spec.underlying" },
      { name: "Spread", type: "string", jsonPath: ".spec.kind", description: "bullPut, bearCall, bullCall or bearPut" },
      { name: "Qty", type: "integer", jsonPath: ".spec.quantity", description: "Spreads" },
      { name: "Phase", type: "string", jsonPath: ".status.phase" },
      { name: "P&L", type: "number", jsonPath: ".status.pnl", description: "Realized + unrealized P&L, USD" },
      { name: "Expiry", type: "string", jsonPath: ".spec.expiry", priority: 1 },
      { name: "Short", type: "number", jsonPath: ".spec.shortStrike", priority: 1 },
      { name: "Long", type: "number", jsonPath: ".spec.longStrike", priority: 1 },
      { name: "Limit", type: "number", jsonPath: ".spec.limitPrice", description: "USD per share", priority: 1 },
      { name: "Approved", type: "boolean", jsonPath: ".spec.approved", priority: 1 },
      AGE,
    ],
  });
}

/** Both CRDs, Strategy first. */
export function crds(): CustomResourceDefinition[] {
  return [strategyCrd(), tradeCrd()];
}

/** One CRD as a YAML document (no header). */
export function renderCrdYaml(crd: CustomResourceDefinition): string {
  // Shared sub-schemas would otherwise become YAML anchors/aliases, which are legal but opaque.
  return stringify(crd, { aliasDuplicateObjects: false, lineWidth: 120 });
}

/** The command that regenerates k8s/crds; named in the file header and in the drift test. */
export const REGENERATE_CRDS_COMMAND = "npm run build && npm run generate:crds";

/** The committed files under k8s/crds: name and full content. */
export function crdFiles(): { fileName: string; content: string }[] {
  return crds().map((crd) => ({
    fileName: `${crd.metadata.name}.yaml`,
    content: `# generated by packages/resources/src/crd/write-crds.ts from crd/schema.ts; do not edit.\n# Regenerate with: ${REGENERATE_CRDS_COMMAND}\n${renderCrdYaml(crd)}`,
  }));
}
