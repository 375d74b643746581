import type { ResourceType } from "../../store/types.js";
import type { TypeRegistry } from "./routes.js";

/**
 * Legacy (unaggregated) discovery documents: kubectl and client-go fall back to them when the
 * answer is plain JSON rather than the aggregated `apidiscovery.k8s.io` form.
 */

/** The Kubernetes release whose API the facade mirrors, for kubectl's version-skew check. */
const KUBERNETES_VERSION = { major: "1", minor: "32", gitVersion: "v1.32.0+spreadops" };

const OBJECT_VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"];
const STATUS_VERBS = ["get", "patch", "update"];

export function versionInfo(): Record<string, string> {
  return {
    ...KUBERNETES_VERSION,
    gitCommit: "",
    gitTreeState: "clean",
    buildDate: "1970-01-01T00:00:00Z",
    goVersion: "",
    compiler: "",
    platform: `${process.platform}/${process.arch}`,
  };
}

export function coreVersions(): Record<string, unknown> {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] };
}

/** Only Events exist in the core group here: the store holds nothing else of it. */
export function coreResources(): Record<string, unknown> {
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: "v1",
    resources: [{ name: "events", singularName: "event", namespaced: true, kind: "Event", verbs: ["create", "list"], shortNames: ["ev"] }],
  };
}

function groupOf(registry: TypeRegistry, name: string): Record<string, unknown> {
  const versions = [...new Set(registry.types.filter((type) => type.group === name).map((type) => type.version))].map((version) => ({
    groupVersion: `${name}/${version}`,
    version,
  }));
  return { name, versions, preferredVersion: versions[0] };
}

export function groupList(registry: TypeRegistry): Record<string, unknown> {
  const names = [...new Set(registry.types.map((type) => type.group).filter((group) => group !== ""))];
  return { kind: "APIGroupList", apiVersion: "v1", groups: names.map((name) => groupOf(registry, name)) };
}

export function group(registry: TypeRegistry, name: string): Record<string, unknown> {
  return { kind: "APIGroup", apiVersion: "v1", ...groupOf(registry, name) };
}

function resourcesOf(type: ResourceType): Record<string, unknown>[] {
  const singularName = type.kind.toLowerCase();
  return [
    { name: type.plural, singularName, namespaced: type.namespaced, kind: type.kind, verbs: OBJECT_VERBS },
    { name: `${type.plural}/status`, singularName: "", namespaced: type.namespaced, kind: type.kind, verbs: STATUS_VERBS },
  ];
}

export function groupResources(registry: TypeRegistry, group: string, version: string): Record<string, unknown> {
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: `${group}/${version}`,
    resources: registry.types.filter((type) => type.group === group && type.version === version).flatMap(resourcesOf),
  };
}

/**
 * OpenAPI v3: only what kubectl reads before `apply`/`create` — whether PATCH of a kind takes
 * `fieldValidation`. Saying yes makes kubectl leave validation to the server (the store
 * validates every write) instead of downloading full schemas it would validate against.
 */
export function openapiRoot(registry: TypeRegistry): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const type of registry.types) {
    if (type.group !== "") paths[`apis/${type.group}/${type.version}`] = { serverRelativeURL: `/openapi/v3/apis/${type.group}/${type.version}` };
  }
  return { paths };
}

export function openapiGroupVersion(registry: TypeRegistry, group: string, version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const type of registry.types.filter((candidate) => candidate.group === group && candidate.version === version)) {
    const scope = type.namespaced ? "/namespaces/{namespace}" : "";
    paths[`/apis/${group}/${version}${scope}/${type.plural}/{name}`] = {
      patch: {
        "x-kubernetes-group-version-kind": { group, version, kind: type.kind },
        parameters: [{ name: "fieldValidation", in: "query", schema: { type: "string", uniqueItems: true } }],
        responses: { "200": { description: "OK" } },
      },
    };
  }
  return { openapi: "3.0.0", info: { title: "SpreadOps store API", version: KUBERNETES_VERSION.gitVersion }, paths, components: { schemas: {} } };
}
