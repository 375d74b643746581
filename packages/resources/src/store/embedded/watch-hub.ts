import { StoreError } from "../types.js";
import type { KubeObject, WatchEvent, WatchHandle } from "../types.js";
import { jsonCopy } from "./json.js";
import type { Change } from "./state.js";

/** What a watch asks for. */
export interface WatchRequest {
  readonly typeKey: string;
  /** undefined: all namespaces. */
  readonly namespace: string | undefined;
  /** Deliver changes after this version. */
  readonly after: number;
  readonly onEvent: (event: WatchEvent<KubeObject>) => void;
  readonly onClose: (error: Error) => void;
}

interface Watcher extends WatchRequest {
  queue: WatchEvent<KubeObject>[];
  scheduled: boolean;
  done: boolean;
}

/** Parses a resourceVersion a caller hands in: the store's versions are decimal counters. */
export function parseVersion(version: string): number {
  if (!/^\d+$/.test(version)) throw new StoreError("BadRequest", `invalid resourceVersion "${version}": expected a resourceVersion from this store`);
  return Number(version);
}

/**
 * The bounded change history and the live watches. Watches start from a version: the retained
 * history after it is replayed, then live changes follow, each watch in its own order. Delivery
 * is asynchronous (a microtask), so a handler that writes to the store never re-enters it.
 */
export class WatchHub {
  readonly #limit: number;
  readonly #history: Change[] = [];
  /** Changes up to and including this version are no longer retained. */
  #floor: number;
  readonly #watchers = new Set<Watcher>();

  /** `floor`: the version below which nothing can be replayed (the counter at start-up). */
  constructor(limit: number, floor: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`history limit must be a positive integer, got ${limit}`);
    this.#limit = limit;
    this.#floor = floor;
  }

  /** Records committed changes (in version order) and hands them to matching watches. */
  publish(changes: readonly Change[]): void {
    for (const change of changes) {
      this.#history.push(change);
      for (const watcher of this.#watchers) if (matches(watcher, change)) this.#enqueue(watcher, change);
    }
    const excess = this.#history.length - this.#limit;
    if (excess > 0) {
      const evicted = this.#history.splice(0, excess);
      this.#floor = evicted[evicted.length - 1]?.resourceVersion ?? this.#floor;
    }
  }

  watch(request: WatchRequest): WatchHandle {
    const watcher: Watcher = { ...request, queue: [], scheduled: false, done: false };
    const handle: WatchHandle = {
      stop: () => {
        watcher.done = true;
        this.#watchers.delete(watcher);
      },
    };
    if (request.after < this.#floor) {
      // Like the API server after compaction: the caller must relist.
      const gone = new StoreError("Gone", `too old resource version: ${request.after} (${this.#floor})`);
      queueMicrotask(() => {
        this.#end(watcher, gone);
      });
      return handle;
    }
    this.#watchers.add(watcher);
    for (const change of this.#history) {
      if (change.resourceVersion > request.after && matches(watcher, change)) this.#enqueue(watcher, change);
    }
    return handle;
  }

  /** Ends every watch with `error` (the store is closing). */
  closeAll(error: Error): void {
    for (const watcher of [...this.#watchers]) this.#end(watcher, error);
  }

  #enqueue(watcher: Watcher, change: Change): void {
    watcher.queue.push({ type: change.type, object: change.object });
    if (watcher.scheduled) return;
    watcher.scheduled = true;
    queueMicrotask(() => {
      this.#flush(watcher);
    });
  }

  #flush(watcher: Watcher): void {
    watcher.scheduled = false;
    while (!watcher.done && watcher.queue.length > 0) {
      const event = watcher.queue.shift() as WatchEvent<KubeObject>;
      try {
        // Each watch gets its own copy: handlers may keep or mutate what they receive.
        watcher.onEvent({ type: event.type, object: jsonCopy(event.object) });
      } catch (error) {
        this.#end(watcher, error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  #end(watcher: Watcher, error: Error): void {
    if (watcher.done) return;
    watcher.done = true;
    watcher.queue = [];
    this.#watchers.delete(watcher);
    watcher.onClose(error);
  }
}

const matches = (watcher: WatchRequest, change: Change): boolean =>
  change.typeKey === watcher.typeKey && (watcher.namespace === undefined || change.namespace === watcher.namespace);
