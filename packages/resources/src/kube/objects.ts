import { StoreError } from "../store/types.js";
import type { KubeObject, ResourceType } from "../store/types.js";

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The minimum every stored object has: a kind, an apiVersion and a named metadata. */
export function isKubeObject(value: unknown): value is KubeObject {
  return (
    isRecord(value) &&
    typeof value.apiVersion === "string" &&
    typeof value.kind === "string" &&
    isRecord(value.metadata) &&
    typeof value.metadata.name === "string"
  );
}

/**
 * Narrows what client-node types as `any`. Only the envelope is checked: the API server has
 * validated spec and status against the CRD schema, and their shape is the caller's type.
 */
export function asKubeObject(value: unknown, what: string): KubeObject {
  if (!isKubeObject(value)) throw new StoreError("Unavailable", `${what}: the server answered with something that is not an object`);
  return value;
}

export function asObjectList(value: unknown, what: string): { items: KubeObject[]; resourceVersion: string } {
  if (!isRecord(value) || !Array.isArray(value.items)) throw new StoreError("Unavailable", `${what}: the server answered with something that is not a list`);
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  return {
    items: value.items.map((item) => asKubeObject(item, what)),
    resourceVersion: typeof metadata.resourceVersion === "string" ? metadata.resourceVersion : "",
  };
}

/** "strategies.trading.spreadops.dev ns/name", for messages. */
export function describeObject(type: ResourceType, namespace: string | undefined, name?: string): string {
  const resource = type.group === "" ? type.plural : `${type.plural}.${type.group}`;
  const where = namespace === undefined ? "" : `${namespace}/`;
  return name === undefined ? `${resource} in ${namespace ?? "all namespaces"}` : `${resource} ${where}${name}`;
}

/** The REST path of a collection, object or its status, as the API server lays them out. */
export function resourcePath(type: ResourceType, namespace: string | undefined, name?: string, subresource?: "status"): string {
  const root = type.group === "" ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
  const scope = type.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  const item = name === undefined ? "" : `/${encodeURIComponent(name)}`;
  return `${root}${scope}/${type.plural}${item}${subresource === undefined ? "" : `/${subresource}`}`;
}

/** `{a: "1", b: "2"}` → "a=1,b=2". */
export function formatLabelSelector(selector: Record<string, string> | undefined): string | undefined {
  if (selector === undefined) return undefined;
  const terms = Object.entries(selector).map(([key, value]) => `${key}=${value}`);
  return terms.length === 0 ? undefined : terms.join(",");
}
