import type { StoreSnapshot } from "../persistence.js";
import type { KubeObject } from "../types.js";
import { aggregationKey } from "./event-log.js";
import { deepFreeze } from "./freeze.js";
import { isJsonObject, show } from "./json.js";
import { objectKey } from "./state.js";
import type { EventEntry, StoreState } from "./state.js";

/** The state as a snapshot; it shares the (immutable) stored objects, so it is cheap to build. */
export function toSnapshot(state: StoreState): StoreSnapshot {
  const objects: { resource: string; object: KubeObject }[] = [];
  for (const [resource, byName] of state.objects) for (const object of byName.values()) objects.push({ resource, object });
  const events = [...state.events.values()];
  return { format: 1, resourceVersion: String(state.resourceVersion), objects, events };
}

/** Rebuilds the state from a snapshot; anything malformed is an error, never silently dropped. */
export function fromSnapshot(snapshot: StoreSnapshot): StoreState {
  const raw: unknown = snapshot;
  if (!isJsonObject(raw) || raw["format"] !== 1) throw new Error(`unsupported snapshot format ${show(isJsonObject(raw) ? raw["format"] : raw)}`);
  const counter = raw["resourceVersion"];
  if (typeof counter !== "string" || !/^\d+$/.test(counter)) throw new Error(`resourceVersion ${show(counter)} is not a counter`);
  if (!Array.isArray(raw["objects"]) || !Array.isArray(raw["events"])) throw new Error("objects and events must be lists");
  const resourceVersion = Number(counter);
  const objects = new Map<string, Map<string, KubeObject>>();
  snapshot.objects.forEach(({ resource, object }, index) => {
    const entry: unknown = object;
    const meta = isJsonObject(entry) && isJsonObject(entry["metadata"]) ? entry["metadata"] : undefined;
    if (typeof resource !== "string" || meta === undefined || typeof meta["name"] !== "string" || typeof meta["resourceVersion"] !== "string") {
      throw new Error(`objects[${index}] is not a stored object`);
    }
    if (Number(meta["resourceVersion"]) > resourceVersion) throw new Error(`objects[${index}] has a resourceVersion above the counter`);
    const byName = objects.get(resource) ?? new Map<string, KubeObject>();
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    if (byName.has(key)) throw new Error(`objects[${index}] (${resource} ${key}) is stored twice`);
    byName.set(key, deepFreeze(object));
    objects.set(resource, byName);
  });
  const events = new Map<string, EventEntry>();
  snapshot.events.forEach((entry, index) => {
    const rawEntry: unknown = entry;
    const event = isJsonObject(rawEntry) ? rawEntry["event"] : undefined;
    if (!isJsonObject(rawEntry) || typeof rawEntry["namespace"] !== "string" || !isJsonObject(event) || !isJsonObject(event["involvedObject"])) {
      throw new Error(`events[${index}] is not a stored event`);
    }
    events.set(aggregationKey(entry.namespace, entry.event), deepFreeze(entry));
  });
  return { resourceVersion, objects, events };
}
