/**
 * The Events recorded about one object (a Strategy or a Trade), as the detail pages show them:
 * fetched when the page opens and again whenever the object's resourceVersion changes (no timer),
 * or on request (`reload`).
 */
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { ObjectEvent } from "@spreadops/api";
import { useCallback, useEffect, useState } from "react";
import { useClients } from "../api/context";
import { describeError } from "../api/live-stream";
import { dateTime } from "./format";

export type ObjectEventKind = "Strategy" | "Trade";

export interface ObjectEventsState {
  /** Undefined until the first list arrives; kept (not cleared) while refetching or after a failed refetch. */
  readonly events: readonly ObjectEvent[] | undefined;
  /** When the shown list was fetched, ms since the epoch. */
  readonly at: number | undefined;
  readonly loading: boolean;
  readonly error: string | undefined;
}

export interface ObjectEvents extends ObjectEventsState {
  /** Fetches the list again now. */
  readonly reload: () => void;
}

export function useObjectEvents(kind: ObjectEventKind, name: string, resourceVersion: string | undefined): ObjectEvents {
  const clients = useClients();
  const [state, setState] = useState<ObjectEventsState>({ events: undefined, at: undefined, loading: true, error: undefined });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    clients.console.listObjectEvents({ kind, name }, { signal: abort.signal }).then(
      (response) => { setState({ events: response.events, at: Date.now(), loading: false, error: undefined }); },
      (error: unknown) => {
        if (abort.signal.aborted) return;
        setState((s) => ({ ...s, loading: false, error: describeError(error).message }));
      },
    );
    return () => { abort.abort(); };
  }, [clients, kind, name, resourceVersion, nonce]);
  const reload = useCallback(() => { setNonce((n) => n + 1); }, []);
  return { ...state, reload };
}

/**
 * The error of the last fetch, "No events recorded." once an empty list has arrived, and the
 * events newest first. `className` is the page's horizontal-scroll wrapper class.
 */
export function ObjectEventsTable({ events, testId, className }: { events: ObjectEventsState; testId: string; className: string }) {
  const list = events.events;
  return (
    <>
      {events.error === undefined ? null : <p className="error" role="alert">Could not load the events: {events.error}</p>}
      {list === undefined ? null : list.length === 0 ? <p className="hint">No events recorded.</p> : (
        <div className={className}>
          <table data-testid={testId}>
            <thead><tr><th scope="col">Last seen</th><th scope="col">Type</th><th scope="col">Reason</th><th scope="col">Message</th><th scope="col" className="num">Count</th><th scope="col">From</th></tr></thead>
            <tbody>
              {[...list].reverse().map((e, i) => (
                <tr key={`${e.reason}-${String(i)}`}>
                  <td>{dateTime(e.lastTime === undefined ? undefined : timestampMs(e.lastTime))}</td>
                  <td>{e.type === "Warning" ? <span className="badge warn">Warning</span> : e.type}</td>
                  <td>{e.reason}</td>
                  <td className="wrap">{e.message}</td>
                  <td className="num">{e.count}</td>
                  <td>{e.component}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
