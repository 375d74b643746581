import { readFile, readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { isJsonObject, jsonCopy, jsonEqual } from "./embedded/json.js";
import type { JsonObject, JsonValue } from "./embedded/json.js";
import { apiVersionOf, isStoreError } from "./types.js";
import type { KubeObject, ResourceStore, ResourceType } from "./types.js";

/** One object read from a manifest, with where it came from. */
export interface ManifestDocument {
  /** The file (or the label given to {@link parseManifests}). */
  readonly source: string;
  /** 1-based position of the YAML document in its file. */
  readonly document: number;
  readonly object: KubeObject;
}

/** A manifest problem, naming the file and the document. */
export class ManifestError extends Error {
  readonly source: string;
  readonly document: number | undefined;
  constructor(source: string, document: number | undefined, message: string, options?: ErrorOptions) {
    super(`${source}${document === undefined ? "" : ` (document ${document})`}: ${message}`, options);
    this.name = "ManifestError";
    this.source = source;
    this.document = document;
  }
}

/** Parses multi-document YAML; empty documents are skipped, `kind: List` is expanded. */
export function parseManifests(text: string, source: string): ManifestDocument[] {
  const result: ManifestDocument[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    const document = index + 1;
    const problem = doc.errors[0];
    if (problem !== undefined) throw new ManifestError(source, document, `invalid YAML: ${problem.message.split("\n")[0] ?? problem.message}`, { cause: problem });
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    const items = isJsonObject(value) && value["kind"] === "List" && Array.isArray(value["items"]) ? value["items"] : [value];
    for (const item of items) result.push({ source, document, object: checkObject(item, source, document) });
  });
  return result;
}

