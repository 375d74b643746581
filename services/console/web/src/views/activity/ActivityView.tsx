/**
 * Activity: the console's feed of what happened (resource phase changes, order events, what
 * console users did, services going away and coming back), newest first, from one
 * ConsoleService.WatchActivity stream. A reconnect re-sends the recent entries; they are merged
 * without duplicates, and at most 1000 are kept. Screen readers hear warnings and errors only.
 */
import { ActivitySeverity, ActivitySource, type WatchActivityResponse } from "@spreadops/api";
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useClients } from "../../api/context";
import { useLiveStream } from "../../api/use-live-stream";
import { Link } from "../../app/router";
import { Freshness, staleClass } from "../../components/Freshness";
import { dateTime } from "../../components/format";
import { ALL_SOURCES, announcement, filterEntries, fromProto, MAX_ENTRIES, mergeEntries, objectPath, SEVERITY_NAMES, SOURCE_NAMES, type FeedEntry, type FeedFilter } from "./feed";
import "./activity.css";

const SEVERITY_TONE: Record<ActivitySeverity, string> = {
  [ActivitySeverity.UNSPECIFIED]: "muted",
  [ActivitySeverity.INFO]: "muted",
  [ActivitySeverity.WARNING]: "warn",
  [ActivitySeverity.ERROR]: "bad",
};

const SEVERITY_CHOICES: readonly ActivitySeverity[] = [ActivitySeverity.INFO, ActivitySeverity.WARNING, ActivitySeverity.ERROR];

const Row = memo(function Row({ entry }: { entry: FeedEntry }) {
  const path = objectPath(entry);
  return (
    <tr data-testid={`activity-${entry.id}`} className={`sev-${SEVERITY_TONE[entry.severity]}`}>
      <td className="time">{dateTime(Number.isNaN(entry.timeMs) ? undefined : entry.timeMs)}</td>
      <td>{SOURCE_NAMES[entry.source]}</td>
      <td><span className={`badge ${SEVERITY_TONE[entry.severity]}`}>{SEVERITY_NAMES[entry.severity]}</span></td>
      <td className="object">
        {entry.name === "" ? <span className="hint">—</span> : path === undefined
          ? <>{entry.kind} {entry.name}</>
          : <Link to={path}><span className="hint">{entry.kind}</span> {entry.name}</Link>}
      </td>
      <td>{entry.reason}</td>
      <td className="message">{entry.message}</td>
      <td>{entry.actor === "" ? <span className="hint">—</span> : entry.actor}</td>
    </tr>
  );
});

