import type { ServerResponse } from "node:http";
import { isStoreError } from "../../store/types.js";
import type { KubeObject, ResourceStore, ResourceType, WatchEvent, WatchHandle } from "../../store/types.js";
import type { Status } from "./status.js";
import { statusOfError } from "./status.js";

/**
 * Newline-delimited watch events on one response. Lines queue until the store's watch is
 * established, so a client whose watch request returned never misses a write made after it.
 */
class WatchWriter {
  readonly #res: ServerResponse;
  readonly #queue: string[] = [];
  #open = false;
  #ended = false;

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  send(type: string, object: unknown): void {
    if (this.#ended) return;
    const line = `${JSON.stringify({ type, object })}\n`;
    if (this.#open) this.#res.write(line);
    else this.#queue.push(line);
  }

  open(): void {
    if (this.#open || this.#ended) return;
    this.#open = true;
    this.#res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
    this.#res.flushHeaders();
    for (const line of this.#queue.splice(0)) this.#res.write(line);
  }

  end(): void {
    if (this.#ended) return;
    if (!this.#res.headersSent) this.open();
    this.#ended = true;
    if (!this.#res.writableEnded) this.#res.end();
  }
}

/**
 * Applies a selector to a stream of events the way the API server's watch cache does: an object
 * that starts matching arrives as ADDED, one that stops matching as DELETED. Objects first seen
 * mid-stream are judged by their current labels (the store hands over no previous state).
 */
export class SelectionFilter {
  readonly #matches: ((object: KubeObject) => boolean) | undefined;
  readonly #members = new Set<string>();
  readonly #outsiders = new Set<string>();

  constructor(matches?: (object: KubeObject) => boolean) {
    this.#matches = matches;
  }

  apply(event: WatchEvent<KubeObject>): WatchEvent<KubeObject> | undefined {
    if (this.#matches === undefined) return event;
    const key = `${event.object.metadata.namespace ?? ""}/${event.object.metadata.name}`;
    const matches = this.#matches(event.object);
    const member = this.#members.has(key);
    if (event.type === "DELETED") {
      this.#members.delete(key);
      this.#outsiders.delete(key);
      return member || matches ? event : undefined;
    }
    if (!matches) {
      this.#members.delete(key);
      this.#outsiders.add(key);
      return member ? { type: "DELETED", object: event.object } : undefined;
    }
    const wasOutside = this.#outsiders.delete(key);
    this.#members.add(key);
    if (event.type === "ADDED" || wasOutside) return { type: "ADDED", object: event.object };
    return event;
  }
}

export interface WatchRequest {
  store: ResourceStore;
  type: ResourceType;
  namespace: string | undefined;
  /** From the query; empty or "0" means "current state first", as the API server does. */
  resourceVersion: string | null;
  timeoutSeconds: number | undefined;
  matches?: (object: KubeObject) => boolean;
  /** What each event carries as its object; default the object itself. */
  present?: (object: KubeObject) => unknown;
}

/** A store error as a watch ERROR object; a too-old version reads "Expired" as on the API server. */
function errorStatus(error: unknown): Status {
  const status = statusOfError(error);
  return isStoreError(error, "Gone") ? { ...status, reason: "Expired" } : status;
}

/**
 * Serves `?watch=true` until the client goes away, the timeout passes, or the store ends the
 * watch (then as an ERROR event, as the API server does). Rejects only before anything was
 * written, so the caller can still answer with a plain Status.
 */
export async function serveWatch(res: ServerResponse, request: WatchRequest): Promise<void> {
  const { store, type, namespace } = request;
  const writer = new WatchWriter(res);
  const filter = new SelectionFilter(request.matches);
  const present = request.present ?? ((object: KubeObject): unknown => object);
  const forward = (event: WatchEvent<KubeObject>): void => {
    const visible = filter.apply(event);
    if (visible !== undefined) writer.send(visible.type, present(visible.object));
  };

  let resourceVersion = request.resourceVersion ?? "";
  if (resourceVersion === "" || resourceVersion === "0") {
    // Queued ahead of any live event: the writer is not open yet.
    const list = await store.list(type, namespace);
    for (const object of list.items) forward({ type: "ADDED", object });
    resourceVersion = list.resourceVersion;
  }

  // One object so that closures and this function see the same flags.
  const state: { handle?: WatchHandle; timer?: NodeJS.Timeout; finished: boolean } = { finished: false };
  const finish = (): void => {
    if (state.finished) return;
    state.finished = true;
    clearTimeout(state.timer);
    state.handle?.stop();
    writer.end();
  };
  try {
    state.handle = await store.watch<KubeObject>(type, namespace, {
      resourceVersion,
      onEvent: forward,
      onClose: (error) => {
        writer.send("ERROR", errorStatus(error));
        finish();
      },
    });
  } catch (error) {
    if (!isStoreError(error, "Gone")) throw error;
    writer.send("ERROR", errorStatus(error));
    finish();
    return;
  }
  if (state.finished || res.destroyed) {
    // Ended while the watch was starting (client gone, or the store closed it): release it.
    state.finished = true;
    state.handle.stop();
    writer.end();
    return;
  }
  res.on("close", finish);
  writer.open();
  if (request.timeoutSeconds !== undefined && request.timeoutSeconds > 0) state.timer = setTimeout(finish, request.timeoutSeconds * 1000);
}
