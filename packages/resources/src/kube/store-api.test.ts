import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedStore } from "../store/embedded/embedded-store.js";
import { isStoreError } from "../store/types.js";
import type { KubeObject, ResourceStore, ResourceType, WatchHandle } from "../store/types.js";
import { KubernetesResourceStore } from "./kubernetes-store.js";
import { createSelfSignedCertificate } from "./store-api/self-signed.js";
import { startStoreApiServer } from "./store-api/server.js";
import { writeKubeconfig } from "./store-api/kubeconfig.js";
import { TEST_TOKEN, caOf, openWatch, request, startLoopback } from "./testing/loopback.js";
import type { Loopback } from "./testing/loopback.js";

const GADGET: ResourceType = { group: "test.spreadops.dev", version: "v1", kind: "Gadget", plural: "gadgets", namespaced: true };
const NS = "team-b";
const BASE = `/apis/test.spreadops.dev/v1/namespaces/${NS}/gadgets`;

const gadget = (name: string, labels?: Record<string, string>): KubeObject => ({
  apiVersion: "test.spreadops.dev/v1",
  kind: "Gadget",
  metadata: { name, ...(labels === undefined ? {} : { labels }) },
  spec: { size: 1 },
});

/** The store under the API, with every watch it started and whether it was stopped. */
class SpyStore {
  readonly watches: { stopped: boolean }[] = [];
  constructor(readonly backend: ResourceStore) {}

  store(): ResourceStore {
    const backend = this.backend;
    return new Proxy(backend, {
      get: (target, property) => {
        if (property !== "watch") {
          const value = Reflect.get(target, property, target) as unknown;
          // Bound: the store's methods use private fields, which a proxy as `this` does not have.
          return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        }
        return async (...args: Parameters<ResourceStore["watch"]>): Promise<WatchHandle> => {
          const handle = await backend.watch(...args);
          const record = { stopped: false };
          this.watches.push(record);
          return {
            stop: () => {
              record.stopped = true;
              handle.stop();
            },
          };
        };
      },
    });
  }
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("store API over HTTP", () => {
  let spy: SpyStore;
  let loop: Loopback;

  beforeAll(async () => {
    spy = new SpyStore(new EmbeddedStore({ types: [{ type: GADGET, validate: (object) => ({ object, causes: (object.spec as { size?: number } | undefined)?.size === 0 ? [{ field: "spec.size", message: "must not be 0" }] : [] }) }], historyLimit: 5 }));
    loop = await startLoopback(spy.store(), [GADGET], NS);
  });
  afterAll(async () => {
    await loop.close();
  });

  it("answers 401 with a Status to a request without the token or with another one, discovery included", async () => {
    for (const token of [null, "guess"]) {
      for (const path of ["/version", "/apis", BASE]) {
        const answer = await request(loop.api, "GET", path, { token });
        expect(answer.status).toBe(401);
        expect(answer.body).toMatchObject({ kind: "Status", status: "Failure", reason: "Unauthorized", code: 401 });
      }
    }
  });

  it("serves discovery for the registered types and the core Events", async () => {
    expect((await request(loop.api, "GET", "/version")).body).toMatchObject({ major: "1", gitVersion: expect.stringMatching(/^v1\./) as string });
    expect((await request(loop.api, "GET", "/api")).body).toMatchObject({ kind: "APIVersions", versions: ["v1"] });
    expect((await request(loop.api, "GET", "/api/v1")).body).toMatchObject({ resources: [{ name: "events", kind: "Event", namespaced: true }] });
    expect((await request(loop.api, "GET", "/apis")).body).toEqual({
      kind: "APIGroupList",
      apiVersion: "v1",
      groups: [{ name: "test.spreadops.dev", versions: [{ groupVersion: "test.spreadops.dev/v1", version: "v1" }], preferredVersion: { groupVersion: "test.spreadops.dev/v1", version: "v1" } }],
    });
    const resources = (await request(loop.api, "GET", "/apis/test.spreadops.dev/v1")).body as { resources: { name: string; verbs: string[] }[] };
    expect(resources.resources.map((r) => r.name)).toEqual(["gadgets", "gadgets/status"]);
    expect(resources.resources[0]?.verbs).toContain("watch");
    const openapi = (await request(loop.api, "GET", "/openapi/v3")).body as { paths: Record<string, { serverRelativeURL: string }> };
    const spec = (await request(loop.api, "GET", openapi.paths["apis/test.spreadops.dev/v1"]!.serverRelativeURL)).body as { paths: Record<string, { patch: unknown }> };
    expect(spec.paths["/apis/test.spreadops.dev/v1/namespaces/{namespace}/gadgets/{name}"]?.patch).toMatchObject({
      "x-kubernetes-group-version-kind": { group: "test.spreadops.dev", version: "v1", kind: "Gadget" },
      parameters: [{ name: "fieldValidation", in: "query" }],
    });
    const unknown = await request(loop.api, "GET", "/apis/other.dev/v1/namespaces/x/things");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ kind: "Status", reason: "NotFound", code: 404 });
  });

