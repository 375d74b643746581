import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STRATEGY, TRADE } from "../crd/types.js";
import { testRegistrations } from "./embedded/testing.js";
import { FilePersistence } from "./file-persistence.js";
import { openFileStore } from "./file-store.js";
import type { StoreSnapshot } from "./persistence.js";

const snapshot = (resourceVersion: string, names: string[] = []): StoreSnapshot => ({
  format: 1,
  resourceVersion,
  objects: names.map((name) => ({ resource: "strategies.trading.spreadops.dev", object: { apiVersion: "trading.spreadops.dev/v1alpha1", kind: "Strategy", metadata: { name, namespace: "ns", resourceVersion: "1" } } })),
  events: [],
});

describe("FilePersistence", () => {
  let dataDir: string;
  const opened: FilePersistence[] = [];
  const persistenceIn = (dir: string): FilePersistence => {
    const persistence = new FilePersistence(dir);
    opened.push(persistence);
    return persistence;
  };

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "spreadops-persistence-"));
  });
  afterEach(async () => {
    for (const persistence of opened.splice(0)) await persistence.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("loads nothing from a new directory (creating it), then what was saved last", async () => {
    const dir = join(dataDir, "nested", "data");
    const first = persistenceIn(dir);
    expect(await first.load()).toBeUndefined();
    await Promise.all([first.save(snapshot("1", ["a"])), first.save(snapshot("2", ["a", "b"])), first.save(snapshot("3", ["c"]))]);
    await first.close();
    expect(await persistenceIn(dir).load()).toEqual(snapshot("3", ["c"]));
    expect((await readdir(dir)).sort()).toEqual(["store.json", "store.lock"]);
  });

  it("refuses a file that is not JSON, naming it, and leaves it as it is", async () => {
    await writeFile(join(dataDir, "store.json"), "{ not json");
    await expect(persistenceIn(dataDir).load()).rejects.toThrow(`the store file ${join(dataDir, "store.json")} is corrupt`);
    expect(await readFile(join(dataDir, "store.json"), "utf8")).toBe("{ not json");
  });

  it("refuses JSON that is not a state, naming the file, through the store", async () => {
    await writeFile(join(dataDir, "store.json"), JSON.stringify({ format: 1, resourceVersion: "3", objects: [{ resource: "x", object: { metadata: {} } }], events: [] }));
    await expect(openFileStore({ dataDir, types: testRegistrations() })).rejects.toThrow(`${join(dataDir, "store.json")} is corrupt: objects[0] is not a stored object`);
    await writeFile(join(dataDir, "store.json"), "[]");
    await expect(persistenceIn(dataDir).load()).rejects.toThrow("not a JSON object");
  });

  it("ignores a temporary file left by an interrupted save", async () => {
    const first = persistenceIn(dataDir);
    await first.load();
    await first.save(snapshot("4", ["a"]));
    await first.close();
    await writeFile(join(dataDir, "store.json.tmp"), "{ half wri");
    expect(await persistenceIn(dataDir).load()).toEqual(snapshot("4", ["a"]));
    expect(await readdir(dataDir)).not.toContain("store.json.tmp");
  });

  it("keeps a second user of the directory out, in this process or another live one", async () => {
    await persistenceIn(dataDir).load();
    await expect(new FilePersistence(dataDir).load()).rejects.toThrow("already open in this process");
    for (const persistence of opened.splice(0)) await persistence.close();

    await writeFile(join(dataDir, "store.lock"), String(process.ppid));
    await expect(new FilePersistence(dataDir).load()).rejects.toThrow(`in use by process ${process.ppid}`);
  });

  it("takes over a lock whose process is gone", async () => {
    await writeFile(join(dataDir, "store.lock"), "999999999");
    expect(await persistenceIn(dataDir).load()).toBeUndefined();
    expect(await readFile(join(dataDir, "store.lock"), "utf8")).toBe(String(process.pid));
  });

  it("fails a save it cannot write, naming the file, and the next save still runs", async () => {
    const persistence = persistenceIn(dataDir);
    await persistence.load();
    await rm(dataDir, { recursive: true });
    await expect(persistence.save(snapshot("1"))).rejects.toThrow(`cannot write the store file ${join(dataDir, "store.json")}`);
    await persistence.load();
    await persistence.save(snapshot("2"));
    expect(JSON.parse(await readFile(join(dataDir, "store.json"), "utf8"))).toEqual(snapshot("2"));
  });

  it("writes what JSON.stringify would, reusing the text of unchanged stored objects", async () => {
    const store = await openFileStore({ dataDir, types: testRegistrations() });
    await store.create(STRATEGY, { apiVersion: "trading.spreadops.dev/v1alpha1", kind: "Strategy", metadata: { name: "s", namespace: "ns" }, spec: { mode: "paper" } });
    await store.create(TRADE, { apiVersion: "trading.spreadops.dev/v1alpha1", kind: "Trade", metadata: { name: "t", namespace: "ns" }, spec: { quantity: 1 } });
    await store.patch(STRATEGY, "ns", "s", { spec: { mode: "live" } });
    await store.recordEvent("ns", { involvedObject: { apiVersion: "v", kind: "Strategy", name: "s" }, type: "Normal", reason: "R", message: "m", component: "c" });
    const text = await readFile(join(dataDir, "store.json"), "utf8");
    const parsed = JSON.parse(text) as StoreSnapshot;
    expect(text).toBe(JSON.stringify(parsed));
    expect(parsed.resourceVersion).toBe("3");
    expect(parsed.objects.map((o) => [o.resource, o.object.metadata.name, (o.object.spec as { mode?: string }).mode])).toEqual([
      ["strategies.trading.spreadops.dev", "s", "live"],
      ["trades.trading.spreadops.dev", "t", undefined],
    ]);
    expect(parsed.events.map((e) => e.event.reason)).toEqual(["R"]);
    await store.close();
  });
});
