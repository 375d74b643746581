import type { ResourceType } from "../../store/types.js";

/** What a request path names, as the API server lays out its REST paths. */
export type Route =
  | { kind: "version" }
  | { kind: "coreVersions" }
  | { kind: "coreResources" }
  | { kind: "groups" }
  | { kind: "group"; group: string }
  | { kind: "groupResources"; group: string; version: string }
  | { kind: "openapiRoot" }
  | { kind: "openapiGroupVersion"; group: string; version: string }
  | { kind: "resource"; type: ResourceType; namespace?: string; name?: string; subresource?: "status" }
  | { kind: "events"; namespace?: string; name?: string }
  | { kind: "unknown" };

/** The served types, found by group, version and plural. */
export class TypeRegistry {
  readonly types: readonly ResourceType[];
  readonly #byPath = new Map<string, ResourceType>();

  constructor(types: readonly ResourceType[]) {
    this.types = types;
    for (const type of types) this.#byPath.set(`${type.group}/${type.version}/${type.plural}`, type);
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.#byPath.get(`${group}/${version}/${plural}`);
  }

  hasGroupVersion(group: string, version?: string): boolean {
    return this.types.some((type) => type.group === group && (version === undefined || type.version === version));
  }
}

const UNKNOWN: Route = { kind: "unknown" };

/** `…/{plural}[/{name}[/status]]` under a group/version, namespaced or cluster-wide. */
function resourceRoute(registry: TypeRegistry, group: string, version: string, rest: string[]): Route {
  let namespace: string | undefined;
  let tail = rest;
  if (rest[0] === "namespaces" && rest.length >= 3) {
    namespace = rest[1];
    tail = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = tail;
  if (plural === undefined || extra.length > 0 || (subresource !== undefined && subresource !== "status")) return UNKNOWN;
  const type = registry.find(group, version, plural);
  if (type === undefined) return UNKNOWN;
  // A namespaced object is only reachable through its namespace; a cluster-scoped one never is.
  if (name !== undefined && type.namespaced !== (namespace !== undefined)) return UNKNOWN;
  if (namespace !== undefined && !type.namespaced) return UNKNOWN;
  return {
    kind: "resource",
    type,
    ...(namespace === undefined ? {} : { namespace }),
    ...(name === undefined ? {} : { name }),
    ...(subresource === undefined ? {} : { subresource: "status" as const }),
  };
}

function coreRoute(rest: string[]): Route {
  if (rest.length === 0) return { kind: "coreResources" };
  if (rest[0] === "events" && rest.length === 1) return { kind: "events" };
  if (rest[0] === "namespaces" && rest[2] === "events" && rest.length <= 4 && rest[1] !== undefined) {
    return { kind: "events", namespace: rest[1], ...(rest[3] === undefined ? {} : { name: rest[3] }) };
  }
  return UNKNOWN;
}

export function route(registry: TypeRegistry, pathname: string): Route {
  let segments: string[];
  try {
    segments = pathname.split("/").filter((segment) => segment !== "").map(decodeURIComponent);
  } catch {
    return UNKNOWN;
  }
  const [root, a, b, ...rest] = segments;
  if (root === "version" && a === undefined) return { kind: "version" };
  if (root === "openapi" && a === "v3") {
    if (b === undefined) return { kind: "openapiRoot" };
    const [group, version, ...extra] = rest;
    if (b !== "apis" || group === undefined || version === undefined || extra.length > 0 || !registry.hasGroupVersion(group, version)) return UNKNOWN;
    return { kind: "openapiGroupVersion", group, version };
  }
  if (root === "api") {
    if (a === undefined) return { kind: "coreVersions" };
    if (a === "v1") return coreRoute(b === undefined ? [] : [b, ...rest]);
    return UNKNOWN;
  }
  if (root === "apis") {
    if (a === undefined) return { kind: "groups" };
    if (!registry.hasGroupVersion(a)) return UNKNOWN;
    if (b === undefined) return { kind: "group", group: a };
    if (!registry.hasGroupVersion(a, b)) return UNKNOWN;
    if (rest.length === 0) return { kind: "groupResources", group: a, version: b };
    return resourceRoute(registry, a, b, rest);
  }
  return UNKNOWN;
}
