/**
 * The part of the resource model a browser can load: the schema (field bounds, patterns, enums
 * and descriptions for forms) and the resource types. No store, no validator (ajv compiles with
 * `new Function`, which the console's Content-Security-Policy forbids): the console server
 * validates with the same CRD rules.
 */
export * from "./schema.js";
export * from "./types.js";
export type { KubeObject, ObjectMeta, ResourceType } from "../store/types.js";
