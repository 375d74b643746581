import type { KubeObject, ResourceType } from "@spreadops/resources";
import { StoreError } from "@spreadops/resources";
import { describe, expect, it } from "vitest";
import type { InformerEvent } from "./informer.js";
import { Informer, objectKey, splitKey } from "./informer.js";
import { FakeClock, settle } from "./testing/fake-clock.js";
import { quietLogger } from "./testing/quiet-logger.js";
import { ScriptedWatchStore } from "./testing/scripted-watch-store.js";

const THING: ResourceType = { group: "test", version: "v1", kind: "Thing", plural: "things", namespaced: true };

function setup() {
  const store = new ScriptedWatchStore();
  const clock = new FakeClock();
  const restarts: string[] = [];
  const informer = new Informer<KubeObject>({
    store, type: THING, clock, logger: quietLogger(), backoff: { baseDelayMs: 100, maxDelayMs: 800 }, onRestart: (r) => restarts.push(r),
  });
  const events: InformerEvent<KubeObject>[] = [];
  informer.addHandler((e) => events.push(e));
  const seen = () => events.map((e) => `${e.type} ${e.key}`);
  return { store, clock, informer, events, seen, restarts };
}

describe("Informer", () => {
  it("lists into the cache, reports synced, then follows the watch", async () => {
    const { store, informer, seen } = setup();
    store.put("a");
    informer.start();
    expect(await informer.waitForSync()).toBe(true);
    expect(informer.hasSynced()).toBe(true);
    store.put("b");
    store.put("a", { x: 1 });
    store.remove("b");
    expect(seen()).toEqual(["ADDED ns/a", "ADDED ns/b", "MODIFIED ns/a", "DELETED ns/b"]);
    expect(informer.list().map(objectKey)).toEqual(["ns/a"]);
    expect(informer.get("ns/a")?.spec).toEqual({ x: 1 });
  });

  it("hands out frozen copies: a reconciler cannot mutate the cache", async () => {
    const { store, informer } = setup();
    store.put("a", { nested: { n: 1 } });
    informer.start();
    await informer.waitForSync();
    const cached = informer.get("ns/a") as KubeObject<{ nested: { n: number } }>;
    expect(() => { (cached.spec as { nested: { n: number } }).nested.n = 2; }).toThrow();
  });

  it("relists on 410 Gone and turns the difference into events", async () => {
    const { store, informer, seen, restarts } = setup();
    store.put("a");
    store.put("b");
    informer.start();
    await informer.waitForSync();
    const listsBefore = store.listCalls;
    // While disconnected: b goes away, c appears, history is compacted.
    store.breakWatches(new StoreError("Gone", "expired"));
    await settle();
    expect(store.listCalls).toBe(listsBefore + 1);
    expect(restarts).toEqual(["gone"]);
    store.put("c");
    expect(seen()).toContain("ADDED ns/c");
    // A second Gone with missing history: relist again, the diff yields the DELETED.
    store.breakWatches(new StoreError("Gone", "expired"));
    store.remove("b");
    store.compact();
    await settle();
    expect(seen()).toContain("DELETED ns/b");
    expect(informer.list().map(objectKey).sort()).toEqual(["ns/a", "ns/c"]);
  });

  it("restarts a watch that died of another error after a growing backoff, from the last version", async () => {
    const { store, clock, informer, seen, restarts } = setup();
    store.put("a");
    informer.start();
    await informer.waitForSync();
    store.breakWatches(new Error("connection reset"));
    store.put("b"); // happens while no watch is open
    await settle();
    expect(store.openWatches()).toBe(0);
    await clock.advance(99);
    expect(store.openWatches()).toBe(0);
    await clock.advance(1);
    expect(store.openWatches()).toBe(1);
    expect(seen()).toContain("ADDED ns/b"); // replayed from the last version, no relist
    expect(store.listCalls).toBe(1);
    store.breakWatches(new Error("connection reset"));
    await clock.advance(199);
    expect(store.openWatches()).toBe(0);
    await clock.advance(1);
    expect(store.openWatches()).toBe(1);
    expect(restarts).toEqual(["error", "error"]);
  });

  it("retries a failing first list with backoff and is not synced until it succeeds", async () => {
    const { store, clock, informer } = setup();
    store.failLists.push(new StoreError("Unavailable", "down"), new StoreError("Unavailable", "down"));
    informer.start();
    let synced = false;
    void informer.waitForSync().then((s) => { synced = s; });
    await settle();
    expect(informer.hasSynced()).toBe(false);
    await clock.advance(100);
    expect(informer.hasSynced()).toBe(false);
    await clock.advance(200);
    expect(informer.hasSynced()).toBe(true);
    expect(synced).toBe(true);
    expect(store.listCalls).toBe(3);
  });

  it("stop closes the watch and ignores later events", async () => {
    const { store, informer, seen } = setup();
    informer.start();
    await informer.waitForSync();
    informer.stop();
    await settle();
    expect(store.openWatches()).toBe(0);
    store.put("late");
    expect(seen()).toEqual([]);
  });

  it("keeps indexes in step with the cache", async () => {
    const { store, informer } = setup();
    informer.addIndex("color", (o) => [String((o.spec as { color?: string }).color)]);
    store.put("a", { color: "red" });
    informer.start();
    await informer.waitForSync();
    store.put("b", { color: "red" });
    expect(informer.byIndex("color", "red").map(objectKey).sort()).toEqual(["ns/a", "ns/b"]);
    store.put("a", { color: "blue" });
    store.remove("b");
    expect(informer.byIndex("color", "red")).toEqual([]);
    expect(informer.byIndex("color", "blue").map(objectKey)).toEqual(["ns/a"]);
  });

  it("splits keys", () => {
    expect(splitKey("ns/a")).toEqual({ namespace: "ns", name: "a" });
    expect(splitKey("a")).toEqual({ namespace: undefined, name: "a" });
  });
});