  it("answers store errors as Status objects with the API server's codes, reasons and causes", async () => {
    expect((await request(loop.api, "POST", BASE, { body: gadget("g1") })).status).toBe(201);
    const missing = await request(loop.api, "GET", `${BASE}/nope`);
    expect(missing).toMatchObject({ status: 404, body: { kind: "Status", reason: "NotFound", code: 404, details: { name: "nope", group: "test.spreadops.dev", kind: "gadgets" } } });
    const taken = await request(loop.api, "POST", BASE, { body: gadget("g1") });
    expect(taken).toMatchObject({ status: 409, body: { reason: "AlreadyExists", code: 409 } });
    const old = (await request(loop.api, "GET", `${BASE}/g1`)).body as KubeObject;
    await request(loop.api, "PATCH", `${BASE}/g1`, { body: { spec: { size: 2 } }, contentType: "application/merge-patch+json" });
    const stale = await request(loop.api, "PATCH", `${BASE}/g1`, { body: { metadata: { resourceVersion: old.metadata.resourceVersion }, spec: { size: 3 } }, contentType: "application/merge-patch+json" });
    expect(stale).toMatchObject({ status: 409, body: { reason: "Conflict", code: 409 } });
    const invalid = await request(loop.api, "POST", BASE, { body: { ...gadget("g0"), spec: { size: 0 } } });
    expect(invalid).toMatchObject({ status: 422, body: { reason: "Invalid", code: 422, details: { causes: [{ field: "spec.size", message: "must not be 0", reason: "FieldValueInvalid" }] } } });
    const elsewhere = await request(loop.api, "POST", BASE, { body: { ...gadget("g2"), metadata: { name: "g2", namespace: "other" } } });
    expect(elsewhere).toMatchObject({ status: 400, body: { reason: "BadRequest" } });
    const jsonPatch = await request(loop.api, "PATCH", `${BASE}/g1`, { body: [{ op: "replace", path: "/spec/size", value: 3 }], contentType: "application/json-patch+json" });
    expect(jsonPatch).toMatchObject({ status: 415, body: { reason: "UnsupportedMediaType" } });
    const foreground = await request(loop.api, "DELETE", `${BASE}/g1`, { body: { propagationPolicy: "Foreground" } });
    expect(foreground).toMatchObject({ status: 400, body: { reason: "BadRequest" } });
    const collectionDelete = await request(loop.api, "DELETE", BASE);
    expect(collectionDelete).toMatchObject({ status: 405, body: { reason: "MethodNotAllowed" } });
  });

