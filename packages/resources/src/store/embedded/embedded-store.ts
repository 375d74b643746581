import { randomUUID } from "node:crypto";
import type { Clock } from "@spreadops/runtime";
import type { StorePersistence } from "../persistence.js";
import { StoreError } from "../types.js";
import type {
  DeleteOptions, EventRecord, KubeObject, ListResult, PatchOptions, ResourceStore, ResourceType, StoredEvent, WatchHandle, WatchOptions,
} from "../types.js";
import { eventsAbout, recordEvent } from "./event-log.js";
import { jsonCopy } from "./json.js";
import { matchesLabels } from "./object-meta.js";
import { ObjectWriter } from "./object-writer.js";
import { fromSnapshot, toSnapshot } from "./snapshot.js";
import { Transaction, emptyState, objectKey } from "./state.js";
import type { Change, StoreState } from "./state.js";
import { TypeRegistry, typeKeyOf } from "./type-registry.js";
import type { TypeRegistration } from "./type-registry.js";
import { WatchHub, parseVersion } from "./watch-hub.js";

export interface EmbeddedStoreOptions {
  /** The types served, each with an optional validator (the CRD schema's stand-in). */
  readonly types: readonly TypeRegistration[];
  /** Timestamps (creation, deletion, events); default the system clock. */
  readonly clock?: Pick<Clock, "now">;
  /** How many changes watches can replay; older versions get Gone. Default 1000. */
  readonly historyLimit?: number;
  /** How many aggregated Events are kept; the oldest go first. Default 1000. */
  readonly eventLimit?: number;
  /** uid generator; default crypto.randomUUID. */
  readonly newUid?: () => string;
}

export interface PersistentStoreOptions extends EmbeddedStoreOptions {
  readonly persistence: StorePersistence;
}

interface PendingWrite {
  readonly changes: readonly Change[];
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/** Ties a store to the persistence it was loaded from; only {@link EmbeddedStore.open} makes one. */
class Restored {
  constructor(readonly persistence: StorePersistence, readonly state: StoreState) {}
}

/**
 * The ResourceStore with the API server's semantics, in process. `new EmbeddedStore(...)` keeps
 * everything in memory; {@link EmbeddedStore.open} loads from and saves to a persistence.
 *
 * Writes are applied to the next state and become visible (reads, watches) only once persisted;
 * writes arriving while a save is in flight are saved together in the next one (group commit),
 * so a write always resolves after it is durable without paying one file write per call.
 */
export class EmbeddedStore implements ResourceStore {
  readonly #registry: TypeRegistry;
  readonly #writer: ObjectWriter;
  readonly #clock: Pick<Clock, "now">;
  readonly #eventLimit: number;
  readonly #persistence: StorePersistence | undefined;
  readonly #hub: WatchHub;
  /** The last durable state: what reads and watches see. */
  #committed: StoreState;
  /** The committed state plus writes still being persisted: what the next write builds on. */
  #head: StoreState;
  #pending: PendingWrite[] = [];
  #flushing: Promise<void> | undefined;
  #closed = false;

