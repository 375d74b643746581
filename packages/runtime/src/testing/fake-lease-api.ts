// Test-only: a tiny Kubernetes API server for coordination.k8s.io/v1 Leases over real HTTP, with
// the API server's resourceVersion semantics (it delegates them to MemoryLeaseStore).
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import type { V1Lease } from "@kubernetes/client-node";
import { leaseToRecord } from "../kubernetes-lease-store.js";
import { ConflictError, NotFoundError } from "../lease-store.js";
import type { LeaseRecord } from "../lease-store.js";
import { MemoryLeaseStore } from "../memory-lease-store.js";

const ITEM = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases\/([^/?]+)(?:\?.*)?$/;
const COLLECTION = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases\/?(?:\?.*)?$/;

/** A running fake API server. */
export interface FakeLeaseApi {
  readonly url: string;
  readonly store: MemoryLeaseStore;
  /** Every request as `METHOD path`. */
  readonly requests: string[];
  /** A kubeconfig pointing at this server. */
  kubeConfig(): KubeConfig;
  /** The next `count` requests get this HTTP status (a Status body) instead of an answer. */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

function toJson(record: LeaseRecord): Record<string, unknown> {
  // Times are written as stored (text), so microseconds survive like on a real API server.
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name: record.name, namespace: record.namespace, resourceVersion: record.resourceVersion },
    spec: {
      holderIdentity: record.holderIdentity,
      leaseDurationSeconds: record.leaseDurationSeconds,
      acquireTime: record.acquireTime,
      renewTime: record.renewTime,
      leaseTransitions: record.leaseTransitions,
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(body));
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  send(res, code, { apiVersion: "v1", kind: "Status", status: "Failure", reason, message, code });
}

async function readBody(req: IncomingMessage): Promise<V1Lease> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as V1Lease;
}

/** Starts the fake on 127.0.0.1, port 0. */
export async function startFakeLeaseApi(): Promise<FakeLeaseApi> {
  const store = new MemoryLeaseStore();
  const requests: string[] = [];
  const failures: { status: number; remaining: number }[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? "/";
    requests.push(`${req.method ?? "?"} ${path}`);
    const failure = failures[0];
    if (failure !== undefined) {
      failure.remaining -= 1;
      if (failure.remaining <= 0) failures.shift();
      status(res, failure.status, "InternalError", "injected failure");
      return;
    }
    const item = ITEM.exec(path);
    const collection = COLLECTION.exec(path);
    try {
      if (item !== null && req.method === "GET") {
        const [, namespace = "", name = ""] = item;
        const record = await store.get({ namespace, name });
        if (record === undefined) status(res, 404, "NotFound", `leases.coordination.k8s.io "${name}" not found`);
        else send(res, 200, toJson(record));
      } else if (item !== null && req.method === "PUT") {
        const [, namespace = "", name = ""] = item;
        const body = await readBody(req);
        const record = leaseToRecord(body, { namespace, name });
        send(res, 200, toJson(await store.update({ ...record, namespace, name })));
      } else if (collection !== null && req.method === "POST") {
        const [, namespace = ""] = collection;
        const body = await readBody(req);
        const record = leaseToRecord(body, { namespace, name: body.metadata?.name ?? "" });
        send(res, 201, toJson(await store.create({ ...record, namespace })));
      } else {
        status(res, 404, "NotFound", `no route for ${req.method ?? "?"} ${path}`);
      }
    } catch (error) {
      if (error instanceof ConflictError) status(res, 409, "Conflict", error.message);
      else if (error instanceof NotFoundError) status(res, 404, "NotFound", error.message);
      else status(res, 500, "InternalError", error instanceof Error ? error.message : String(error));
    }
  }

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    store,
    requests,
    kubeConfig() {
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: "fake", server: url, skipTLSVerify: true }],
        users: [{ name: "fake", token: "test-token" }],
        contexts: [{ name: "fake", cluster: "fake", user: "fake", namespace: "spreadops" }],
        currentContext: "fake",
      });
      return kc;
    },
    failNext(code, count = 1) {
      failures.push({ status: code, remaining: count });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error === undefined) resolve();
          else reject(error);
        });
      }),
  };
}
