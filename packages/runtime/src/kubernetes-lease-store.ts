import { ApiException, CoordinationV1Api, KubeConfig, V1Lease, V1LeaseSpec, V1MicroTime, V1ObjectMeta } from "@kubernetes/client-node";
import { ConflictError, LeaseStoreError, NotFoundError, TransientLeaseError, formatMicroTime } from "./lease-store.js";
import type { LeaseKey, LeaseRecord, LeaseStore } from "./lease-store.js";

/** The three calls of `CoordinationV1Api` the store uses: a seam for tests. */
export type LeaseApi = Pick<CoordinationV1Api, "readNamespacedLease" | "createNamespacedLease" | "replaceNamespacedLease">;

/**
 * MicroTime as text. client-node types it as a Date subclass, but its deserializer does not know
 * the type and hands back the JSON string; accept both.
 */
function microTimeText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value instanceof Date) return formatMicroTime(value.getTime());
  return undefined;
}

/** Text → client-node's MicroTime, which serializes with six fractional digits. */
function toMicroTime(text: string | undefined): V1MicroTime | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new V1MicroTime(ms);
}

/** A V1Lease as a {@link LeaseRecord}. */
export function leaseToRecord(lease: V1Lease, key: LeaseKey): LeaseRecord {
  const spec = lease.spec ?? new V1LeaseSpec();
  return {
    namespace: lease.metadata?.namespace ?? key.namespace,
    name: lease.metadata?.name ?? key.name,
    resourceVersion: lease.metadata?.resourceVersion,
    holderIdentity: spec.holderIdentity,
    leaseDurationSeconds: spec.leaseDurationSeconds,
    acquireTime: microTimeText(spec.acquireTime),
    renewTime: microTimeText(spec.renewTime),
    leaseTransitions: spec.leaseTransitions,
  };
}

/** A {@link LeaseRecord} as the V1Lease body of a create or replace. */
export function recordToLease(record: LeaseRecord): V1Lease {
  // Instances, not object literals: the generated model classes are what the client expects.
  const metadata = new V1ObjectMeta();
  metadata.name = record.name;
  metadata.namespace = record.namespace;
  if (record.resourceVersion !== undefined) metadata.resourceVersion = record.resourceVersion;
  const spec = new V1LeaseSpec();
  spec.holderIdentity = record.holderIdentity;
  spec.leaseDurationSeconds = record.leaseDurationSeconds;
  spec.acquireTime = toMicroTime(record.acquireTime);
  spec.renewTime = toMicroTime(record.renewTime);
  spec.leaseTransitions = record.leaseTransitions;
  const lease = new V1Lease();
  lease.apiVersion = "coordination.k8s.io/v1";
  lease.kind = "Lease";
  lease.metadata = metadata;
  lease.spec = spec;
  return lease;
}

function statusMessage(body: unknown): string | undefined {
  if (typeof body === "object" && body !== null && "message" in body && typeof body.message === "string") return body.message;
  if (typeof body === "string" && body !== "") return body;
  return undefined;
}

/** HTTP status → typed error: 409 conflict, 404 not found, 429/5xx transient, other 4xx not. */
function mapError(error: unknown, what: string): LeaseStoreError {
  if (error instanceof ApiException) {
    const code = (error as ApiException<unknown>).code;
    const body: unknown = (error as ApiException<unknown>).body;
    const message = `${what}: HTTP ${code}${statusMessage(body) === undefined ? "" : `: ${statusMessage(body) ?? ""}`}`;
    if (code === 409) return new ConflictError(message, { cause: error });
    if (code === 404) return new NotFoundError(message, { cause: error });
    if (code === 429 || code >= 500) return new TransientLeaseError(message, { cause: error });
    return new LeaseStoreError(message, { cause: error });
  }
  // No HTTP status: connection refused, reset, DNS, timeouts — all worth retrying.
  return new TransientLeaseError(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** {@link LeaseStore} over the Kubernetes API (`coordination.k8s.io/v1` Leases). */
export class KubernetesLeaseStore implements LeaseStore {
  readonly #api: LeaseApi;

  constructor(api: LeaseApi) {
    this.#api = api;
  }

  async get(key: LeaseKey): Promise<LeaseRecord | undefined> {
    try {
      return leaseToRecord(await this.#api.readNamespacedLease({ name: key.name, namespace: key.namespace }), key);
    } catch (error) {
      const mapped = mapError(error, `reading lease ${key.namespace}/${key.name}`);
      if (mapped instanceof NotFoundError) return undefined;
      throw mapped;
    }
  }

  async create(record: LeaseRecord): Promise<LeaseRecord> {
    const body = recordToLease({ ...record, resourceVersion: undefined });
    try {
      return leaseToRecord(await this.#api.createNamespacedLease({ namespace: record.namespace, body }), record);
    } catch (error) {
      throw mapError(error, `creating lease ${record.namespace}/${record.name}`);
    }
  }

  async update(record: LeaseRecord): Promise<LeaseRecord> {
    // Without a resourceVersion the API server would replace unconditionally: never do that.
    if (record.resourceVersion === undefined) throw new ConflictError(`updating lease ${record.namespace}/${record.name}: no resourceVersion`);
    try {
      return leaseToRecord(
        await this.#api.replaceNamespacedLease({ name: record.name, namespace: record.namespace, body: recordToLease(record) }),
        record,
      );
    } catch (error) {
      throw mapError(error, `updating lease ${record.namespace}/${record.name}`);
    }
  }
}

/**
 * A {@link KubernetesLeaseStore} for a kubeconfig; without one, the default resolution
 * (`KUBECONFIG`, `~/.kube/config`, or the in-cluster service account).
 */
export function createKubernetesLeaseStore(kubeConfig?: KubeConfig): KubernetesLeaseStore {
  let config = kubeConfig;
  if (config === undefined) {
    config = new KubeConfig();
    config.loadFromDefault();
  }
  return new KubernetesLeaseStore(config.makeApiClient(CoordinationV1Api));
}
