import { StoreError } from "../types.js";
import type { DeleteOptions, DeletePropagation, KubeObject, ObjectMeta, ResourceType } from "../types.js";
import { isJsonObject, jsonCopy, jsonEqual, show } from "./json.js";
import { applyMergePatch } from "./merge-patch.js";
import { invalid, nameCauses, namespaceCauses, rfc3339, specPart, userMetadataCauses } from "./object-meta.js";
import type { Transaction } from "./state.js";
import { checkTypeOf, typeKeyOf } from "./type-registry.js";
import type { TypeRegistration, TypeRegistry } from "./type-registry.js";

/** The finalizer the API server adds for `propagationPolicy: Orphan` until dependents are released. */
export const ORPHAN_FINALIZER = "orphan";

/** What the writer needs from its surroundings. */
export interface WriterContext {
  readonly registry: TypeRegistry;
  now(): number;
  newUid(): string;
}

type Part = "main" | "status";

/**
 * The API server's write semantics on one transaction: create, replace, patch, the status
 * subresource, delete with finalizers and garbage collection. Pure: no I/O, no clock of its own.
 */
export class ObjectWriter {
  readonly #context: WriterContext;

  constructor(context: WriterContext) {
    this.#context = context;
  }

  create(tx: Transaction, type: ResourceType, input: KubeObject): KubeObject {
    const registration = this.#context.registry.resolve(type);
    const object = copyIn(input);
    checkTypeOf(type, object);
    const meta = metadataOf(object);
    const namespace = this.#namespaceFor(type, meta.namespace);
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== "") {
      throw new StoreError("BadRequest", "resourceVersion should not be set on objects to be created");
    }
    const causes = [...nameCauses(meta.name), ...userMetadataCauses(meta)];
    if (causes.length > 0) throw invalid(`${type.kind} "${show(meta.name)}"`, causes);
    if (tx.get(typeKeyOf(type), namespace, meta.name) !== undefined) {
      throw new StoreError("AlreadyExists", `${typeKeyOf(type)} "${meta.name}" already exists`);
    }
    const candidate: KubeObject = {
      ...specPart(object),
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: normaliseMeta({
        ...userMeta(meta),
        name: meta.name,
        namespace,
        uid: this.#context.newUid(),
        generation: 1,
        creationTimestamp: rfc3339(this.#context.now()),
      }),
    };
    const validated = this.#validate(registration, candidate, undefined, "main");
    return tx.put(typeKeyOf(type), validated);
  }

  replace(tx: Transaction, type: ResourceType, input: KubeObject): KubeObject {
    const registration = this.#context.registry.resolve(type);
    const object = copyIn(input);
    checkTypeOf(type, object);
    const meta = metadataOf(object);
    const current = this.#current(tx, type, meta.namespace, meta.name);
    requireVersion(type, meta);
    checkPreconditions(type, current, meta.resourceVersion, meta.uid);
    const causes = userMetadataCauses(meta);
    if (causes.length > 0) throw invalid(`${type.kind} "${meta.name}"`, causes);
    const candidate: KubeObject = {
      ...specPart(object),
      apiVersion: current.apiVersion,
      kind: current.kind,
      metadata: normaliseMeta({ ...systemMeta(current.metadata), ...userMeta(meta) }),
      ...statusOf(current),
    };
    return this.#write(tx, registration, current, candidate, "main");
  }

  patch(tx: Transaction, type: ResourceType, namespace: string | undefined, name: string, patchInput: Record<string, unknown>, version: string | undefined): KubeObject {
    const registration = this.#context.registry.resolve(type);
    const current = this.#current(tx, type, namespace, name);
    const patch = patchBody(patchInput);
    const { status: _ignored, ...mainPatch } = patch;
    checkPreconditions(type, current, version ?? patchedVersion(mainPatch), undefined);
    const { status: _status, ...currentMain } = current;
    const patched = applyMergePatch(currentMain, mainPatch);
    if (!isJsonObject(patched) || !isJsonObject(patched["metadata"])) throw new StoreError("BadRequest", "the patch removes metadata");
    const result = patched as unknown as KubeObject;
    if (result.apiVersion !== current.apiVersion || result.kind !== current.kind) {
      throw new StoreError("BadRequest", "a patch cannot change apiVersion or kind");
    }
    if (result.metadata.name !== current.metadata.name || result.metadata.namespace !== current.metadata.namespace) {
      throw new StoreError("BadRequest", `the name of the object (${show(result.metadata.name)}) does not match the name on the URL (${name})`);
    }
    const causes = userMetadataCauses(result.metadata);
    if (causes.length > 0) throw invalid(`${type.kind} "${name}"`, causes);
    const candidate: KubeObject = {
      ...specPart(result),
      apiVersion: current.apiVersion,
      kind: current.kind,
      metadata: normaliseMeta({ ...systemMeta(current.metadata), ...userMeta(result.metadata) }),
      ...statusOf(current),
    };
    return this.#write(tx, registration, current, candidate, "main");
  }

