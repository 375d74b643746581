import { StoreError } from "../store/types.js";
import type { KubeObject, WatchEventType, WatchHandle, WatchOptions } from "../store/types.js";
import { errorForStatus, mapApiError, parseStatus } from "./errors.js";
import { isKubeObject, isRecord } from "./objects.js";

/** client-node's `Watch.watch`: a seam for tests. */
export interface WatchSource {
  watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController>;
}

/** A stream that ended sooner than this with nothing on it is a refusal, not a server timeout. */
const MIN_USEFUL_STREAM_MS = 1_000;

const OBJECT_EVENTS = new Set<string>(["ADDED", "MODIFIED", "DELETED"]);

/** One HTTP watch request; `ended` once it has failed, closed, or been given up. */
interface Attempt {
  readonly startedAt: number;
  progressed: boolean;
  ended: boolean;
  controller?: AbortController;
}

/**
 * A watch that survives the API server ending its stream (it does so every few minutes by
 * design) by resuming from the last version it delivered or was told of by a bookmark. Only a
 * failure the caller must act on reaches `onClose`: Gone (relist), errors, or a server that
 * keeps hanging up at once.
 */
class ResumableWatch<T extends KubeObject> implements WatchHandle {
  readonly #source: WatchSource;
  readonly #path: string;
  readonly #what: string;
  readonly #options: WatchOptions<T>;
  #resourceVersion: string;
  #attempt: Attempt | undefined;
  #stopped = false;
  #closed = false;

  constructor(source: WatchSource, path: string, what: string, options: WatchOptions<T>) {
    this.#source = source;
    this.#path = path;
    this.#what = what;
    this.#options = options;
    this.#resourceVersion = options.resourceVersion;
  }

  stop(): void {
    this.#stopped = true;
    this.#attempt?.controller?.abort();
  }

  async connect(): Promise<void> {
    const attempt: Attempt = { startedAt: Date.now(), progressed: false, ended: false };
    this.#attempt = attempt;
    let controller: AbortController;
    try {
      controller = await this.#source.watch(
        this.#path,
        { resourceVersion: this.#resourceVersion, allowWatchBookmarks: true },
        (phase, object) => {
          this.#receive(attempt, phase, object);
        },
        (error) => {
          this.#done(attempt, error);
        },
      );
    } catch (error) {
      // Thrown before any request went out (no current cluster, credential plugin failure).
      this.#end(attempt, mapApiError(error, this.#what));
      return;
    }
    attempt.controller = controller;
    if (attempt.ended || this.#stopped) controller.abort();
  }

  #receive(attempt: Attempt, phase: string, object: unknown): void {
    if (attempt.ended || this.#stopped) return;
    attempt.progressed = true;
    if (phase === "ERROR") {
      const status = parseStatus(object);
      this.#end(attempt, errorForStatus(status?.code ?? 500, status, this.#what));
      return;
    }
    if (phase === "BOOKMARK") {
      const version = isRecord(object) && isRecord(object.metadata) ? object.metadata.resourceVersion : undefined;
      if (typeof version === "string") this.#resourceVersion = version;
      return;
    }
    if (!OBJECT_EVENTS.has(phase) || !isKubeObject(object)) {
      this.#end(attempt, new StoreError("Unavailable", `${this.#what}: unexpected watch event ${phase}`));
      return;
    }
    if (object.metadata.resourceVersion !== undefined) this.#resourceVersion = object.metadata.resourceVersion;
    try {
      this.#options.onEvent({ type: phase as WatchEventType, object: object as T });
    } catch (error) {
      // A throwing handler would otherwise surface as an uncaught exception inside the stream.
      this.#end(attempt, error instanceof Error ? error : new Error(String(error)));
    }
  }

  #done(attempt: Attempt, error: unknown): void {
    if (attempt.ended || this.#stopped) return;
    attempt.ended = true;
    if (error !== null && error !== undefined) {
      this.#close(mapApiError(error, this.#what));
      return;
    }
    if (!attempt.progressed && Date.now() - attempt.startedAt < MIN_USEFUL_STREAM_MS) {
      this.#close(new StoreError("Unavailable", `${this.#what}: the server closed the watch at once`));
      return;
    }
    void this.connect();
  }

  #end(attempt: Attempt, error: Error): void {
    attempt.ended = true;
    attempt.controller?.abort();
    this.#close(error);
  }

  #close(error: Error): void {
    if (this.#closed || this.#stopped) return;
    this.#closed = true;
    this.#options.onClose(error);
  }
}

/** Starts a resumable watch on `path` (a collection) from `options.resourceVersion`. */
export async function startWatch<T extends KubeObject>(source: WatchSource, path: string, what: string, options: WatchOptions<T>): Promise<WatchHandle> {
  const watch = new ResumableWatch(source, path, what, options);
  await watch.connect();
  return watch;
}
