import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crds } from "../../crd/crd-manifests.js";
import { STRATEGY, TRADE } from "../../crd/types.js";
import { compileCrdValidator } from "../../crd/validate.js";
import type { StrategyResource, TradeResource } from "../../crd/types.js";
import { resourceStoreConformance } from "../conformance/index.js";
import { objectOf, ownerRef, strategySpec, tradeSpec } from "../conformance/fixtures.js";
import { openFileStore } from "../file-store.js";
import type { StoreSnapshot } from "../persistence.js";
import { isStoreError } from "../types.js";
import type { WatchEvent } from "../types.js";
import { EmbeddedStore } from "./embedded-store.js";
import { testRegistrations } from "./testing.js";

const HISTORY = 50;

resourceStoreConformance("EmbeddedStore in memory", () => {
  const store = new EmbeddedStore({ types: testRegistrations(), historyLimit: HISTORY });
  return Promise.resolve({
    store,
    cleanup: () => store.close(),
    types: { strategy: STRATEGY, trade: TRADE },
    capabilities: { goneAfterHistory: HISTORY, specValidation: true },
  });
});

resourceStoreConformance("EmbeddedStore with file persistence", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "spreadops-store-"));
  const store = await openFileStore({ dataDir, types: testRegistrations(), historyLimit: HISTORY });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
    types: { strategy: STRATEGY, trade: TRADE },
    capabilities: { goneAfterHistory: HISTORY, specValidation: true },
  };
});

// The validators generated from the CRDs that ship to clusters: the suite's fixtures must pass them.
resourceStoreConformance("EmbeddedStore with the CRD validators", () => {
  const [strategyValidator, tradeValidator] = crds().map((crd) => compileCrdValidator(crd));
  const store = new EmbeddedStore({
    types: [
      { type: STRATEGY, validate: (object, context) => strategyValidator!.validate(object, context) },
      { type: TRADE, validate: (object, context) => tradeValidator!.validate(object, context) },
    ],
    historyLimit: HISTORY,
  });
  return Promise.resolve({
    store,
    cleanup: () => store.close(),
    types: { strategy: STRATEGY, trade: TRADE },
    capabilities: { goneAfterHistory: HISTORY, specValidation: true },
  });
});

describe("EmbeddedStore restart from its file", () => {
  const ns = "restart";
  const strategy = (name: string): StrategyResource => objectOf(STRATEGY, ns, name, strategySpec());

  it("brings back every object, event, generation and the resourceVersion counter", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "spreadops-restart-"));
    try {
      const first = await openFileStore({ dataDir, types: testRegistrations() });
      const owner = await first.create(STRATEGY, strategy("owner"));
      const respec = await first.patch<StrategyResource>(STRATEGY, ns, "owner", { spec: { paused: true }, metadata: { finalizers: ["x.dev/hold"] } });
      const withStatus = await first.patchStatus<StrategyResource>(STRATEGY, ns, "owner", { status: { phase: "Paused", openTrades: 1 } });
      const trade = await first.create<TradeResource>(TRADE, objectOf(TRADE, ns, "t1", tradeSpec("owner"), { ownerReferences: [ownerRef(STRATEGY, owner)] }));
      await first.create(STRATEGY, strategy("gone"));
      await first.delete(STRATEGY, ns, "gone");
      const event = { involvedObject: { apiVersion: owner.apiVersion, kind: "Strategy", name: "owner" }, type: "Normal" as const, reason: "Paused", message: "paused by hand", component: "test" };
      await first.recordEvent(ns, event);
      await first.recordEvent(ns, event);
      const before = await first.list<StrategyResource>(STRATEGY, ns);
      await first.close();

      const second = await openFileStore({ dataDir, types: testRegistrations() });
      const reopened = await second.get<StrategyResource>(STRATEGY, ns, "owner");
      expect(reopened).toEqual(withStatus);
      expect(reopened.metadata.generation).toBe(respec.metadata.generation);
      expect(reopened.metadata.generation).toBe(2);
      expect(await second.get(TRADE, ns, "t1")).toEqual(trade);
      await expect(second.get(STRATEGY, ns, "gone")).rejects.toMatchObject({ reason: "NotFound" });
      const after = await second.list<StrategyResource>(STRATEGY, ns);
      expect(after).toEqual(before);
      expect((await second.listEvents(ns, { kind: "Strategy", name: "owner" })).map((e) => [e.reason, e.count])).toEqual([["Paused", 2]]);

      // Versions continue from the counter (the deletion used one too), never reused.
      const next = await second.patch<StrategyResource>(STRATEGY, ns, "owner", { metadata: { labels: { after: "restart" } } });
      expect(Number(next.metadata.resourceVersion)).toBe(Number(before.resourceVersion) + 1);
      expect(next.metadata.generation).toBe(2);

      // The watch history is not persisted: an old version is Gone, the listed one works.
      const closed = await new Promise<Error>((resolve) => {
        void second.watch(STRATEGY, ns, { resourceVersion: owner.metadata.resourceVersion ?? "", onEvent: () => undefined, onClose: resolve });
      });
      expect(isStoreError(closed, "Gone")).toBe(true);
      const seen: WatchEvent<StrategyResource>[] = [];
      const handle = await second.watch<StrategyResource>(STRATEGY, ns, { resourceVersion: after.resourceVersion, onEvent: (e) => seen.push(e), onClose: () => undefined });
      await Promise.resolve();
      expect(seen.map((e) => e.object.metadata.resourceVersion)).toEqual([next.metadata.resourceVersion]);
      handle.stop();

      // Finalizer and cascade state survive too: releasing the finalizer deletes owner and trade.
      await second.delete(STRATEGY, ns, "owner");
      await second.patch(STRATEGY, ns, "owner", { metadata: { finalizers: null } });
      await expect(second.get(TRADE, ns, "t1")).rejects.toMatchObject({ reason: "NotFound" });
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("has every acknowledged write in the file by the time the call resolves", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "spreadops-durable-"));
    try {
      const store = await openFileStore({ dataDir, types: testRegistrations() });
      const writes = Array.from({ length: 20 }, (_, i) => store.create(STRATEGY, strategy(`s${i}`)));
      const made = await writes[7]!;
      const onDisk = JSON.parse(await readFile(join(dataDir, "store.json"), "utf8")) as StoreSnapshot;
      expect(onDisk.objects.map((o) => o.object.metadata.name)).toContain("s7");
      expect(Number(onDisk.resourceVersion)).toBeGreaterThanOrEqual(Number(made.metadata.resourceVersion));
      await Promise.all(writes);
      await store.close();
      const final = JSON.parse(await readFile(join(dataDir, "store.json"), "utf8")) as StoreSnapshot;
      expect(final.objects).toHaveLength(20);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
