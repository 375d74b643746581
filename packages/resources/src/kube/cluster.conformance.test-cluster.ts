// `npm run test:cluster` (vitest.cluster.config.ts): the ResourceStore conformance suite against
// the cluster of KUBECONFIG, with the CRDs of k8s/crds applied. Not part of `npm test`.
import { KubeConfig } from "@kubernetes/client-node";
import { STRATEGY, TRADE } from "../crd/types.js";
import { resourceStoreConformance } from "../store/conformance/index.js";
import { KubernetesResourceStore } from "./kubernetes-store.js";
import { ensureNamespace, requireServedTypes } from "./testing/cluster.js";

resourceStoreConformance("KubernetesResourceStore on the cluster of KUBECONFIG", async () => {
  const path = process.env.KUBECONFIG;
  if (path === undefined || path === "") {
    throw new Error("test:cluster runs against a cluster: set KUBECONFIG (e.g. a kind cluster's) and apply the CRDs with kubectl apply -f k8s/crds/");
  }
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  const namespace = process.env.SPREADOPS_TEST_NAMESPACE ?? "spreadops-test";
  await requireServedTypes(kubeConfig, [STRATEGY, TRADE]);
  await ensureNamespace(kubeConfig, namespace);
  return {
    store: new KubernetesResourceStore(kubeConfig, { fieldManager: "spreadops-conformance" }),
    cleanup: () => Promise.resolve(),
    types: { strategy: STRATEGY, trade: TRADE },
    namespace,
    // The CRDs' schema validates specs; etcd compacts on a timer, so no Gone window to declare.
    capabilities: { specValidation: true },
  };
});
