import { createHash } from "node:crypto";
import type { EventRecord } from "../store/types.js";

/** The longest involved-object name kept in an event name, leaving room for the hash (253 max). */
const MAX_NAME_PREFIX = 200;

/**
 * The name of the Event that aggregates every repeat of `event`. Deterministic (object, uid,
 * type, reason, message, component) so that concurrent recorders and restarts converge on one
 * Event and bump its count — the aggregation kubectl shows as "(x3 over 5m)" — instead of
 * keeping a correlation cache in memory as client-go does.
 */
export function eventName(namespace: string, event: EventRecord): string {
  const involved = event.involvedObject;
  const key = JSON.stringify([
    namespace, involved.apiVersion, involved.kind, involved.name, involved.uid ?? "", event.type, event.reason, event.message, event.component,
  ]);
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 16);
  const prefix = involved.name.toLowerCase().replace(/[^a-z0-9.-]/g, "-").slice(0, MAX_NAME_PREFIX);
  return `${prefix}.${hash}`;
}

/** A timestamp in the API server's form: whole seconds as "…:05Z", finer ones kept. */
export function formatTime(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

/** `involvedObject.kind=…,involvedObject.name=…`: the field selector of one object's events. */
export function involvedFieldSelector(involved: { kind: string; name: string }): string {
  return `involvedObject.kind=${involved.kind},involvedObject.name=${involved.name}`;
}
