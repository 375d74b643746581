import { timestampMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import { clockTime, dateTime } from "../../components/format";
import { Link } from "../../app/router";
import { describeDrop, strategyDrops, type StrategyEntry } from "./scanner-model";

const msOf = (t: Timestamp | undefined): number | undefined => (t === undefined ? undefined : timestampMs(t));

/** Clock time today, date and time otherwise. */
function when(ms: number | undefined): string {
  if (ms === undefined) return "—";
  return new Date(ms).toDateString() === new Date().toDateString() ? clockTime(ms) : dateTime(ms);
}

function StrategyCard({ entry, selected, onSelect }: { entry: StrategyEntry; selected: boolean; onSelect: (ref: string) => void }) {
  const ev = entry.evaluation;
  const risk = ev.risk;
  const slots = risk === undefined ? "—" : risk.slotsLeft === undefined ? "no limit" : String(risk.slotsLeft);
  const name = entry.strategyRef.slice(entry.strategyRef.indexOf("/") + 1);
  const wide = strategyDrops(ev);
  return (
    <li className={`scanner-card${entry.current ? "" : " is-stale"}${selected ? " selected" : ""}`} data-testid="scanner-strategy-summary" data-strategy={entry.strategyRef}>
      <div className="scanner-card-head">
        <button type="button" className="link" aria-pressed={selected} title={selected ? "Show all strategies" : "Show only this strategy's rows"} onClick={() => { onSelect(selected ? "" : entry.strategyRef); }}>
          {entry.strategyRef}
        </button>
        <Link to={`/strategies/${encodeURIComponent(name)}`} className="scanner-card-link">Strategy<span className="visually-hidden"> {name}</span> ›</Link>
      </div>
      <div className="scanner-card-badges">
        {ev.inTradingWindow ? <span className="badge good">In window</span> : <span className="badge muted">Outside window</span>}
        {risk?.dailyLossBreached === true ? <span className="badge bad">Daily loss limit reached</span> : null}
        {entry.current ? null : <span className="badge warn" title="The stream reconnected and has not re-sent this strategy yet">Not refreshed</span>}
      </div>
      <dl className="facts scanner-card-facts">
        <dt>Evaluated</dt><dd>{when(msOf(ev.asOf))}</dd>
        <dt>Proposals</dt><dd data-testid="summary-proposals">{ev.proposals.length}</dd>
        <dt>Next scan</dt><dd>{when(msOf(ev.nextScanTime))}</dd>
        <dt>Slots left</dt><dd>{slots}</dd>
      </dl>
      {wide.map((drop, i) => <p key={i} className="scanner-card-note">{describeDrop(drop)}</p>)}
    </li>
  );
}

/** One card per strategy with an evaluation: last evaluation, window, proposals, next scan, slots left. */
export function SummaryStrip({ entries, selected, onSelect }: { entries: readonly StrategyEntry[]; selected: string; onSelect: (ref: string) => void }) {
  if (entries.length === 0) {
    return (
      <p className="panel scanner-empty" data-testid="scanner-empty">
        No evaluations yet — the controller asks the strategy service on each strategy's scan interval (spec.schedule.scanInterval)
      </p>
    );
  }
  return (
    <ul className="scanner-summary" data-testid="scanner-summary" aria-label="Strategies' last evaluations">
      {entries.map((entry) => <StrategyCard key={entry.strategyRef} entry={entry} selected={selected === entry.strategyRef} onSelect={onSelect} />)}
    </ul>
  );
}
