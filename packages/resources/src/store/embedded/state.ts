import type { KubeObject, StoredEvent, WatchEventType } from "../types.js";
import { deepFreeze } from "./freeze.js";

/** An aggregated Event as stored: its own name and namespace plus what `listEvents` returns. */
export interface EventEntry {
  readonly namespace: string;
  readonly name: string;
  readonly event: StoredEvent;
}

/**
 * The whole store at one version. Treated as immutable: a write builds the next state through a
 * {@link Transaction} (copy on write), so readers keep seeing the last durable state while the
 * next one is being persisted.
 */
export interface StoreState {
  /** The store-wide counter: the last resourceVersion handed out. */
  readonly resourceVersion: number;
  /** typeKey → (namespace/name → object). Stored objects are never mutated. */
  readonly objects: ReadonlyMap<string, ReadonlyMap<string, KubeObject>>;
  /** Aggregation key → event, in order of first occurrence. */
  readonly events: ReadonlyMap<string, EventEntry>;
}

/** One change of one object, as watches replay it. */
export interface Change {
  readonly resourceVersion: number;
  readonly typeKey: string;
  readonly namespace: string | undefined;
  readonly type: WatchEventType;
  readonly object: KubeObject;
}

export const emptyState = (): StoreState => ({ resourceVersion: 0, objects: new Map(), events: new Map() });

export const objectKey = (namespace: string | undefined, name: string): string => `${namespace ?? ""}/${name}`;

/** The next state under construction: reads see the writes made so far, the base is untouched. */
export class Transaction {
  readonly #base: StoreState;
  #objects: Map<string, ReadonlyMap<string, KubeObject>> | undefined;
  readonly #copiedTypes = new Set<string>();
  #events: Map<string, EventEntry> | undefined;
  #resourceVersion: number;
  readonly changes: Change[] = [];

  constructor(base: StoreState) {
    this.#base = base;
    this.#resourceVersion = base.resourceVersion;
  }

  /** Whether anything was written (objects or events). */
  get changed(): boolean {
    return this.#objects !== undefined || this.#events !== undefined;
  }

  get(typeKey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return (this.#objects ?? this.#base.objects).get(typeKey)?.get(objectKey(namespace, name));
  }

  list(typeKey: string): Iterable<KubeObject> {
    return (this.#objects ?? this.#base.objects).get(typeKey)?.values() ?? [];
  }

  /** Every object of every type, for owner-reference lookups. */
  *all(): Iterable<{ typeKey: string; object: KubeObject }> {
    for (const [typeKey, objects] of this.#objects ?? this.#base.objects) {
      for (const object of objects.values()) yield { typeKey, object };
    }
  }

  /** Stores `object` under a new resourceVersion (set on it) and records ADDED or MODIFIED. */
  put(typeKey: string, object: KubeObject): KubeObject {
    const { namespace, name } = object.metadata;
    const type = this.get(typeKey, namespace, name) === undefined ? "ADDED" : "MODIFIED";
    this.#stamp(object);
    deepFreeze(object);
    this.#typeMap(typeKey).set(objectKey(namespace, name), object);
    this.changes.push({ resourceVersion: this.#resourceVersion, typeKey, namespace, type, object });
    return object;
  }

  /** Removes the object; `last` is its final state, stamped with the deletion's resourceVersion. */
  remove(typeKey: string, last: KubeObject): KubeObject {
    const { namespace, name } = last.metadata;
    this.#stamp(last);
    deepFreeze(last);
    this.#typeMap(typeKey).delete(objectKey(namespace, name));
    this.changes.push({ resourceVersion: this.#resourceVersion, typeKey, namespace, type: "DELETED", object: last });
    return last;
  }

  get events(): ReadonlyMap<string, EventEntry> {
    return this.#events ?? this.#base.events;
  }

  /** The events map, copied on first write. */
  writableEvents(): Map<string, EventEntry> {
    this.#events ??= new Map(this.#base.events);
    return this.#events;
  }

  /** Adds or replaces an event (entries are frozen like objects). */
  putEvent(key: string, entry: EventEntry): void {
    this.writableEvents().set(key, deepFreeze(entry));
  }

  state(): StoreState {
    return {
      resourceVersion: this.#resourceVersion,
      objects: this.#objects ?? this.#base.objects,
      events: this.#events ?? this.#base.events,
    };
  }

  #stamp(object: KubeObject): void {
    this.#resourceVersion += 1;
    object.metadata.resourceVersion = String(this.#resourceVersion);
  }

  #typeMap(typeKey: string): Map<string, KubeObject> {
    this.#objects ??= new Map(this.#base.objects);
    if (!this.#copiedTypes.has(typeKey)) {
      this.#objects.set(typeKey, new Map(this.#objects.get(typeKey)));
      this.#copiedTypes.add(typeKey);
    }
    return this.#objects.get(typeKey) as Map<string, KubeObject>;
  }
}
