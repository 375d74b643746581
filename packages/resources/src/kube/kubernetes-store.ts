import { CoreV1Api, CoreV1Event, CustomObjectsApi, PatchStrategy, V1DeleteOptions, V1EventSource, V1ObjectMeta, V1ObjectReference, V1Preconditions, Watch, setHeaderOptions } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";
import { StoreError, isStoreError } from "../store/types.js";
import type {
  DeleteOptions, EventRecord, KubeObject, ListResult, PatchOptions, ResourceStore, ResourceType, StoredEvent, WatchHandle, WatchOptions,
} from "../store/types.js";
import { mapApiError } from "./errors.js";
import { eventName, formatTime, involvedFieldSelector } from "./events.js";
import { asKubeObject, asObjectList, describeObject, formatLabelSelector, resourcePath } from "./objects.js";
import { startWatch } from "./watcher.js";
import type { WatchSource } from "./watcher.js";

export interface KubernetesResourceStoreOptions {
  /** Recorded in `managedFields` for every write. */
  fieldManager?: string;
  /** The clock of event timestamps. */
  now?: () => Date;
}

/** How often an event's count bump is retried when another recorder got there first. */
const EVENT_UPDATE_ATTEMPTS = 5;

/** JSON merge patch: client-node would otherwise pick JSON Patch (RFC 6902) for a PATCH body. */
const MERGE_PATCH = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** group/version/plural of a custom resource; core types are not custom objects. */
function crd(type: ResourceType): { group: string; version: string; plural: string } {
  if (type.group === "") throw new StoreError("BadRequest", `${type.kind}: core resources are not served by the custom-object store`);
  return { group: type.group, version: type.version, plural: type.plural };
}

function requireNamespace(type: ResourceType, namespace: string | undefined, what: string): string {
  if (namespace === undefined || namespace === "") throw new StoreError("BadRequest", `${what}: ${type.kind} is namespaced: a namespace is required`);
  return namespace;
}

/** `patch` with `metadata.resourceVersion` set: the API server refuses a stale one with 409. */
function withPrecondition(patch: Record<string, unknown>, resourceVersion: string | undefined): Record<string, unknown> {
  if (resourceVersion === undefined) return patch;
  const metadata = typeof patch.metadata === "object" && patch.metadata !== null ? patch.metadata : {};
  return { ...patch, metadata: { ...metadata, resourceVersion } };
}

const EVENT_TYPES = new Set(["Normal", "Warning"]);

/**
 * The millisecond time an Event was first recorded. Event timestamps have whole seconds and a
 * list comes back in name order, so without it two events of the same second could not be
 * told apart in time.
 */
export const FIRST_RECORDED_ANNOTATION = "trading.spreadops.dev/first-recorded";

const firstRecorded = (event: CoreV1Event): number => {
  const precise = event.metadata.annotations?.[FIRST_RECORDED_ANNOTATION];
  const time = precise === undefined ? Number.NaN : Date.parse(precise);
  return Number.isNaN(time) ? (event.firstTimestamp ?? event.metadata.creationTimestamp ?? new Date(0)).getTime() : time;
};

/** A core/v1 Event as the contract's StoredEvent. */
export function storedEventOf(event: CoreV1Event): StoredEvent {
  const involved = event.involvedObject;
  const first = event.firstTimestamp ?? event.metadata.creationTimestamp;
  const last = event.lastTimestamp ?? first;
  return {
    involvedObject: {
      apiVersion: involved.apiVersion ?? "",
      kind: involved.kind ?? "",
      name: involved.name ?? "",
      ...(involved.namespace === undefined ? {} : { namespace: involved.namespace }),
      ...(involved.uid === undefined ? {} : { uid: involved.uid }),
    },
    type: event.type !== undefined && EVENT_TYPES.has(event.type) ? (event.type as StoredEvent["type"]) : "Normal",
    reason: event.reason ?? "",
    message: event.message ?? "",
    component: event.source?.component ?? event.reportingComponent ?? "",
    count: event.count ?? 1,
    firstTimestamp: first === undefined ? "" : formatTime(first),
    lastTimestamp: last === undefined ? "" : formatTime(last),
  };
}

