/**
 * /strategies/<name>: the spec in short, the status (phase, conditions, P&L, scans, the last
 * scan's candidates), the Strategy's trades and its Events. Events are fetched on open and
 * whenever the object's resourceVersion changes (no timer).
 */
import type { StrategyResource } from "@spreadops/resources/schema";
import { useResources } from "../../api/resources";
import { Link, useRouter } from "../../app/router";
import { dateTime, num, parseTime, usd } from "../../components/format";
import { Freshness, staleClass } from "../../components/Freshness";
import { ObjectEventsTable, useObjectEvents } from "../../components/ObjectEvents";
import { PhaseBadge } from "../../components/PhaseBadge";
import { Ago, Pnl, useNow } from "./common";
import { PauseButton } from "./pause";
import { STRATEGY_SPEC_JSON } from "./schema-fields";
import { conditionTone, describeEntryRule, pnlOf, rangeText, sortConditions, tradesOf } from "./strategy-model";
import { specYaml } from "./yaml-diff";

function SpecSummary({ strategy }: { strategy: StrategyResource }) {
  const spec = strategy.spec;
  if (spec === undefined) return <p className="hint">No spec.</p>;
  const risk = spec.risk;
  const riskParts = [
    risk.maxOpenTrades === undefined ? "" : `at most ${String(risk.maxOpenTrades)} open trades`,
    risk.maxRiskPerTrade === undefined ? "" : `max risk ${usd(risk.maxRiskPerTrade)} per trade`,
    risk.maxDailyLoss === undefined ? "" : `daily loss limit ${usd(risk.maxDailyLoss)}`,
  ].filter((p) => p !== "");
  const exitParts = [
    risk.stopLossAtrMultiple === undefined ? "" : `stop at ${String(risk.stopLossAtrMultiple)} ATR`,
    risk.takeProfitPercent === undefined ? "" : `take profit at ${String(risk.takeProfitPercent)}%`,
    risk.exitAtDte === undefined ? "" : `exit at ${String(risk.exitAtDte)} DTE`,
    risk.roll?.enabled === true ? `roll at ${risk.roll.atDte === undefined ? "?" : String(risk.roll.atDte)} DTE` : "",
  ].filter((p) => p !== "");
  const filterCount = spec.filters === undefined ? 0 : Object.keys(spec.filters).length;
  const walk = spec.execution.walk;
  return (
    <>
      <dl className="facts">
        <dt>Mode</dt><dd>{spec.mode === "live" ? <span className="badge bad">live — real money</span> : spec.mode}</dd>
        <dt>Paused</dt><dd>{spec.paused === true ? "yes — no new entries" : "no"}</dd>
        <dt>Universe</dt><dd>{spec.universe.symbols !== undefined && spec.universe.symbols.length > 0 ? spec.universe.symbols.join(", ") : "from the broker's market scan"}
          {spec.universe.minPrice === undefined ? null : <span className="hint"> · price ≥ {usd(spec.universe.minPrice)}</span>}</dd>
        <dt>Schedule</dt><dd>every {spec.schedule.scanInterval}, {spec.schedule.window.start}–{spec.schedule.window.end} {spec.schedule.timezone}</dd>
        <dt>Entry</dt><dd>{spec.entry.length === 0 ? "no rules — never enters" : <ul className="plain">{spec.entry.map((r, i) => <li key={i}>{describeEntryRule(r)}</li>)}</ul>}</dd>
        <dt>Spread</dt><dd>{spec.spread.kind}{spec.spread.kind === "auto" && spec.spread.creditWhenIvPercentileAbove !== undefined ? ` (credit above IV percentile ${String(spec.spread.creditWhenIvPercentileAbove)})` : ""}; DTE {rangeText(spec.spread.dte)}, short |Δ| {rangeText(spec.spread.shortDelta)}, width {rangeText(spec.spread.width, "USD")}</dd>
        <dt>Filters</dt><dd>{filterCount === 0 ? "none" : `${String(filterCount)} set`}</dd>
        <dt>Risk</dt><dd>{riskParts.length === 0 ? "no limits" : riskParts.join(", ")}</dd>
        <dt>Exits</dt><dd>{exitParts.length === 0 ? "none" : exitParts.join(", ")}</dd>
        <dt>Execution</dt><dd>approval {spec.execution.approval}{spec.execution.limitOffset === undefined ? "" : `, limit offset ${usd(spec.execution.limitOffset)}`}{walk === undefined ? "" : `, walk ${String(walk.steps)} steps every ${walk.every}`}</dd>
        <dt>On delete</dt><dd>{spec.onDelete ?? "leaveOpen (default)"}</dd>
      </dl>
      <details className="yaml">
        <summary>Full spec as YAML</summary>
        <pre>{specYaml(STRATEGY_SPEC_JSON, spec)}</pre>
      </details>
    </>
  );
}

