import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StrategyResource, StrategySpec, StrategyStatus, TradeResource, TradeSpec, TradeStatus } from "../../crd/types.js";
import { isStoreError } from "../types.js";
import type { KubeObject, ResourceStore, ResourceType } from "../types.js";
import { TEST_FINALIZER, objectOf, ownerRef, strategySpec, tradeSpec } from "./fixtures.js";
import { eventually, expectStoreError, recordWatch } from "./helpers.js";

/** What a store can be held to beyond the contract's core. */
export interface ConformanceCapabilities {
  /**
   * The store keeps this many changes for watches to replay: a version older than that must end
   * a watch with Gone. Absent (e.g. a cluster whose etcd compacts on a timer): that case is skipped.
   */
  readonly goneAfterHistory?: number;
  /** The store validates specs like the CRD schema: a Strategy with `spec.mode: yolo` is Invalid. */
  readonly specValidation?: boolean;
}

/** What the suite runs against; made once per suite, cleaned up after it. */
export interface ConformanceTarget {
  readonly store: ResourceStore;
  cleanup(): Promise<void>;
  readonly types: { readonly strategy: ResourceType; readonly trade: ResourceType };
  /** An existing namespace the suite may write to; default "spreadops-conformance". */
  readonly namespace?: string;
  readonly capabilities?: ConformanceCapabilities;
}

const TIMEOUT_MS = 60_000;

/**
 * The ResourceStore conformance suite: registers vitest blocks that hold a store to the contract
 * in store/types.ts. Assertions use only the ResourceStore API and every object gets a unique
 * name in one namespace, so the same suite runs against the embedded store and a real cluster.
 */