/** The first occurrence of `record` as a core/v1 Event (legacy form: no eventTime, so no series/action needed). */
export function coreEventOf(namespace: string, record: EventRecord, now: Date): CoreV1Event {
  // Instances, not object literals: the generated serializer walks the model classes.
  const metadata = new V1ObjectMeta();
  metadata.name = eventName(namespace, record);
  metadata.namespace = namespace;
  metadata.annotations = { [FIRST_RECORDED_ANNOTATION]: now.toISOString() };
  const involved = new V1ObjectReference();
  involved.apiVersion = record.involvedObject.apiVersion;
  involved.kind = record.involvedObject.kind;
  involved.name = record.involvedObject.name;
  // The API server refuses an involved namespace that differs from the event's.
  involved.namespace = record.involvedObject.namespace ?? namespace;
  if (record.involvedObject.uid !== undefined) involved.uid = record.involvedObject.uid;
  const source = new V1EventSource();
  source.component = record.component;
  const event = new CoreV1Event();
  event.apiVersion = "v1";
  event.kind = "Event";
  event.metadata = metadata;
  event.involvedObject = involved;
  event.type = record.type;
  event.reason = record.reason;
  event.message = record.message;
  event.source = source;
  event.reportingComponent = record.component;
  event.count = 1;
  event.firstTimestamp = now;
  event.lastTimestamp = now;
  return event;
}

/**
 * {@link ResourceStore} over the Kubernetes API: custom resources through CustomObjectsApi,
 * Events through CoreV1Api, watches through client-node's Watch. The API server supplies the
 * semantics (versions, generation, status subresource, finalizers, garbage collection); this
 * class only translates calls and errors. Points equally at a cluster or at the all-in-one's
 * store API, which serves the same paths.
 */
export class KubernetesResourceStore implements ResourceStore {
  readonly #objects: CustomObjectsApi;
  readonly #core: CoreV1Api;
  readonly #watch: WatchSource;
  readonly #fieldManager: string;
  readonly #now: () => Date;

  constructor(kubeConfig: KubeConfig, options: KubernetesResourceStoreOptions = {}) {
    this.#objects = kubeConfig.makeApiClient(CustomObjectsApi);
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
    this.#watch = new Watch(kubeConfig);
    this.#fieldManager = options.fieldManager ?? "spreadops";
    this.#now = options.now ?? (() => new Date());
  }

