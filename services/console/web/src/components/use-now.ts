import { useEffect, useState } from "react";
import { usePlatformOffset } from "../api/platform-clock";

/** The wall clock, re-read every `intervalMs` (ages of store timestamps such as creation; no network). */
export function useWallNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => { setNow(Date.now()); }, intervalMs);
    return () => { clearInterval(timer); };
  }, [intervalMs]);
  return now;
}

/** The platform's clock, re-read every `intervalMs`: status times (lastScanTime, conditions) are written on it. */
export function usePlatformNow(intervalMs: number): number {
  return useWallNow(intervalMs) + usePlatformOffset();
}
