import type { KubeObject, ResourceStore, ResourceType, WatchEventType, WatchHandle } from "@spreadops/resources";
import { isStoreError } from "@spreadops/resources";
import type { CancelTimer, Clock, Logger } from "@spreadops/runtime";
import type { RateLimit } from "./work-queue.js";

/** A change the informer applied to its cache. */
export interface InformerEvent<T extends KubeObject> {
  readonly type: WatchEventType;
  /** "namespace/name" (or "name" for cluster-scoped objects). */
  readonly key: string;
  readonly object: T;
  /** The cached object before a MODIFIED. */
  readonly previous?: T;
}

/** Reacts to a cache change; handlers only enqueue keys, they never do work. */
export type InformerHandler<T extends KubeObject> = (event: InformerEvent<T>) => void;

/** Why the informer restarted its list/watch, for metrics. */
export type RestartReason = "gone" | "error";

/** Options for {@link Informer}. */
export interface InformerOptions {
  readonly store: Pick<ResourceStore, "list" | "watch">;
  readonly type: ResourceType;
  /** Only this namespace; all namespaces when unset. */
  readonly namespace?: string;
  readonly clock: Pick<Clock, "now" | "setTimer">;
  readonly logger: Logger;
  /** Backoff between restarts after errors other than Gone; default 500 ms doubling to 30 s. */
  readonly backoff?: RateLimit;
  readonly onRestart?: (reason: RestartReason) => void;
}

const DEFAULT_BACKOFF: RateLimit = { baseDelayMs: 500, maxDelayMs: 30_000 };

/** "namespace/name" of an object, the key every queue and cache uses. */
export function objectKey(object: Pick<KubeObject, "metadata">): string {
  const ns = object.metadata.namespace;
  return ns === undefined || ns === "" ? object.metadata.name : `${ns}/${object.metadata.name}`;
}

/** Splits a key into namespace and name. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * List + watch of one resource type into a read-only cache (client-go's shared informer, minus
 * the sharing). The cache holds frozen copies: reconcilers read them and never mutate them. A
 * watch that ends with Gone relists at once (the diff against the cache becomes events); one that
 * dies of anything else is restarted from the last seen version after a capped backoff.
 */
export class Informer<T extends KubeObject> {
  readonly #options: InformerOptions;
  readonly #backoff: RateLimit;
  readonly #cache = new Map<string, T>();
  readonly #handlers = new Set<InformerHandler<T>>();
  readonly #indexers = new Map<string, (object: T) => readonly string[]>();
  readonly #indexes = new Map<string, Map<string, Set<string>>>();
  readonly #syncWaiters = new Set<(synced: boolean) => void>();
  #synced = false;
  #running = false;
  /** Bumped at every start and restart: callbacks of an older list or watch are ignored. */
  #epoch = 0;
  #watch: WatchHandle | undefined;
  #timer: CancelTimer | undefined;
  #lastVersion = "";
  #failures = 0;
  #watchStartedAt = 0;