  updateStatus(tx: Transaction, type: ResourceType, input: KubeObject): KubeObject {
    const registration = this.#context.registry.resolve(type);
    const object = copyIn(input);
    checkTypeOf(type, object);
    const meta = metadataOf(object);
    const current = this.#current(tx, type, meta.namespace, meta.name);
    requireVersion(type, meta);
    checkPreconditions(type, current, meta.resourceVersion, meta.uid);
    const { status: _status, ...rest } = current;
    return this.#write(tx, registration, current, { ...rest, ...statusOf(object) }, "status");
  }

  patchStatus(tx: Transaction, type: ResourceType, namespace: string | undefined, name: string, patchInput: { status: Record<string, unknown> }, version: string | undefined): KubeObject {
    const registration = this.#context.registry.resolve(type);
    const current = this.#current(tx, type, namespace, name);
    const patch = patchBody(patchInput);
    checkPreconditions(type, current, version ?? patchedVersion(patch), undefined);
    const { status: currentStatus, ...rest } = current;
    const candidate: KubeObject = { ...rest };
    if (patch["status"] !== null) {
      const status = patch["status"] === undefined ? currentStatus : applyMergePatch(currentStatus, patch["status"]);
      if (status !== undefined) candidate.status = status;
    }
    return this.#write(tx, registration, current, candidate, "status");
  }

  delete(tx: Transaction, type: ResourceType, namespace: string | undefined, name: string, options: DeleteOptions = {}): void {
    this.#context.registry.resolve(type);
    const current = this.#current(tx, type, namespace, name);
    checkPreconditions(type, current, options.resourceVersion, undefined);
    this.#delete(tx, typeKeyOf(type), current, options.propagation ?? "Background");
  }

  #delete(tx: Transaction, typeKey: string, current: KubeObject, propagation: DeletePropagation): void {
    const finalizers = current.metadata.finalizers ?? [];
    const wantsOrphanFinalizer = propagation === "Orphan" && !finalizers.includes(ORPHAN_FINALIZER);
    if (finalizers.length === 0) {
      this.#remove(tx, typeKey, jsonCopy(current), propagation);
      return;
    }
    // Finalizers hold the object: it is only marked (once); the last finalizer's removal deletes it.
    const next = jsonCopy(current);
    next.metadata.deletionTimestamp ??= rfc3339(this.#context.now());
    if (wantsOrphanFinalizer) next.metadata.finalizers = [...finalizers, ORPHAN_FINALIZER];
    if (!jsonEqual(next, current)) tx.put(typeKey, next);
  }

