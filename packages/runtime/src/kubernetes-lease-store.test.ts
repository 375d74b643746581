import type { V1MicroTime } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubernetesLeaseStore} from "./kubernetes-lease-store.js";
import { createKubernetesLeaseStore, leaseToRecord, recordToLease } from "./kubernetes-lease-store.js";
import { ConflictError, LeaseStoreError, NotFoundError, TransientLeaseError } from "./lease-store.js";
import type { LeaseRecord } from "./lease-store.js";
import { startFakeLeaseApi } from "./testing/fake-lease-api.js";
import type { FakeLeaseApi } from "./testing/fake-lease-api.js";

const KEY = { namespace: "spreadops", name: "gateway" };
const RECORD: LeaseRecord = {
  ...KEY,
  holderIdentity: "gateway-0_abc",
  leaseDurationSeconds: 15,
  acquireTime: "2026-01-05T14:30:00.123000Z",
  renewTime: "2026-01-05T14:30:02.456000Z",
  leaseTransitions: 0,
};

describe("KubernetesLeaseStore over a fake API server", () => {
  let api: FakeLeaseApi;
  let store: KubernetesLeaseStore;

  beforeAll(async () => {
    api = await startFakeLeaseApi();
    store = createKubernetesLeaseStore(api.kubeConfig());
  });
  afterAll(async () => {
    await api.close();
  });

  it("maps 404 on read to undefined, creates, and conflicts on a second create", async () => {
    expect(await store.get(KEY)).toBeUndefined();
    const created = await store.create(RECORD);
    expect(created).toMatchObject({ ...RECORD, resourceVersion: expect.any(String) as string });
    expect(await store.get(KEY)).toEqual(created);
    await expect(store.create(RECORD)).rejects.toBeInstanceOf(ConflictError);
    expect(api.requests).toEqual([
      "GET /apis/coordination.k8s.io/v1/namespaces/spreadops/leases/gateway",
      "POST /apis/coordination.k8s.io/v1/namespaces/spreadops/leases",
      "GET /apis/coordination.k8s.io/v1/namespaces/spreadops/leases/gateway",
      "POST /apis/coordination.k8s.io/v1/namespaces/spreadops/leases",
    ]);
  });

  it("updates with the current resourceVersion and refuses a stale one", async () => {
    const current = (await store.get(KEY))!;
    const renewed = await store.update({ ...current, renewTime: "2026-01-05T14:30:04.000000Z" });
    expect(renewed.resourceVersion).not.toBe(current.resourceVersion);
    expect(renewed.renewTime).toBe("2026-01-05T14:30:04.000000Z");
    const stale = store.update({ ...current, holderIdentity: "thief" });
    await expect(stale).rejects.toBeInstanceOf(ConflictError);
    await expect(stale).rejects.toThrow(/HTTP 409: .*stale/);
    expect((await store.get(KEY))?.holderIdentity).toBe("gateway-0_abc");
  });

  it("refuses an update without resourceVersion and maps 404 on update to NotFoundError", async () => {
    await expect(store.update({ ...RECORD })).rejects.toBeInstanceOf(ConflictError);
    await expect(store.update({ ...RECORD, name: "missing", resourceVersion: "1" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("maps 5xx and 429 to transient errors and 403 to a permanent one", async () => {
    api.failNext(500);
    await expect(store.get(KEY)).rejects.toBeInstanceOf(TransientLeaseError);
    api.failNext(429);
    await expect(store.get(KEY)).rejects.toBeInstanceOf(TransientLeaseError);
    api.failNext(403);
    const forbidden = await store.get(KEY).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(LeaseStoreError);
    expect(forbidden).not.toBeInstanceOf(TransientLeaseError);
    expect((forbidden as LeaseStoreError).transient).toBe(false);
  });

  it("maps connection errors to transient errors", async () => {
    const closed = await startFakeLeaseApi();
    const unreachable = createKubernetesLeaseStore(closed.kubeConfig());
    await closed.close();
    await expect(unreachable.get(KEY)).rejects.toBeInstanceOf(TransientLeaseError);
  });
});

describe("Lease conversion", () => {
  it("writes MicroTime with six fractional digits and reads it back as text", () => {
    const json = JSON.parse(JSON.stringify(recordToLease({ ...RECORD, resourceVersion: "7" }))) as Record<string, unknown>;
    expect(json).toEqual({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: "gateway", namespace: "spreadops", resourceVersion: "7" },
      spec: {
        holderIdentity: "gateway-0_abc",
        leaseDurationSeconds: 15,
        acquireTime: "2026-01-05T14:30:00.123000Z",
        renewTime: "2026-01-05T14:30:02.456000Z",
        leaseTransitions: 0,
      },
    });
    // client-node hands MicroTime back as the wire string; microseconds must survive.
    const fromWire = recordToLease({ ...KEY, resourceVersion: "7" });
    fromWire.spec!.renewTime = "2026-01-05T14:30:02.456789Z" as unknown as V1MicroTime;
    expect(leaseToRecord(fromWire, KEY)).toEqual({
      ...KEY,
      resourceVersion: "7",
      renewTime: "2026-01-05T14:30:02.456789Z",
      holderIdentity: undefined,
      leaseDurationSeconds: undefined,
      acquireTime: undefined,
      leaseTransitions: undefined,
    });
  });
});