export function ActivityView() {
  const clients = useClients();
  const [entries, setEntries] = useState<readonly FeedEntry[]>([]);
  const entriesRef = useRef<readonly FeedEntry[]>([]);
  const [announce, setAnnounce] = useState("");
  const [sources, setSources] = useState<ReadonlySet<ActivitySource>>(() => new Set(ALL_SOURCES));
  const [minSeverity, setMinSeverity] = useState<ActivitySeverity>(ActivitySeverity.INFO);
  const [text, setText] = useState("");
  /** Keys shown while paused; undefined = following the feed. */
  const [frozen, setFrozen] = useState<ReadonlySet<string> | undefined>(undefined);
  const listRef = useRef<HTMLDivElement>(null);

  const open = useCallback((signal: AbortSignal, opened: () => void) => clients.console.watchActivity({}, { signal, onHeader: opened }), [clients]);
  const onMessage = useCallback((message: WatchActivityResponse) => {
    if (message.entry === undefined) return;
    const result = mergeEntries(entriesRef.current, [fromProto(message.entry)]);
    if (result.entries === entriesRef.current) return;
    entriesRef.current = result.entries;
    setEntries(result.entries);
    // The recent entries a (re)connect sends first are history, not news.
    if (!message.initial) {
      const said = announcement(result.added);
      if (said !== undefined) setAnnounce(said);
    }
  }, []);
  const stream = useLiveStream("activity", "feed", open, onMessage);

  const filter = useMemo<FeedFilter>(() => ({ sources, minSeverity, text }), [sources, minSeverity, text]);
  const matching = useMemo(() => filterEntries(entries, filter), [entries, filter]);
  const shown = useMemo(() => (frozen === undefined ? matching : matching.filter((e) => frozen.has(e.key))), [matching, frozen]);
  const newAbove = matching.length - shown.length;
  const paused = frozen !== undefined;

  // Following the feed: keep the newest entry in view.
  useLayoutEffect(() => {
    if (!paused && listRef.current !== null) listRef.current.scrollTop = 0;
  }, [shown, paused]);

  const pause = () => { setFrozen(new Set(entriesRef.current.map((e) => e.key))); };
  const resume = () => {
    setFrozen(undefined);
    if (listRef.current !== null) listRef.current.scrollTop = 0;
  };

  const toggleSource = (source: ActivitySource, on: boolean) => {
    setSources((current) => {
      const next = new Set(current);
      if (on) next.add(source); else next.delete(source);
      return next;
    });
  };

  return (
    <section aria-labelledby="activity-title" className="activity">
      <div className="row title-row">
        <h1 id="activity-title">Activity</h1>
        <span className="spacer" />
        <Freshness stream={stream} label="activity" />
      </div>
      <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="activity-announcer">{announce}</div>

      <form className="panel activity-filters" aria-label="Filter the activity" onSubmit={(e) => { e.preventDefault(); }}>
        <fieldset className="sources">
          <legend>Sources</legend>
          {ALL_SOURCES.map((source) => (
            <label key={source} className="check">
              <input type="checkbox" checked={sources.has(source)} onChange={(e) => { toggleSource(source, e.target.checked); }} data-testid={`activity-source-${ActivitySource[source].toLowerCase()}`} />
              {SOURCE_NAMES[source]}
            </label>
          ))}
        </fieldset>
        <label>
          Severity
          <select value={minSeverity} onChange={(e) => { setMinSeverity(SEVERITY_CHOICES.find((s) => String(s) === e.target.value) ?? ActivitySeverity.INFO); }} data-testid="activity-severity">
            <option value={ActivitySeverity.INFO}>Everything</option>
            <option value={ActivitySeverity.WARNING}>Warnings and errors</option>
            <option value={ActivitySeverity.ERROR}>Errors only</option>
          </select>
        </label>
        <label className="grow">
          Text
          <input type="search" value={text} onChange={(e) => { setText(e.target.value); }} placeholder="e.g. SPY, Rejected, alice" data-testid="activity-text" />
        </label>
        <div className="follow">
          <button type="button" aria-pressed={paused} onClick={paused ? resume : pause} data-testid="activity-pause">
            {paused ? "Resume auto-scroll" : "Pause auto-scroll"}
          </button>
        </div>
      </form>

      <div className="row activity-status">
        <span className="hint">
          Showing {shown.length} of {entries.length} entries{entries.length >= MAX_ENTRIES ? ` (the newest ${MAX_ENTRIES} are kept)` : ""}.
          {paused ? " Paused: new entries wait above." : ""}
        </span>
        {paused && newAbove > 0
          ? <button type="button" className="new-above" onClick={resume} data-testid="activity-new">▲ {newAbove} new entr{newAbove === 1 ? "y" : "ies"} above — show</button>
          : null}
      </div>

      <div
        ref={listRef}
        className={`activity-scroll ${staleClass(stream)}`}
        tabIndex={0}
        aria-label="Activity entries, newest first"
        role="region"
        onScroll={(e) => {
          // Reading further down pauses the feed, so rows do not move under the reader.
          if (!paused && e.currentTarget.scrollTop > 24) pause();
        }}
      >
        <table data-testid="activity-list">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Source</th>
              <th scope="col">Severity</th>
              <th scope="col">Object</th>
              <th scope="col">Reason</th>
              <th scope="col">Message</th>
              <th scope="col">Actor</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((entry) => <Row key={entry.key} entry={entry} />)}
          </tbody>
        </table>
        {shown.length === 0
          ? <p className="hint empty">{entries.length === 0 ? (stream.status === "live" ? "Nothing has happened yet." : "Waiting for the activity feed…") : "No entry matches the filters."}</p>
          : null}
      </div>
    </section>
  );
}