export function resourceStoreConformance(name: string, factory: () => Promise<ConformanceTarget>): void {
  describe(`ResourceStore conformance: ${name}`, () => {
    let target: ConformanceTarget;
    let store: ResourceStore;
    let STRATEGY: ResourceType;
    let TRADE: ResourceType;
    let ns: string;
    const run = Math.random().toString(36).slice(2, 8);
    let counter = 0;
    const created: { type: ResourceType; name: string }[] = [];

    /** A fresh name for this run, remembered for cleanup. */
    const uniqueName = (type: ResourceType, hint: string): string => {
      counter += 1;
      const fresh = `conf-${run}-${hint}-${counter}`;
      created.push({ type, name: fresh });
      return fresh;
    };
    const newStrategy = (hint: string, meta: Partial<KubeObject["metadata"]> = {}, spec: StrategySpec = strategySpec()): StrategyResource =>
      objectOf<StrategySpec, StrategyStatus>(STRATEGY, ns, uniqueName(STRATEGY, hint), spec, meta);
    const createStrategy = (hint: string, meta: Partial<KubeObject["metadata"]> = {}): Promise<StrategyResource> =>
      store.create(STRATEGY, newStrategy(hint, meta));
    const getStrategy = (strategyName: string): Promise<StrategyResource> => store.get<StrategyResource>(STRATEGY, ns, strategyName);
    const createTrade = (hint: string, owner: StrategyResource | undefined): Promise<TradeResource> =>
      store.create<TradeResource>(
        TRADE,
        objectOf<TradeSpec, TradeStatus>(TRADE, ns, uniqueName(TRADE, hint), tradeSpec(owner?.metadata.name ?? "none"), owner === undefined ? {} : { ownerReferences: [ownerRef(STRATEGY, owner)] }),
      );

    beforeAll(async () => {
      target = await factory();
      store = target.store;
      STRATEGY = target.types.strategy;
      TRADE = target.types.trade;
      ns = target.namespace ?? "spreadops-conformance";
    }, TIMEOUT_MS);

    afterAll(async () => {
      // Whatever a failed test left behind: release finalizers, then delete.
      for (const { type, name: leftover } of created) {
        try {
          await store.patch(type, ns, leftover, { metadata: { finalizers: null } });
          await store.delete(type, ns, leftover);
        } catch (error) {
          if (!isStoreError(error, "NotFound")) throw error;
        }
      }
      await target.cleanup();
    }, TIMEOUT_MS);

    describe("create and get", () => {
      it("create assigns uid, resourceVersion, generation 1 and creationTimestamp; get returns the same", async () => {
        const made = await createStrategy("create", { labels: { app: "conformance" }, annotations: { note: "hello" } });
        expect(made.metadata.uid).toMatch(/.+/);
        expect(made.metadata.resourceVersion).toMatch(/.+/);
        expect(made.metadata.generation).toBe(1);
        expect(Number.isNaN(Date.parse(made.metadata.creationTimestamp ?? ""))).toBe(false);
        expect(made.metadata.deletionTimestamp).toBeUndefined();
        expect(made.metadata.labels).toEqual({ app: "conformance" });
        expect(made.metadata.annotations).toMatchObject({ note: "hello" });
        expect(made.spec?.universe.symbols).toEqual(["SPY", "QQQ"]);
        const got = await getStrategy(made.metadata.name);
        expect(got.metadata).toEqual(made.metadata);
        expect(got.spec).toEqual(made.spec);
      }, TIMEOUT_MS);

      it("create ignores a status it carries", async () => {
        const object: StrategyResource = { ...newStrategy("create-status"), status: { phase: "Halted", message: "set by create" } };
        const made = await store.create(STRATEGY, object);
        expect(made.status?.phase).toBeUndefined();
        expect((await getStrategy(made.metadata.name)).status?.phase).toBeUndefined();
      }, TIMEOUT_MS);

      it("create of a taken name fails AlreadyExists and leaves the object alone", async () => {
        const made = await createStrategy("taken");
        const again = objectOf<StrategySpec, StrategyStatus>(STRATEGY, ns, made.metadata.name, { ...strategySpec(), paused: true });
        await expectStoreError(store.create(STRATEGY, again), "AlreadyExists");
        const got = await getStrategy(made.metadata.name);
        expect(got.metadata.uid).toBe(made.metadata.uid);
        expect(got.spec?.paused).not.toBe(true);
      }, TIMEOUT_MS);

      it("get, replace, patch, status writes and delete of a missing object fail NotFound", async () => {
        const missing = uniqueName(STRATEGY, "missing");
        await expectStoreError(store.get(STRATEGY, ns, missing), "NotFound");
        await expectStoreError(store.patch(STRATEGY, ns, missing, { metadata: { labels: { a: "b" } } }), "NotFound");
        await expectStoreError(store.patchStatus(STRATEGY, ns, missing, { status: { phase: "Active" } }), "NotFound");
        await expectStoreError(store.replace(STRATEGY, { ...objectOf(STRATEGY, ns, missing, strategySpec(), { resourceVersion: "1" }) }), "NotFound");
        await expectStoreError(store.delete(STRATEGY, ns, missing), "NotFound");
      }, TIMEOUT_MS);

      it("objects handed out are copies: changing them changes nothing in the store", async () => {
        const made = await createStrategy("copies", { labels: { app: "a" } });
        made.metadata.labels = { app: "changed" };
        made.spec?.universe.symbols?.push("IWM");
        const got = await getStrategy(made.metadata.name);
        expect(got.metadata.labels).toEqual({ app: "a" });
        expect(got.spec?.universe.symbols).toEqual(["SPY", "QQQ"]);
      }, TIMEOUT_MS);
    });

    describe("resourceVersion and optimistic concurrency", () => {
      it("every write changes resourceVersion and get returns the latest", async () => {
        const made = await createStrategy("versions");
        const versions = [made.metadata.resourceVersion];
        const labelled = await store.patch<StrategyResource>(STRATEGY, ns, made.metadata.name, { metadata: { labels: { step: "1" } } });
        versions.push(labelled.metadata.resourceVersion);
        const replaced = await store.replace<StrategyResource>(STRATEGY, { ...labelled, spec: { ...strategySpec(), paused: true } });
        versions.push(replaced.metadata.resourceVersion);
        const statused = await store.updateStatus<StrategyResource>(STRATEGY, { ...replaced, status: { phase: "Paused" } });
        versions.push(statused.metadata.resourceVersion);
        const patched = await store.patchStatus<StrategyResource>(STRATEGY, ns, made.metadata.name, { status: { openTrades: 2 } });
        versions.push(patched.metadata.resourceVersion);
        expect(new Set(versions).size).toBe(versions.length);
        expect((await getStrategy(made.metadata.name)).metadata.resourceVersion).toBe(patched.metadata.resourceVersion);
      }, TIMEOUT_MS);

      it("a patch that changes nothing keeps resourceVersion", async () => {
        const made = await createStrategy("noop", { labels: { app: "same" } });
        const patched = await store.patch<StrategyResource>(STRATEGY, ns, made.metadata.name, { metadata: { labels: { app: "same" } } });
        expect(patched.metadata.resourceVersion).toBe(made.metadata.resourceVersion);
      }, TIMEOUT_MS);

      it("writes carrying a stale resourceVersion fail Conflict and change nothing", async () => {
        const made = await createStrategy("conflict");
        const stale = made.metadata.resourceVersion;
        const fresh = await store.patch<StrategyResource>(STRATEGY, ns, made.metadata.name, { metadata: { labels: { step: "1" } } });
        await expectStoreError(store.replace(STRATEGY, { ...made, spec: { ...strategySpec(), paused: true } }), "Conflict");
        await expectStoreError(store.updateStatus(STRATEGY, { ...made, status: { phase: "Halted" } }), "Conflict");
        await expectStoreError(store.patch(STRATEGY, ns, made.metadata.name, { spec: { paused: true } }, { resourceVersion: stale }), "Conflict");
        await expectStoreError(store.patchStatus(STRATEGY, ns, made.metadata.name, { status: { phase: "Halted" } }, { resourceVersion: stale }), "Conflict");
        await expectStoreError(store.delete(STRATEGY, ns, made.metadata.name, { resourceVersion: stale }), "Conflict");
        const got = await getStrategy(made.metadata.name);
        expect(got.metadata.resourceVersion).toBe(fresh.metadata.resourceVersion);
        expect(got.spec?.paused).not.toBe(true);
        expect(got.status?.phase).toBeUndefined();
      }, TIMEOUT_MS);

      it("writes carrying the current resourceVersion succeed", async () => {
        const made = await createStrategy("current");
        const replaced = await store.replace<StrategyResource>(STRATEGY, { ...made, spec: { ...strategySpec(), paused: true } });
        const patched = await store.patch<StrategyResource>(STRATEGY, ns, made.metadata.name, { metadata: { labels: { step: "2" } } }, { resourceVersion: replaced.metadata.resourceVersion });
        const statused = await store.patchStatus<StrategyResource>(STRATEGY, ns, made.metadata.name, { status: { phase: "Paused" } }, { resourceVersion: patched.metadata.resourceVersion });
        expect(statused.spec?.paused).toBe(true);
        expect(statused.metadata.labels).toEqual({ step: "2" });
        await store.delete(STRATEGY, ns, made.metadata.name, { resourceVersion: statused.metadata.resourceVersion });
        await eventually(async () => {
          await expectStoreError(getStrategy(made.metadata.name), "NotFound");
        });
      }, TIMEOUT_MS);

      it("replace without a resourceVersion is refused", async () => {
        const made = await createStrategy("no-version");
        const { resourceVersion: _dropped, ...metadata } = made.metadata;
        await expectStoreError(store.replace(STRATEGY, { ...made, metadata, spec: { ...strategySpec(), paused: true } }), "Invalid");
        expect((await getStrategy(made.metadata.name)).spec?.paused).not.toBe(true);
      }, TIMEOUT_MS);
    });

    describe("generation and the status subresource", () => {
      it("generation increments on spec changes only", async () => {
        const made = await createStrategy("generation");
        const key = made.metadata.name;
        expect(made.metadata.generation).toBe(1);
        const labelled = await store.patch<StrategyResource>(STRATEGY, ns, key, { metadata: { labels: { a: "1" }, annotations: { b: "2" } } });
        expect(labelled.metadata.generation).toBe(1);
        const specPatched = await store.patch<StrategyResource>(STRATEGY, ns, key, { spec: { paused: true } });
        expect(specPatched.metadata.generation).toBe(2);
        const sameSpec = await store.replace<StrategyResource>(STRATEGY, { ...specPatched, metadata: { ...specPatched.metadata, labels: { a: "3" } } });
        expect(sameSpec.metadata.generation).toBe(2);
        const newSpec = await store.replace<StrategyResource>(STRATEGY, { ...sameSpec, spec: { ...strategySpec(), mode: "paper" as const, paused: false } });
        expect(newSpec.metadata.generation).toBe(3);
        const statused = await store.updateStatus<StrategyResource>(STRATEGY, { ...newSpec, status: { phase: "Active", observedGeneration: 3 } });
        expect(statused.metadata.generation).toBe(3);
        const statusPatched = await store.patchStatus<StrategyResource>(STRATEGY, ns, key, { status: { openTrades: 1 } });
        expect(statusPatched.metadata.generation).toBe(3);
        expect((await getStrategy(key)).metadata.generation).toBe(3);
      }, TIMEOUT_MS);

      it("replace and patch ignore status; the status subresource changes only status", async () => {
        const made = await createStrategy("status");
        const key = made.metadata.name;
        const statused = await store.updateStatus<StrategyResource>(STRATEGY, { ...made, status: { phase: "Active", message: "running" } });
        expect(statused.status).toMatchObject({ phase: "Active", message: "running" });

        const replaced = await store.replace<StrategyResource>(STRATEGY, { ...statused, spec: { ...strategySpec(), paused: true }, status: { phase: "Halted" } });
        expect(replaced.status?.phase).toBe("Active");
        const patched = await store.patch<StrategyResource>(STRATEGY, ns, key, { spec: { paused: false }, status: { phase: "Halted" } });
        expect(patched.status?.phase).toBe("Active");
        expect(patched.spec?.paused).toBe(false);

        const statusWithSpec = await store.updateStatus<StrategyResource>(STRATEGY, {
          ...patched,
          metadata: { ...patched.metadata, labels: { sneaky: "yes" } },
          spec: { ...strategySpec(), paused: true },
          status: { phase: "Paused" },
        });
        expect(statusWithSpec.status?.phase).toBe("Paused");
        expect(statusWithSpec.spec?.paused).toBe(false);
        expect(statusWithSpec.metadata.labels?.["sneaky"]).toBeUndefined();

        const got = await getStrategy(key);
        expect(got.status?.phase).toBe("Paused");
        expect(got.spec?.paused).toBe(false);
      }, TIMEOUT_MS);
    });

    describe("JSON merge patch", () => {
      it("merges objects, replaces arrays and deletes members set to null", async () => {
        const made = await createStrategy("merge", { labels: { keep: "1", drop: "2" } });
        const key = made.metadata.name;
        const patched = await store.patch<StrategyResource>(STRATEGY, ns, key, {
          metadata: { labels: { drop: null, add: "3" } },
          spec: { universe: { symbols: ["IWM"], minPrice: null } },
        });
        expect(patched.metadata.labels).toEqual({ keep: "1", add: "3" });
        expect(patched.spec?.universe.symbols).toEqual(["IWM"]);
        expect(patched.spec?.universe.minPrice).toBeUndefined();
        expect(patched.spec?.schedule.scanInterval).toBe("5m");
        expect(patched.spec?.risk.maxRiskPerTrade).toBe(500);

        await store.patchStatus(STRATEGY, ns, key, { status: { phase: "Active", message: "hello", openTrades: 1 } });
        const statusPatched = await store.patchStatus<StrategyResource>(STRATEGY, ns, key, { status: { message: null, openTrades: 2 } });
        const status: StrategyStatus | undefined = statusPatched.status;
        expect(status?.phase).toBe("Active");
        expect(status?.openTrades).toBe(2);
        expect(status?.message).toBeUndefined();
        expect((await getStrategy(key)).status).toEqual(status);
      }, TIMEOUT_MS);
    });

    describe("list", () => {
      it("lists the namespace's objects with a resourceVersion and filters by label selector", async () => {
        const group = `g${run}${String(counter)}`;
        const blue = await createStrategy("blue", { labels: { group, color: "blue" } });
        const red = await createStrategy("red", { labels: { group, color: "red" } });
        const other = await createStrategy("unlabelled");
        const all = await store.list<StrategyResource>(STRATEGY, ns);
        expect(all.resourceVersion).toMatch(/.+/);
        const names = all.items.map((item) => item.metadata.name);
        expect(names).toEqual(expect.arrayContaining([blue.metadata.name, red.metadata.name, other.metadata.name]));
        const grouped = await store.list<StrategyResource>(STRATEGY, ns, { labelSelector: { group } });
        expect(grouped.items.map((item) => item.metadata.name).sort()).toEqual([blue.metadata.name, red.metadata.name].sort());
        const onlyBlue = await store.list<StrategyResource>(STRATEGY, ns, { labelSelector: { group, color: "blue" } });
        expect(onlyBlue.items.map((item) => item.metadata.name)).toEqual([blue.metadata.name]);
        expect(onlyBlue.items[0]?.spec?.mode).toBe("paper");
      }, TIMEOUT_MS);
    });

    describe("watch", () => {
      it("from a list's resourceVersion delivers every later change in order, and nothing before", async () => {
        const before = await createStrategy("before");
        const listed = await store.list(STRATEGY, ns);
        const live = await recordWatch(store, STRATEGY, ns, listed.resourceVersion);
        expect(live.failedWith).toBeUndefined();

        const after = await createStrategy("after");
        const key = after.metadata.name;
        const patched = await store.patch<StrategyResource>(STRATEGY, ns, key, { spec: { paused: true } });
        const beforeChanged = await store.patch<StrategyResource>(STRATEGY, ns, before.metadata.name, { metadata: { labels: { touched: "yes" } } });
        const statused = await store.patchStatus<StrategyResource>(STRATEGY, ns, key, { status: { phase: "Paused" } });
        await store.delete(STRATEGY, ns, key);
        const names = [before.metadata.name, key];
        const expected = [
          { type: "ADDED", name: key, resourceVersion: after.metadata.resourceVersion },
          { type: "MODIFIED", name: key, resourceVersion: patched.metadata.resourceVersion },
          { type: "MODIFIED", name: before.metadata.name, resourceVersion: beforeChanged.metadata.resourceVersion },
          { type: "MODIFIED", name: key, resourceVersion: statused.metadata.resourceVersion },
        ];
        await eventually(() => {
          expect(live.about(names).map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "MODIFIED", "MODIFIED", "DELETED"]);
        });
        expect(live.about(names).slice(0, 4)).toEqual(expected);
        const deleted = live.events.find((event) => event.type === "DELETED" && event.object.metadata.name === key);
        expect((deleted?.object as StrategyResource | undefined)?.status?.phase).toBe("Paused");

        // A watch opened now from the same version replays the same history.
        const replay = await recordWatch(store, STRATEGY, ns, listed.resourceVersion);
        await eventually(() => {
          expect(replay.about(names).map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "MODIFIED", "MODIFIED", "DELETED"]);
        });
        expect(replay.about(names).slice(0, 4)).toEqual(expected);
        live.handle?.stop();
        replay.handle?.stop();
        expect(live.closedWith).toBeUndefined();
      }, TIMEOUT_MS);

      it("from a write's resourceVersion starts right after that write", async () => {
        const made = await createStrategy("midway");
        const key = made.metadata.name;
        const first = await store.patch<StrategyResource>(STRATEGY, ns, key, { metadata: { labels: { step: "1" } } });
        const second = await store.patch<StrategyResource>(STRATEGY, ns, key, { metadata: { labels: { step: "2" } } });
        const watch = await recordWatch(store, STRATEGY, ns, first.metadata.resourceVersion ?? "");
        const third = await store.patch<StrategyResource>(STRATEGY, ns, key, { metadata: { labels: { step: "3" } } });
        await eventually(() => {
          expect(watch.about([key]).map((e) => e.resourceVersion)).toEqual([second.metadata.resourceVersion, third.metadata.resourceVersion]);
        });
        expect(watch.about([key]).map((e) => e.type)).toEqual(["MODIFIED", "MODIFIED"]);
        const labels = watch.events.filter((e) => e.object.metadata.name === key).map((e) => e.object.metadata.labels?.["step"]);
        expect(labels).toEqual(["2", "3"]);
        watch.handle?.stop();
      }, TIMEOUT_MS);

      it("is scoped to its type: Trade changes do not reach a Strategy watch", async () => {
        const listed = await store.list(STRATEGY, ns);
        const strategies = await recordWatch(store, STRATEGY, ns, listed.resourceVersion);
        const trades = await recordWatch(store, TRADE, ns, listed.resourceVersion);
        const trade = await createTrade("scoped", undefined);
        const strategy = await createStrategy("scoped");
        await eventually(() => {
          expect(strategies.about([strategy.metadata.name]).map((e) => e.type)).toEqual(["ADDED"]);
          expect(trades.about([trade.metadata.name]).map((e) => e.type)).toEqual(["ADDED"]);
        });
        expect(strategies.about([trade.metadata.name])).toEqual([]);
        expect(trades.about([strategy.metadata.name])).toEqual([]);
        expect(trades.events.every((e) => e.object.kind === TRADE.kind)).toBe(true);
        strategies.handle?.stop();
        trades.handle?.stop();
      }, TIMEOUT_MS);

      it("stop() ends delivery without calling onClose", async () => {
        const made = await createStrategy("stop");
        const watch = await recordWatch(store, STRATEGY, ns, made.metadata.resourceVersion ?? "");
        const marker = await store.patch<StrategyResource>(STRATEGY, ns, made.metadata.name, { metadata: { labels: { step: "1" } } });
        await eventually(() => {
          expect(watch.about([made.metadata.name]).map((e) => e.resourceVersion)).toEqual([marker.metadata.resourceVersion]);
        });
        watch.handle?.stop();
        await store.patch(STRATEGY, ns, made.metadata.name, { metadata: { labels: { step: "2" } } });
        // A later watch sees the second change, so the stopped one had every chance to.
        const probe = await recordWatch(store, STRATEGY, ns, marker.metadata.resourceVersion ?? "");
        await eventually(() => {
          expect(probe.about([made.metadata.name])).toHaveLength(1);
        });
        probe.handle?.stop();
        expect(watch.about([made.metadata.name])).toHaveLength(1);
        expect(watch.closedWith).toBeUndefined();
      }, TIMEOUT_MS);

      it("from a version older than the retained history ends with Gone", async (context) => {
        const window = target.capabilities?.goneAfterHistory;
        if (window === undefined) {
          context.skip("the target declares no history window (capabilities.goneAfterHistory)");
          return;
        }
        const made = await createStrategy("gone");
        const old = made.metadata.resourceVersion ?? "";
        for (let step = 0; step <= window; step++) {
          await store.patch(STRATEGY, ns, made.metadata.name, { metadata: { labels: { step: String(step) } } });
        }
        const watch = await recordWatch(store, STRATEGY, ns, old);
        await eventually(() => {
          const error = watch.failedWith ?? watch.closedWith;
          expect(isStoreError(error, "Gone"), `expected Gone, got ${String(error)}`).toBe(true);
        });
        expect(watch.events).toEqual([]);
        // The documented recovery: relist and watch from there.
        const listed = await store.list(STRATEGY, ns);
        const fresh = await recordWatch(store, STRATEGY, ns, listed.resourceVersion);
        const next = await store.patch<StrategyResource>(STRATEGY, ns, made.metadata.name, { metadata: { labels: { step: "relisted" } } });
        await eventually(() => {
          expect(fresh.about([made.metadata.name]).map((e) => e.resourceVersion)).toEqual([next.metadata.resourceVersion]);
        });
        fresh.handle?.stop();
      }, TIMEOUT_MS);
    });

    describe("deletion", () => {
      it("an object without finalizers is gone at once and the watch sees DELETED", async () => {
        const made = await createStrategy("delete");
        const watch = await recordWatch(store, STRATEGY, ns, made.metadata.resourceVersion ?? "");
        await store.delete(STRATEGY, ns, made.metadata.name);
        await expectStoreError(getStrategy(made.metadata.name), "NotFound");
        await eventually(() => {
          expect(watch.about([made.metadata.name]).map((e) => e.type)).toEqual(["DELETED"]);
        });
        watch.handle?.stop();
        const listed = await store.list(STRATEGY, ns);
        expect(listed.items.map((item) => item.metadata.name)).not.toContain(made.metadata.name);
      }, TIMEOUT_MS);

      it("finalizers hold a deleted object with deletionTimestamp (set once) until the last one is removed", async () => {
        const made = await createStrategy("finalizers", { finalizers: [TEST_FINALIZER, `${TEST_FINALIZER}-2`] });
        const key = made.metadata.name;
        const watch = await recordWatch(store, STRATEGY, ns, made.metadata.resourceVersion ?? "");
        await store.delete(STRATEGY, ns, key);
        const marked = await getStrategy(key);
        expect(marked.metadata.deletionTimestamp).toMatch(/.+/);
        expect(marked.metadata.finalizers).toEqual([TEST_FINALIZER, `${TEST_FINALIZER}-2`]);

        // Timestamps have second precision: wait past it so a second stamp would show.
        await new Promise((resolve) => setTimeout(resolve, 1100));
        await store.delete(STRATEGY, ns, key);
        expect((await getStrategy(key)).metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);

        // Writes still work while deleting, but a new finalizer is refused.
        const statused = await store.patchStatus<StrategyResource>(STRATEGY, ns, key, { status: { phase: "Halted" } });
        expect(statused.status?.phase).toBe("Halted");
        await expectStoreError(store.patch(STRATEGY, ns, key, { metadata: { finalizers: [TEST_FINALIZER, `${TEST_FINALIZER}-2`, `${TEST_FINALIZER}-3`] } }), "Invalid");

        const released = await store.patch<StrategyResource>(STRATEGY, ns, key, { metadata: { finalizers: [TEST_FINALIZER] } });
        expect(released.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
        expect((await getStrategy(key)).metadata.finalizers).toEqual([TEST_FINALIZER]);

        await store.patch(STRATEGY, ns, key, { metadata: { finalizers: null } }, { resourceVersion: released.metadata.resourceVersion });
        await eventually(async () => {
          await expectStoreError(getStrategy(key), "NotFound");
        });
        await eventually(() => {
          const types = watch.about([key]).map((e) => e.type);
          expect(types[0]).toBe("MODIFIED");
          expect(types[types.length - 1]).toBe("DELETED");
        });
        const first = watch.events.find((e) => e.object.metadata.name === key);
        expect(first?.object.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
        watch.handle?.stop();
      }, TIMEOUT_MS);

      it("deleting an owner deletes the objects it owns (background cascade), not the others", async () => {
        const owner = await createStrategy("owner");
        const owned = await createTrade("owned", owner);
        const ownedToo = await createTrade("owned-too", owner);
        const unrelated = await createTrade("unrelated", undefined);
        await store.delete(STRATEGY, ns, owner.metadata.name);
        await eventually(async () => {
          await expectStoreError(store.get(TRADE, ns, owned.metadata.name), "NotFound");
          await expectStoreError(store.get(TRADE, ns, ownedToo.metadata.name), "NotFound");
        });
        expect((await store.get<TradeResource>(TRADE, ns, unrelated.metadata.name)).metadata.uid).toBe(unrelated.metadata.uid);
      }, TIMEOUT_MS);

      it("a cascade waits for an owned object's finalizers", async () => {
        const owner = await createStrategy("owner-fin");
        const made = await store.create<TradeResource>(
          TRADE,
          objectOf<TradeSpec, TradeStatus>(TRADE, ns, uniqueName(TRADE, "held"), tradeSpec(owner.metadata.name), { ownerReferences: [ownerRef(STRATEGY, owner)], finalizers: [TEST_FINALIZER] }),
        );
        await store.delete(STRATEGY, ns, owner.metadata.name);
        await eventually(async () => {
          const held = await store.get<TradeResource>(TRADE, ns, made.metadata.name);
          expect(held.metadata.deletionTimestamp).toMatch(/.+/);
        });
        await store.patch(TRADE, ns, made.metadata.name, { metadata: { finalizers: null } });
        await eventually(async () => {
          await expectStoreError(store.get(TRADE, ns, made.metadata.name), "NotFound");
        });
      }, TIMEOUT_MS);

      it("Orphan propagation keeps the owned objects and drops their owner reference", async () => {
        const owner = await createStrategy("orphaner");
        const owned = await createTrade("orphan", owner);
        await store.delete(STRATEGY, ns, owner.metadata.name, { propagation: "Orphan" });
        await eventually(async () => {
          await expectStoreError(getStrategy(owner.metadata.name), "NotFound");
          const orphan = await store.get<TradeResource>(TRADE, ns, owned.metadata.name);
          expect((orphan.metadata.ownerReferences ?? []).map((ref) => ref.uid)).not.toContain(owner.metadata.uid);
        });
        const orphan = await store.get<TradeResource>(TRADE, ns, owned.metadata.name);
        expect(orphan.metadata.uid).toBe(owned.metadata.uid);
        expect(orphan.metadata.deletionTimestamp).toBeUndefined();
      }, TIMEOUT_MS);
    });

    describe("validation", () => {
      it("a name that is not a DNS subdomain is Invalid with a cause naming metadata.name", async () => {
        const bad = objectOf(STRATEGY, ns, `Bad_Name_${run}`, strategySpec());
        const error = await expectStoreError(store.create(STRATEGY, bad), "Invalid");
        expect(isStoreError(error) ? error.code : 0).toBe(422);
        expect(isStoreError(error) ? error.causes.map((c) => c.field) : []).toContain("metadata.name");
      }, TIMEOUT_MS);

      it("an invalid spec is Invalid (422) with causes naming the field, on create and on patch", async (context) => {
        if (target.capabilities?.specValidation !== true) {
          context.skip("the target declares no spec validation (capabilities.specValidation)");
          return;
        }
        const bad = { ...newStrategy("invalid"), spec: { ...strategySpec(), mode: "yolo" } } as unknown as StrategyResource;
        const error = await expectStoreError(store.create(STRATEGY, bad), "Invalid");
        expect(isStoreError(error) ? error.code : 0).toBe(422);
        expect(isStoreError(error) ? error.causes.some((c) => c.field.includes("spec.mode")) : false).toBe(true);
        await expectStoreError(store.get(STRATEGY, ns, bad.metadata.name), "NotFound");

        const good = await createStrategy("valid");
        const patchError = await expectStoreError(store.patch(STRATEGY, ns, good.metadata.name, { spec: { mode: "yolo" } }), "Invalid");
        expect(isStoreError(patchError) ? patchError.causes.some((c) => c.field.includes("spec.mode")) : false).toBe(true);
        expect((await getStrategy(good.metadata.name)).spec?.mode).toBe("paper");
      }, TIMEOUT_MS);
    });

    describe("events", () => {
      it("identical events aggregate into one with a count; listEvents returns one object's events oldest first", async () => {
        const made = await createStrategy("events");
        const involvedObject = { apiVersion: made.apiVersion, kind: made.kind, namespace: ns, name: made.metadata.name, uid: made.metadata.uid ?? "" };
        const proposed = { involvedObject, type: "Normal" as const, reason: "Proposed", message: "proposed SPY 580/575", component: "conformance" };
        await store.recordEvent(ns, proposed);
        await store.recordEvent(ns, proposed);
        await store.recordEvent(ns, { ...proposed, type: "Warning", reason: "Rejected", message: "margin" });
        const other = await createStrategy("events-other");
        await store.recordEvent(ns, { ...proposed, involvedObject: { ...involvedObject, name: other.metadata.name, uid: other.metadata.uid ?? "" } });

        await eventually(async () => {
          const events = await store.listEvents(ns, { kind: made.kind, name: made.metadata.name });
          expect(events.map((e) => [e.reason, e.count])).toEqual([["Proposed", 2], ["Rejected", 1]]);
        });
        const events = await store.listEvents(ns, { kind: made.kind, name: made.metadata.name });
        const [first, second] = events;
        expect(first).toMatchObject({ type: "Normal", message: "proposed SPY 580/575", component: "conformance" });
        expect(first?.involvedObject).toMatchObject({ kind: made.kind, name: made.metadata.name });
        expect(Date.parse(first?.lastTimestamp ?? "")).toBeGreaterThanOrEqual(Date.parse(first?.firstTimestamp ?? ""));
        expect(second).toMatchObject({ type: "Warning", message: "margin" });
        const others = await store.listEvents(ns, { kind: made.kind, name: other.metadata.name });
        expect(others.map((e) => [e.reason, e.count])).toEqual([["Proposed", 1]]);
      }, TIMEOUT_MS);
    });
  });
}
