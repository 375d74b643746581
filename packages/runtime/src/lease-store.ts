/**
 * The port through which leader election reads and writes its Lease. The real adapter speaks to
 * the Kubernetes API (`kubernetes-lease-store.ts`); the in-memory one (`memory-lease-store.ts`)
 * has the same optimistic-concurrency rules, so the election can be tested against it.
 */

/** Which Lease: `coordination.k8s.io/v1` Leases are namespaced. */
export interface LeaseKey {
  readonly namespace: string;
  readonly name: string;
}

/**
 * The parts of a `coordination.k8s.io/v1` Lease that leader election uses: its spec plus the
 * resourceVersion that makes updates conditional. Times are Kubernetes MicroTime text (RFC 3339
 * with microseconds, e.g. `2026-01-05T14:30:00.123000Z`), kept as text so a record round-trips
 * unchanged; the election never compares them across machines (see docs/leader-election.md).
 */
export interface LeaseRecord extends LeaseKey {
  /**
   * Set by the store on every write; an update must carry the current one. Absent on a record
   * that is about to be created.
   */
  readonly resourceVersion?: string;
  /** Who holds the lease; empty or absent when nobody does (e.g. after a release). */
  readonly holderIdentity?: string;
  /** How long the holder's claim lasts after its last renewal, as seen by the others. */
  readonly leaseDurationSeconds?: number;
  /** When the current holder acquired the lease. */
  readonly acquireTime?: string;
  /** When the current holder last renewed it, by the holder's clock. */
  readonly renewTime?: string;
  /** How many times the lease changed hands. */
  readonly leaseTransitions?: number;
}

/** Base class of every error a {@link LeaseStore} throws. */
export class LeaseStoreError extends Error {
  override readonly name: string = "LeaseStoreError";
  /** True when trying again later may succeed (timeouts, 5xx, 429, connection errors). */
  readonly transient: boolean;

  constructor(message: string, options: { transient?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.transient = options.transient ?? false;
  }
}

/**
 * Someone else wrote first: create found the Lease already there (HTTP 409 AlreadyExists) or
 * update carried a stale resourceVersion (HTTP 409 Conflict). Re-read and decide again.
 */
export class ConflictError extends LeaseStoreError {
  override readonly name = "ConflictError";
}

/** The Lease does not exist (HTTP 404), e.g. updated after someone deleted it. */
export class NotFoundError extends LeaseStoreError {
  override readonly name = "NotFoundError";
}

/** A failure that may go away on retry: timeouts, 5xx, 429, refused connections. */
export class TransientLeaseError extends LeaseStoreError {
  override readonly name = "TransientLeaseError";

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, transient: true });
  }
}

/**
 * Storage for Leases with optimistic concurrency: every write gets a new resourceVersion and an
 * update only succeeds if it carries the current one.
 */
export interface LeaseStore {
  /** The Lease, or `undefined` if it does not exist. */
  get(key: LeaseKey): Promise<LeaseRecord | undefined>;
  /**
   * Creates the Lease; its `resourceVersion` is ignored.
   * @throws ConflictError when it exists already.
   */
  create(record: LeaseRecord): Promise<LeaseRecord>;
  /**
   * Replaces the Lease if `record.resourceVersion` is still the current one.
   * @throws ConflictError on a stale or missing resourceVersion; NotFoundError if it is gone.
   */
  update(record: LeaseRecord): Promise<LeaseRecord>;
}

/** `2026-01-05T14:30:00.123000Z`: Kubernetes MicroTime for epoch milliseconds. */
export function formatMicroTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/Z$/, "000Z");
}
