import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STRATEGY, TRADE } from "../../crd/types.js";
import { EmbeddedStore } from "../../store/embedded/embedded-store.js";
import { requireServedTypes } from "./cluster.js";
import { startLoopback } from "./loopback.js";
import type { Loopback } from "./loopback.js";

// The store API answers discovery like a cluster, so it stands in for one with or without a CRD.
describe("requireServedTypes", () => {
  let loop: Loopback;

  beforeAll(async () => {
    loop = await startLoopback(new EmbeddedStore({ types: [{ type: STRATEGY }] }), [STRATEGY]);
  });
  afterAll(async () => {
    await loop.close();
  });

  it("passes when discovery lists every type", async () => {
    await expect(requireServedTypes(loop.kubeConfig, [STRATEGY])).resolves.toBeUndefined();
  });

  it("names the missing CRD and the command that installs it", async () => {
    await expect(requireServedTypes(loop.kubeConfig, [STRATEGY, TRADE])).rejects.toThrow(
      /does not serve trades\.trading\.spreadops\.dev\/v1alpha1: apply the CRDs first: kubectl apply -f k8s\/crds\//,
    );
    const otherGroup = { ...TRADE, group: "elsewhere.dev" };
    await expect(requireServedTypes(loop.kubeConfig, [otherGroup])).rejects.toThrow(/trades\.elsewhere\.dev\/v1alpha1/);
  });
});
