/**
 * The platform's clock as the browser sees it. Status times (lastScanTime, condition times) are
 * written on the controller's clock, which in the all-in-one outside market hours is the
 * simulator's market time, hours away from the wall clock; ages ("3m ago") are computed against
 * it. Read once from GetConsoleInfo (retried until it answers); the offset does not drift.
 */
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { useClients } from "./context";

const PlatformOffsetContext = createContext(0);

export function PlatformClockProvider({ children }: { children: ReactNode }) {
  const clients = useClients();
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const sent = Date.now();
        const info = await clients.console.getConsoleInfo({});
        const received = Date.now();
        if (!stopped && info.platformTime !== undefined) setOffset(timestampMs(info.platformTime) - (sent + received) / 2);
      } catch {
        if (!stopped) timer = setTimeout(() => { void load(); }, 5_000);
      }
    };
    void load();
    return () => { stopped = true; clearTimeout(timer); };
  }, [clients]);
  return <PlatformOffsetContext.Provider value={offset}>{children}</PlatformOffsetContext.Provider>;
}

/** Milliseconds to add to Date.now() to get the platform's time. */
export function usePlatformOffset(): number {
  return useContext(PlatformOffsetContext);
}
