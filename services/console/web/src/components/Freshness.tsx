import type { LiveStreamHandle } from "../api/use-live-stream";
import { clockTime } from "./format";

/**
 * Says whether the data next to it is live. While a stream reconnects the data stays visible
 * (a trader may still need it) but is marked stale with the time of its last update.
 */
export function Freshness({ stream, label }: { stream: LiveStreamHandle; label?: string }) {
  const what = label ?? "data";
  if (stream.status === "live") {
    return <span className="freshness live" role="status"><span className="dot" aria-hidden="true" />Live</span>;
  }
  if (stream.status === "connecting" && stream.lastMessageAt === undefined) {
    return <span className="freshness connecting" role="status"><span className="dot" aria-hidden="true" />Connecting…</span>;
  }
  return (
    <span className="freshness stale" role="status" title={stream.error}>
      <span className="dot" aria-hidden="true" />
      {stream.lastMessageAt === undefined ? `No ${what} yet` : `Stale — last update ${clockTime(stream.lastMessageAt)}`}
      {stream.status === "retrying" ? <button type="button" className="link" onClick={() => { stream.retryNow(); }}>Retry now</button> : null}
    </span>
  );
}

/** Class to add to a container whose data is not live (greys it out). */
export const staleClass = (stream: LiveStreamHandle): string => (stream.status === "live" ? "" : "is-stale");
