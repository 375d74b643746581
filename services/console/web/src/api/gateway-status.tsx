/**
 * The gateway's connection status for the whole app (header mode badge, Connection view), from
 * one GatewayService.WatchConnectionStatus stream.
 */
import type { ConnectionStatus, WatchConnectionStatusResponse } from "@spreadops/api";
import { createContext, useCallback, useContext, useState, type ReactNode } from "react";
import { useClients } from "./context";
import { useLiveStream, type LiveStreamHandle } from "./use-live-stream";

export interface GatewayStatusValue {
  readonly status: ConnectionStatus | undefined;
  readonly stream: LiveStreamHandle;
}

const GatewayStatusContext = createContext<GatewayStatusValue | undefined>(undefined);

export function GatewayStatusProvider({ children }: { children: ReactNode }) {
  const clients = useClients();
  const [status, setStatus] = useState<ConnectionStatus | undefined>(undefined);
  const open = useCallback((signal: AbortSignal, opened: () => void) => clients.gateway.watchConnectionStatus({}, { signal, onHeader: opened }), [clients]);
  const onMessage = useCallback((m: WatchConnectionStatusResponse) => { setStatus(m.status); }, []);
  const stream = useLiveStream("gateway", "connection-status", open, onMessage);
  return <GatewayStatusContext.Provider value={{ status, stream }}>{children}</GatewayStatusContext.Provider>;
}

export function useGatewayStatus(): GatewayStatusValue {
  const value = useContext(GatewayStatusContext);
  if (value === undefined) throw new Error("useGatewayStatus outside GatewayStatusProvider");
  return value;
}
