import { createServer as createHttpServer } from "node:http";
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { ResourceStore, ResourceType } from "../../store/types.js";
import { hasBearerToken } from "./auth.js";
import { coreResources, coreVersions, group, groupList, groupResources, openapiGroupVersion, openapiRoot, versionInfo } from "./discovery.js";
import { handleEvents } from "./events.js";
import { sendJson } from "./http-io.js";
import { handleResource } from "./resources.js";
import { createSelfSignedCertificate } from "./self-signed.js";
import type { CertificateAndKey } from "./self-signed.js";
import type { PrinterColumn } from "./table.js";
import { TypeRegistry, route } from "./routes.js";
import type { Route } from "./routes.js";
import { HttpError, statusOfError } from "./status.js";
import type { StatusDetails } from "./status.js";

export interface StoreApiOptions {
  store: ResourceStore;
  /** The custom resource types served (discovery lists exactly these). */
  types: readonly ResourceType[];
  /** Required as `Authorization: Bearer <token>` when set. */
  token?: string;
  /**
   * Printer columns by CRD name (`plural.group`, e.g. "strategies.trading.spreadops.dev"), from
   * the CRDs' additionalPrinterColumns: `kubectl get` then shows them as on a cluster.
   */
  printerColumns?: Readonly<Record<string, readonly PrinterColumn[]>>;
  /** Store failures that are not StoreErrors: clients only see "internal error", the log sees this. */
  onInternalError?: (error: unknown) => void;
}

export interface StoreApiListenOptions extends StoreApiOptions {
  /** Default 127.0.0.1: the store API is for this machine unless asked otherwise. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /**
   * Default: https with a fresh self-signed certificate, because kubectl sends a bearer token
   * only over TLS. `false` serves plain http (tests; no token reaches kubectl that way).
   */
  tls?: CertificateAndKey | false;
}

export interface StoreApiServer {
  /** `https://host:port` (or http), the kubeconfig's cluster server. */
  readonly url: string;
  /** PEM of the certificate to trust (the kubeconfig's certificate-authority-data); none over http. */
  readonly certificateAuthority: string | undefined;
  readonly server: Server;
  /** Ends every open watch and stops listening. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

const GET_ONLY = new Set(["version", "coreVersions", "coreResources", "groups", "group", "groupResources", "openapiRoot", "openapiGroupVersion"]);

function discovery(registry: TypeRegistry, target: Route): unknown {
  switch (target.kind) {
    case "version": return versionInfo();
    case "coreVersions": return coreVersions();
    case "coreResources": return coreResources();
    case "groups": return groupList(registry);
    case "group": return group(registry, target.group);
    case "groupResources": return groupResources(registry, target.group, target.version);
    case "openapiRoot": return openapiRoot(registry);
    case "openapiGroupVersion": return openapiGroupVersion(registry, target.group, target.version);
    default: return undefined;
  }
}

function detailsOf(target: Route): StatusDetails {
  if (target.kind !== "resource") return {};
  return { group: target.type.group, kind: target.type.plural, ...(target.name === undefined ? {} : { name: target.name }) };
}

async function dispatch(options: StoreApiOptions, registry: TypeRegistry, target: Route, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (GET_ONLY.has(target.kind)) {
    if (req.method !== "GET") throw new HttpError(405, "MethodNotAllowed", "discovery is read-only");
    sendJson(res, 200, discovery(registry, target));
    return;
  }
  if (target.kind === "resource") {
    const columns = options.printerColumns?.[`${target.type.plural}.${target.type.group}`];
    await handleResource({ store: options.store, type: target.type, ...withDefined(target), ...(columns === undefined ? {} : { columns }), url, req, res });
    return;
  }
  if (target.kind === "events") {
    await handleEvents({ store: options.store, ...withDefined(target), url, req, res });
    return;
  }
  throw new HttpError(404, "NotFound", "the server could not find the requested resource");
}

/** Only the route's defined namespace/name/subresource, so optional fields stay absent. */
function withDefined(target: { namespace?: string; name?: string; subresource?: "status" }): { namespace?: string; name?: string; subresource?: "status" } {
  return {
    ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
    ...(target.name === undefined ? {} : { name: target.name }),
    ...(target.subresource === undefined ? {} : { subresource: target.subresource }),
  };
}

/**
 * The request handler of a store API: any ResourceStore on the REST paths of the Kubernetes API
 * (custom resources, Events, discovery), so the KubernetesResourceStore — and kubectl — work
 * against the all-in-one's embedded store exactly as against a cluster.
 */
export function createStoreApiHandler(options: StoreApiOptions): RequestListener {
  const registry = new TypeRegistry(options.types);
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://store-api");
    let target: Route = { kind: "unknown" };
    const answer = async (): Promise<void> => {
      if (options.token !== undefined && !hasBearerToken(req, options.token)) throw new HttpError(401, "Unauthorized", "Unauthorized");
      target = route(registry, url.pathname);
      await dispatch(options, registry, target, url, req, res);
    };
    answer().catch((error: unknown) => {
      const status = statusOfError(error, detailsOf(target));
      if (status.code === 500) options.onInternalError?.(error);
      if (res.headersSent) res.end();
      else sendJson(res, status.code, status);
    });
  };
}

/** Starts a store API on `host:port` (127.0.0.1, a free port and https by default). */
export async function startStoreApiServer(options: StoreApiListenOptions): Promise<StoreApiServer> {
  const host = options.host ?? "127.0.0.1";
  if (options.token === undefined && !LOOPBACK.has(host)) {
    throw new Error(`the store API would serve ${host} without a token: set one, or bind to 127.0.0.1`);
  }
  // Valid for loopback always, and for the bound address when it is another one.
  const tls = options.tls ?? createSelfSignedCertificate({ hosts: [...new Set(["127.0.0.1", "::1", "localhost", host])] });
  const handler = createStoreApiHandler(options);
  const server: Server = tls === false ? createHttpServer(handler) : createHttpsServer({ cert: tls.cert, key: tls.key }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostname = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `${tls === false ? "http" : "https"}://${hostname}:${address.port}`,
    certificateAuthority: tls === false ? undefined : tls.cert,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
        // Watches never end on their own: cut them so close() returns.
        server.closeAllConnections();
      }),
  };
}

