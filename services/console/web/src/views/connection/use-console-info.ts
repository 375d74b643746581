import type { GetConsoleInfoResponse } from "@spreadops/api";
import { useEffect, useRef, useState } from "react";
import { useClients } from "../../api/context";
import { describeError } from "../../api/live-stream";
import { useResources } from "../../api/resources";

export interface ConsoleInfoState {
  readonly info: GetConsoleInfoResponse | undefined;
  /** When the info was fetched, ms since the epoch. */
  readonly at: number | undefined;
  readonly error: string | undefined;
  readonly loading: boolean;
}

/**
 * GetConsoleInfo, fetched once on mount and again whenever the store stream comes back after a
 * drop (the console may have been restarted, e.g. with another token setting). Not a timer.
 */
export function useConsoleInfo(): ConsoleInfoState {
  const clients = useClients();
  const { stream } = useResources();
  const [state, setState] = useState<ConsoleInfoState>({ info: undefined, at: undefined, error: undefined, loading: true });
  const liveSince = stream.status === "live" ? stream.since : undefined;
  const seenLive = useRef<number | undefined>(undefined);
  const loaded = useRef(false);

  useEffect(() => {
    const reconnected = liveSince !== undefined && seenLive.current !== undefined && seenLive.current !== liveSince;
    if (liveSince !== undefined) seenLive.current = liveSince;
    if (loaded.current && !reconnected) return;
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    clients.console.getConsoleInfo({}, { signal: abort.signal }).then(
      (info) => {
        loaded.current = true;
        setState({ info, at: Date.now(), error: undefined, loading: false });
      },
      (error: unknown) => {
        if (abort.signal.aborted) return;
        setState((s) => ({ ...s, error: describeError(error).message, loading: false }));
      },
    );
    return () => { abort.abort(); };
  }, [clients, liveSince]);

  return state;
}
