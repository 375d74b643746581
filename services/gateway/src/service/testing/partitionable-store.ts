import type { LeaseKey, LeaseRecord, LeaseStore } from "@spreadops/runtime";
import { TransientLeaseError } from "@spreadops/runtime";

/**
 * One replica's view of a shared lease store that can be cut off: while `partitioned`, every
 * call fails as if the API server were unreachable from this replica only (the other replica,
 * using the shared store directly, still reaches it).
 */
export class PartitionableStore implements LeaseStore {
  readonly #inner: LeaseStore;
  partitioned = false;

  constructor(inner: LeaseStore) {
    this.#inner = inner;
  }

  get(key: LeaseKey): Promise<LeaseRecord | undefined> {
    return this.#gate(() => this.#inner.get(key));
  }

  create(record: LeaseRecord): Promise<LeaseRecord> {
    return this.#gate(() => this.#inner.create(record));
  }

  update(record: LeaseRecord): Promise<LeaseRecord> {
    return this.#gate(() => this.#inner.update(record));
  }

  #gate<T>(call: () => Promise<T>): Promise<T> {
    return this.partitioned ? Promise.reject(new TransientLeaseError("partitioned from the API server")) : call();
  }
}
