/**
 * Strategies and Trades as the store holds them, kept current by ConsoleService.WatchResources
 * (a snapshot, then every change). One stream for the whole app; views read it by context.
 */
import type { JsonObject } from "@bufbuild/protobuf";
import { ResourceChangeType, type WatchResourcesResponse } from "@spreadops/api";
import type { StrategyResource, TradeResource } from "@spreadops/resources/schema";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { useClients } from "./context";
import type { LiveStreamHandle } from "./use-live-stream";
import { useLiveStream } from "./use-live-stream";

export interface ResourcesValue {
  /** By name, sorted by name. */
  readonly strategies: readonly StrategyResource[];
  /** Newest first (creation time). */
  readonly trades: readonly TradeResource[];
  /** False until the first snapshot arrived. */
  readonly loaded: boolean;
  readonly stream: LiveStreamHandle;
}

interface Maps {
  readonly strategies: ReadonlyMap<string, StrategyResource>;
  readonly trades: ReadonlyMap<string, TradeResource>;
  readonly loaded: boolean;
}

const nameOf = (object: { metadata: { name: string } }): string => object.metadata.name;

/** Applies one stream message to the maps; exported for tests. */
export function applyResourceMessage(maps: Maps, message: WatchResourcesResponse): Maps {
  const m = message.message;
  if (m.case === "snapshot") {
    return {
      strategies: new Map(m.value.strategies.map((o: JsonObject) => { const s = o as unknown as StrategyResource; return [nameOf(s), s]; })),
      trades: new Map(m.value.trades.map((o: JsonObject) => { const t = o as unknown as TradeResource; return [nameOf(t), t]; })),
      loaded: true,
    };
  }
  if (m.case !== "change" || m.value.object === undefined) return maps;
  const object = m.value.object as unknown as StrategyResource & TradeResource;
  const deleted = m.value.type === ResourceChangeType.DELETED;
  if (m.value.kind === "Strategy") {
    const next = new Map(maps.strategies);
    if (deleted) next.delete(nameOf(object)); else next.set(nameOf(object), object);
    return { ...maps, strategies: next };
  }
  if (m.value.kind === "Trade") {
    const next = new Map(maps.trades);
    if (deleted) next.delete(nameOf(object)); else next.set(nameOf(object), object);
    return { ...maps, trades: next };
  }
  return maps;
}

const ResourcesContext = createContext<ResourcesValue | undefined>(undefined);

export function ResourcesProvider({ children }: { children: ReactNode }) {
  const clients = useClients();
  const [maps, setMaps] = useState<Maps>({ strategies: new Map(), trades: new Map(), loaded: false });
  const open = useCallback((signal: AbortSignal, opened: () => void) => clients.console.watchResources({}, { signal, onHeader: opened }), [clients]);
  const onMessage = useCallback((message: WatchResourcesResponse) => { setMaps((current) => applyResourceMessage(current, message)); }, []);
  const stream = useLiveStream("store", "resources", open, onMessage);
  const value = useMemo<ResourcesValue>(() => ({
    strategies: [...maps.strategies.values()].sort((a, b) => nameOf(a).localeCompare(nameOf(b))),
    trades: [...maps.trades.values()].sort((a, b) => (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? "") || nameOf(a).localeCompare(nameOf(b))),
    loaded: maps.loaded,
    stream,
  }), [maps, stream]);
  return <ResourcesContext.Provider value={value}>{children}</ResourcesContext.Provider>;
}

export function useResources(): ResourcesValue {
  const value = useContext(ResourcesContext);
  if (value === undefined) throw new Error("useResources outside ResourcesProvider");
  return value;
}
