/**
 * The ResourceStore contract: the subset of the Kubernetes API the controller, the CLI and the
 * console use, with the API server's semantics. Two implementations: the Kubernetes API
 * (client-node) and the embedded file-backed store. One conformance suite holds both to it.
 *
 * Semantics (as the API server):
 * - `metadata.resourceVersion` is an opaque string that changes on every write of the object;
 *   a write that carries one (replace, updateStatus, patch with `resourceVersion`) fails with
 *   Conflict (409) when it is not the current one.
 * - `metadata.generation` starts at 1 and increments when `spec` (or anything but `metadata`
 *   and `status`) changes; status writes and metadata-only writes never change it.
 * - `status` is written only through the status subresource (updateStatus / patchStatus);
 *   create/replace/patch ignore a `status` they carry (create starts with none).
 * - `delete` of an object with finalizers sets `metadata.deletionTimestamp` (once) and keeps it
 *   until its finalizers are removed by a write; then it is gone. After deletion, dependents
 *   whose `ownerReferences` name its uid are deleted too (background cascade), unless
 *   propagation is "Orphan".
 * - `watch` from a resourceVersion delivers every change after it, in order; a version too
 *   old to replay ends the watch with Gone (410) and the caller relists.
 */

/** Identifies a resource type (a CRD's group/version/kind or a core type). */
export interface ResourceType {
  readonly group: string; // "" for the core group (Events)
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string; // RFC 3339
  deletionTimestamp?: string; // RFC 3339
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
}

/** Any stored object. Spec and status are typed by the resource modules (crd/). */
export interface KubeObject<Spec = unknown, Status = unknown> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Spec;
  status?: Status;
}

export interface ListResult<T extends KubeObject> {
  items: T[];
  /** The store's version at the time of the list: start a watch from it. */
  resourceVersion: string;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface WatchEvent<T extends KubeObject> {
  type: WatchEventType;
  object: T;
}

export interface WatchHandle {
  /** Ends the watch; `onClose` is not called for a stop the caller asked for. */
  stop(): void;
}

export interface WatchOptions<T extends KubeObject> {
  /** Start after this version (from a list). Required: watches never start "from now". */
  resourceVersion: string;
  onEvent: (event: WatchEvent<T>) => void;
  /** The watch ended without `stop()`: a StoreError (Gone = relist) or a transport error. */
  onClose: (error: Error) => void;
}

export type DeletePropagation = "Background" | "Orphan";

export interface DeleteOptions {
  propagation?: DeletePropagation;
  /** Precondition: delete only if the object is still at this version (else Conflict). */
  resourceVersion?: string;
}

export interface PatchOptions {
  /** Precondition: patch only if the object is still at this version (else Conflict). */
  resourceVersion?: string;
}

/** A core/v1 Event about an object, as `kubectl describe` shows them. */
export interface EventRecord {
  /** The object the event is about. */
  involvedObject: { apiVersion: string; kind: string; namespace?: string; name: string; uid?: string };
  type: "Normal" | "Warning";
  /** UpperCamelCase, e.g. "Proposed", "OrderSubmitted". */
  reason: string;
  message: string;
  /** Who reports it, e.g. "spreadops-controller". */
  component: string;
}

export interface ResourceStore {
  get<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string): Promise<T>;
  list<T extends KubeObject>(type: ResourceType, namespace?: string, options?: { labelSelector?: Record<string, string> }): Promise<ListResult<T>>;
  watch<T extends KubeObject>(type: ResourceType, namespace: string | undefined, options: WatchOptions<T>): Promise<WatchHandle>;
  /** Creates; `metadata.name` required. Fails AlreadyExists (409) when the name is taken. */
  create<T extends KubeObject>(type: ResourceType, object: T): Promise<T>;
  /** Replaces metadata (labels, annotations, finalizers, ownerReferences) and spec; `metadata.resourceVersion` required. */
  replace<T extends KubeObject>(type: ResourceType, object: T): Promise<T>;
  /** JSON merge patch (RFC 7386) of metadata/spec; `status` in the patch is ignored. */
  patch<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string, patch: Record<string, unknown>, options?: PatchOptions): Promise<T>;
  /** Replaces `status` through the status subresource; `metadata.resourceVersion` required. */
  updateStatus<T extends KubeObject>(type: ResourceType, object: T): Promise<T>;
  /** JSON merge patch of `{ status: … }` through the status subresource. */
  patchStatus<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string, patch: { status: Record<string, unknown> }, options?: PatchOptions): Promise<T>;
  delete(type: ResourceType, namespace: string | undefined, name: string, options?: DeleteOptions): Promise<void>;
  /** Records an Event (core/v1); repeated identical events may be aggregated (count). */
  recordEvent(namespace: string, event: EventRecord): Promise<void>;
  /** Events about one object, oldest first. */
  listEvents(namespace: string, involved: { kind: string; name: string }): Promise<StoredEvent[]>;
}

export interface StoredEvent extends EventRecord {
  count: number;
  firstTimestamp: string; // RFC 3339
  lastTimestamp: string; // RFC 3339
}

export type StoreErrorReason = "NotFound" | "AlreadyExists" | "Conflict" | "Gone" | "Invalid" | "BadRequest" | "Unavailable";

const STATUS_CODES: Record<StoreErrorReason, number> = {
  NotFound: 404, AlreadyExists: 409, Conflict: 409, Gone: 410, Invalid: 422, BadRequest: 400, Unavailable: 503,
};

/** A store failure with the API server's reason and HTTP code; `causes` name invalid fields. */
export class StoreError extends Error {
  readonly reason: StoreErrorReason;
  readonly code: number;
  readonly causes: readonly { field: string; message: string }[];
  constructor(reason: StoreErrorReason, message: string, causes: readonly { field: string; message: string }[] = []) {
    super(message);
    this.name = "StoreError";
    this.reason = reason;
    this.code = STATUS_CODES[reason];
    this.causes = causes;
  }
}

export const isStoreError = (error: unknown, reason?: StoreErrorReason): error is StoreError =>
  error instanceof StoreError && (reason === undefined || error.reason === reason);

export const EVENT_TYPE: ResourceType = { group: "", version: "v1", kind: "Event", plural: "events", namespaced: true };

/** "group/version", or "version" for the core group. */
export const apiVersionOf = (type: ResourceType): string => (type.group === "" ? type.version : `${type.group}/${type.version}`);
