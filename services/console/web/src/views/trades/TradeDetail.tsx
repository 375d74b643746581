/**
 * /trades/<name>: everything about one Trade — spec, status, preview, exit, conditions, fills,
 * and the Events recorded about it (fetched when the page opens and whenever the Trade's
 * resourceVersion changes; no timer).
 */
import type { TradeResource } from "@spreadops/resources/schema";
import type { ReactNode } from "react";
import type { LiveStreamHandle } from "../../api/use-live-stream";
import { Link } from "../../app/router";
import { Freshness, staleClass } from "../../components/Freshness";
import { ObjectEventsTable, useObjectEvents } from "../../components/ObjectEvents";
import { PhaseBadge } from "../../components/PhaseBadge";
import { clockTime, dateTime, num, parseTime, usd, UNKNOWN } from "../../components/format";
import type { TradeActions } from "./actions";
import { filledText, kindText, Pnl, TradeMode, TradePhase, tradeTitle } from "./bits";
import { OrderSummary } from "./OrderSummary";
import { ProposalCard } from "./ProposalCard";
import { isClosable, sectionOf, shownUnrealized, tradeIdOf, type ExecutionQuote } from "./trade-model";

const yesNo = (value: boolean | undefined): string => (value === true ? "yes" : "no");
const text = (value: string | number | undefined): ReactNode => (value === undefined || value === "" ? UNKNOWN : value);
const when = (rfc3339: string | undefined): string => dateTime(parseTime(rfc3339));

