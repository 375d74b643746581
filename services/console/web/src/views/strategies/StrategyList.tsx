/** /strategies: every Strategy with its phase, conditions, P&L and a Pause/Resume button. */
import { useResources } from "../../api/resources";
import { Link, useRouter } from "../../app/router";
import { Freshness, staleClass } from "../../components/Freshness";
import { PhaseBadge } from "../../components/PhaseBadge";
import { Ago, ConditionSummary, Pnl, useNow } from "./common";
import { PauseButton } from "./pause";
import { pnlOf } from "./strategy-model";

export function StrategyList() {
  const { strategies, loaded, stream } = useResources();
  const { navigate } = useRouter();
  const now = useNow();
  return (
    <section aria-labelledby="strategies-title" className="strategies">
      <div className="row page-head">
        <h1 id="strategies-title">Strategies</h1>
        <Freshness stream={stream} label="strategies" />
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => { navigate("/strategies/new"); }} data-testid="new-strategy">New strategy</button>
      </div>
      {!loaded ? <p className="hint" role="status">Loading strategies…</p> : strategies.length === 0 ? (
        <div className="panel empty">
          <p>No Strategies yet. A Strategy scans its universe on a schedule and proposes option spreads as Trades.</p>
          <button type="button" className="primary" onClick={() => { navigate("/strategies/new"); }}>Create the first Strategy</button>
        </div>
      ) : (
        <div className={`table-wrap ${staleClass(stream)}`}>
          <table data-testid="strategies-table" className="strategies-table">
            <caption className="visually-hidden">Strategies, sorted by name</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Phase</th>
                <th scope="col">Paused</th>
                <th scope="col">Mode</th>
                <th scope="col">Approval</th>
                <th scope="col" className="num">Open trades</th>
                <th scope="col" className="num">P&amp;L today</th>
                <th scope="col">Conditions</th>
                <th scope="col">Last scan</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {strategies.map((s) => {
                const name = s.metadata.name;
                const pnl = pnlOf(s);
                const mode = s.spec?.mode;
                return (
                  <tr key={name} data-testid={`strategy-${name}`}>
                    <th scope="row"><Link to={`/strategies/${encodeURIComponent(name)}`}>{name}</Link></th>
                    <td>
                      <span data-testid={`strategy-phase-${name}`}><PhaseBadge phase={s.status?.phase} /></span>
                      {s.status?.message === undefined || s.status.message === "" ? null : <div className="hint phase-message">{s.status.message}</div>}
                    </td>
                    <td>{s.spec?.paused === true ? <span className="badge muted">paused</span> : "no"}</td>
                    <td>{mode === "live" ? <span className="badge bad">live</span> : mode ?? "—"}</td>
                    <td>{s.spec?.execution.approval ?? "—"}</td>
                    <td className="num">{s.status?.openTrades ?? "—"}</td>
                    <td className="num">
                      <Pnl value={pnl.day} />
                      <div className="hint pnl-split"><span>realized <Pnl value={pnl.realized} /></span> <span>open <Pnl value={pnl.unrealized} /></span></div>
                    </td>
                    <td><ConditionSummary conditions={s.status?.conditions} /></td>
                    <td><Ago time={s.status?.lastScanTime} now={now} /></td>
                    <td><PauseButton strategy={s} /></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
