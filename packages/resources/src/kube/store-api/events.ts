import type { IncomingMessage, ServerResponse } from "node:http";
import { StoreError } from "../../store/types.js";
import type { EventRecord, ResourceStore, StoredEvent } from "../../store/types.js";
import { eventName } from "../events.js";
import { isRecord } from "../objects.js";
import { readJsonObject, sendJson } from "./http-io.js";
import { parseEqualitySelector, refuseFields } from "./selectors.js";
import { HttpError } from "./status.js";

/**
 * core/v1 Events over the store's event log. The store records and aggregates (recordEvent) and
 * lists one object's events (listEvents); it has no event names or versions. So: POST records
 * (repeats aggregate into one Event, never 409), GET lists with an involvedObject field
 * selector (as `kubectl describe` and `kubectl events --for` send), and each Event is named as
 * the KubernetesResourceStore names it on a real cluster. Nothing else is served.
 */

export interface EventsRequest {
  store: ResourceStore;
  namespace?: string;
  name?: string;
  url: URL;
  req: IncomingMessage;
  res: ServerResponse;
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

const SELECTABLE = ["involvedObject.kind", "involvedObject.name", "involvedObject.namespace", "involvedObject.uid", "involvedObject.apiVersion", "reason", "type"];

/** A posted core/v1 Event as the store's EventRecord; 422 names the missing field as the API server would. */
export function recordOf(namespace: string, body: Record<string, unknown>): EventRecord {
  const involved = isRecord(body.involvedObject) ? body.involvedObject : {};
  const kind = text(involved.kind);
  const name = text(involved.name);
  const causes = [
    ...(kind === undefined ? [{ field: "involvedObject.kind", message: "Required value" }] : []),
    ...(name === undefined ? [{ field: "involvedObject.name", message: "Required value" }] : []),
    ...(text(body.reason) === undefined ? [{ field: "reason", message: "Required value" }] : []),
  ];
  const type = body.type ?? "Normal";
  if (type !== "Normal" && type !== "Warning") causes.push({ field: "type", message: `Unsupported value: ${JSON.stringify(type)}: supported values: "Normal", "Warning"` });
  const involvedNamespace = text(involved.namespace) ?? namespace;
  if (involvedNamespace !== namespace) causes.push({ field: "involvedObject.namespace", message: "does not match event.namespace" });
  if (kind === undefined || name === undefined || causes.length > 0) throw new StoreError("Invalid", `Event is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(", ")}`, causes);
  const source = isRecord(body.source) ? body.source : {};
  const uid = text(involved.uid);
  return {
    involvedObject: { apiVersion: text(involved.apiVersion) ?? "", kind, name, namespace: involvedNamespace, ...(uid === undefined ? {} : { uid }) },
    type: type === "Warning" ? "Warning" : "Normal",
    reason: text(body.reason) ?? "",
    message: text(body.message) ?? "",
    component: text(source.component) ?? text(body.reportingComponent) ?? "",
  };
}

/** A stored event as the core/v1 Event a client reads. */
export function eventObject(namespace: string, event: StoredEvent): Record<string, unknown> {
  const name = eventName(namespace, event);
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name, namespace, uid: name, creationTimestamp: event.firstTimestamp },
    involvedObject: { namespace, ...event.involvedObject },
    type: event.type,
    reason: event.reason,
    message: event.message,
    source: { component: event.component },
    reportingComponent: event.component,
    count: event.count,
    firstTimestamp: event.firstTimestamp,
    lastTimestamp: event.lastTimestamp,
  };
}

const sameEvent = (a: EventRecord, b: EventRecord): boolean =>
  a.type === b.type && a.reason === b.reason && a.message === b.message && a.component === b.component && (a.involvedObject.uid ?? "") === (b.involvedObject.uid ?? "");

async function record(store: ResourceStore, namespace: string, body: Record<string, unknown>, res: ServerResponse): Promise<void> {
  const event = recordOf(namespace, body);
  await store.recordEvent(namespace, event);
  // Answer with the aggregate the event landed in, as the API server answers with what it stored.
  const stored = (await store.listEvents(namespace, event.involvedObject)).filter((candidate) => sameEvent(candidate, event)).at(-1);
  sendJson(res, 201, stored === undefined ? body : eventObject(namespace, stored));
}

async function list(store: ResourceStore, namespace: string, url: URL, res: ServerResponse): Promise<void> {
  const fields = parseEqualitySelector(url.searchParams.get("fieldSelector"), "field selector");
  refuseFields(fields, SELECTABLE, "events");
  const kind = fields["involvedObject.kind"];
  const name = fields["involvedObject.name"];
  if (kind === undefined || name === undefined) {
    throw new StoreError("BadRequest", "events are listed per object here: set the field selector involvedObject.kind=…,involvedObject.name=…");
  }
  const events = (await store.listEvents(namespace, { kind, name })).filter(
    (event) =>
      (fields["involvedObject.namespace"] ?? namespace) === namespace &&
      (fields["involvedObject.uid"] === undefined || event.involvedObject.uid === undefined || event.involvedObject.uid === fields["involvedObject.uid"]) &&
      (fields["involvedObject.apiVersion"] === undefined || event.involvedObject.apiVersion === fields["involvedObject.apiVersion"]) &&
      (fields.reason === undefined || event.reason === fields.reason) &&
      (fields.type === undefined || event.type === fields.type),
  );
  sendJson(res, 200, { apiVersion: "v1", kind: "EventList", metadata: { resourceVersion: "" }, items: events.map((event) => eventObject(namespace, event)) });
}

export async function handleEvents(request: EventsRequest): Promise<void> {
  const { store, namespace, name, url, req, res } = request;
  const watch = url.searchParams.get("watch");
  if (namespace !== undefined && name === undefined && watch !== "true" && watch !== "1") {
    if (req.method === "POST") return record(store, namespace, await readJsonObject(req), res);
    if (req.method === "GET") return list(store, namespace, url, res);
  }
  throw new HttpError(405, "MethodNotAllowed", "events here can be created and listed per namespace and object, nothing else");
}
