import type { KubeObject } from "../../store/types.js";
import { isRecord } from "../objects.js";

/**
 * `kubectl get` asks for a meta.k8s.io Table and prints its columns: with a CRD's printer
 * columns it shows them (Mode, Phase, …) instead of only NAME and AGE. Rendered as the API
 * server's CRD table convertor does: a Name column, then the printer columns, dates as ages.
 */

/** A CRD's additionalPrinterColumns entry. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

/** Whether the Accept header asks for a meta.k8s.io/v1 Table (kubectl lists it first). */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? "").split(",").some((range) => {
    const params = new Map(range.split(";").slice(1).map((param) => param.trim().split("=") as [string, string | undefined]));
    return params.get("as") === "Table" && params.get("g") === "meta.k8s.io" && params.get("v") === "v1";
  });
}

/** `.spec.window.start`, `.status.conditions[0].type`: the JSONPath subset printer columns use. */
export function valueAt(object: unknown, jsonPath: string): unknown {
  const path = jsonPath.replace(/^\{?\.?/, "").replace(/\}$/, "");
  let value: unknown = object;
  for (const step of path === "" ? [] : path.split(".")) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(step);
    if (match === null) return undefined;
    if (match[1] !== undefined && match[1] !== "") value = isRecord(value) ? value[match[1]] : undefined;
    for (const index of (match[2] ?? "").match(/\d+/g) ?? []) value = Array.isArray(value) ? (value as unknown[])[Number(index)] : undefined;
  }
  return value;
}

/** Go's duration.HumanDuration, which kubectl's AGE column uses: "45s", "3m20s", "5h", "12d". */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

function cell(column: PrinterColumn, value: unknown, now: number): unknown {
  if (value === undefined || value === null) return null;
  if (column.type === "date" && typeof value === "string") {
    const time = Date.parse(value);
    return Number.isNaN(time) ? value : humanDuration(now - time);
  }
  return typeof value === "object" ? JSON.stringify(value) : value;
}

export type IncludeObject = "None" | "Metadata" | "Object";

export function includeObjectOf(value: string | null): IncludeObject {
  return value === "None" || value === "Object" ? value : "Metadata";
}

export function tableOf(objects: readonly KubeObject[], columns: readonly PrinterColumn[], options: { resourceVersion?: string; include: IncludeObject; now: number }): Record<string, unknown> {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: options.resourceVersion === undefined ? {} : { resourceVersion: options.resourceVersion },
    columnDefinitions: [
      { name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.", priority: 0 },
      ...columns.map((column) => ({ name: column.name, type: column.type, format: column.format ?? "", description: column.description ?? "", priority: column.priority ?? 0 })),
    ],
    rows: objects.map((object) => ({
      cells: [object.metadata.name, ...columns.map((column) => cell(column, valueAt(object, column.jsonPath), options.now))],
      ...(options.include === "None"
        ? {}
        : { object: options.include === "Object" ? object : { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: object.metadata } }),
    })),
  };
}