  constructor(options: InformerOptions) {
    this.#options = options;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** Adds a handler; returns its removal. */
  addHandler(handler: InformerHandler<T>): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  /** Adds an index: `byIndex(name, value)` then finds the objects whose `values` contain it. */
  addIndex(name: string, values: (object: T) => readonly string[]): void {
    this.#indexers.set(name, values);
    const index = new Map<string, Set<string>>();
    this.#indexes.set(name, index);
    for (const [key, object] of this.#cache) for (const value of values(object)) this.#indexAdd(index, value, key);
  }

  /** Objects whose index `name` contains `value`. */
  byIndex(name: string, value: string): T[] {
    const keys = this.#indexes.get(name)?.get(value);
    if (keys === undefined) return [];
    return [...keys].map((k) => this.#cache.get(k)).filter((o): o is T => o !== undefined);
  }

  /** Starts listing and watching in the background. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#relist();
  }

  /** Stops watching; the cache is kept but no longer updated. */
  stop(): void {
    this.#running = false;
    this.#epoch++;
    this.#timer?.();
    this.#timer = undefined;
    this.#watch?.stop();
    this.#watch = undefined;
    for (const resolve of this.#syncWaiters) resolve(false);
    this.#syncWaiters.clear();
  }

  /** True once the first list has been applied to the cache. */
  hasSynced(): boolean {
    return this.#synced;
  }

  /** Resolves true once synced, false if the informer is stopped first. */
  waitForSync(): Promise<boolean> {
    if (this.#synced) return Promise.resolve(true);
    if (!this.#running) return Promise.resolve(false);
    return new Promise((resolve) => this.#syncWaiters.add(resolve));
  }

  /** The cached object under `key`. */
  get(key: string): T | undefined {
    return this.#cache.get(key);
  }

  /** Every cached object. */
  list(): T[] {
    return [...this.#cache.values()];
  }

  async #relist(): Promise<void> {
    const epoch = ++this.#epoch;
    const { store, type, namespace } = this.#options;
    let result;
    try {
      result = await store.list<T>(type, namespace);
    } catch (error) {
      if (epoch !== this.#epoch) return;
      this.#restartLater(epoch, error, "list");
      return;
    }
    if (epoch !== this.#epoch) return;
    const seen = new Set<string>();
    for (const item of result.items) {
      const key = objectKey(item);
      seen.add(key);
      const previous = this.#cache.get(key);
      if (previous?.metadata.resourceVersion !== undefined && previous.metadata.resourceVersion === item.metadata.resourceVersion) continue;
      this.#put(key, item, previous);
    }
    for (const [key, object] of [...this.#cache]) {
      if (!seen.has(key)) this.#remove(key, object);
    }
    this.#lastVersion = result.resourceVersion;
    this.#failures = 0;
    if (!this.#synced) {
      this.#synced = true;
      for (const resolve of this.#syncWaiters) resolve(true);
      this.#syncWaiters.clear();
    }
    await this.#startWatch(epoch);
  }

  async #startWatch(epoch: number): Promise<void> {
    const { store, type, namespace } = this.#options;
    try {
      this.#watchStartedAt = this.#options.clock.now();
      const handle = await store.watch<T>(type, namespace, {
        resourceVersion: this.#lastVersion,
        onEvent: (event) => {
          if (epoch !== this.#epoch) return;
          const key = objectKey(event.object);
          if (event.object.metadata.resourceVersion !== undefined) this.#lastVersion = event.object.metadata.resourceVersion;
          if (event.type === "DELETED") {
            const cached = this.#cache.get(key);
            if (cached !== undefined) this.#remove(key, cached, event.object);
          } else {
            this.#put(key, event.object, this.#cache.get(key));
          }
        },
        onClose: (error) => {
          if (epoch !== this.#epoch) return;
          this.#watch = undefined;
          this.#onWatchClosed(epoch, error);
        },
      });
      if (epoch !== this.#epoch) {
        handle.stop();
        return;
      }
      this.#watch = handle;
    } catch (error) {
      if (epoch !== this.#epoch) return;
      this.#onWatchClosed(epoch, error);
    }
  }

  #onWatchClosed(epoch: number, error: unknown): void {
    const { logger, type } = this.#options;
    if (isStoreError(error, "Gone")) {
      logger.info({ kind: type.kind, resourceVersion: this.#lastVersion }, "watch expired (410 Gone): relisting");
      this.#options.onRestart?.("gone");
      void this.#relist();
      return;
    }
    // A watch that lived a while is healthy: its end starts the backoff afresh.
    if (this.#options.clock.now() - this.#watchStartedAt > this.#backoff.maxDelayMs) this.#failures = 0;
    this.#restartLater(epoch, error, "watch");
  }

  #restartLater(epoch: number, error: unknown, what: "list" | "watch"): void {
    const { logger, type } = this.#options;
    const delay = Math.min(this.#backoff.maxDelayMs, this.#backoff.baseDelayMs * 2 ** Math.min(this.#failures, 30));
    this.#failures++;
    this.#options.onRestart?.("error");
    logger.warn({ kind: type.kind, err: error, retryInMs: delay }, `${what} failed: restarting`);
    this.#timer = this.#options.clock.setTimer(delay, () => {
      this.#timer = undefined;
      if (epoch !== this.#epoch || !this.#running) return;
      if (what === "list" || this.#lastVersion === "") void this.#relist();
      else void this.#startWatch(epoch);
    });
  }

  #put(key: string, incoming: T, previous: T | undefined): void {
    const object = deepFreeze(structuredClone(incoming));
    if (previous !== undefined) this.#unindex(key, previous);
    this.#cache.set(key, object);
    this.#index(key, object);
    this.#emit(previous === undefined ? { type: "ADDED", key, object } : { type: "MODIFIED", key, object, previous });
  }

  #remove(key: string, cached: T, final?: T): void {
    this.#unindex(key, cached);
    this.#cache.delete(key);
    this.#emit({ type: "DELETED", key, object: final === undefined ? cached : deepFreeze(structuredClone(final)) });
  }

  #emit(event: InformerEvent<T>): void {
    for (const handler of this.#handlers) {
      try {
        handler(event);
      } catch (error) {
        this.#options.logger.error({ err: error, key: event.key }, "informer handler failed");
      }
    }
  }

  #index(key: string, object: T): void {
    for (const [name, values] of this.#indexers) {
      const index = this.#indexes.get(name);
      if (index !== undefined) for (const value of values(object)) this.#indexAdd(index, value, key);
    }
  }

  #unindex(key: string, object: T): void {
    for (const [name, values] of this.#indexers) {
      const index = this.#indexes.get(name);
      if (index === undefined) continue;
      for (const value of values(object)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }

  #indexAdd(index: Map<string, Set<string>>, value: string, key: string): void {
    let keys = index.get(value);
    if (keys === undefined) {
      keys = new Set();
      index.set(value, keys);
    }
    keys.add(key);
  }
}
