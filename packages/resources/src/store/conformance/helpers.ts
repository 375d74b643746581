import { expect } from "vitest";
import { isStoreError } from "../types.js";
import type { KubeObject, ResourceStore, ResourceType, StoreErrorReason, WatchEvent, WatchHandle } from "../types.js";

/** Awaits `promise` and asserts it failed with a StoreError of `reason`; returns the error. */
export async function expectStoreError(promise: Promise<unknown>, reason: StoreErrorReason): Promise<Error> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a StoreError ${reason}`).toBeInstanceOf(Error);
  const detail = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
  expect(isStoreError(caught, reason), `expected ${reason}, got ${detail}`).toBe(true);
  return caught as Error;
}

/**
 * Polls `check` until it stops throwing or the deadline passes (then its last error is thrown):
 * a cluster's garbage collector and watch delivery are asynchronous.
 */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 20_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A watch whose events and close are recorded for assertions. */
export interface RecordedWatch {
  readonly events: WatchEvent<KubeObject>[];
  closedWith: Error | undefined;
  /** Set when `watch()` itself rejected. */
  failedWith: Error | undefined;
  readonly handle: WatchHandle | undefined;
  /** (type, name) of the events about the given names, in order. */
  about(names: readonly string[]): { type: string; name: string; resourceVersion: string | undefined }[];
}

export async function recordWatch(store: ResourceStore, type: ResourceType, namespace: string, resourceVersion: string): Promise<RecordedWatch> {
  const recorded: RecordedWatch = {
    events: [],
    closedWith: undefined,
    failedWith: undefined,
    handle: undefined,
    about(names) {
      return this.events
        .filter((event) => names.includes(event.object.metadata.name))
        .map((event) => ({ type: event.type, name: event.object.metadata.name, resourceVersion: event.object.metadata.resourceVersion }));
    },
  };
  try {
    const handle = await store.watch(type, namespace, {
      resourceVersion,
      onEvent: (event) => {
        recorded.events.push(event);
      },
      onClose: (error) => {
        recorded.closedWith = error;
      },
    });
    (recorded as { handle: WatchHandle | undefined }).handle = handle;
  } catch (error) {
    recorded.failedWith = error instanceof Error ? error : new Error(String(error));
  }
  return recorded;
}