  /** Loads the state from `persistence` (empty when it holds none) and saves every write to it. */
  static async open(options: PersistentStoreOptions): Promise<EmbeddedStore> {
    const snapshot = await options.persistence.load();
    let state: StoreState;
    try {
      state = snapshot === undefined ? emptyState() : fromSnapshot(snapshot);
    } catch (error) {
      // Never start empty over a state that exists but cannot be read: that would lose it.
      await options.persistence.close?.();
      throw new Error(`the stored state in ${options.persistence.description} is corrupt: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return new EmbeddedStore(options, new Restored(options.persistence, state));
  }

  constructor(options: EmbeddedStoreOptions, restored?: Restored) {
    this.#registry = new TypeRegistry(options.types);
    this.#clock = options.clock ?? { now: () => Date.now() };
    this.#eventLimit = options.eventLimit ?? 1000;
    this.#persistence = restored?.persistence;
    this.#committed = restored?.state ?? emptyState();
    this.#head = this.#committed;
    this.#hub = new WatchHub(options.historyLimit ?? 1000, this.#committed.resourceVersion);
    this.#writer = new ObjectWriter({ registry: this.#registry, now: () => this.#clock.now(), newUid: options.newUid ?? randomUUID });
  }

  /** The types this store serves. */
  types(): ResourceType[] {
    return this.#registry.types();
  }

  get<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string): Promise<T> {
    return this.#read(() => {
      this.#registry.resolve(type);
      const object = this.#committed.objects.get(typeKeyOf(type))?.get(objectKey(scope(type, namespace), name));
      if (object === undefined) throw new StoreError("NotFound", `${typeKeyOf(type)} "${name}" not found`);
      return jsonCopy(object) as T;
    });
  }

  list<T extends KubeObject>(type: ResourceType, namespace?: string, options?: { labelSelector?: Record<string, string> }): Promise<ListResult<T>> {
    return this.#read(() => {
      this.#registry.resolve(type);
      const ns = type.namespaced ? namespace : undefined;
      const items = [...(this.#committed.objects.get(typeKeyOf(type))?.values() ?? [])]
        .filter((object) => (ns === undefined || object.metadata.namespace === ns) && matchesLabels(object.metadata, options?.labelSelector))
        .sort((a, b) => compareKeys(a, b))
        .map((object) => jsonCopy(object) as T);
      return { items, resourceVersion: String(this.#committed.resourceVersion) };
    });
  }

  watch<T extends KubeObject>(type: ResourceType, namespace: string | undefined, options: WatchOptions<T>): Promise<WatchHandle> {
    return this.#read(() => {
      this.#registry.resolve(type);
      return this.#hub.watch({
        typeKey: typeKeyOf(type),
        namespace: type.namespaced ? namespace : undefined,
        after: parseVersion(options.resourceVersion),
        onEvent: options.onEvent as WatchOptions<KubeObject>["onEvent"],
        onClose: options.onClose,
      });
    });
  }

  create<T extends KubeObject>(type: ResourceType, object: T): Promise<T> {
    return this.#mutate((tx) => this.#writer.create(tx, type, object) as T);
  }

  replace<T extends KubeObject>(type: ResourceType, object: T): Promise<T> {
    return this.#mutate((tx) => this.#writer.replace(tx, type, object) as T);
  }

  patch<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string, patch: Record<string, unknown>, options?: PatchOptions): Promise<T> {
    return this.#mutate((tx) => this.#writer.patch(tx, type, namespace, name, patch, options?.resourceVersion) as T);
  }

  updateStatus<T extends KubeObject>(type: ResourceType, object: T): Promise<T> {
    return this.#mutate((tx) => this.#writer.updateStatus(tx, type, object) as T);
  }

  patchStatus<T extends KubeObject>(type: ResourceType, namespace: string | undefined, name: string, patch: { status: Record<string, unknown> }, options?: PatchOptions): Promise<T> {
    return this.#mutate((tx) => this.#writer.patchStatus(tx, type, namespace, name, patch, options?.resourceVersion) as T);
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, options?: DeleteOptions): Promise<void> {
    return this.#mutate((tx) => {
      this.#writer.delete(tx, type, namespace, name, options);
    });
  }

  recordEvent(namespace: string, event: EventRecord): Promise<void> {
    return this.#mutate((tx) => {
      recordEvent(tx, namespace, event, this.#clock.now(), this.#eventLimit);
    });
  }

  listEvents(namespace: string, involved: { kind: string; name: string }): Promise<StoredEvent[]> {
    return this.#read(() => eventsAbout(this.#committed.events.values(), namespace, involved));
  }

  /** Waits for writes in flight, ends every watch (onClose with Unavailable) and refuses further calls. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#flushing;
    this.#hub.closeAll(new StoreError("Unavailable", "the store was closed"));
    await this.#persistence?.close?.();
  }

  #read<R>(read: () => R): Promise<R> {
    if (this.#closed) return Promise.reject(closedError());
    try {
      return Promise.resolve(read());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Runs one write synchronously on the head state (so writes never interleave), then resolves
   * once the result is durable; the returned object is the caller's own copy.
   */
  #mutate<R>(write: (tx: Transaction) => R): Promise<R> {
    if (this.#closed) return Promise.reject(closedError());
    const tx = new Transaction(this.#head);
    let result: R;
    try {
      result = write(tx);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const copy = result === undefined ? result : jsonCopy(result);
    if (tx.changed) this.#head = tx.state();
    if (this.#persistence === undefined) {
      this.#commit(this.#head, tx.changes);
      return Promise.resolve(copy);
    }
    if (!tx.changed && this.#pending.length === 0 && this.#flushing === undefined) return Promise.resolve(copy);
    // An unchanged write still waits for earlier writes it may have read from to be durable.
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ changes: tx.changes, resolve: () => { resolve(copy); }, reject });
      this.#flushing ??= this.#flush();
    });
  }

  async #flush(): Promise<void> {
    const persistence = this.#persistence;
    while (persistence !== undefined && this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      const state = this.#head;
      try {
        await persistence.save(toSnapshot(state));
      } catch (error) {
        // Everything not yet durable was built on this batch: drop it all and go back to the last saved state.
        const failed = new StoreError("Unavailable", `the store could not save its state: ${error instanceof Error ? error.message : String(error)}`);
        for (const write of [...batch, ...this.#pending]) write.reject(failed);
        this.#pending = [];
        this.#head = this.#committed;
        continue;
      }
      this.#commit(state, batch.flatMap((write) => write.changes));
      for (const write of batch) write.resolve();
    }
    this.#flushing = undefined;
  }

  #commit(state: StoreState, changes: readonly Change[]): void {
    this.#committed = state;
    this.#hub.publish(changes);
  }
}

const closedError = (): StoreError => new StoreError("Unavailable", "the store is closed");

/** Cluster-scoped types ignore a namespace; namespaced reads need one. */
function scope(type: ResourceType, namespace: string | undefined): string | undefined {
  if (!type.namespaced) return undefined;
  if (namespace === undefined || namespace === "") throw new StoreError("BadRequest", `a namespace is required for ${typeKeyOf(type)}`);
  return namespace;
}

const compareKeys = (a: KubeObject, b: KubeObject): number =>
  objectKey(a.metadata.namespace, a.metadata.name) < objectKey(b.metadata.namespace, b.metadata.name) ? -1 : 1;
