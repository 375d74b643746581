import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedStore } from "../../store/embedded/embedded-store.js";
import type { KubeObject, ResourceType } from "../../store/types.js";
import { openWatch, request, startLoopback } from "../testing/loopback.js";
import type { Loopback } from "../testing/loopback.js";
import { humanDuration, valueAt, wantsTable } from "./table.js";
import type { PrinterColumn } from "./table.js";

/** What kubectl get sends. */
const KUBECTL_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

describe("Table helpers", () => {
  it("recognises kubectl's Accept header and nothing else", () => {
    expect(wantsTable(KUBECTL_ACCEPT)).toBe(true);
    expect(wantsTable("application/json")).toBe(false);
    expect(wantsTable("application/json;as=Table;v=v1beta1;g=meta.k8s.io")).toBe(false);
    expect(wantsTable(undefined)).toBe(false);
  });

  it("reads the JSONPath subset of printer columns", () => {
    const object = { spec: { window: { start: "09:45" } }, status: { conditions: [{ type: "Ready" }] } };
    expect(valueAt(object, ".spec.window.start")).toBe("09:45");
    expect(valueAt(object, ".status.conditions[0].type")).toBe("Ready");
    expect(valueAt(object, "{.spec.window}")).toEqual({ start: "09:45" });
    expect(valueAt(object, ".status.missing.deeper")).toBeUndefined();
    expect(valueAt(object, ".status.conditions[3].type")).toBeUndefined();
  });

  it("writes ages as kubectl does", () => {
    const s = 1000;
    expect([-5 * s, -500, 45 * s, 119 * s, 200 * s, 300 * s, 45 * 60 * s, 5 * 3600 * s, (5 * 60 + 30) * 60 * s, 30 * 3600 * s, 3 * 86_400 * s, 100 * 86_400 * s, 800 * 86_400 * s, 9 * 365 * 86_400 * s].map(humanDuration)).toEqual([
      "<invalid>", "0s", "45s", "119s", "3m20s", "5m", "45m", "5h", "5h30m", "30h", "3d", "100d", "2y70d", "9y",
    ]);
  });
});

const THING: ResourceType = { group: "test.spreadops.dev", version: "v1", kind: "Thing", plural: "things", namespaced: true };
const COLUMNS: PrinterColumn[] = [
  { name: "Mode", type: "string", jsonPath: ".spec.mode" },
  { name: "Phase", type: "string", jsonPath: ".status.phase" },
  { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
  { name: "Size", type: "integer", jsonPath: ".spec.size", priority: 1 },
];
const BASE = "/apis/test.spreadops.dev/v1/namespaces/ns/things";

describe("store API Tables for kubectl get", () => {
  let loop: Loopback;

  beforeAll(async () => {
    loop = await startLoopback(new EmbeddedStore({ types: [{ type: THING }] }), [THING], "ns", { printerColumns: { "things.test.spreadops.dev": COLUMNS } });
    await request(loop.api, "POST", BASE, { body: { apiVersion: "test.spreadops.dev/v1", kind: "Thing", metadata: { name: "t1" }, spec: { mode: "paper", size: 3 } } });
  });
  afterAll(async () => {
    await loop.close();
  });

  it("answers a list with the printer columns after Name, and metadata-only row objects", async () => {
    const answer = await request(loop.api, "GET", BASE, { accept: KUBECTL_ACCEPT });
    expect(answer.body).toMatchObject({
      kind: "Table",
      apiVersion: "meta.k8s.io/v1",
      columnDefinitions: [{ name: "Name", format: "name" }, { name: "Mode" }, { name: "Phase" }, { name: "Age", type: "date" }, { name: "Size", priority: 1 }],
      rows: [{ cells: ["t1", "paper", null, expect.stringMatching(/^\d+s$/) as string, 3], object: { kind: "PartialObjectMetadata", metadata: { name: "t1" } } }],
    });
    const single = await request(loop.api, "GET", `${BASE}/t1?includeObject=Object`, { accept: KUBECTL_ACCEPT });
    expect(single.body).toMatchObject({ kind: "Table", rows: [{ cells: ["t1", "paper", null, expect.any(String) as string, 3], object: { kind: "Thing", spec: { size: 3 } } }] });
  });

  it("answers plain JSON to a client that asks for it", async () => {
    expect((await request(loop.api, "GET", BASE)).body).toMatchObject({ kind: "ThingList", items: [{ metadata: { name: "t1" } }] });
    expect((await request(loop.api, "GET", `${BASE}/t1`)).body).toMatchObject({ kind: "Thing" });
  });

  it("sends a one-row Table per event on a Table watch", async () => {
    const watch = await openWatch(loop.api, `${BASE}?watch=true`, KUBECTL_ACCEPT);
    await request(loop.api, "PATCH", `${BASE}/t1/status`, { body: { status: { phase: "Active" } }, contentType: "application/merge-patch+json" });
    await expect.poll(() => watch.lines.length).toBe(2);
    const rows = watch.lines.map((line) => [line.type, ((line.object as { rows: { cells: unknown[] }[] }).rows[0]?.cells ?? [])[2]]);
    expect(rows).toEqual([["ADDED", null], ["MODIFIED", "Active"]]);
    expect(watch.lines[1]?.object).toMatchObject({ kind: "Table", columnDefinitions: expect.any(Array) as unknown });
    watch.close();
    expect((await request(loop.api, "GET", `${BASE}/t1`)).body as KubeObject).toMatchObject({ status: { phase: "Active" } });
  });
});
