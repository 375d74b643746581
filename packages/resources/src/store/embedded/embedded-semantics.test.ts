import { describe, expect, it } from "vitest";
import { STRATEGY, TRADE } from "../../crd/types.js";
import type { StrategyResource, TradeResource } from "../../crd/types.js";
import { objectOf, ownerRef, strategySpec, tradeSpec } from "../conformance/fixtures.js";
import type { StorePersistence, StoreSnapshot } from "../persistence.js";
import { StoreError, isStoreError } from "../types.js";
import type { KubeObject, ResourceType, WatchEvent } from "../types.js";
import { EmbeddedStore } from "./embedded-store.js";
import type { EmbeddedStoreOptions } from "./embedded-store.js";
import { testRegistrations } from "./testing.js";
import type { TypeRegistration, ValidationContext } from "./type-registry.js";

const ns = "unit";
const strategy = (name: string, meta: Partial<KubeObject["metadata"]> = {}): StrategyResource => objectOf(STRATEGY, ns, name, strategySpec(), meta);
const trade = (name: string, meta: Partial<KubeObject["metadata"]> = {}): TradeResource => objectOf(TRADE, ns, name, tradeSpec("s"), meta);
const memoryStore = (options: Partial<EmbeddedStoreOptions> = {}): EmbeddedStore => new EmbeddedStore({ types: testRegistrations(), ...options });
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function rejection(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

/** A persistence whose saves the test holds, fails or counts. */
class ControlledPersistence implements StorePersistence {
  readonly description = "test persistence";
  readonly saves: StoreSnapshot[] = [];
  #held: (() => void)[] = [];
  hold = false;
  failNext = false;

  load(): Promise<StoreSnapshot | undefined> {
    return Promise.resolve(undefined);
  }

  async save(snapshot: StoreSnapshot): Promise<void> {
    if (this.hold) await new Promise<void>((resolve) => this.#held.push(resolve));
    if (this.failNext) {
      this.failNext = false;
      throw new Error("disk full");
    }
    this.saves.push(JSON.parse(JSON.stringify(snapshot)) as StoreSnapshot);
  }

  release(): void {
    this.hold = false;
    for (const resolve of this.#held.splice(0)) resolve();
  }
}

describe("EmbeddedStore requests", () => {
  it("refuses a type it does not serve with NotFound naming the type and what is served", async () => {
    const store = memoryStore();
    const widgets: ResourceType = { group: "example.dev", version: "v1", kind: "Widget", plural: "widgets", namespaced: true };
    const error = await rejection(store.get(widgets, ns, "w"));
    expect(error.reason).toBe("NotFound");
    expect(error.message).toContain("widgets.example.dev/v1 (Widget)");
    expect(error.message).toContain("strategies.trading.spreadops.dev/v1alpha1 (Strategy)");
    expect((await rejection(store.create(widgets, { apiVersion: "example.dev/v1", kind: "Widget", metadata: { name: "w", namespace: ns } }))).reason).toBe("NotFound");
    expect((await rejection(store.get({ ...STRATEGY, version: "v9" }, ns, "x"))).reason).toBe("NotFound");
  });

  it("fills in apiVersion and kind, refuses another kind, a resourceVersion on create and a missing namespace", async () => {
    const store = memoryStore();
    const { apiVersion: _a, kind: _k, ...bare } = strategy("bare");
    const made = await store.create(STRATEGY, bare as StrategyResource);
    expect([made.apiVersion, made.kind]).toEqual(["trading.spreadops.dev/v1alpha1", "Strategy"]);
    expect((await rejection(store.create(STRATEGY, { ...strategy("wrong"), kind: "Trade" }))).reason).toBe("BadRequest");
    expect((await rejection(store.create(STRATEGY, strategy("versioned", { resourceVersion: "7" })))).reason).toBe("BadRequest");
    const { namespace: _n, ...noNamespace } = strategy("nowhere").metadata;
    expect((await rejection(store.create(STRATEGY, { ...strategy("nowhere"), metadata: noNamespace }))).reason).toBe("BadRequest");
    expect((await rejection(store.get(STRATEGY, undefined, "bare"))).reason).toBe("BadRequest");
  });

  it("rejects malformed metadata as Invalid with the field", async () => {
    const store = memoryStore();
    const labels = await rejection(store.create(STRATEGY, strategy("labels", { labels: { n: 1 as unknown as string } })));
    expect(labels.causes.map((c) => c.field)).toEqual(["metadata.labels"]);
    const owners = await rejection(store.create(STRATEGY, strategy("owners", { ownerReferences: [{ apiVersion: "v1", kind: "X", name: "x", uid: "" }] })));
    expect(owners.causes.map((c) => c.field)).toEqual(["metadata.ownerReferences[0].uid"]);
  });

  it("stamps creationTimestamp and deletionTimestamp from the injected clock, uid from the injected generator", async () => {
    let now = Date.parse("2026-01-05T14:30:00.700Z");
    let uids = 0;
    const store = memoryStore({ clock: { now: () => now }, newUid: () => `uid-${++uids}` });
    const made = await store.create(STRATEGY, strategy("timed", { finalizers: ["x.dev/hold"], uid: "ignored", creationTimestamp: "1999-01-01T00:00:00Z" }));
    expect(made.metadata).toMatchObject({ uid: "uid-1", creationTimestamp: "2026-01-05T14:30:00Z" });
    now += 60_000;
    await store.delete(STRATEGY, ns, "timed");
    expect((await store.get(STRATEGY, ns, "timed")).metadata.deletionTimestamp).toBe("2026-01-05T14:31:00Z");
  });

  it("serves cluster-scoped types without a namespace", async () => {
    const nodes: ResourceType = { group: "example.dev", version: "v1", kind: "Zone", plural: "zones", namespaced: false };
    const store = new EmbeddedStore({ types: [{ type: nodes }] });
    const made = await store.create(nodes, { apiVersion: "example.dev/v1", kind: "Zone", metadata: { name: "eu", namespace: "ignored" }, spec: { a: 1 } });
    expect(made.metadata.namespace).toBeUndefined();
    expect((await store.get(nodes, undefined, "eu")).spec).toEqual({ a: 1 });
    expect((await store.list(nodes)).items).toHaveLength(1);
  });

  it("lists every namespace when none is given, sorted by namespace and name", async () => {
    const store = memoryStore();
    await store.create(STRATEGY, objectOf(STRATEGY, "b", "x", strategySpec()));
    await store.create(STRATEGY, objectOf(STRATEGY, "a", "z", strategySpec()));
    await store.create(STRATEGY, objectOf(STRATEGY, "a", "y", strategySpec()));
    expect((await store.list(STRATEGY)).items.map((o) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`)).toEqual(["a/y", "a/z", "b/x"]);
    expect((await store.list(STRATEGY, "a")).items).toHaveLength(2);
  });
});

describe("EmbeddedStore validation hook", () => {
  const calls: { object: KubeObject; context: ValidationContext | undefined }[] = [];
  // Defaults spec.paused, rejects a negative maxOpenTrades, and tries to slip in a status and a label.
  const registration: TypeRegistration = {
    type: STRATEGY,
    validate(object, context) {
      calls.push({ object, context });
      const spec = object.spec as StrategyResource["spec"] & object;
      const causes = (spec.risk.maxOpenTrades ?? 0) < 0 ? [{ field: "spec.risk.maxOpenTrades", message: "must be >= 0" }] : [];
      return { object: { ...object, spec: { paused: false, ...spec }, status: { phase: "Invalid" }, metadata: { ...object.metadata, uid: "forged" } }, causes };
    },
  };

  it("stores the validated (defaulted) object, never what the validator says about status or system metadata", async () => {
    const store = new EmbeddedStore({ types: [registration, { type: TRADE }] });
    const made = await store.create<StrategyResource>(STRATEGY, strategy("defaulted"));
    expect(made.spec?.paused).toBe(false);
    expect(made.status).toBeUndefined();
    expect(made.metadata.uid).not.toBe("forged");
    expect(calls.at(-1)?.context?.oldObject).toBeUndefined();

    const patched = await store.patch<StrategyResource>(STRATEGY, ns, "defaulted", { spec: { universe: { minPrice: 30 } } });
    expect(calls.at(-1)?.context?.oldObject?.metadata.resourceVersion).toBe(made.metadata.resourceVersion);
    expect(patched.metadata.generation).toBe(2);
    expect(patched.status).toBeUndefined();

    const statused = await store.patchStatus<StrategyResource>(STRATEGY, ns, "defaulted", { status: { phase: "Active" } });
    expect(statused.status).toEqual({ phase: "Invalid" }); // the validator's status counts on the status subresource
    expect(statused.metadata.generation).toBe(2);
  });

  it("turns causes into Invalid (422) with the causes, and nothing is written", async () => {
    const store = new EmbeddedStore({ types: [registration, { type: TRADE }] });
    const bad = { ...strategy("bad"), spec: { ...strategySpec(), risk: { maxOpenTrades: -1 } } };
    const error = await rejection(store.create(STRATEGY, bad));
    expect([error.reason, error.code]).toEqual(["Invalid", 422]);
    expect(error.causes).toEqual([{ field: "spec.risk.maxOpenTrades", message: "must be >= 0" }]);
    expect(error.message).toContain("spec.risk.maxOpenTrades");
    expect((await store.list(STRATEGY, ns)).items).toEqual([]);
  });
});

describe("EmbeddedStore garbage collection", () => {
  it("a dependent with another live owner only loses the reference to the deleted one", async () => {
    const store = memoryStore();
    const a = await store.create(STRATEGY, strategy("a"));
    const b = await store.create(STRATEGY, strategy("b"));
    await store.create(TRADE, trade("shared", { ownerReferences: [ownerRef(STRATEGY, a), { ...ownerRef(STRATEGY, b), controller: false }] }));
    await store.delete(STRATEGY, ns, "a");
    const shared = await store.get(TRADE, ns, "shared");
    expect(shared.metadata.ownerReferences?.map((r) => r.name)).toEqual(["b"]);
    await store.delete(STRATEGY, ns, "b");
    expect((await rejection(store.get(TRADE, ns, "shared"))).reason).toBe("NotFound");
  });

  it("cascades through several levels", async () => {
    const store = memoryStore();
    const top = await store.create(STRATEGY, strategy("top"));
    const middle = await store.create(TRADE, trade("middle", { ownerReferences: [ownerRef(STRATEGY, top)] }));
    await store.create(TRADE, trade("bottom", { ownerReferences: [ownerRef(TRADE, middle)] }));
    await store.delete(STRATEGY, ns, "top");
    expect((await store.list(TRADE, ns)).items).toEqual([]);
  });

  it("Orphan on an owner with finalizers holds it with the orphan finalizer until its own finalizers go", async () => {
    const store = memoryStore();
    const owner = await store.create(STRATEGY, strategy("held", { finalizers: ["x.dev/hold"] }));
    await store.create(TRADE, trade("kept", { ownerReferences: [ownerRef(STRATEGY, owner)] }));
    await store.delete(STRATEGY, ns, "held", { propagation: "Orphan" });
    const marked = await store.get(STRATEGY, ns, "held");
    expect(marked.metadata.finalizers).toEqual(["x.dev/hold", "orphan"]);
    expect(marked.metadata.deletionTimestamp).toBeDefined();
    expect((await store.get(TRADE, ns, "kept")).metadata.ownerReferences).toHaveLength(1);

    await store.patch(STRATEGY, ns, "held", { metadata: { finalizers: ["orphan"] } });
    expect((await rejection(store.get(STRATEGY, ns, "held"))).reason).toBe("NotFound");
    expect((await store.get(TRADE, ns, "kept")).metadata.ownerReferences).toBeUndefined();
  });
});

describe("EmbeddedStore events", () => {
  const about = (name: string) => ({ apiVersion: "trading.spreadops.dev/v1alpha1", kind: "Strategy", name });
  const event = (name: string, message = "m") => ({ involvedObject: about(name), type: "Normal" as const, reason: "Scanned", message, component: "test" });

  it("aggregates with the clock's timestamps and keeps at most eventLimit events, dropping the oldest", async () => {
    let now = Date.parse("2026-01-05T14:30:00Z");
    const store = memoryStore({ clock: { now: () => now }, eventLimit: 3 });
    await store.recordEvent(ns, event("s", "one"));
    now += 5000;
    await store.recordEvent(ns, event("s", "one"));
    expect(await store.listEvents(ns, { kind: "Strategy", name: "s" })).toMatchObject([
      { message: "one", count: 2, firstTimestamp: "2026-01-05T14:30:00Z", lastTimestamp: "2026-01-05T14:30:05Z", involvedObject: { namespace: ns } },
    ]);
    await store.recordEvent(ns, event("s", "two"));
    await store.recordEvent(ns, event("s", "three"));
    await store.recordEvent(ns, event("s", "four"));
    expect((await store.listEvents(ns, { kind: "Strategy", name: "s" })).map((e) => e.message)).toEqual(["two", "three", "four"]);
    expect(await store.listEvents("elsewhere", { kind: "Strategy", name: "s" })).toEqual([]);
  });

  it("refuses an event without a reason or with an unknown type", async () => {
    const store = memoryStore();
    const error = await rejection(store.recordEvent(ns, { ...event("s"), reason: "", type: "Bad" as "Normal" }));
    expect(error.reason).toBe("Invalid");
    expect(error.causes.map((c) => c.field).sort()).toEqual(["reason", "type"]);
  });
});

describe("EmbeddedStore watches", () => {
  it("scope to a namespace, or all namespaces when none is given", async () => {
    const store = memoryStore();
    const a: string[] = [];
    const all: string[] = [];
    await store.watch(STRATEGY, "a", { resourceVersion: "0", onEvent: (e) => a.push(e.object.metadata.name), onClose: () => undefined });
    await store.watch(STRATEGY, undefined, { resourceVersion: "0", onEvent: (e) => all.push(e.object.metadata.name), onClose: () => undefined });
    await store.create(STRATEGY, objectOf(STRATEGY, "a", "in-a", strategySpec()));
    await store.create(STRATEGY, objectOf(STRATEGY, "b", "in-b", strategySpec()));
    await settle();
    expect(a).toEqual(["in-a"]);
    expect(all).toEqual(["in-a", "in-b"]);
  });

  it("hand each watch its own copy", async () => {
    const store = memoryStore();
    const seen: WatchEvent<StrategyResource>[] = [];
    await store.watch<StrategyResource>(STRATEGY, ns, { resourceVersion: "0", onEvent: (e) => { e.object.metadata.name = "mutated"; seen.push(e); }, onClose: () => undefined });
    await store.create(STRATEGY, strategy("mine"));
    await settle();
    expect(seen).toHaveLength(1);
    expect((await store.get(STRATEGY, ns, "mine")).metadata.name).toBe("mine");
  });

  it("end with the handler's error when a handler throws, and deliver nothing after", async () => {
    const store = memoryStore();
    let calls = 0;
    const closed: Error[] = [];
    await store.watch(STRATEGY, ns, {
      resourceVersion: "0",
      onEvent: () => {
        calls += 1;
        throw new Error("handler broke");
      },
      onClose: (error) => closed.push(error),
    });
    await store.create(STRATEGY, strategy("one"));
    await store.create(STRATEGY, strategy("two"));
    await settle();
    expect(calls).toBe(1);
    expect(closed.map((e) => e.message)).toEqual(["handler broke"]);
  });

  it("refuse a resourceVersion that is not one of the store's", async () => {
    const store = memoryStore();
    const error = await rejection(store.watch(STRATEGY, ns, { resourceVersion: "abc", onEvent: () => undefined, onClose: () => undefined }));
    expect(error.reason).toBe("BadRequest");
  });

  it("end with Unavailable when the store closes, and the store refuses calls after", async () => {
    const store = memoryStore();
    const closed: Error[] = [];
    const handle = await store.watch(STRATEGY, ns, { resourceVersion: "0", onEvent: () => undefined, onClose: (e) => closed.push(e) });
    await store.close();
    expect(closed.map((e) => isStoreError(e, "Unavailable"))).toEqual([true]);
    handle.stop();
    expect((await rejection(store.get(STRATEGY, ns, "x"))).reason).toBe("Unavailable");
    expect((await rejection(store.create(STRATEGY, strategy("late")))).reason).toBe("Unavailable");
  });

  it("DELETED carries the deletion's own resourceVersion, which is the list's version after it", async () => {
    const store = memoryStore();
    const made = await store.create(STRATEGY, strategy("versioned"));
    const seen: WatchEvent<KubeObject>[] = [];
    await store.watch(STRATEGY, ns, { resourceVersion: made.metadata.resourceVersion ?? "", onEvent: (e) => seen.push(e), onClose: () => undefined });
    await store.delete(STRATEGY, ns, "versioned");
    await settle();
    const listed = await store.list(STRATEGY, ns);
    expect(seen.map((e) => [e.type, e.object.metadata.resourceVersion])).toEqual([["DELETED", listed.resourceVersion]]);
    expect(Number(listed.resourceVersion)).toBe(Number(made.metadata.resourceVersion) + 1);
  });
});

describe("EmbeddedStore with a persistence", () => {
  it("shows a write to reads and watches only once saved, and resolves after", async () => {
    const persistence = new ControlledPersistence();
    const store = await EmbeddedStore.open({ types: testRegistrations(), persistence });
    const seen: string[] = [];
    await store.watch(STRATEGY, ns, { resourceVersion: "0", onEvent: (e) => seen.push(e.type), onClose: () => undefined });
    persistence.hold = true;
    let resolved = false;
    const creating = store.create(STRATEGY, strategy("pending")).then(() => {
      resolved = true;
    });
    await settle();
    expect(resolved).toBe(false);
    expect((await rejection(store.get(STRATEGY, ns, "pending"))).reason).toBe("NotFound");
    expect((await store.list(STRATEGY, ns)).resourceVersion).toBe("0");
    expect(seen).toEqual([]);
    // A second write already builds on the first, though neither is saved.
    const conflicting = rejection(store.create(STRATEGY, strategy("pending")));
    persistence.release();
    await creating;
    expect((await conflicting).reason).toBe("AlreadyExists");
    await settle();
    expect(seen).toEqual(["ADDED"]);
    expect(persistence.saves.at(-1)?.objects.map((o) => o.object.metadata.name)).toEqual(["pending"]);
  });

  it("saves writes that arrive during a save together in the next one", async () => {
    const persistence = new ControlledPersistence();
    const store = await EmbeddedStore.open({ types: testRegistrations(), persistence });
    persistence.hold = true;
    const first = store.create(STRATEGY, strategy("first"));
    await settle();
    const rest = Array.from({ length: 10 }, (_, i) => store.create(STRATEGY, strategy(`next-${i}`)));
    persistence.release();
    await Promise.all([first, ...rest]);
    expect(persistence.saves.map((s) => s.objects.length)).toEqual([1, 11]);
  });

  it("rejects writes with Unavailable when the save fails and goes back to the saved state", async () => {
    const persistence = new ControlledPersistence();
    const store = await EmbeddedStore.open({ types: testRegistrations(), persistence });
    await store.create(STRATEGY, strategy("kept"));
    persistence.failNext = true;
    const error = await rejection(store.create(STRATEGY, strategy("lost")));
    expect(error.reason).toBe("Unavailable");
    expect(error.message).toContain("disk full");
    expect((await rejection(store.get(STRATEGY, ns, "lost"))).reason).toBe("NotFound");
    // The failed write is not in the head either: the same create succeeds now, at the next version.
    const retried = await store.create(STRATEGY, strategy("lost"));
    expect(retried.metadata.resourceVersion).toBe("2");
  });

  it("refuses to open over a state it cannot read, naming where it lives", async () => {
    const persistence: StorePersistence = {
      description: "/data/store.json",
      load: () => Promise.resolve({ format: 1, resourceVersion: "x", objects: [], events: [] } as StoreSnapshot),
      save: () => Promise.resolve(),
    };
    await expect(EmbeddedStore.open({ types: testRegistrations(), persistence })).rejects.toThrow(/\/data\/store\.json is corrupt: resourceVersion x is not a counter/);
  });
});
