import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedStore } from "../store/embedded/embedded-store.js";
import { StoreError, isStoreError } from "../store/types.js";
import type { KubeObject, ResourceType, WatchEvent } from "../store/types.js";
import { KubernetesApiError } from "./errors.js";
import { KubernetesResourceStore } from "./kubernetes-store.js";
import { storeApiKubeConfig } from "./store-api/kubeconfig.js";
import { caOf, startLoopback } from "./testing/loopback.js";
import type { Loopback } from "./testing/loopback.js";

const WIDGET: ResourceType = { group: "test.spreadops.dev", version: "v1", kind: "Widget", plural: "widgets", namespaced: true };
const NS = "team-a";

type Widget = KubeObject<{ size: number; color?: string }, { phase?: string }>;

const widget = (name: string, size = 1, labels?: Record<string, string>): Widget => ({
  apiVersion: "test.spreadops.dev/v1",
  kind: "Widget",
  metadata: { name, namespace: NS, ...(labels === undefined ? {} : { labels }) },
  spec: { size },
});

/** Widgets must have a positive size: the CRD schema's stand-in, so 422 has causes to map. */
const validateWidget = (object: KubeObject) => {
  const size = (object.spec as { size?: unknown } | undefined)?.size;
  return { object, causes: typeof size === "number" && size > 0 ? [] : [{ field: "spec.size", message: "must be greater than 0" }] };
};

const rejection = async (promise: Promise<unknown>): Promise<unknown> => promise.then(() => undefined, (error: unknown) => error);