export function StrategyDetail({ name, notice, onDismissNotice }: { name: string; notice: string | undefined; onDismissNotice: () => void }) {
  const { strategies, trades, loaded, stream } = useResources();
  const { navigate } = useRouter();
  const now = useNow();
  const strategy = strategies.find((s) => s.metadata.name === name);
  const events = useObjectEvents("Strategy", name, strategy?.metadata.resourceVersion);
  const own = tradesOf(trades, name);

  if (!loaded) return <p className="hint" role="status">Loading…</p>;
  const crumbs = (
    <nav aria-label="Breadcrumb" className="crumbs"><Link to="/strategies">Strategies</Link> › <span aria-current="page">{name}</span></nav>
  );
  if (strategy === undefined) {
    return (
      <section aria-labelledby="strategy-title">
        {crumbs}
        <h1 id="strategy-title">{name}</h1>
        <p className="error">There is no Strategy named “{name}” (it may have been deleted).</p>
        <Link to="/strategies">Back to the list</Link>
      </section>
    );
  }
  const status = strategy.status;
  const pnl = pnlOf(strategy);
  const statusBehind = status?.observedGeneration !== undefined && strategy.metadata.generation !== undefined && status.observedGeneration < strategy.metadata.generation;
  return (
    <section aria-labelledby="strategy-title" className="strategy-detail">
      {crumbs}
      <div className="row page-head">
        <h1 id="strategy-title">{name}</h1>
        <PhaseBadge phase={status?.phase} />
        <Freshness stream={stream} label="strategy" />
        <span className="spacer" />
        <PauseButton strategy={strategy} />
        <button type="button" onClick={() => { navigate(`/strategies/new?from=${encodeURIComponent(name)}`); }} data-testid="duplicate">Duplicate</button>
        <button type="button" className="primary" onClick={() => { navigate(`/strategies/${encodeURIComponent(name)}/edit`); }} data-testid="edit">Edit</button>
      </div>
      {notice === undefined ? null : (
        <p className="notice good" role="status" data-testid="saved-notice">{notice} <button type="button" className="link" onClick={onDismissNotice}>Dismiss</button></p>
      )}
      <div className={staleClass(stream)}>
        <div className="grid-2">
          <section className="panel" aria-labelledby="status-title">
            <h2 id="status-title">Status</h2>
            {statusBehind ? <p className="warn-text">The status is from an older spec (generation {status.observedGeneration}); the controller has not caught up with the latest edit yet.</p> : null}
            <dl className="facts">
              <dt>Phase</dt><dd><PhaseBadge phase={status?.phase} />{status?.message === undefined || status.message === "" ? null : <span> {status.message}</span>}</dd>
              <dt>Open trades</dt><dd>{status?.openTrades ?? "—"}</dd>
              <dt>P&amp;L today</dt><dd><Pnl value={pnl.day} /></dd>
              <dt>Realized</dt><dd><Pnl value={pnl.realized} /></dd>
              <dt>Unrealized</dt><dd><Pnl value={pnl.unrealized} /></dd>
              <dt>Last scan</dt><dd><Ago time={status?.lastScanTime} now={now} /></dd>
              <dt>Next scan</dt><dd><Ago time={status?.nextScanTime} now={now} /></dd>
            </dl>
            <h3>Conditions</h3>
            {status?.conditions === undefined || status.conditions.length === 0 ? <p className="hint">No conditions reported yet.</p> : (
              <table className="conditions-table">
                <thead><tr><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Message</th><th scope="col">Since</th></tr></thead>
                <tbody>
                  {sortConditions(status.conditions).map((c) => (
                    <tr key={c.type} className={`cond-row ${conditionTone(c)}`}>
                      <th scope="row">{c.type}</th>
                      <td><span className={`badge ${conditionTone(c)}`}>{c.status}</span></td>
                      <td>{c.reason}</td>
                      <td>{c.message}</td>
                      <td><time dateTime={c.lastTransitionTime}>{dateTime(parseTime(c.lastTransitionTime))}</time></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="panel" aria-labelledby="spec-title">
            <h2 id="spec-title">Spec</h2>
            <SpecSummary strategy={strategy} />
          </section>
        </div>

        <section className="panel" aria-labelledby="candidates-title">
          <h2 id="candidates-title">Last scan's candidates</h2>
          {status?.candidates === undefined || status.candidates.length === 0 ? <p className="hint">None from the last scan.</p> : (
            <div className="table-wrap">
              <table>
                <thead><tr><th scope="col">Underlying</th><th scope="col">Kind</th><th scope="col">Expiry</th><th scope="col" className="num">Short</th><th scope="col" className="num">Long</th><th scope="col" className="num">Limit</th><th scope="col" className="num">Qty</th><th scope="col" className="num">Score</th><th scope="col">Why</th></tr></thead>
                <tbody>
                  {status.candidates.map((c, i) => (
                    <tr key={`${c.underlying}-${c.expiry}-${String(c.shortStrike)}-${String(c.longStrike)}-${String(i)}`}>
                      <td>{c.underlying}</td><td>{c.kind}</td><td>{c.expiry}</td>
                      <td className="num">{num(c.shortStrike)}</td><td className="num">{num(c.longStrike)}</td>
                      <td className="num">{usd(c.limitPrice)}</td><td className="num">{c.quantity}</td>
                      <td className="num">{num(c.score)}</td><td>{c.reason ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section className="panel" aria-labelledby="trades-title">
          <h2 id="trades-title">Trades ({own.length})</h2>
          {own.length === 0 ? <p className="hint">This Strategy has no trades.</p> : (
            <div className="table-wrap">
              <table data-testid="strategy-trades">
                <thead><tr><th scope="col">Trade</th><th scope="col">Phase</th><th scope="col">Spread</th><th scope="col">Expiry</th><th scope="col" className="num">Qty</th><th scope="col" className="num">Limit</th><th scope="col" className="num">P&amp;L</th></tr></thead>
                <tbody>
                  {own.map((t) => (
                    <tr key={t.metadata.name}>
                      <th scope="row"><Link to={`/trades/${encodeURIComponent(t.metadata.name)}`}>{t.metadata.name}</Link></th>
                      <td><PhaseBadge phase={t.status?.phase} /></td>
                      <td>{t.spec === undefined ? "—" : `${t.spec.underlying} ${t.spec.kind} ${num(t.spec.shortStrike)}/${num(t.spec.longStrike)}`}</td>
                      <td>{t.spec?.expiry ?? "—"}</td>
                      <td className="num">{t.spec?.quantity ?? "—"}</td>
                      <td className="num">{usd(t.spec?.limitPrice)}</td>
                      <td className="num"><Pnl value={t.status?.pnl} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="events-title">
        <div className="row">
          <h2 id="events-title">Events</h2>
          {events.loading ? <span className="hint" role="status">Loading…</span> : null}
          <span className="spacer" />
          <button type="button" onClick={events.reload}>Refresh events</button>
        </div>
        <ObjectEventsTable events={events} testId="strategy-events" className="table-wrap" />
      </section>
    </section>
  );
}
