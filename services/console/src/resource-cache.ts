import { create } from "@bufbuild/protobuf";
import type { JsonObject } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { WatchResourcesResponse } from "@spreadops/api";
import { ResourceChangeType, WatchResourcesResponseSchema } from "@spreadops/api";
import type { KubeObject, ResourceStore, ResourceType, WatchEvent, WatchHandle } from "@spreadops/resources";
import { STRATEGY, TRADE, isStoreError } from "@spreadops/resources";
import type { CancelTimer, Clock, Logger } from "@spreadops/runtime";
import type { ConsoleMetrics } from "./console-metrics.js";
import { Subscription } from "./subscription.js";

/** The kinds the console shows. */
export type ResourceKind = "Strategy" | "Trade";

const TYPES: Readonly<Record<ResourceKind, ResourceType>> = { Strategy: STRATEGY, Trade: TRADE };
const KINDS: readonly ResourceKind[] = ["Strategy", "Trade"];

/** A change the cache applied, for in-process listeners (the activity feed). */
export interface CacheChange {
  readonly type: "ADDED" | "MODIFIED" | "DELETED";
  readonly kind: ResourceKind;
  /** The object after the change (for DELETED its last state), frozen. */
  readonly object: JsonObject;
  /** The cached object before a MODIFIED (or a DELETED), frozen. */
  readonly previous?: JsonObject;
}

/** Where the cache stands. */
export type CacheState = "syncing" | "ready" | "unavailable";

/** Options for {@link ResourceCache}. */
export interface ResourceCacheOptions {
  readonly store: Pick<ResourceStore, "list" | "watch">;
  readonly namespace: string;
  readonly clock: Pick<Clock, "now" | "setTimer">;
  readonly logger: Logger;
  readonly metrics?: Pick<ConsoleMetrics, "storeRelisted">;
  /** Between relists after failures; default 500 ms doubling to 15 s. */
  readonly backoff?: { readonly baseDelayMs: number; readonly maxDelayMs: number };
  /**
   * How long the store may fail before streams end with Unavailable (browsers then mark their
   * data stale and retry); default 10 s. Shorter hiccups (a watch re-established) go unnoticed.
   */
  readonly unavailableAfterMs?: number;
  /** Per subscriber: messages that may wait for a slow browser. Default 10,000. */
  readonly maxQueued?: number;
}

type Watcher = Subscription<WatchResourcesResponse>;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The stored object as a Struct value: plain JSON (no undefined), frozen, shared by every subscriber. */
function toJsonObject(object: KubeObject): JsonObject {
  return deepFreeze(JSON.parse(JSON.stringify(object)) as JsonObject);
}

function nameOf(object: JsonObject): string {
  const metadata = object.metadata;
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) return "";
  const name = metadata.name;
  return typeof name === "string" ? name : "";
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The console's one view of the namespace's Strategies and Trades (a shared informer): one list
 * + watch per kind on the store, fanned out to every WatchResources caller and to in-process
 * listeners, so a hundred open browsers cost the store no more than one. A watch that expires
 * (Gone) relists at once; any other failure relists after a capped backoff. Each relist sends
 * every subscriber a fresh snapshot and tells listeners the differences.
 *
 * While the store keeps failing past `unavailableAfterMs`, open streams end with Unavailable and
 * new ones are refused at once until a list succeeds again; a store that cannot be reached at
 * start refuses new streams at once as well, instead of leaving them waiting.
 */
export class ResourceCache {
  readonly #options: ResourceCacheOptions;
  readonly #backoff: { readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly #unavailableAfterMs: number;
  readonly #objects: Record<ResourceKind, Map<string, JsonObject>> = { Strategy: new Map(), Trade: new Map() };
  /** Every open stream, and whether it has had its snapshot (changes only go to those that have). */
  readonly #watchers = new Map<Watcher, { primed: boolean }>();
  readonly #listeners = new Set<(change: CacheChange) => void>();
  #state: CacheState = "syncing";
  #synced = false;
  #running = false;
  /** Bumped at every (re)list: callbacks of older lists and watches are ignored. */
  #epoch = 0;
  #watches: WatchHandle[] = [];
  #retryTimer: CancelTimer | undefined;
  #downTimer: CancelTimer | undefined;
  #failures = 0;
  #failingSince: number | undefined;
  #lastError: unknown;

  constructor(options: ResourceCacheOptions) {
    this.#options = options;
    this.#backoff = options.backoff ?? { baseDelayMs: 500, maxDelayMs: 15_000 };
    this.#unavailableAfterMs = options.unavailableAfterMs ?? 10_000;
  }

