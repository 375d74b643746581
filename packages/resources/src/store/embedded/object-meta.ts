import { StoreError } from "../types.js";
import type { KubeObject, ObjectMeta } from "../types.js";
import type { ValidationCause } from "./type-registry.js";

// The API server's name rules (apimachinery validation: DNS-1123 subdomain / label).
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 3339 with second precision, as metav1.Time serialises. */
export const rfc3339 = (epochMs: number): string => new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");

export function nameCauses(name: unknown): ValidationCause[] {
  if (typeof name !== "string" || name === "") return [{ field: "metadata.name", message: "Required value: name is required" }];
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [{
      field: "metadata.name",
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    }];
  }
  return [];
}

export function namespaceCauses(namespace: unknown): ValidationCause[] {
  if (typeof namespace !== "string" || namespace.length > 63 || !DNS1123_LABEL.test(namespace)) {
    return [{ field: "metadata.namespace", message: `Invalid value: "${String(namespace)}": a lowercase RFC 1123 label is required` }];
  }
  return [];
}

const isStringMap = (value: unknown): boolean =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");

/** The user-writable metadata a write may carry, checked for shape (a YAML manifest can carry anything). */
export function userMetadataCauses(meta: ObjectMeta): ValidationCause[] {
  const causes: ValidationCause[] = [];
  if (meta.labels !== undefined && !isStringMap(meta.labels)) causes.push({ field: "metadata.labels", message: "Invalid value: label values must be strings" });
  if (meta.annotations !== undefined && !isStringMap(meta.annotations)) {
    causes.push({ field: "metadata.annotations", message: "Invalid value: annotation values must be strings" });
  }
  if (meta.finalizers !== undefined && (!Array.isArray(meta.finalizers) || meta.finalizers.some((f) => typeof f !== "string" || f === ""))) {
    causes.push({ field: "metadata.finalizers", message: "Invalid value: finalizers must be non-empty strings" });
  }
  if (meta.ownerReferences !== undefined) {
    if (!Array.isArray(meta.ownerReferences)) {
      causes.push({ field: "metadata.ownerReferences", message: "Invalid value: must be a list" });
    } else {
      meta.ownerReferences.forEach((ref, index) => {
        for (const key of ["apiVersion", "kind", "name", "uid"] as const) {
          if (typeof ref[key] !== "string" || ref[key] === "") {
            causes.push({ field: `metadata.ownerReferences[${index}].${key}`, message: "Required value" });
          }
        }
      });
      if (meta.ownerReferences.filter((ref) => ref.controller === true).length > 1) {
        causes.push({ field: "metadata.ownerReferences", message: "Invalid value: only one reference can have Controller set to true" });
      }
    }
  }
  return causes;
}

/** Equality-based label selector: every pair must be present. */
export const matchesLabels = (meta: ObjectMeta, selector: Record<string, string> | undefined): boolean =>
  selector === undefined || Object.entries(selector).every(([key, value]) => meta.labels?.[key] === value);

/** The parts of an object that make up its "spec" for `generation`: all but metadata and status. */
export function specPart(object: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, status: _status, apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  return rest;
}

export const invalid = (what: string, causes: readonly ValidationCause[]): StoreError =>
  new StoreError("Invalid", `${what} is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join("; ")}`, causes);
