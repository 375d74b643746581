import type { JsonObject } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import type { WatchResourcesResponse } from "@spreadops/api";
import { ResourceChangeType } from "@spreadops/api";
import type { KubeObject, ResourceStore, WatchOptions } from "@spreadops/resources";
import { STRATEGY, StoreError, TRADE } from "@spreadops/resources";
import { createLogger, systemClock } from "@spreadops/runtime";
import { describe, expect, it } from "vitest";
import type { CacheChange } from "./resource-cache.js";
import { ResourceCache } from "./resource-cache.js";
import { collect, memoryStore, strategyObject, tradeObject, until } from "./testing/index.js";

/** A store that can be switched off: lists and new watches fail, open watches are closed. */
class FlakyStore {
  readonly inner = memoryStore();
  down = false;
  lists = 0;
  readonly #open = new Set<WatchOptions<KubeObject>>();

  list: ResourceStore["list"] = async (type, namespace, options) => {
    this.lists++;
    if (this.down) throw new StoreError("Unavailable", "connect ECONNREFUSED 10.0.0.1:6443");
    return this.inner.list(type, namespace, options);
  };

  watch: ResourceStore["watch"] = async <T extends KubeObject>(type: Parameters<ResourceStore["watch"]>[0], namespace: string | undefined, options: WatchOptions<T>) => {
    if (this.down) throw new StoreError("Unavailable", "connect ECONNREFUSED 10.0.0.1:6443");
    const generic = options as unknown as WatchOptions<KubeObject>;
    const handle = await this.inner.watch(type, namespace, options);
    this.#open.add(generic);
    return { stop: () => { this.#open.delete(generic); handle.stop(); } };
  };

  /** Ends every open watch with `error`, as a dropped connection or an expired version would. */
  closeWatches(error: Error): void {
    for (const options of [...this.#open]) {
      this.#open.delete(options);
      options.onClose(error);
    }
  }

  goDown(): void {
    this.down = true;
    this.closeWatches(new StoreError("Unavailable", "connection reset"));
  }
}

const logger = createLogger({ service: "test", level: "silent" });

function cacheOn(store: FlakyStore, changes: CacheChange[] = [], relists: string[] = []): ResourceCache {
  const cache = new ResourceCache({
    store, namespace: "default", clock: systemClock, logger, unavailableAfterMs: 300, backoff: { baseDelayMs: 20, maxDelayMs: 40 },
    metrics: { storeRelisted: (reason) => { relists.push(reason); } },
  });
  cache.onChange((change) => { changes.push(change); });
  return cache;
}

function names(message: WatchResourcesResponse | undefined): { strategies: string[]; trades: string[] } {
  if (message?.message.case !== "snapshot") throw new Error(`expected a snapshot, got ${message?.message.case ?? "nothing"}`);
  const name = (o: JsonObject) => (o.metadata as { name: string }).name;
  return { strategies: message.message.value.strategies.map(name), trades: message.message.value.trades.map(name) };
}

describe("ResourceCache", () => {
  it("gives a subscriber that came early the snapshot once synced, then changes, without reporting the first list as changes", async () => {
    const store = new FlakyStore();
    await store.inner.create(STRATEGY, strategyObject("spy"));
    const changes: CacheChange[] = [];
    const cache = cacheOn(store, changes);
    const abort = new AbortController();
    const stream = collect(cache.subscribe(abort.signal));
    cache.start();
    await until(() => stream.messages.length === 1, "the snapshot");
    expect(names(stream.messages[0])).toEqual({ strategies: ["spy"], trades: [] });
    expect(changes).toEqual([]);

    await store.inner.create(TRADE, tradeObject("t1"));
    await until(() => stream.messages.length === 2, "the change");
    const change = stream.messages[1]?.message;
    expect(change?.case === "change" ? [change.value.type, change.value.kind] : undefined).toEqual([ResourceChangeType.ADDED, "Trade"]);
    expect(changes.map((c) => [c.type, c.kind])).toEqual([["ADDED", "Trade"]]);
    expect(cache.findByUid("Trade", ((change?.value as { object?: JsonObject }).object?.metadata as { uid: string }).uid)).toBeDefined();
    abort.abort();
    await stream.done;
    cache.stop();
  });

  it("refuses new streams at once while the store cannot be reached at start", async () => {
    const store = new FlakyStore();
    store.down = true;
    const cache = cacheOn(store);
    const early = collect(cache.subscribe());
    cache.start();
    // The one that was waiting for a first snapshot is told, well before the unavailable delay.
    const started = Date.now();
    expect(ConnectError.from(await early.done).code).toBe(Code.Unavailable);
    expect(Date.now() - started).toBeLessThan(250);
    expect(() => cache.subscribe()).toThrow(/resource store cannot be reached: connect ECONNREFUSED/);

    store.down = false;
    await until(() => cache.state === "ready", "recovery");
    const late = collect(cache.subscribe());
    await until(() => late.messages.length === 1, "the snapshot after recovery");
    cache.stop();
    await late.done;
  });

  it("keeps streams through a short outage, ends them with Unavailable after a long one, and reports what changed meanwhile", async () => {
    const store = new FlakyStore();
    await store.inner.create(TRADE, tradeObject("t1"));
    const changes: CacheChange[] = [];
    const cache = cacheOn(store, changes);
    cache.start();
    await until(() => cache.state === "ready", "the first sync");
    const stream = collect(cache.subscribe());
    await until(() => stream.messages.length === 1, "the snapshot");

    store.goDown();
    // Within the grace period: the stream stays open, and a new one still gets the (stale) snapshot.
    const during = collect(cache.subscribe());
    await until(() => during.messages.length === 1, "a snapshot during the grace period");
    await store.inner.patchStatus(TRADE, "default", "t1", { status: { phase: "Proposed" } });
    await store.inner.create(TRADE, tradeObject("t2"));

    const error = ConnectError.from(await stream.done);
    expect(error.code).toBe(Code.Unavailable);
    expect(error.rawMessage).toMatch(/^the resource store cannot be reached/);
    expect(cache.state).toBe("unavailable");
    expect(() => cache.subscribe()).toThrow(ConnectError);

    store.down = false;
    await until(() => cache.state === "ready", "recovery");
    expect(changes.map((c) => [c.type, c.kind, (c.object.metadata as JsonObject).name])).toEqual([
      ["MODIFIED", "Trade", "t1"],
      ["ADDED", "Trade", "t2"],
    ]);
    const after = collect(cache.subscribe());
    await until(() => after.messages.length === 1, "the snapshot after recovery");
    expect(names(after.messages[0]).trades).toEqual(["t1", "t2"]);
    cache.stop();
    await Promise.all([during.done, after.done]);
  });

  it("relists at once when a watch expires (Gone) and sends a fresh snapshot", async () => {
    const store = new FlakyStore();
    const relists: string[] = [];
    const cache = cacheOn(store, [], relists);
    cache.start();
    const stream = collect(cache.subscribe());
    await until(() => stream.messages.length === 1, "the snapshot");
    const listsBefore = store.lists;
    await store.inner.create(STRATEGY, strategyObject("spy"));
    await until(() => stream.messages.length === 2, "the change");
    store.closeWatches(new StoreError("Gone", "too old resource version"));
    await until(() => stream.messages.length === 3, "the second snapshot");
    expect(names(stream.messages[2]).strategies).toEqual(["spy"]);
    expect(store.lists).toBe(listsBefore + 2);
    expect(relists).toEqual(["gone"]);
    cache.stop();
    await stream.done;
  });

  it("cuts off a subscriber that falls too far behind instead of buffering without end", async () => {
    const store = new FlakyStore();
    const cache = new ResourceCache({ store, namespace: "default", clock: systemClock, logger, maxQueued: 2 });
    cache.start();
    await until(() => cache.state === "ready", "the first sync");
    const stream = cache.subscribe();
    for (const name of ["a", "b", "c"]) await store.inner.create(TRADE, tradeObject(name));
    await until(() => stream.ended, "the cut-off");
    const iterator = stream[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toThrow(/fell more than 2 messages behind/);
    cache.stop();
  });
});