describe("KubernetesResourceStore over the store API", () => {
  let loop: Loopback;
  let client: KubernetesResourceStore;

  beforeAll(async () => {
    loop = await startLoopback(new EmbeddedStore({ types: [{ type: WIDGET, validate: validateWidget }] }), [WIDGET]);
    client = loop.client;
  });
  afterAll(async () => {
    await loop.close();
  });

  it("creates, reads, lists by label, replaces and merge-patches with the server's versions", async () => {
    const created = await client.create(WIDGET, widget("one", 1, { tier: "gold" }));
    expect(created.metadata).toMatchObject({ name: "one", namespace: NS, generation: 1, uid: expect.any(String) as string });
    await client.create(WIDGET, widget("two", 2, { tier: "silver" }));
    expect(await client.get<Widget>(WIDGET, NS, "one")).toEqual(created);

    const gold = await client.list<Widget>(WIDGET, NS, { labelSelector: { tier: "gold" } });
    expect(gold.items.map((item) => item.metadata.name)).toEqual(["one"]);
    expect(gold.resourceVersion).not.toBe("");

    const replaced = await client.replace<Widget>(WIDGET, { ...created, spec: { size: 3 } });
    expect(replaced.metadata.generation).toBe(2);
    const patched = await client.patch<Widget>(WIDGET, NS, "one", { spec: { color: "red" }, metadata: { labels: { tier: null } } });
    expect(patched.spec).toEqual({ size: 3, color: "red" });
    expect(patched.metadata.labels).toBeUndefined();
    expect(patched.metadata.resourceVersion).not.toBe(replaced.metadata.resourceVersion);
  });

  it("sends the patch's resourceVersion precondition, so a stale one is a Conflict", async () => {
    const current = await client.get<Widget>(WIDGET, NS, "two");
    await client.patch(WIDGET, NS, "two", { spec: { size: 5 } }, { resourceVersion: current.metadata.resourceVersion! });
    const stale = await rejection(client.patch(WIDGET, NS, "two", { spec: { size: 6 } }, { resourceVersion: current.metadata.resourceVersion! }));
    expect(isStoreError(stale, "Conflict")).toBe(true);
    expect((await client.get<Widget>(WIDGET, NS, "two")).spec?.size).toBe(5);
  });

  it("writes status only through the status subresource", async () => {
    const current = await client.get<Widget>(WIDGET, NS, "two");
    const updated = await client.updateStatus<Widget>(WIDGET, { ...current, spec: { size: 99 }, status: { phase: "Ready" } });
    expect(updated.status).toEqual({ phase: "Ready" });
    expect(updated.spec?.size).toBe(5);
    expect(updated.metadata.generation).toBe(current.metadata.generation);
    const patched = await client.patchStatus<Widget>(WIDGET, NS, "two", { status: { phase: "Done" } }, { resourceVersion: updated.metadata.resourceVersion! });
    expect(patched.status).toEqual({ phase: "Done" });
    const stale = await rejection(client.patchStatus(WIDGET, NS, "two", { status: { phase: "Late" } }, { resourceVersion: updated.metadata.resourceVersion! }));
    expect(isStoreError(stale, "Conflict")).toBe(true);
  });

  it("maps 404 to NotFound, 409 to AlreadyExists or Conflict by reason, and 422 to Invalid with causes", async () => {
    const missing = await rejection(client.get(WIDGET, NS, "nope"));
    expect(missing).toBeInstanceOf(StoreError);
    expect(missing).toMatchObject({ reason: "NotFound", code: 404 });

    const taken = await rejection(client.create(WIDGET, widget("one")));
    expect(taken).toMatchObject({ reason: "AlreadyExists", code: 409 });

    const current = await client.get<Widget>(WIDGET, NS, "one");
    await client.replace(WIDGET, { ...current, spec: { size: 4 } });
    const conflict = await rejection(client.replace(WIDGET, { ...current, spec: { size: 7 } }));
    expect(conflict).toMatchObject({ reason: "Conflict", code: 409 });

    const invalid = await rejection(client.create(WIDGET, widget("bad", 0)));
    expect(invalid).toMatchObject({ reason: "Invalid", code: 422, causes: [{ field: "spec.size", message: "must be greater than 0" }] });
  });

  it("deletes with a resourceVersion precondition and keeps a finalized object until its finalizers go", async () => {
    const held = await client.create<Widget>(WIDGET, { ...widget("held"), metadata: { ...widget("held").metadata, finalizers: ["test/hold"] } });
    const stale = await rejection(client.delete(WIDGET, NS, "held", { resourceVersion: "1" }));
    expect(isStoreError(stale, "Conflict")).toBe(true);
    await client.delete(WIDGET, NS, "held", { resourceVersion: held.metadata.resourceVersion! });
    const deleting = await client.get<Widget>(WIDGET, NS, "held");
    expect(deleting.metadata.deletionTimestamp).toEqual(expect.any(String));
    await client.patch(WIDGET, NS, "held", { metadata: { finalizers: null } });
    expect(isStoreError(await rejection(client.get(WIDGET, NS, "held")), "NotFound")).toBe(true);
    expect(isStoreError(await rejection(client.delete(WIDGET, NS, "held")), "NotFound")).toBe(true);
  });

  it("watches from a list's version, in order, until stopped", async () => {
    const start = await client.list<Widget>(WIDGET, NS);
    const events: WatchEvent<Widget>[] = [];
    const closes: Error[] = [];
    const handle = await client.watch<Widget>(WIDGET, NS, { resourceVersion: start.resourceVersion, onEvent: (e) => events.push(e), onClose: (e) => closes.push(e) });
    await client.create(WIDGET, widget("watched"));
    await client.patch(WIDGET, NS, "watched", { spec: { size: 2 } });
    await client.delete(WIDGET, NS, "watched");
    await expect.poll(() => events.length).toBe(3);
    expect(events.map((e) => `${e.type} ${e.object.metadata.name} ${String(e.object.spec?.size)}`)).toEqual(["ADDED watched 1", "MODIFIED watched 2", "DELETED watched 2"]);
    handle.stop();
    await client.create(WIDGET, widget("after-stop"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toHaveLength(3);
    expect(closes).toEqual([]);
  });

  it("records events aggregated by object, reason and message, and lists them oldest first", async () => {
    const about = { apiVersion: "test.spreadops.dev/v1", kind: "Widget", name: "one" };
    await client.recordEvent(NS, { involvedObject: about, type: "Normal", reason: "Grown", message: "size 4", component: "test" });
    await client.recordEvent(NS, { involvedObject: about, type: "Warning", reason: "Wobbly", message: "hmm", component: "test" });
    await client.recordEvent(NS, { involvedObject: about, type: "Normal", reason: "Grown", message: "size 4", component: "test" });
    const events = await client.listEvents(NS, { kind: "Widget", name: "one" });
    expect(events.map((e) => [e.reason, e.count])).toEqual([["Grown", 2], ["Wobbly", 1]]);
    expect(events[0]).toMatchObject({ type: "Normal", message: "size 4", component: "test", involvedObject: { ...about, namespace: NS } });
    expect(Date.parse(events[0]!.lastTimestamp)).toBeGreaterThanOrEqual(Date.parse(events[0]!.firstTimestamp));
    expect(await client.listEvents(NS, { kind: "Widget", name: "two" })).toEqual([]);
  });

  it("refuses a wrong token with a 401 that is not a store error", async () => {
    const intruder = new KubernetesResourceStore(storeApiKubeConfig({ server: loop.api.url, token: "wrong", namespace: NS, ...caOf(loop.api) }));
    const refused = await rejection(intruder.get(WIDGET, NS, "one"));
    expect(refused).toBeInstanceOf(KubernetesApiError);
    expect(refused).toMatchObject({ code: 401 });
    const closes: Error[] = [];
    await intruder.watch(WIDGET, NS, { resourceVersion: "1", onEvent: () => undefined, onClose: (e) => closes.push(e) });
    await expect.poll(() => closes.length).toBe(1);
    expect(closes[0]).toMatchObject({ code: 401 });
  });

  it("maps an unreachable server to Unavailable", async () => {
    const other = await startLoopback(new EmbeddedStore({ types: [{ type: WIDGET }] }), [WIDGET]);
    await other.close();
    const error = await rejection(other.client.get(WIDGET, NS, "one"));
    expect(isStoreError(error, "Unavailable")).toBe(true);
    const closes: Error[] = [];
    await other.client.watch(WIDGET, NS, { resourceVersion: "1", onEvent: () => undefined, onClose: (e) => closes.push(e) });
    await expect.poll(() => closes.length).toBe(1);
    expect(isStoreError(closes[0], "Unavailable")).toBe(true);
  });
});
