// Test-only: what the cluster conformance run checks and prepares before the suite starts.
import { CoreV1Api, CustomObjectsApi, V1Namespace, V1ObjectMeta } from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";
import { isStoreError } from "../../store/types.js";
import type { ResourceType } from "../../store/types.js";
import { mapApiError } from "../errors.js";
import { isRecord } from "../objects.js";

const PREREQUISITE = "apply the CRDs first: kubectl apply -f k8s/crds/";

/** The plurals the API server's discovery lists for a group/version; none when it serves no such group. */
async function servedPlurals(api: CustomObjectsApi, group: string, version: string): Promise<Set<string>> {
  try {
    const list: unknown = await api.getAPIResources({ group, version });
    const resources = isRecord(list) && Array.isArray(list.resources) ? list.resources.filter(isRecord) : [];
    return new Set(resources.map((resource) => resource.name).filter((name): name is string => typeof name === "string"));
  } catch (error) {
    const mapped = mapApiError(error, `discovering ${group}/${version}`);
    if (isStoreError(mapped, "NotFound")) return new Set();
    throw mapped;
  }
}

/**
 * Fails, naming the prerequisite, unless the cluster serves every type. Discovery rather than
 * reading the CRDs: any authenticated user may discover, not everyone may read CRDs.
 */
export async function requireServedTypes(kubeConfig: KubeConfig, types: readonly ResourceType[]): Promise<void> {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  const missing: string[] = [];
  for (const type of types) {
    const plurals = await servedPlurals(api, type.group, type.version);
    if (!plurals.has(type.plural)) missing.push(`${type.plural}.${type.group}/${type.version}`);
  }
  if (missing.length > 0) {
    throw new Error(`the cluster of ${kubeConfig.getCurrentCluster()?.server ?? "KUBECONFIG"} does not serve ${missing.join(", ")}: ${PREREQUISITE}`);
  }
}

/** Creates the namespace unless it exists. */
export async function ensureNamespace(kubeConfig: KubeConfig, name: string): Promise<void> {
  const api = kubeConfig.makeApiClient(CoreV1Api);
  try {
    await api.readNamespace({ name });
    return;
  } catch (error) {
    const mapped = mapApiError(error, `reading namespace ${name}`);
    if (!isStoreError(mapped, "NotFound")) throw mapped;
  }
  const body = new V1Namespace();
  body.metadata = new V1ObjectMeta();
  body.metadata.name = name;
  try {
    await api.createNamespace({ body });
  } catch (error) {
    const mapped = mapApiError(error, `creating namespace ${name}`);
    // Another run created it in between.
    if (!isStoreError(mapped, "AlreadyExists")) throw mapped;
  }
}