  get state(): CacheState {
    return this.#state;
  }

  /** Starts listing and watching in the background. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#relist();
  }

  /** Stops watching and ends every stream (shutdown), with `error` when given so callers know to reconnect. */
  stop(error?: Error): void {
    this.#running = false;
    this.#epoch++;
    this.#stopWatches();
    this.#retryTimer?.();
    this.#retryTimer = undefined;
    this.#downTimer?.();
    this.#downTimer = undefined;
    for (const watcher of [...this.#watchers.keys()]) {
      if (error === undefined) watcher.end();
      else watcher.fail(error);
    }
  }

  /** Listens to every change applied after the first sync; returns the removal. */
  onChange(listener: (change: CacheChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The cached objects of one kind, by name. */
  objects(kind: ResourceKind): readonly JsonObject[] {
    return [...this.#objects[kind].values()];
  }

  /** The cached object of `kind` whose metadata.uid is `uid`. */
  findByUid(kind: ResourceKind, uid: string): JsonObject | undefined {
    for (const object of this.#objects[kind].values()) {
      const metadata = object.metadata as { uid?: unknown } | undefined;
      if (metadata?.uid === uid) return object;
    }
    return undefined;
  }

  /**
   * A WatchResources stream: the snapshot first (once synced), then every change, until `signal`
   * aborts or the store stays unreachable.
   * @throws ConnectError Unavailable when the store cannot be reached right now.
   */
  subscribe(signal?: AbortSignal): Subscription<WatchResourcesResponse> {
    this.#refuseWhenDown();
    const watcher: Watcher = new Subscription<WatchResourcesResponse>({
      ...(this.#options.maxQueued === undefined ? {} : { maxQueued: this.#options.maxQueued }),
      ...(signal === undefined ? {} : { signal }),
      onClose: () => this.#watchers.delete(watcher),
    });
    if (watcher.ended) return watcher;
    this.#watchers.set(watcher, { primed: false });
    if (this.#synced) this.#prime(watcher);
    return watcher;
  }

  #refuseWhenDown(): void {
    const failing = this.#failingSince !== undefined;
    if (this.#state === "unavailable" || (failing && !this.#synced)) throw this.#unavailableError();
  }

  #unavailableError(): ConnectError {
    return new ConnectError(`the resource store cannot be reached: ${describe(this.#lastError)}`, Code.Unavailable, undefined, undefined, this.#lastError);
  }

  #snapshotMessage(): WatchResourcesResponse {
    return create(WatchResourcesResponseSchema, {
      message: { case: "snapshot", value: { strategies: this.objects("Strategy") as JsonObject[], trades: this.objects("Trade") as JsonObject[] } },
    });
  }

  #prime(watcher: Watcher, snapshot = this.#snapshotMessage()): void {
    const entry = this.#watchers.get(watcher);
    if (entry !== undefined) entry.primed = true;
    watcher.push(snapshot);
  }

  async #relist(): Promise<void> {
    const epoch = ++this.#epoch;
    this.#stopWatches();
    const { store, namespace } = this.#options;
    let lists;
    try {
      lists = await Promise.all(KINDS.map((kind) => store.list(TYPES[kind], namespace)));
    } catch (error) {
      if (epoch !== this.#epoch) return;
      this.#failed(epoch, error, "list");
      return;
    }
    if (epoch !== this.#epoch) return;
    const quiet = !this.#synced && this.#state === "syncing";
    KINDS.forEach((kind, index) => {
      this.#replace(kind, lists[index]?.items ?? [], quiet);
    });
    this.#recovered();
    this.#synced = true;
    this.#state = "ready";
    const snapshot = this.#snapshotMessage();
    for (const watcher of [...this.#watchers.keys()]) this.#prime(watcher, snapshot);
    await Promise.all(KINDS.map((kind, index) => this.#watch(epoch, kind, lists[index]?.resourceVersion ?? "")));
  }

  /** Applies a fresh list: the differences become changes (none on the very first sync). */
  #replace(kind: ResourceKind, items: readonly KubeObject[], quiet: boolean): void {
    const cache = this.#objects[kind];
    const seen = new Set<string>();
    for (const item of items) {
      const object = toJsonObject(item);
      const name = nameOf(object);
      seen.add(name);
      const previous = cache.get(name);
      cache.set(name, object);
      if (quiet) continue;
      if (previous === undefined) this.#tell({ type: "ADDED", kind, object });
      else if (JSON.stringify(previous.metadata) !== JSON.stringify(object.metadata)) this.#tell({ type: "MODIFIED", kind, object, previous });
    }
    for (const [name, previous] of [...cache]) {
      if (seen.has(name)) continue;
      cache.delete(name);
      if (!quiet) this.#tell({ type: "DELETED", kind, object: previous, previous });
    }
  }

  async #watch(epoch: number, kind: ResourceKind, resourceVersion: string): Promise<void> {
    try {
      const handle = await this.#options.store.watch<KubeObject>(TYPES[kind], this.#options.namespace, {
        resourceVersion,
        onEvent: (event) => {
          if (epoch === this.#epoch) this.#apply(kind, event);
        },
        onClose: (error) => {
          if (epoch === this.#epoch) this.#watchClosed(epoch, kind, error);
        },
      });
      if (epoch !== this.#epoch) handle.stop();
      else this.#watches.push(handle);
    } catch (error) {
      if (epoch === this.#epoch) this.#watchClosed(epoch, kind, error);
    }
  }

  #apply(kind: ResourceKind, event: WatchEvent<KubeObject>): void {
    const cache = this.#objects[kind];
    const object = toJsonObject(event.object);
    const name = nameOf(object);
    const previous = cache.get(name);
    let type: ResourceChangeType;
    if (event.type === "DELETED") {
      cache.delete(name);
      type = ResourceChangeType.DELETED;
      this.#tell({ type: "DELETED", kind, object, ...(previous === undefined ? {} : { previous }) });
    } else {
      cache.set(name, object);
      type = previous === undefined ? ResourceChangeType.ADDED : ResourceChangeType.MODIFIED;
      this.#tell(previous === undefined ? { type: "ADDED", kind, object } : { type: "MODIFIED", kind, object, previous });
    }
    const message = create(WatchResourcesResponseSchema, { message: { case: "change", value: { type, kind, object } } });
    for (const [watcher, { primed }] of [...this.#watchers]) if (primed) watcher.push(message);
  }

  #watchClosed(epoch: number, kind: ResourceKind, error: unknown): void {
    if (isStoreError(error, "Gone")) {
      this.#options.logger.info({ kind }, "watch expired (410 Gone): relisting");
      this.#options.metrics?.storeRelisted("gone");
      void this.#relist();
      return;
    }
    this.#failed(epoch, error, "watch");
  }

  #failed(epoch: number, error: unknown, what: "list" | "watch"): void {
    this.#stopWatches();
    this.#lastError = error;
    const now = this.#options.clock.now();
    if (this.#failingSince === undefined) {
      this.#failingSince = now;
      this.#downTimer = this.#options.clock.setTimer(this.#unavailableAfterMs, () => {
        this.#downTimer = undefined;
        this.#goDown();
      });
    }
    // Nobody waiting for a first snapshot should wait on a store that does not answer.
    if (!this.#synced) for (const [watcher, { primed }] of [...this.#watchers]) if (!primed) watcher.fail(this.#unavailableError());
    const delay = Math.min(this.#backoff.maxDelayMs, this.#backoff.baseDelayMs * 2 ** Math.min(this.#failures, 30));
    this.#failures++;
    this.#options.logger.warn({ err: error, retryInMs: delay }, `${what} of Strategies and Trades failed: relisting`);
    this.#retryTimer?.();
    this.#retryTimer = this.#options.clock.setTimer(delay, () => {
      this.#retryTimer = undefined;
      if (epoch !== this.#epoch || !this.#running) return;
      this.#options.metrics?.storeRelisted("error");
      void this.#relist();
    });
  }

  #goDown(): void {
    if (this.#failingSince === undefined || !this.#running) return;
    this.#state = "unavailable";
    this.#synced = false;
    const error = this.#unavailableError();
    this.#options.logger.error({ err: this.#lastError, sinceMs: this.#options.clock.now() - this.#failingSince }, "the resource store is unreachable: ending resource streams");
    for (const watcher of [...this.#watchers.keys()]) watcher.fail(error);
  }

  #recovered(): void {
    if (this.#failingSince !== undefined) this.#options.logger.info("the resource store answers again");
    this.#failingSince = undefined;
    this.#lastError = undefined;
    this.#failures = 0;
    this.#downTimer?.();
    this.#downTimer = undefined;
  }

  #stopWatches(): void {
    for (const handle of this.#watches) handle.stop();
    this.#watches = [];
  }

  #tell(change: CacheChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        this.#options.logger.error({ err: error, kind: change.kind, name: nameOf(change.object) }, "resource change listener failed");
      }
    }
  }
}
