import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { StoreError, apiVersionOf, isStoreError } from "../../store/types.js";
import type { DeleteOptions, KubeObject, ResourceStore, ResourceType } from "../../store/types.js";
import { isKubeObject, isRecord } from "../objects.js";
import { mediaType, readJsonObject, sendJson } from "./http-io.js";
import { matchesLabels, parseEqualitySelector, refuseFields } from "./selectors.js";
import { HttpError, success } from "./status.js";
import { includeObjectOf, tableOf, wantsTable } from "./table.js";
import type { PrinterColumn } from "./table.js";
import { serveWatch } from "./watch-stream.js";

/** One request on `/apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}[/status]]`. */
export interface ResourceRequest {
  store: ResourceStore;
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: "status";
  /** The type's printer columns: with them, `kubectl get` is answered with a Table. */
  columns?: readonly PrinterColumn[];
  url: URL;
  req: IncomingMessage;
  res: ServerResponse;
}

const MERGE_PATCH = "application/merge-patch+json";

/**
 * Checks a body against the path it was sent to and fills what the path implies, with the API
 * server's answers: apiVersion/kind must be the type's, the namespace and name the path's.
 */
function objectForPath(body: Record<string, unknown>, request: ResourceRequest): KubeObject {
  const { type, namespace, name } = request;
  const apiVersion = body.apiVersion ?? apiVersionOf(type);
  const kind = body.kind ?? type.kind;
  if (apiVersion !== apiVersionOf(type) || kind !== type.kind) {
    throw new StoreError("BadRequest", `the object is ${JSON.stringify(apiVersion)} ${JSON.stringify(kind)}, not ${apiVersionOf(type)}/${type.kind} as the path says`);
  }
  const metadata = isRecord(body.metadata) ? { ...body.metadata } : {};
  if (type.namespaced) {
    metadata.namespace ??= namespace;
    if (metadata.namespace !== namespace) throw new StoreError("BadRequest", "the namespace of the provided object does not match the namespace sent on the request");
  }
  if (name !== undefined) {
    metadata.name ??= name;
    if (metadata.name !== name) throw new StoreError("BadRequest", "the name of the object does not match the name on the URL");
  }
  if (metadata.name === undefined && typeof metadata.generateName === "string") {
    metadata.name = `${metadata.generateName}${randomBytes(4).toString("hex").slice(0, 5)}`;
  }
  const object: unknown = { ...body, apiVersion, kind, metadata };
  if (!isKubeObject(object)) throw new StoreError("Invalid", `${type.kind}: name or generateName is required`, [{ field: "metadata.name", message: "Required value: name or generateName is required" }]);
  return object;
}

/** The `metadata.resourceVersion` of a merge patch is a precondition, not a field to write. */
function splitPrecondition(patch: Record<string, unknown>): { patch: Record<string, unknown>; resourceVersion?: string } {
  if (!isRecord(patch.metadata) || typeof patch.metadata.resourceVersion !== "string") return { patch };
  const { resourceVersion, ...metadata } = patch.metadata;
  return { patch: { ...patch, metadata }, resourceVersion };
}

function requirePatchType(req: IncomingMessage): void {
  const type = mediaType(req);
  if (type !== MERGE_PATCH) {
    throw new HttpError(415, "UnsupportedMediaType", `the server only applies JSON merge patches (${MERGE_PATCH}), not ${type}; with kubectl use --type merge`);
  }
}

/** Equality label selector and `metadata.name` / `metadata.namespace` field selectors, as kubectl sends them. */
function selection(url: URL, type: ResourceType): { labels: Record<string, string>; matches?: (object: KubeObject) => boolean } {
  const labels = parseEqualitySelector(url.searchParams.get("labelSelector"), "label selector");
  const fields = parseEqualitySelector(url.searchParams.get("fieldSelector"), "field selector");
  refuseFields(fields, ["metadata.name", "metadata.namespace"], type.plural);
  if (Object.keys(labels).length === 0 && Object.keys(fields).length === 0) return { labels };
  const name = fields["metadata.name"];
  const namespace = fields["metadata.namespace"];
  return {
    labels,
    matches: (object) =>
      matchesLabels(object.metadata.labels, labels) &&
      (name === undefined || object.metadata.name === name) &&
      (namespace === undefined || object.metadata.namespace === namespace),
  };
}

