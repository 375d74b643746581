/**
 * What the console knows about the services behind it: every open stream reports its state, and
 * the banner shows each source that is not live. One registry per app, handed down by context.
 */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";
import type { StreamState } from "./live-stream";

export interface SourceHealth {
  readonly source: string;
  /** The worst state among the source's streams. */
  readonly state: StreamState;
}

export class HealthRegistry {
  readonly #streams = new Map<string, { source: string; state: StreamState }>();
  readonly #listeners = new Set<() => void>();
  #snapshot: readonly SourceHealth[] = [];

  report(id: string, source: string, state: StreamState): void {
    this.#streams.set(id, { source, state });
    this.#publish();
  }

  forget(id: string): void {
    if (this.#streams.delete(id)) this.#publish();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Sources in a stable order; the worst stream of each wins (retrying > connecting > live). */
  snapshot = (): readonly SourceHealth[] => this.#snapshot;

  #publish(): void {
    const rank = { live: 0, connecting: 1, retrying: 2 } as const;
    const bySource = new Map<string, StreamState>();
    for (const { source, state } of this.#streams.values()) {
      const current = bySource.get(source);
      if (current === undefined || rank[state.status] > rank[current.status]) bySource.set(source, state);
    }
    this.#snapshot = [...bySource.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([source, state]) => ({ source, state }));
    for (const listener of this.#listeners) listener();
  }
}

const HealthContext = createContext<HealthRegistry | undefined>(undefined);

export function HealthProvider({ registry, children }: { registry: HealthRegistry; children: ReactNode }) {
  return <HealthContext.Provider value={registry}>{children}</HealthContext.Provider>;
}

export function useHealth(): HealthRegistry {
  const registry = useContext(HealthContext);
  if (registry === undefined) throw new Error("useHealth outside HealthProvider");
  return registry;
}

export function useHealthSnapshot(): readonly SourceHealth[] {
  const registry = useHealth();
  return useSyncExternalStore(registry.subscribe, registry.snapshot);
}
