// Test-only: list + watch of one kind with the failures a real API server produces (410 Gone,
// a dropped connection, a failing list), so the informer's restart logic can be driven exactly.
import type { KubeObject, ListResult, ResourceStore, ResourceType, WatchHandle, WatchOptions } from "@spreadops/resources";
import { StoreError } from "@spreadops/resources";

export class ScriptedWatchStore implements Pick<ResourceStore, "list" | "watch"> {
  #version = 0;
  readonly #objects = new Map<string, KubeObject>();
  readonly #watchers = new Set<WatchOptions<KubeObject>>();
  /** Versions below this cannot be replayed: a watch from them gets Gone. */
  #oldestReplayable = 0;
  readonly #history: { version: number; type: "ADDED" | "MODIFIED" | "DELETED"; object: KubeObject }[] = [];
  listCalls = 0;
  watchCalls = 0;
  /** Errors thrown by the next list calls. */
  readonly failLists: Error[] = [];

  put(name: string, spec: unknown = {}): KubeObject {
    const version = ++this.#version;
    const existing = this.#objects.get(name);
    const object: KubeObject = { apiVersion: "v1", kind: "Thing", metadata: { name, namespace: "ns", resourceVersion: String(version) }, spec };
    this.#objects.set(name, object);
    this.#publish(existing === undefined ? "ADDED" : "MODIFIED", object, version);
    return object;
  }

  remove(name: string): void {
    const existing = this.#objects.get(name);
    if (existing === undefined) return;
    const version = ++this.#version;
    this.#objects.delete(name);
    this.#publish("DELETED", { ...existing, metadata: { ...existing.metadata, resourceVersion: String(version) } }, version);
  }

  /** Ends every open watch with `error`. */
  breakWatches(error: Error): void {
    for (const watcher of [...this.#watchers]) {
      this.#watchers.delete(watcher);
      watcher.onClose(error);
    }
  }

  /** Forgets history: any watch from an older version gets Gone. */
  compact(): void {
    this.#oldestReplayable = this.#version;
    this.#history.length = 0;
  }

  openWatches(): number {
    return this.#watchers.size;
  }

  list<T extends KubeObject>(_type: ResourceType, _namespace?: string): Promise<ListResult<T>> {
    this.listCalls++;
    const failure = this.failLists.shift();
    if (failure !== undefined) return Promise.reject(failure);
    return Promise.resolve({ items: [...this.#objects.values()].map((o) => structuredClone(o) as T), resourceVersion: String(this.#version) });
  }

  watch<T extends KubeObject>(_type: ResourceType, _namespace: string | undefined, options: WatchOptions<T>): Promise<WatchHandle> {
    this.watchCalls++;
    const from = Number(options.resourceVersion);
    const watcher = options as unknown as WatchOptions<KubeObject>;
    if (from < this.#oldestReplayable) {
      queueMicrotask(() => { options.onClose(new StoreError("Gone", "too old resource version")); });
      return Promise.resolve({ stop: () => undefined });
    }
    this.#watchers.add(watcher);
    for (const entry of this.#history) if (entry.version > from) watcher.onEvent({ type: entry.type, object: structuredClone(entry.object) });
    return Promise.resolve({ stop: () => { this.#watchers.delete(watcher); } });
  }

  #publish(type: "ADDED" | "MODIFIED" | "DELETED", object: KubeObject, version: number): void {
    this.#history.push({ version, type, object: structuredClone(object) });
    for (const watcher of this.#watchers) watcher.onEvent({ type, object: structuredClone(object) });
  }
}
