/**
 * The editor's decisions that do not need React: the new Strategy's name check, which problems
 * a field shows, and what keeps Save disabled.
 */
import { OBJECT_NAME_PATTERN } from "@spreadops/resources/schema";
import { findNode, type FieldNode } from "./schema-fields";
import { getAt } from "./spec-model";
import { placeViolations, violationPath, type PlacedViolations, type Violation } from "./violations";

/** The form path of the new Strategy's name field. */
export const NAME_PATH = "name";

/** Problems of a new Strategy's name (a Kubernetes object name, not taken). */
export function nameProblems(name: string, existing: readonly string[]): string[] {
  if (name === "") return ["Required."];
  const out: string[] = [];
  if (name.length > 253) out.push("At most 253 characters.");
  if (!new RegExp(OBJECT_NAME_PATTERN).test(name)) out.push("Use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. spy-bull-put).");
  if (existing.includes(name)) out.push(`A Strategy named “${name}” exists already; choose another name, or edit that one.`);
  return out;
}

/** Whether every numeric segment of `path` is an index present in `spec` ("entry.3.period" needs 4 entries). */
export function indicesExist(spec: unknown, path: string): boolean {
  const segments = path === "" ? [] : path.split(".");
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? "";
    if (!/^\d+$/.test(segment)) continue;
    const list = getAt(spec, segments.slice(0, i));
    if (!Array.isArray(list) || Number(segment) >= list.length) return false;
  }
  return true;
}

/**
 * Server violations placed on the form: on a field or group the form shows ("metadata.name" on
 * the name field when creating); the rest for the summary. A field that already has client-side
 * problems shows those only (they are the same schema rules, worded for the form); its server
 * violations follow once the client-side ones are fixed.
 */
export function placeServerViolations(violations: readonly Violation[], options: {
  tree: FieldNode;
  spec: unknown;
  creating: boolean;
  clientPaths: ReadonlySet<string>;
}): PlacedViolations {
  const renamed = violations.map((v) => {
    const path = violationPath(v.field);
    return options.creating && (path === "metadata.name" || path === "name") ? { field: NAME_PATH, message: v.message } : v;
  });
  const placed = placeViolations(renamed, (path) => (options.creating && path === NAME_PATH) || (findNode(options.tree, path) !== undefined && indicesExist(options.spec, path)));
  const byField = new Map([...placed.byField].filter(([path]) => !options.clientPaths.has(path)));
  return { byField, rest: placed.rest };
}

export type CheckStatus = "idle" | "pending" | "done" | "error";

/** Why Save is disabled (empty = enabled), in the order the user can act on them. */
export function saveBlockers(state: { signedIn: boolean; problems: number; check: CheckStatus; changed: boolean; creating: boolean; saving: boolean }): string[] {
  const out: string[] = [];
  if (state.saving) out.push("Saving…");
  if (!state.signedIn) out.push("Sign in to save.");
  if (state.problems > 0) out.push(`Fix the ${String(state.problems)} problem${state.problems === 1 ? "" : "s"} first.`);
  else if (state.check === "pending" || state.check === "idle") out.push("Checking with the server…");
  if (!state.creating && !state.changed) out.push("No changes to save.");
  return out;
}