async function deleteOptions(request: ResourceRequest): Promise<DeleteOptions> {
  const length = Number(request.req.headers["content-length"] ?? "0");
  const chunked = request.req.headers["transfer-encoding"] !== undefined;
  const body = length > 0 || chunked ? await readJsonObject(request.req) : {};
  const policy = body.propagationPolicy ?? request.url.searchParams.get("propagationPolicy") ?? "Background";
  const orphan = body.orphanDependents === true || policy === "Orphan";
  if (!orphan && policy !== "Background") throw new StoreError("BadRequest", `propagationPolicy ${JSON.stringify(policy)} is not supported; use Background or Orphan`);
  const preconditions = isRecord(body.preconditions) ? body.preconditions : {};
  return {
    propagation: orphan ? "Orphan" : "Background",
    ...(typeof preconditions.resourceVersion === "string" ? { resourceVersion: preconditions.resourceVersion } : {}),
  };
}

/** Renders objects as a Table when the client asked for one and the type has printer columns. */
function tableRenderer(request: ResourceRequest): ((objects: readonly KubeObject[], resourceVersion?: string) => Record<string, unknown>) | undefined {
  const { columns, req, url } = request;
  if (columns === undefined || !wantsTable(req.headers.accept)) return undefined;
  const include = includeObjectOf(url.searchParams.get("includeObject"));
  return (objects, resourceVersion) => tableOf(objects, columns, { include, now: Date.now(), ...(resourceVersion === undefined ? {} : { resourceVersion }) });
}

async function collection(request: ResourceRequest): Promise<void> {
  const { store, type, namespace, url, req, res } = request;
  if (req.method === "GET") {
    const { labels, matches } = selection(url, type);
    const table = tableRenderer(request);
    const watch = url.searchParams.get("watch");
    if (watch === "true" || watch === "1") {
      const timeout = Number(url.searchParams.get("timeoutSeconds") ?? "");
      await serveWatch(res, {
        store, type, namespace, resourceVersion: url.searchParams.get("resourceVersion"), timeoutSeconds: Number.isFinite(timeout) ? timeout : undefined,
        ...(matches === undefined ? {} : { matches }),
        // A Table watch carries a one-row Table per event, as the API server sends it.
        ...(table === undefined ? {} : { present: (object: KubeObject) => table([object]) }),
      });
      return;
    }
    const list = await store.list(type, namespace, Object.keys(labels).length === 0 ? {} : { labelSelector: labels });
    const items = matches === undefined ? list.items : list.items.filter(matches);
    sendJson(
      res,
      200,
      table === undefined
        ? { apiVersion: apiVersionOf(type), kind: `${type.kind}List`, metadata: { resourceVersion: list.resourceVersion }, items }
        : table(items, list.resourceVersion),
    );
    return;
  }
  if (req.method === "POST" && (namespace !== undefined || !type.namespaced)) {
    sendJson(res, 201, await store.create(type, objectForPath(await readJsonObject(req), request)));
    return;
  }
  throw new HttpError(405, "MethodNotAllowed", `${req.method ?? ""} is not supported on the ${type.plural} collection`);
}

async function item(request: ResourceRequest, name: string): Promise<void> {
  const { store, type, namespace, subresource, req, res } = request;
  switch (req.method) {
    case "GET": {
      const object = await store.get(type, namespace, name);
      const table = tableRenderer(request);
      sendJson(res, 200, table === undefined ? object : table([object]));
      return;
    }
    case "PUT": {
      const object = objectForPath(await readJsonObject(req), request);
      sendJson(res, 200, subresource === "status" ? await store.updateStatus(type, object) : await store.replace(type, object));
      return;
    }
    case "PATCH": {
      requirePatchType(req);
      const { patch, resourceVersion } = splitPrecondition(await readJsonObject(req));
      const options = resourceVersion === undefined ? {} : { resourceVersion };
      if (subresource === "status") {
        // The status subresource writes status only; whatever else the patch carries is ignored.
        const status = patch.status ?? {};
        if (!isRecord(status)) throw new StoreError("BadRequest", "status must be an object");
        sendJson(res, 200, await store.patchStatus(type, namespace, name, { status }, options));
      } else {
        sendJson(res, 200, await store.patch(type, namespace, name, patch, options));
      }
      return;
    }
    case "DELETE": {
      if (subresource === "status") break;
      await store.delete(type, namespace, name, await deleteOptions(request));
      try {
        // Still there: finalizers hold it, and the client sees its deletionTimestamp.
        sendJson(res, 200, await store.get(type, namespace, name));
      } catch (error) {
        if (!isStoreError(error, "NotFound")) throw error;
        sendJson(res, 200, success({ name, group: type.group, kind: type.plural }));
      }
      return;
    }
    default:
      break;
  }
  throw new HttpError(405, "MethodNotAllowed", `${req.method ?? ""} is not supported on ${type.plural}${subresource === undefined ? "" : `/${subresource}`}`);
}

export async function handleResource(request: ResourceRequest): Promise<void> {
  await (request.name === undefined ? collection(request) : item(request, request.name));
}