/** Reads a manifest file, or every `*.yaml` / `*.yml` file of a folder (not recursive) in name order. */
export async function loadManifests(path: string): Promise<ManifestDocument[]> {
  let files: string[];
  try {
    files = (await stat(path)).isDirectory()
      ? (await readdir(path)).filter((name) => [".yaml", ".yml"].includes(extname(name))).sort().map((name) => join(path, name))
      : [path];
  } catch (error) {
    throw new ManifestError(path, undefined, `cannot read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const documents: ManifestDocument[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new ManifestError(file, undefined, `cannot read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    documents.push(...parseManifests(text, file));
  }
  return documents;
}

function checkObject(value: unknown, source: string, document: number): KubeObject {
  if (!isJsonObject(value)) throw new ManifestError(source, document, "a manifest must be a mapping with apiVersion, kind and metadata");
  const meta = value["metadata"];
  const problems = [
    typeof value["apiVersion"] === "string" && value["apiVersion"] !== "" ? undefined : "apiVersion is required",
    typeof value["kind"] === "string" && value["kind"] !== "" ? undefined : "kind is required",
    isJsonObject(meta) && typeof meta["name"] === "string" && meta["name"] !== "" ? undefined : "metadata.name is required",
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) throw new ManifestError(source, document, problems.join(", "));
  return value as unknown as KubeObject;
}

/** Finds the ResourceType of a manifest from its apiVersion and kind. */
export interface ResourceTypeLookup {
  lookup(apiVersion: string, kind: string): ResourceType | undefined;
  /** The known "apiVersion, Kind=kind" pairs, for error messages. */
  known(): string[];
}

export function resourceTypeLookup(types: readonly ResourceType[]): ResourceTypeLookup {
  const byKey = new Map(types.map((type) => [`${apiVersionOf(type)}/${type.kind}`, type]));
  return {
    lookup: (apiVersion, kind) => byKey.get(`${apiVersion}/${kind}`),
    known: () => types.map((type) => `${apiVersionOf(type)}, Kind=${type.kind}`),
  };
}

/** kubectl's record of what was last applied: it tells fields removed from a manifest from fields others set. */
export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

export type ApplyAction = "created" | "configured" | "unchanged";

export interface ApplyResult<T extends KubeObject = KubeObject> {
  readonly action: ApplyAction;
  readonly object: T;
}

/**
 * Applies a manifest object like `kubectl apply` (client-side): creates it when absent, else
 * patches labels, annotations and spec so they match the manifest. Fields the previous apply set
 * and this manifest drops are removed; fields set by others (a controller, `kubectl patch`) and
 * status are kept.
 */
export async function applyObject<T extends KubeObject>(store: ResourceStore, type: ResourceType, object: T): Promise<ApplyResult<T>> {
  const desired = withLastApplied(object);
  const { namespace, name } = desired.metadata;
  let current: T;
  try {
    current = await store.get<T>(type, namespace, name);
  } catch (error) {
    if (!isStoreError(error, "NotFound")) throw error;
    return { action: "created", object: await store.create<T>(type, desired) };
  }
  const patch = applyPatch(current, desired);
  if (patch === undefined) return { action: "unchanged", object: current };
  const patched = await store.patch<T>(type, namespace, name, patch, { resourceVersion: current.metadata.resourceVersion });
  return { action: patched.metadata.resourceVersion === current.metadata.resourceVersion ? "unchanged" : "configured", object: patched };
}

/** One applied manifest document. */
export interface AppliedDocument extends ApplyResult {
  readonly source: string;
  readonly document: number;
  readonly type: ResourceType;
}

/**
 * Applies documents in order; an object without a namespace goes to `defaultNamespace`. The
 * first failure stops and names its file and document (the store's error is the `cause`).
 */
export async function applyManifests(
  store: ResourceStore,
  types: ResourceTypeLookup,
  documents: readonly ManifestDocument[],
  defaultNamespace = "default",
): Promise<AppliedDocument[]> {
  const applied: AppliedDocument[] = [];
  for (const { source, document, object } of documents) {
    const type = types.lookup(object.apiVersion, object.kind);
    if (type === undefined) {
      throw new ManifestError(source, document, `no resource type for ${object.apiVersion}, Kind=${object.kind} (known: ${types.known().join("; ")})`);
    }
    const scoped = jsonCopy(object);
    if (type.namespaced) scoped.metadata.namespace ??= defaultNamespace;
    else delete scoped.metadata.namespace;
    try {
      applied.push({ ...(await applyObject(store, type, scoped)), source, document, type });
    } catch (error) {
      throw new ManifestError(source, document, `${type.kind} "${scoped.metadata.name}": ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  return applied;
}

/** The manifest without status, with the last-applied annotation set to itself (as kubectl does). */
function withLastApplied<T extends KubeObject>(object: T): T {
  const { status: _status, ...rest } = jsonCopy(object);
  const annotations = Object.fromEntries(Object.entries(rest.metadata.annotations ?? {}).filter(([key]) => key !== LAST_APPLIED_ANNOTATION));
  const { annotations: _annotations, ...metadata } = rest.metadata;
  const recorded = { ...rest, metadata: Object.keys(annotations).length === 0 ? metadata : { ...metadata, annotations } };
  const applied = { ...rest, metadata: { ...metadata, annotations: { ...annotations, [LAST_APPLIED_ANNOTATION]: JSON.stringify(recorded) } } };
  return applied as unknown as T;
}

/** The merge patch from the current object to the desired one (three-way, against the last apply). */
function applyPatch(current: KubeObject, desired: KubeObject): JsonObject | undefined {
  const lastText = current.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  let last: JsonObject = {};
  try {
    const parsed: unknown = lastText === undefined ? {} : JSON.parse(lastText);
    if (isJsonObject(parsed)) last = parsed;
  } catch {
    // An unreadable record is treated as none: nothing is removed, everything in the manifest is set.
  }
  const original = manifestPart(last);
  const modified = manifestPart(desired as unknown as JsonObject);
  const live = manifestPart(current as unknown as JsonObject);
  const patch = threeWay(original, modified, live);
  return isJsonObject(patch) ? patch : undefined;
}

/** What apply manages: labels, annotations and everything but metadata and status. */
function manifestPart(object: JsonObject): JsonObject {
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = object;
  const meta = isJsonObject(metadata) ? metadata : {};
  const managed: JsonObject = {};
  if (meta["labels"] !== undefined) managed["labels"] = meta["labels"];
  if (meta["annotations"] !== undefined) managed["annotations"] = meta["annotations"];
  return { ...rest, metadata: managed };
}

/**
 * A merge patch turning `current` into `modified` where it differs, plus null for members the
 * last apply (`original`) had and `modified` dropped; undefined when nothing needs to change.
 */
function threeWay(original: JsonValue | undefined, modified: JsonValue | undefined, current: JsonValue | undefined): JsonValue | undefined {
  if (modified === undefined) return original !== undefined && current !== undefined ? null : undefined;
  if (!isJsonObject(modified) || !isJsonObject(current)) return jsonEqual(modified, current) ? undefined : modified;
  const previous = isJsonObject(original) ? original : {};
  const patch: JsonObject = {};
  for (const key of new Set([...Object.keys(modified), ...Object.keys(previous)])) {
    const member = threeWay(previous[key], modified[key], current[key]);
    if (member !== undefined) patch[key] = member;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}
