/**
 * A validator compiled from a CustomResourceDefinition object, so the embedded store checks
 * exactly what ships to a cluster: prune unknown fields, apply defaults, OpenAPI v3 validation
 * (Ajv 8) and the `x-kubernetes-validations` CEL rules (@bufbuild/cel). Synchronous; compile once
 * per CRD and reuse.
 */
import type { KubeObject } from "../store/types.js";
import { CelRuleSet } from "./cel-rules.js";
import type { CustomResourceDefinition } from "./crd-manifests.js";
import { isAtOrBelow } from "./field-path.js";
import { ajvCauses, compileAjv } from "./openapi-ajv.js";
import { buildRootTree, listUniquenessCauses, pruneUnknownFields, type FieldCause } from "./schema-tree.js";

export type { FieldCause } from "./schema-tree.js";

/** The API server's `fieldValidation` choices for unknown fields (they are pruned in every case). */
export type FieldValidation = "Strict" | "Warn" | "Ignore";

export interface ValidateOptions {
  /** The stored object on update: enables transition rules (`oldSelf`). */
  readonly oldObject?: KubeObject;
  /** Unknown fields: Strict (default, as `kubectl apply`) makes each a cause, Warn a warning, Ignore nothing. */
  readonly fieldValidation?: FieldValidation;
}

export interface CrdValidationResult {
  /** A defaulted, pruned copy of the input; the input is never changed. */
  readonly object: KubeObject;
  /** Every problem, each naming its field; empty = valid. */
  readonly causes: FieldCause[];
  /** `unknown field "…"` notices under fieldValidation Warn. */
  readonly warnings: string[];
}

export interface CrdValidator {
  /** e.g. "Strategy". */
  readonly kind: string;
  validate(object: KubeObject, options?: ValidateOptions): CrdValidationResult;
}

/**
 * Compiles the validator of one served version (default: the storage version). Throws when a CEL
 * rule of the CRD does not parse — a bug in the CRD, better found at start-up.
 */
export function compileCrdValidator(crd: CustomResourceDefinition, version?: string): CrdValidator {
  const served = crd.spec.versions.find((v) => (version === undefined ? v.storage : v.name === version));
  if (served === undefined) throw new Error(`CRD ${crd.metadata.name} has no ${version === undefined ? "storage" : `"${version}"`} version`);
  const schema = served.schema.openAPIV3Schema;
  const tree = buildRootTree(schema);
  const ajvValidate = compileAjv(schema);
  const rules = new CelRuleSet(tree);

  return {
    kind: crd.spec.names.kind,
    validate(object, options = {}) {
      const copy = structuredClone(object);
      const causes: FieldCause[] = [];
      const warnings: string[] = [];

      const unknown = pruneUnknownFields(tree, copy);
      const mode = options.fieldValidation ?? "Strict";
      for (const field of unknown) {
        if (mode === "Strict") causes.push({ field, message: `unknown field "${field}"` });
        else if (mode === "Warn") warnings.push(`unknown field "${field}"`);
      }

      ajvValidate(copy);
      const schemaCauses = [...ajvCauses(ajvValidate.errors), ...listUniquenessCauses(tree, copy)];
      causes.push(...schemaCauses);

      const hasSchemaErrors = (path: string): boolean => schemaCauses.some((cause) => isAtOrBelow(cause.field, path));
      causes.push(...rules.evaluate(copy, options.oldObject === undefined ? undefined : structuredClone(options.oldObject), hasSchemaErrors));

      // By field, so the same object always reports in the same order whatever found it.
      causes.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
      warnings.sort();
      return { object: copy, causes, warnings };
    },
  };
}