  it("takes a merge patch's metadata.resourceVersion as a precondition, not as a field", async () => {
    const current = (await request(loop.api, "GET", `${BASE}/g1`)).body as KubeObject;
    const patched = await request(loop.api, "PATCH", `${BASE}/g1`, {
      body: { metadata: { resourceVersion: current.metadata.resourceVersion, labels: { a: "b" } } },
      contentType: "application/merge-patch+json",
    });
    expect(patched.status).toBe(200);
    expect((patched.body as KubeObject).metadata.labels).toEqual({ a: "b" });
  });

  it("answers DELETE of a finalized object with the object, now carrying deletionTimestamp", async () => {
    await request(loop.api, "POST", BASE, { body: { ...gadget("held"), metadata: { name: "held", finalizers: ["test.spreadops.dev/hold"] } } });
    const deleted = await request(loop.api, "DELETE", `${BASE}/held`, { body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" } });
    expect(deleted.status).toBe(200);
    expect((deleted.body as KubeObject).metadata.deletionTimestamp).toEqual(expect.any(String));
    await request(loop.api, "PATCH", `${BASE}/held`, { body: { metadata: { finalizers: null } }, contentType: "application/merge-patch+json" });
    const gone = await request(loop.api, "DELETE", `${BASE}/held`);
    expect(gone.status).toBe(404);
  });

  it("streams a watch without a version as the current objects first, then changes", async () => {
    const watch = await openWatch(loop.api, `${BASE}?watch=true`);
    expect(watch.status).toBe(200);
    await request(loop.api, "POST", BASE, { body: gadget("w1") });
    await expect.poll(() => watch.lines.map((line) => `${line.type} ${(line.object.metadata as { name: string }).name}`)).toEqual(["ADDED g1", "ADDED w1"]);
    watch.close();
  });

  it("filters a watch by label like the API server: ADDED when it starts matching, DELETED when it stops", async () => {
    const list = (await request(loop.api, "GET", BASE)).body as { metadata: { resourceVersion: string } };
    const watch = await openWatch(loop.api, `${BASE}?watch=1&labelSelector=tier%3Dgold&resourceVersion=${list.metadata.resourceVersion}`);
    const merge = { contentType: "application/merge-patch+json" };
    await request(loop.api, "POST", BASE, { body: gadget("l1", { tier: "silver" }) });
    await request(loop.api, "PATCH", `${BASE}/l1`, { ...merge, body: { metadata: { labels: { tier: "gold" } } } });
    await request(loop.api, "PATCH", `${BASE}/l1`, { ...merge, body: { spec: { size: 2 } } });
    await request(loop.api, "PATCH", `${BASE}/l1`, { ...merge, body: { metadata: { labels: { tier: "silver" } } } });
    await request(loop.api, "DELETE", `${BASE}/l1`);
    await expect.poll(() => watch.lines.map((line) => line.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
    const list2 = (await request(loop.api, "GET", `${BASE}?labelSelector=a%3Db`)).body as { items: KubeObject[] };
    expect(list2.items.map((item) => item.metadata.name)).toEqual(["g1"]);
    watch.close();
  });

  it("ends a watch from a version too old to replay with an ERROR event carrying a 410 Status", async () => {
    for (let step = 0; step < 8; step++) {
      await request(loop.api, "PATCH", `${BASE}/g1`, { body: { metadata: { labels: { step: String(step) } } }, contentType: "application/merge-patch+json" });
    }
    const watch = await openWatch(loop.api, `${BASE}?watch=true&resourceVersion=1`);
    await watch.ended;
    expect(watch.status).toBe(200);
    expect(watch.lines).toEqual([{ type: "ERROR", object: expect.objectContaining({ kind: "Status", code: 410, reason: "Expired" }) as unknown }]);
  });

  it("ends a watch when timeoutSeconds pass, and releases the store's watch", async () => {
    const before = spy.watches.length;
    const list = (await request(loop.api, "GET", BASE)).body as { metadata: { resourceVersion: string } };
    const watch = await openWatch(loop.api, `${BASE}?watch=true&timeoutSeconds=1&resourceVersion=${list.metadata.resourceVersion}`);
    await watch.ended;
    expect(watch.lines).toEqual([]);
    expect(spy.watches.slice(before).map((w) => w.stopped)).toEqual([true]);
  });

  it("keeps a client watch open across idle time and stops the store's watch when the client stops", async () => {
    const before = spy.watches.length;
    const list = await loop.client.list(GADGET, NS);
    const names: string[] = [];
    const closes: Error[] = [];
    const handle = await loop.client.watch(GADGET, NS, { resourceVersion: list.resourceVersion, onEvent: (e) => names.push(e.object.metadata.name), onClose: (e) => closes.push(e) });
    await loop.client.create(GADGET, { ...gadget("idle-1"), metadata: { name: "idle-1", namespace: NS } });
    await tick(1500);
    await loop.client.create(GADGET, { ...gadget("idle-2"), metadata: { name: "idle-2", namespace: NS } });
    await expect.poll(() => names).toEqual(["idle-1", "idle-2"]);
    expect(spy.watches.slice(before).map((w) => w.stopped)).toEqual([false]);
    handle.stop();
    await expect.poll(() => spy.watches.slice(before).map((w) => w.stopped)).toEqual([true]);
    expect(closes).toEqual([]);
  });

  it("stops the store's watch when a raw client hangs up", async () => {
    const before = spy.watches.length;
    const watch = await openWatch(loop.api, `${BASE}?watch=true`);
    expect(spy.watches.slice(before).map((w) => w.stopped)).toEqual([false]);
    watch.close();
    await expect.poll(() => spy.watches.slice(before).map((w) => w.stopped)).toEqual([true]);
  });

  it("records posted Events (repeats aggregate) and lists them per object by field selector", async () => {
    const event = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "whatever", namespace: NS },
      involvedObject: { apiVersion: "test.spreadops.dev/v1", kind: "Gadget", name: "g1", namespace: NS },
      type: "Normal",
      reason: "Polished",
      message: "shiny",
      source: { component: "tester" },
    };
    expect((await request(loop.api, "POST", `/api/v1/namespaces/${NS}/events`, { body: event })).body).toMatchObject({ count: 1, reason: "Polished" });
    expect((await request(loop.api, "POST", `/api/v1/namespaces/${NS}/events`, { body: event })).body).toMatchObject({ count: 2 });
    const listed = await request(loop.api, "GET", `/api/v1/namespaces/${NS}/events?fieldSelector=involvedObject.kind%3DGadget,involvedObject.name%3Dg1,involvedObject.namespace%3D${NS}`);
    expect(listed.body).toMatchObject({ kind: "EventList", items: [{ reason: "Polished", count: 2, source: { component: "tester" }, involvedObject: { name: "g1" } }] });
    const unselected = await request(loop.api, "GET", `/api/v1/namespaces/${NS}/events`);
    expect(unselected).toMatchObject({ status: 400, body: { reason: "BadRequest" } });
    const wrongNamespace = await request(loop.api, "POST", `/api/v1/namespaces/${NS}/events`, { body: { ...event, involvedObject: { ...event.involvedObject, namespace: "other" } } });
    expect(wrongNamespace).toMatchObject({ status: 422, body: { details: { causes: [{ field: "involvedObject.namespace" }] } } });
    const patch = await request(loop.api, "PATCH", `/api/v1/namespaces/${NS}/events/x`, { body: { count: 9 }, contentType: "application/merge-patch+json" });
    expect(patch.status).toBe(405);
  });

  it("hides a store's internal error behind a 500 Status and hands it to onInternalError", async () => {
    const broken = { ...spy.backend, get: () => Promise.reject(new Error("disk at /secret/path is full")) } as ResourceStore;
    const other = await startLoopback(broken, [GADGET], NS);
    try {
      const answer = await request(other.api, "GET", `${BASE}/g1`);
      expect(answer).toMatchObject({ status: 500, body: { kind: "Status", reason: "InternalError", code: 500 } });
      expect(JSON.stringify(answer.body)).not.toContain("/secret/path");
      expect(other.internalErrors).toHaveLength(1);
      const viaClient = await other.client.get(GADGET, NS, "g1").catch((error: unknown) => error);
      expect(isStoreError(viaClient, "Unavailable")).toBe(true);
    } finally {
      await other.close();
    }
  });

  it("ends open watches when the server closes; a client watch then reports Unavailable", async () => {
    const other = await startLoopback(new EmbeddedStore({ types: [{ type: GADGET }] }), [GADGET], NS);
    const list = await other.client.list(GADGET, NS);
    const closes: Error[] = [];
    await other.client.watch(GADGET, NS, { resourceVersion: list.resourceVersion, onEvent: () => undefined, onClose: (e) => closes.push(e) });
    await other.close();
    await expect.poll(() => closes.length).toBe(1);
    expect(isStoreError(closes[0], "Unavailable")).toBe(true);
  });
});

describe("store API serving", () => {
  it("refuses to serve a non-loopback address without a token", async () => {
    const store = new EmbeddedStore({ types: [{ type: GADGET }] });
    await expect(startStoreApiServer({ store, types: [GADGET], host: "0.0.0.0" })).rejects.toThrow(/without a token/);
  });

  it("serves https with a self-signed certificate for loopback that clients must trust explicitly", async () => {
    const loop = await startLoopback(new EmbeddedStore({ types: [{ type: GADGET }] }), [GADGET], NS);
    try {
      expect(loop.api.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const cert = new X509Certificate(loop.api.certificateAuthority!);
      expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
      expect(cert.checkHost("localhost")).toBe("localhost");
      expect(cert.verify(cert.publicKey)).toBe(true);
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromOptions({
        clusters: [{ name: "c", server: loop.api.url, skipTLSVerify: false }],
        users: [{ name: "u", token: TEST_TOKEN }],
        contexts: [{ name: "x", cluster: "c", user: "u" }],
        currentContext: "x",
      });
      const untrusting = await new KubernetesResourceStore(kubeConfig).list(GADGET, NS).catch((error: unknown) => error);
      expect(isStoreError(untrusting, "Unavailable")).toBe(true);
    } finally {
      await loop.close();
    }
  });

  it("makes certificates valid for the hosts asked for, IPv6 included", () => {
    const cert = new X509Certificate(createSelfSignedCertificate({ hosts: ["10.1.2.3", "fd00::1:2", "spreadops.local"] }).cert);
    expect(cert.subjectAltName).toBe("IP Address:10.1.2.3, IP Address:FD00:0:0:0:0:0:1:2, DNS:spreadops.local");
    expect(cert.checkIP("127.0.0.1")).toBeUndefined();
  });

  it("writes a kubeconfig (mode 0600) that a KubernetesResourceStore uses as is", async () => {
    const loop = await startLoopback(new EmbeddedStore({ types: [{ type: GADGET }] }), [GADGET], NS);
    try {
      const dir = await mkdtemp(join(tmpdir(), "store-api-"));
      const path = join(dir, "nested", "kubeconfig");
      await writeKubeconfig(path, { server: loop.api.url, token: TEST_TOKEN, namespace: NS, ...caOf(loop.api) });
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect(await readFile(path, "utf8")).toContain("certificate-authority-data:");
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromFile(path);
      expect(kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace).toBe(NS);
      const client = new KubernetesResourceStore(kubeConfig);
      await client.create(GADGET, { ...gadget("from-file"), metadata: { name: "from-file", namespace: NS } });
      expect((await client.get(GADGET, NS, "from-file")).metadata.uid).toEqual(expect.any(String));
    } finally {
      await loop.close();
    }
  });
});
