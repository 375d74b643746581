import { findKubeConfig } from "@spreadops/runtime";
import type { ResourceStore } from "../store/types.js";
import { createKubernetesResourceStore } from "./kubernetes-store.js";

/**
 * The store of the cluster a component runs in (in-cluster config, KUBECONFIG or
 * ~/.kube/config), writing as field manager `spreadops-<component>`; a clear error when there is
 * none, pointing at the all-in-one.
 */
export function clusterResourceStore(env: Readonly<Record<string, string | undefined>>, component: "controller" | "console"): ResourceStore {
  const kubeConfig = findKubeConfig(env);
  if (kubeConfig === undefined) {
    throw new Error(`no Kubernetes cluster found (not in a pod, no KUBECONFIG, no ~/.kube/config); on one machine run \`spreadops all\`, which hosts the ${component} on the embedded store`);
  }
  return createKubernetesResourceStore(kubeConfig, { fieldManager: `spreadops-${component}` });
}