  async get<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string): Promise<T> {
    const what = `reading ${describeObject(type, namespace, name)}`;
    return this.#object<T>(what, () =>
      type.namespaced
        ? this.#objects.getNamespacedCustomObject({ ...crd(type), namespace: requireNamespace(type, namespace, what), name })
        : this.#objects.getClusterCustomObject({ ...crd(type), name }),
    );
  }

  async list<T extends KubeObject>(type: ResourceType, namespace?: string, options: { labelSelector?: Record<string, string> } = {}): Promise<ListResult<T>> {
    const what = `listing ${describeObject(type, namespace)}`;
    const labelSelector = formatLabelSelector(options.labelSelector);
    try {
      const answer: unknown =
        type.namespaced && namespace !== undefined
          ? await this.#objects.listNamespacedCustomObject({ ...crd(type), namespace, labelSelector })
          : await this.#objects.listClusterCustomObject({ ...crd(type), labelSelector });
      const list = asObjectList(answer, what);
      return { items: list.items as T[], resourceVersion: list.resourceVersion };
    } catch (error) {
      throw mapApiError(error, what);
    }
  }

  async watch<T extends KubeObject>(type: ResourceType, namespace: string | undefined, options: WatchOptions<T>): Promise<WatchHandle> {
    crd(type);
    return startWatch(this.#watch, resourcePath(type, type.namespaced ? namespace : undefined), `watching ${describeObject(type, namespace)}`, options);
  }

  async create<T extends KubeObject>(type: ResourceType, object: T): Promise<T> {
    const namespace = object.metadata.namespace;
    const what = `creating ${describeObject(type, namespace, object.metadata.name)}`;
    return this.#object<T>(what, () =>
      type.namespaced
        ? this.#objects.createNamespacedCustomObject({ ...crd(type), namespace: requireNamespace(type, namespace, what), body: object, fieldManager: this.#fieldManager })
        : this.#objects.createClusterCustomObject({ ...crd(type), body: object, fieldManager: this.#fieldManager }),
    );
  }

  async replace<T extends KubeObject>(type: ResourceType, object: T): Promise<T> {
    const { namespace, name } = object.metadata;
    const what = `replacing ${describeObject(type, namespace, name)}`;
    return this.#object<T>(what, () =>
      type.namespaced
        ? this.#objects.replaceNamespacedCustomObject({ ...crd(type), namespace: requireNamespace(type, namespace, what), name, body: object, fieldManager: this.#fieldManager })
        : this.#objects.replaceClusterCustomObject({ ...crd(type), name, body: object, fieldManager: this.#fieldManager }),
    );
  }

  async patch<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string, patch: Record<string, unknown>, options: PatchOptions = {}): Promise<T> {
    const what = `patching ${describeObject(type, namespace, name)}`;
    const body = withPrecondition(patch, options.resourceVersion);
    return this.#object<T>(what, () =>
      type.namespaced
        ? this.#objects.patchNamespacedCustomObject({ ...crd(type), namespace: requireNamespace(type, namespace, what), name, body, fieldManager: this.#fieldManager }, MERGE_PATCH)
        : this.#objects.patchClusterCustomObject({ ...crd(type), name, body, fieldManager: this.#fieldManager }, MERGE_PATCH),
    );
  }

  async updateStatus<T extends KubeObject>(type: ResourceType, object: T): Promise<T> {
    const { namespace, name } = object.metadata;
    const what = `updating the status of ${describeObject(type, namespace, name)}`;
    return this.#object<T>(what, () =>
      type.namespaced
        ? this.#objects.replaceNamespacedCustomObjectStatus({ ...crd(type), namespace: requireNamespace(type, namespace, what), name, body: object, fieldManager: this.#fieldManager })
        : this.#objects.replaceClusterCustomObjectStatus({ ...crd(type), name, body: object, fieldManager: this.#fieldManager }),
    );
  }

  async patchStatus<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string, patch: { status: Record<string, unknown> }, options: PatchOptions = {}): Promise<T> {
    const what = `patching the status of ${describeObject(type, namespace, name)}`;
    const body = withPrecondition({ status: patch.status }, options.resourceVersion);
    return this.#object<T>(what, () =>
      type.namespaced
        ? this.#objects.patchNamespacedCustomObjectStatus({ ...crd(type), namespace: requireNamespace(type, namespace, what), name, body, fieldManager: this.#fieldManager }, MERGE_PATCH)
        : this.#objects.patchClusterCustomObjectStatus({ ...crd(type), name, body, fieldManager: this.#fieldManager }, MERGE_PATCH),
    );
  }

  async delete(type: ResourceType, namespace: string | undefined, name: string, options: DeleteOptions = {}): Promise<void> {
    const what = `deleting ${describeObject(type, namespace, name)}`;
    const body = new V1DeleteOptions();
    body.propagationPolicy = options.propagation ?? "Background";
    if (options.resourceVersion !== undefined) {
      body.preconditions = new V1Preconditions();
      body.preconditions.resourceVersion = options.resourceVersion;
    }
    try {
      await (type.namespaced
        ? this.#objects.deleteNamespacedCustomObject({ ...crd(type), namespace: requireNamespace(type, namespace, what), name, body })
        : this.#objects.deleteClusterCustomObject({ ...crd(type), name, body }));
    } catch (error) {
      throw mapApiError(error, what);
    }
  }

  /**
   * Creates the event under its aggregate name; when it exists, bumps its count and
   * lastTimestamp guarded by resourceVersion, retrying when another recorder bumped it first.
   */
  async recordEvent(namespace: string, event: EventRecord): Promise<void> {
    const body = coreEventOf(namespace, event, this.#now());
    const name = body.metadata.name ?? "";
    const what = `recording event ${namespace}/${name}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#core.createNamespacedEvent({ namespace, body });
        return;
      } catch (error) {
        const mapped = mapApiError(error, what);
        if (!isStoreError(mapped, "AlreadyExists")) throw mapped;
      }
      try {
        const current = await this.#core.readNamespacedEvent({ namespace, name });
        const patch = { count: (current.count ?? 1) + 1, lastTimestamp: formatTime(this.#now()), metadata: { resourceVersion: current.metadata.resourceVersion } };
        await this.#core.patchNamespacedEvent({ namespace, name, body: patch }, MERGE_PATCH);
        return;
      } catch (error) {
        const mapped = mapApiError(error, what);
        // NotFound: it expired (events have a TTL) between the create and the read: create again.
        const retry = isStoreError(mapped, "Conflict") || isStoreError(mapped, "NotFound");
        if (!retry || attempt >= EVENT_UPDATE_ATTEMPTS) throw mapped;
      }
    }
  }

  async listEvents(namespace: string, involved: { kind: string; name: string }): Promise<StoredEvent[]> {
    try {
      const list = await this.#core.listNamespacedEvent({ namespace, fieldSelector: involvedFieldSelector(involved) });
      // A stable sort: the store API lists in recording order already and has no annotation.
      return [...list.items].sort((a, b) => firstRecorded(a) - firstRecorded(b)).map(storedEventOf);
    } catch (error) {
      throw mapApiError(error, `listing events of ${involved.kind} ${namespace}/${involved.name}`);
    }
  }

  async #object<T extends KubeObject>(what: string, call: () => Promise<unknown>): Promise<T> {
    try {
      return asKubeObject(await call(), what) as T;
    } catch (error) {
      throw mapApiError(error, what);
    }
  }
}

/** The {@link ResourceStore} of a cluster (or of a store API, through its kubeconfig). */
export function createKubernetesResourceStore(kubeConfig: KubeConfig, options?: KubernetesResourceStoreOptions): ResourceStore {
  return new KubernetesResourceStore(kubeConfig, options);
}

