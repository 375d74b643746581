import type { EventRecord, StoredEvent } from "../types.js";
import { jsonCopy, show } from "./json.js";
import { invalid, namespaceCauses, rfc3339 } from "./object-meta.js";
import type { EventEntry, Transaction } from "./state.js";
import type { ValidationCause } from "./type-registry.js";

/**
 * Records an Event, aggregating repeats as the client-go event recorder does: the same object,
 * type, reason, message and component bump `count` and `lastTimestamp` of one Event. Beyond
 * `limit` events the oldest go (the API server expires them after an hour instead).
 */
export function recordEvent(tx: Transaction, namespace: string, record: EventRecord, now: number, limit: number): void {
  const input = jsonCopy(record);
  const causes = [...namespaceCauses(namespace), ...eventCauses(input)];
  if (causes.length > 0) throw invalid(`Event about ${show((input as Partial<EventRecord>).involvedObject?.name)}`, causes);
  const key = aggregationKey(namespace, input);
  const existing = tx.events.get(key);
  const timestamp = rfc3339(now);
  if (existing !== undefined) {
    tx.putEvent(key, { ...existing, event: { ...existing.event, count: existing.event.count + 1, lastTimestamp: timestamp } });
    return;
  }
  const involvedObject = { ...input.involvedObject, namespace: input.involvedObject.namespace ?? namespace };
  const event: StoredEvent = { ...input, involvedObject, count: 1, firstTimestamp: timestamp, lastTimestamp: timestamp };
  tx.putEvent(key, { namespace, name: `${input.involvedObject.name}.${now.toString(16)}${String(tx.events.size)}`, event });
  const events = tx.writableEvents();
  for (const oldest of events.keys()) {
    if (events.size <= limit) break;
    events.delete(oldest);
  }
}

/** Events about one object, in order of first occurrence (oldest first). */
export function eventsAbout(events: Iterable<EventEntry>, namespace: string, involved: { kind: string; name: string }): StoredEvent[] {
  const result: StoredEvent[] = [];
  for (const entry of events) {
    const about = entry.event.involvedObject;
    if (entry.namespace === namespace && about.kind === involved.kind && about.name === involved.name) result.push(jsonCopy(entry.event));
  }
  return result;
}

/** Events with the same key are one Event with a count. */
export function aggregationKey(namespace: string, record: EventRecord): string {
  const about = record.involvedObject;
  return JSON.stringify([namespace, about.apiVersion, about.kind, about.name, about.uid ?? "", record.type, record.reason, record.message, record.component]);
}

function eventCauses(record: Partial<EventRecord>): ValidationCause[] {
  const causes: ValidationCause[] = [];
  const about = record.involvedObject;
  if (about === undefined || typeof about.name !== "string" || about.name === "" || typeof about.kind !== "string" || about.kind === "") {
    causes.push({ field: "involvedObject", message: "Required value: kind and name of the object the event is about" });
  }
  if (record.type !== "Normal" && record.type !== "Warning") causes.push({ field: "type", message: `Unsupported value: "${String(record.type)}": supported values: "Normal", "Warning"` });
  if (typeof record.reason !== "string" || record.reason === "") causes.push({ field: "reason", message: "Required value" });
  if (typeof record.message !== "string") causes.push({ field: "message", message: "Required value" });
  if (typeof record.component !== "string" || record.component === "") causes.push({ field: "source.component", message: "Required value" });
  return causes;
}
