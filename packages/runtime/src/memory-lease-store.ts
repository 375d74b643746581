import type { Clock as RuntimeClock } from "./clock.js";

/** The part of the clock used here. */
type Clock = Pick<RuntimeClock, "now" | "sleep">;
import { ConflictError, NotFoundError, TransientLeaseError } from "./lease-store.js";
import type { LeaseKey, LeaseRecord, LeaseStore } from "./lease-store.js";

/** Which store operation an injected failure applies to. */
export type LeaseOperation = "get" | "create" | "update";

/** Options for {@link MemoryLeaseStore}. */
export interface MemoryLeaseStoreOptions {
  /** Needed only for {@link MemoryLeaseStore.setLatency}: latency is slept on this clock. */
  readonly clock?: Clock;
}

interface InjectedFailure {
  readonly operations: readonly LeaseOperation[];
  remaining: number;
  readonly error: () => Error;
}

function keyOf(key: LeaseKey): string {
  return `${key.namespace}/${key.name}`;
}

/**
 * Leases in memory with the API server's optimistic concurrency: a store-wide, monotonically
 * increasing resourceVersion set on every write; create fails with {@link ConflictError} if the
 * Lease exists; update fails with it unless it carries the current resourceVersion. Test hooks
 * inject failures and latency. Also usable as the store of a single-process, laptop setup.
 */
export class MemoryLeaseStore implements LeaseStore {
  readonly #leases = new Map<string, LeaseRecord>();
  readonly #failures: InjectedFailure[] = [];
  readonly #clock: Clock | undefined;
  #version = 0;
  #latencyMs = 0;

  constructor(options: MemoryLeaseStoreOptions = {}) {
    this.#clock = options.clock;
  }

  async get(key: LeaseKey): Promise<LeaseRecord | undefined> {
    await this.#before("get");
    return this.#leases.get(keyOf(key));
  }

  async create(record: LeaseRecord): Promise<LeaseRecord> {
    await this.#before("create");
    const key = keyOf(record);
    if (this.#leases.has(key)) throw new ConflictError(`lease ${key} already exists`);
    return this.#write(key, record);
  }

  async update(record: LeaseRecord): Promise<LeaseRecord> {
    await this.#before("update");
    const key = keyOf(record);
    const current = this.#leases.get(key);
    if (current === undefined) throw new NotFoundError(`lease ${key} not found`);
    if (record.resourceVersion !== current.resourceVersion) {
      throw new ConflictError(
        `lease ${key}: resourceVersion ${record.resourceVersion ?? "(none)"} is stale, current is ${current.resourceVersion ?? ""}`,
      );
    }
    return this.#write(key, record);
  }

  /** The stored Lease without side effects (no latency, no injected failures): for assertions. */
  peek(key: LeaseKey): LeaseRecord | undefined {
    return this.#leases.get(keyOf(key));
  }

  /** Removes a Lease, as `kubectl delete lease` would. */
  delete(key: LeaseKey): boolean {
    return this.#leases.delete(keyOf(key));
  }

  /**
   * The next `count` calls of the given operations fail with `error()` (default: a
   * {@link TransientLeaseError}). Failures queue up in the order they were injected.
   */
  failNext(
    operations: LeaseOperation | readonly LeaseOperation[],
    count = 1,
    error: () => Error = () => new TransientLeaseError("injected failure"),
  ): void {
    this.#failures.push({ operations: typeof operations === "string" ? [operations] : operations, remaining: count, error });
  }

  /** Every operation first waits this long on the clock given to the constructor. */
  setLatency(ms: number): void {
    if (ms > 0 && this.#clock === undefined) throw new Error("MemoryLeaseStore: latency needs a clock");
    this.#latencyMs = ms;
  }

  async #before(operation: LeaseOperation): Promise<void> {
    if (this.#latencyMs > 0 && this.#clock !== undefined) await this.#clock.sleep(this.#latencyMs);
    const failure = this.#failures.find((f) => f.remaining > 0 && f.operations.includes(operation));
    if (failure === undefined) return;
    failure.remaining -= 1;
    if (failure.remaining === 0) this.#failures.splice(this.#failures.indexOf(failure), 1);
    throw failure.error();
  }

  #write(key: string, record: LeaseRecord): LeaseRecord {
    this.#version += 1;
    // Frozen copies: a caller mutating what it got back must not change the stored Lease.
    const stored: LeaseRecord = Object.freeze({ ...record, resourceVersion: String(this.#version) });
    this.#leases.set(key, stored);
    return stored;
  }
}