function Facts({ rows }: { rows: readonly (readonly [string, ReactNode])[] }) {
  return (
    <dl className="facts">
      {rows.map(([label, value]) => (
        <div key={label} className="fact">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function TradeDetail({ name, trades, loaded, storeStream, actions, quotes, execution, now, gatewayMode }: {
  name: string;
  trades: readonly TradeResource[];
  loaded: boolean;
  storeStream: LiveStreamHandle;
  actions: TradeActions;
  quotes: ReadonlyMap<string, ExecutionQuote>;
  execution: LiveStreamHandle;
  now: number;
  gatewayMode: string | undefined;
}) {
  const trade = trades.find((t) => t.metadata.name === name);
  const events = useObjectEvents("Trade", name, trade?.metadata.resourceVersion);
  const back = <p className="back"><Link to="/trades">← All trades</Link></p>;

  if (trade === undefined) {
    return (
      <section aria-labelledby="trades-title" className="trades trade-detail">
        {back}
        <h1 id="trades-title">Trade {name}</h1>
        {loaded
          ? <p className="error" role="alert">No Trade named “{name}” in this namespace. It may have been deleted.</p>
          : <p className="hint" role="status">Loading trades… <Freshness stream={storeStream} label="trades" /></p>}
      </section>
    );
  }

  const spec = trade.spec;
  const status = trade.status;
  const id = tradeIdOf(trade);
  const quote = id === undefined ? undefined : quotes.get(id);
  const executionLive = execution.status === "live";
  const pnl = shownUnrealized(trade, quote, executionLive);
  const section = sectionOf(trade);
  const pending = actions.pendingOf(trade);
  const note = actions.noteOf(name);
  const closeRequested = spec?.close === true || pending?.action === "close";

  return (
    <section aria-labelledby="trades-title" className={`trades trade-detail ${staleClass(storeStream)}`}>
      {back}
      <div className="row title-row">
        <h1 id="trades-title">{tradeTitle(trade)}</h1>
        <TradeMode mode={spec?.mode} />
        {/* A proposal's card below carries the phase-<name> badge; one per page. */}
        {section === "waiting" ? <PhaseBadge phase={status?.phase} /> : <TradePhase trade={trade} />}
        <span className="spacer" />
        <Freshness stream={storeStream} label="trades" />
      </div>
      <p className="hint">{kindText(spec?.kind)} · {name}{status?.message === undefined || status.message === "" ? "" : ` · ${status.message}`}</p>

      {section === "waiting"
        ? <ProposalCard trade={trade} actions={actions} now={now} gatewayMode={gatewayMode} executionMultiplier={quote?.multiplier} headingLevel={2} />
        : null}

      {section === "open" ? (
        <section className="panel" aria-labelledby="position-title">
          <div className="row">
            <h2 id="position-title">Position</h2>
            <span className="spacer" />
            <span className="hint">Live P&amp;L</span> <Freshness stream={execution} label="P&L" />
          </div>
          <Facts rows={[
            ["Filled / ordered", filledText(trade)],
            ["Average fill", status?.avgFillPrice === undefined ? UNKNOWN : `${usd(status.avgFillPrice)} / share`],
            ["Unrealized P&L", <><Pnl value={pnl.value} testId={`pnl-${name}`} /> <span className="hint">{pnl.source === "execution" ? `execution service, ${clockTime(pnl.at)}${pnl.stale ? " (stale)" : ""}` : pnl.source === "status" ? "from the Trade status" : "unknown: no quotes"}</span></>],
            ["Current mid", quote?.currentMid === undefined ? UNKNOWN : `${usd(quote.currentMid)} / share`],
            ["Realized P&L", <Pnl key="r" value={status?.realizedPnl} />],
          ]} />
          <div className="actions">
            {closeRequested
              ? <span className="pending-note" data-testid={`close-requested-${name}`}>Close requested{pending?.inFlight === true ? " (sending…)" : ""}</span>
              : isClosable(trade)
                ? <button type="button" className="danger" data-testid={`close-${name}`} onClick={() => { actions.request("close", trade); }}>Close position…</button>
                : <span className="hint">The position can be closed once it is Open.</span>}
          </div>
          {note === undefined ? null : <p className="action-note" role="alert">{note}</p>}
        </section>
      ) : null}

      <div className="grid-2">
        <section className="panel" aria-labelledby="spec-title">
          <h2 id="spec-title">Order (spec)</h2>
          {section === "waiting" ? null : <OrderSummary trade={trade} executionMultiplier={quote?.multiplier} />}
          <Facts rows={[
            ["Strategy", spec?.strategyRef === undefined ? UNKNOWN : <Link to={`/strategies/${encodeURIComponent(spec.strategyRef)}`}>{spec.strategyRef}</Link>],
            ["Underlying", text(spec?.underlying)],
            ["Kind", text(spec?.kind)],
            ["Expiry", text(spec?.expiry)],
            ["Short strike", text(spec?.shortStrike)],
            ["Long strike", text(spec?.longStrike)],
            ["Short conId", text(spec?.shortConId)],
            ["Long conId", text(spec?.longConId)],
            ["Quantity", text(spec?.quantity)],
            ["Limit price", spec === undefined ? UNKNOWN : `${usd(spec.limitPrice)} / share`],
            ["Mode", <TradeMode key="m" mode={spec?.mode} />],
            ["Approved", yesNo(spec?.approved)],
            ["Rejected", yesNo(spec?.rejected)],
            ["Close requested", yesNo(spec?.close)],
            ["Limit offset", spec?.execution?.limitOffset === undefined ? "none" : `${usd(spec.execution.limitOffset)} / share`],
            ["Price walk", spec?.execution?.walk === undefined ? "none" : `${spec.execution.walk.steps} steps every ${spec.execution.walk.every}`],
            ["Stop-loss", spec?.exits?.stopLossAtrMultiple === undefined ? "not set" : `${spec.exits.stopLossAtrMultiple} × ATR`],
            ["Take-profit", spec?.exits?.takeProfitPercent === undefined ? "not set" : `${spec.exits.takeProfitPercent}% of max profit`],
            ["Exit at DTE", text(spec?.exits?.exitAtDte)],
            ["Roll", spec?.exits?.roll === undefined ? "not set" : spec.exits.roll.enabled ? `at ${spec.exits.roll.atDte ?? UNKNOWN} DTE` : "off"],
            ["Reason", text(spec?.reason)],
          ]} />
        </section>

        <section className="panel" aria-labelledby="status-title">
          <h2 id="status-title">Status</h2>
          <Facts rows={[
            ["Phase", <TradePhaseText key="p" trade={trade} />],
            ["Message", text(status?.message)],
            ["Order ref (trade id)", text(status?.orderRef)],
            ["Order id", text(status?.orderId)],
            ["Perm id", text(status?.permId)],
            ["Closing order id", text(status?.closeOrderId)],
            ["Filled quantity", num(status?.filledQuantity, 0)],
            ["Average fill", status?.avgFillPrice === undefined ? UNKNOWN : `${usd(status.avgFillPrice)} / share`],
            ["Realized P&L", <Pnl key="r" value={status?.realizedPnl} />],
            ["Unrealized P&L", <Pnl key="u" value={status?.unrealizedPnl} />],
            ["Total P&L", <Pnl key="t" value={status?.pnl} />],
            ["Opened", when(status?.openedAt)],
            ["Closed", when(status?.closedAt)],
            ["Last exit check", when(status?.lastExitCheck)],
            ["Created", when(trade.metadata.creationTimestamp)],
            ["Generation (observed)", `${trade.metadata.generation ?? UNKNOWN} (${status?.observedGeneration ?? UNKNOWN})`],
            ["Resource version", text(trade.metadata.resourceVersion)],
            ["uid", text(trade.metadata.uid)],
          ]} />
          {status?.exit === undefined ? null : (
            <>
              <h3>Exit</h3>
              <Facts rows={[["Reason", status.exit.reason], ["Decided", when(status.exit.at)], ["Detail", text(status.exit.message)]]} />
            </>
          )}
          {status?.preview === undefined ? null : (
            <>
              <h3>What-if preview</h3>
              <Facts rows={[
                ["Max loss", usd(status.preview.maxLoss)],
                ["Max profit", usd(status.preview.maxProfit)],
                ["Breakeven", usd(status.preview.breakeven)],
                ["Initial margin", status.preview.initMargin === undefined ? <span key="i" className="unknown-flag">unknown</span> : usd(status.preview.initMargin)],
                ["Maintenance margin", status.preview.maintMargin === undefined ? <span key="m" className="unknown-flag">unknown</span> : usd(status.preview.maintMargin)],
                ["Commission", status.preview.commission === undefined ? <span key="c" className="unknown-flag">unknown</span> : usd(status.preview.commission)],
                ["Automatic execution", status.preview.automaticExecutionAllowed === undefined ? UNKNOWN : status.preview.automaticExecutionAllowed ? "allowed" : "blocked"],
              ]} />
            </>
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="fills-title">
        <h2 id="fills-title">Fills</h2>
        {status?.fills === undefined || status.fills.length === 0 ? <p className="hint">No executions yet.</p> : (
          <div className="table-scroll">
            <table data-testid="fills">
              <thead>
                <tr>
                  <th scope="col">Leg</th><th scope="col">Action</th><th scope="col" className="num">Qty</th><th scope="col" className="num">Price</th>
                  <th scope="col">Time</th><th scope="col" className="num">Commission</th><th scope="col">Execution id</th>
                </tr>
              </thead>
              <tbody>
                {status.fills.map((fill, index) => (
                  <tr key={fill.execId ?? `${fill.time}-${index}`}>
                    <td>{fill.leg}</td>
                    <td>{fill.action}</td>
                    <td className="num">{num(fill.quantity, 0)}</td>
                    <td className="num">{usd(fill.price)}</td>
                    <td>{when(fill.time)}</td>
                    <td className="num">{usd(fill.commission)}</td>
                    <td className="mono">{fill.execId ?? UNKNOWN}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="conditions-title">
        <h2 id="conditions-title">Conditions</h2>
        {status?.conditions === undefined || status.conditions.length === 0 ? <p className="hint">None reported.</p> : (
          <div className="table-scroll">
            <table>
              <thead><tr><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Message</th><th scope="col">Since</th></tr></thead>
              <tbody>
                {status.conditions.map((c) => (
                  <tr key={c.type}>
                    <td>{c.type}</td>
                    <td><span className={`badge ${c.status === "True" ? "good" : c.status === "False" ? "bad" : "muted"}`}>{c.status}</span></td>
                    <td>{c.reason}</td>
                    <td className="wrap">{c.message}</td>
                    <td>{when(c.lastTransitionTime)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="events-title" aria-busy={events.loading}>
        <div className="row">
          <h2 id="events-title">Events</h2>
          <span className="spacer" />
          <span className="hint">{events.at === undefined ? (events.loading ? "loading…" : "") : `as of ${clockTime(events.at)}`}</span>
        </div>
        <ObjectEventsTable events={events} testId="trade-events" className="table-scroll" />
      </section>
    </section>
  );
}

/** The phase as text, without a second `phase-<name>` test id on the page. */
function TradePhaseText({ trade }: { trade: TradeResource }) {
  return <>{trade.status?.phase ?? "Pending"}</>;
}
