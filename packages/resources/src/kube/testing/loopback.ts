// Test-only: a ResourceStore served by the store API on loopback, and a KubernetesResourceStore
// talking to it over real HTTP — the all-in-one's path end to end.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import type { ResourceStore, ResourceType } from "../../store/types.js";
import { KubernetesResourceStore } from "../kubernetes-store.js";
import { storeApiKubeConfig } from "../store-api/kubeconfig.js";
import { startStoreApiServer } from "../store-api/server.js";
import type { StoreApiListenOptions, StoreApiServer } from "../store-api/server.js";

export const TEST_TOKEN = "test-token-0123456789";

export interface Loopback {
  readonly api: StoreApiServer;
  readonly kubeConfig: KubeConfig;
  /** The client: a KubernetesResourceStore pointed at `api`. */
  readonly client: KubernetesResourceStore;
  /** Errors the server kept from its clients (non-StoreErrors). */
  readonly internalErrors: unknown[];
  close(): Promise<void>;
}

export const caOf = (api: StoreApiServer): { certificateAuthority?: string } =>
  api.certificateAuthority === undefined ? {} : { certificateAuthority: api.certificateAuthority };

export async function startLoopback(
  backend: ResourceStore,
  types: readonly ResourceType[],
  namespace = "default",
  extra: Partial<StoreApiListenOptions> = {},
): Promise<Loopback> {
  const internalErrors: unknown[] = [];
  const api = await startStoreApiServer({ store: backend, types, token: TEST_TOKEN, onInternalError: (error) => internalErrors.push(error), ...extra });
  const kubeConfig = storeApiKubeConfig({ server: api.url, token: TEST_TOKEN, namespace, ...caOf(api) });
  return { api, kubeConfig, client: new KubernetesResourceStore(kubeConfig), internalErrors, close: () => api.close() };
}

export interface RawResponse {
  status: number;
  body: unknown;
  contentType: string | undefined;
}

/** A raw request to the store API, as kubectl or curl would send it (trusting the API's CA). */
export async function request(
  api: StoreApiServer,
  method: string,
  path: string,
  options: { body?: unknown; contentType?: string; token?: string | null; accept?: string } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = {};
  if (options.accept !== undefined) headers.accept = options.accept;
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? TEST_TOKEN}`;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload !== undefined) {
    headers["content-type"] = options.contentType ?? "application/json";
    // Node frames a DELETE body only when told its length.
    headers["content-length"] = String(Buffer.byteLength(payload));
  }
  const send = api.url.startsWith("https:") ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(`${api.url}${path}`, { method, headers, ...(api.certificateAuthority === undefined ? {} : { ca: api.certificateAuthority }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, body: text === "" ? undefined : (JSON.parse(text) as unknown), contentType: res.headers["content-type"] });
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** A raw watch stream: its status and the parsed lines so far. */
export interface RawWatch {
  readonly status: number;
  readonly lines: { type: string; object: Record<string, unknown> }[];
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  /** Hangs up, as kubectl does on Ctrl-C. */
  close(): void;
}

export async function openWatch(api: StoreApiServer, path: string, accept?: string): Promise<RawWatch> {
  const send = api.url.startsWith("https:") ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      `${api.url}${path}`,
      { headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(accept === undefined ? {} : { accept }) }, ...(api.certificateAuthority === undefined ? {} : { ca: api.certificateAuthority }) },
      (res) => {
        const lines: RawWatch["lines"] = [];
        let buffered = "";
        const ended = new Promise<void>((done) => {
          res.on("end", done);
          res.on("close", done);
        });
        res.on("data", (chunk: Buffer) => {
          buffered += chunk.toString("utf8");
          const parts = buffered.split("\n");
          buffered = parts.pop() ?? "";
          for (const part of parts) if (part !== "") lines.push(JSON.parse(part) as RawWatch["lines"][number]);
        });
        resolve({ status: res.statusCode ?? 0, lines, ended, close: () => req.destroy() });
      },
    );
    req.on("error", (error) => {
      // A hang-up we asked for is not a failure.
      if (!req.destroyed) reject(error);
    });
    req.end();
  });
}
