import type { KubeObject, StoredEvent } from "./types.js";

/**
 * The embedded store's whole state as persisted: every object, the resourceVersion counter and
 * the events. The watch history is not kept: after a restart, watches from older versions get
 * Gone and relist, exactly as after an etcd compaction.
 */
export interface StoreSnapshot {
  readonly format: 1;
  /** The store-wide counter, so versions keep increasing across restarts. */
  readonly resourceVersion: string;
  /** `resource` is the type's `<plural>.<group>` (or `<plural>` for the core group). */
  readonly objects: readonly { readonly resource: string; readonly object: KubeObject }[];
  readonly events: readonly { readonly namespace: string; readonly name: string; readonly event: StoredEvent }[];
}

/** Where the embedded store keeps its state; injected so the store's core does no I/O. */
export interface StorePersistence {
  /** Where the state lives (e.g. the file path), for error messages. */
  readonly description: string;
  /** The last saved state, or undefined when nothing was ever saved. Fails on an unreadable state. */
  load(): Promise<StoreSnapshot | undefined>;
  /** Saves the state durably; resolves only when it would survive a crash. */
  save(snapshot: StoreSnapshot): Promise<void>;
  /** Releases what the persistence holds (files, locks). */
  close?(): Promise<void>;
}