  /** Writes `candidate` over `current`: validation, generation, no-op detection, finalization. */
  #write(tx: Transaction, registration: TypeRegistration, current: KubeObject, candidate: KubeObject, part: Part): KubeObject {
    const typeKey = typeKeyOf(registration.type);
    const next = this.#validate(registration, candidate, current, part);
    if (jsonEqual(next, current)) return current; // as the API server: an unchanged object is not written
    const deletionTimestamp = current.metadata.deletionTimestamp;
    if (deletionTimestamp !== undefined) {
      const added = (next.metadata.finalizers ?? []).filter((f) => !(current.metadata.finalizers ?? []).includes(f));
      if (added.length > 0) {
        throw invalid(`${registration.type.kind} "${current.metadata.name}"`, [
          { field: "metadata.finalizers", message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}` },
        ]);
      }
      const remaining = next.metadata.finalizers ?? [];
      if (remaining.length === 0) return this.#remove(tx, typeKey, next, "Background");
      if (remaining.length === 1 && remaining[0] === ORPHAN_FINALIZER) {
        delete next.metadata.finalizers;
        return this.#remove(tx, typeKey, next, "Orphan");
      }
    }
    return tx.put(typeKey, next);
  }

  /** Removes the object, then garbage-collects its dependents as the propagation policy says. */
  #remove(tx: Transaction, typeKey: string, last: KubeObject, propagation: DeletePropagation): KubeObject {
    if (last.metadata.finalizers?.length === 0) delete last.metadata.finalizers;
    tx.remove(typeKey, last);
    const uid = last.metadata.uid;
    if (uid === undefined) return last;
    const dependents = [...tx.all()].filter(({ object }) => object.metadata.ownerReferences?.some((ref) => ref.uid === uid) === true);
    for (const { typeKey: dependentKey, object } of dependents) {
      // A dependent may already be gone through an earlier cascade step of this same delete.
      const dependent = tx.get(dependentKey, object.metadata.namespace, object.metadata.name);
      if (dependent === undefined) continue;
      const others = (dependent.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== uid);
      if (propagation === "Orphan" || others.some((ref) => uidExists(tx, ref.uid))) {
        const released = jsonCopy(dependent);
        released.metadata.ownerReferences = others;
        tx.put(dependentKey, normaliseObject(released));
      } else {
        this.#delete(tx, dependentKey, dependent, "Background");
      }
    }
    return last;
  }

  /** Runs the type's validator on the candidate; keeps what the caller may not change. */
  #validate(registration: TypeRegistration, candidate: KubeObject, current: KubeObject | undefined, part: Part): KubeObject {
    let next = candidate;
    if (registration.validate !== undefined) {
      const result = registration.validate(jsonCopy(candidate), current === undefined ? {} : { oldObject: jsonCopy(current) });
      if (result.causes.length > 0) {
        throw invalid(`${registration.type.kind} "${candidate.metadata.name}"`, result.causes.map((c) => ({ field: c.field, message: c.message })));
      }
      next = jsonCopy(result.object);
    }
    if (part === "status" && current !== undefined) {
      // The status subresource changes status only, whatever the validator returned.
      const { status: _currentStatus, ...rest } = current;
      return { ...jsonCopy(rest), ...statusOf(next) };
    }
    const { status: _status, ...main } = next;
    const resultMeta = isJsonObject(main.metadata) ? main.metadata : candidate.metadata;
    const generation = current === undefined
      ? 1
      : (current.metadata.generation ?? 1) + (jsonEqual(specPart(main), specPart(current)) ? 0 : 1);
    return normaliseObject({
      ...main,
      apiVersion: candidate.apiVersion,
      kind: candidate.kind,
      metadata: { ...userMeta(resultMeta), ...systemMeta(candidate.metadata), generation },
      ...(current === undefined ? {} : statusOf(current)),
    });
  }

  #current(tx: Transaction, type: ResourceType, namespace: string | undefined, name: unknown): KubeObject {
    const ns = this.#namespaceFor(type, namespace);
    if (typeof name !== "string" || name === "") throw new StoreError("BadRequest", "metadata.name is required");
    const current = tx.get(typeKeyOf(type), ns, name);
    if (current === undefined) throw new StoreError("NotFound", `${typeKeyOf(type)} "${name}" not found`);
    return current;
  }

  #namespaceFor(type: ResourceType, namespace: string | undefined): string | undefined {
    if (!type.namespaced) return undefined;
    if (namespace === undefined || namespace === "") throw new StoreError("BadRequest", `a namespace is required for ${typeKeyOf(type)}`);
    const causes = namespaceCauses(namespace);
    if (causes.length > 0) throw invalid(`namespace "${namespace}"`, causes);
    return namespace;
  }
}

/** A private copy of a request body; anything JSON cannot carry is a BadRequest. */
function copyJson(input: unknown, what: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = jsonCopy(input);
  } catch (error) {
    throw new StoreError("BadRequest", `the ${what} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isJsonObject(body)) throw new StoreError("BadRequest", `the ${what} must be a JSON object`);
  return body;
}

const copyIn = (input: KubeObject): KubeObject => copyJson(input, "object") as unknown as KubeObject;
const patchBody = (patch: unknown): Record<string, unknown> => copyJson(patch, "patch");

function metadataOf(object: KubeObject): ObjectMeta {
  if (!isJsonObject(object.metadata)) throw new StoreError("BadRequest", "metadata is required");
  return object.metadata;
}

const patchedVersion = (patch: Record<string, unknown>): string | undefined => {
  const meta = patch["metadata"];
  const version = isJsonObject(meta) ? meta["resourceVersion"] : undefined;
  return typeof version === "string" && version !== "" ? version : undefined;
};

function requireVersion(type: ResourceType, meta: ObjectMeta): void {
  if (meta.resourceVersion === undefined || meta.resourceVersion === "") {
    throw invalid(`${type.kind} "${meta.name}"`, [{ field: "metadata.resourceVersion", message: "Invalid value: 0: must be specified for an update" }]);
  }
}

function checkPreconditions(type: ResourceType, current: KubeObject, version: string | undefined, uid: string | undefined): void {
  if ((version !== undefined && version !== current.metadata.resourceVersion) || (uid !== undefined && uid !== current.metadata.uid)) {
    throw new StoreError(
      "Conflict",
      `Operation cannot be fulfilled on ${typeKeyOf(type)} "${current.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
    );
  }
}

const uidExists = (tx: Transaction, uid: string): boolean => {
  for (const { object } of tx.all()) if (object.metadata.uid === uid) return true;
  return false;
};

const statusOf = (object: KubeObject): { status?: unknown } => (object.status === undefined ? {} : { status: object.status });

/** What a write may set in metadata. */
function userMeta(meta: ObjectMeta): Partial<ObjectMeta> {
  const { labels, annotations, finalizers, ownerReferences } = meta;
  return { labels, annotations, finalizers, ownerReferences };
}

/** What only the store sets. */
function systemMeta(meta: ObjectMeta): ObjectMeta {
  const { name, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp } = meta;
  return { name, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp };
}

/** Empty collections and undefined members are omitted, as in the API server's JSON (omitempty). */
function normaliseMeta(meta: ObjectMeta): ObjectMeta {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (isJsonObject(value) && Object.keys(value).length === 0) continue;
    result[key] = value;
  }
  return result as unknown as ObjectMeta;
}

function normaliseObject(object: KubeObject): KubeObject {
  const result = jsonCopy({ ...object, metadata: normaliseMeta(object.metadata) });
  return result;
}
