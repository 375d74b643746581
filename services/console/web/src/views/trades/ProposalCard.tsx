import type { TradeResource } from "@spreadops/resources/schema";
import { Link } from "../../app/router";
import { age, parseTime, UNKNOWN } from "../../components/format";
import type { TradeActions } from "./actions";
import { kindText, TradeMode, TradePhase, tradeTitle } from "./bits";
import { OrderSummary } from "./OrderSummary";
import { statusNote } from "./trade-model";

/**
 * A proposal waiting for the trader: the order in full with its what-if preview, and Approve /
 * Reject. Without a preview the card says so and Approve stays disabled.
 */
export function ProposalCard({ trade, actions, now, gatewayMode, executionMultiplier, headingLevel = 3 }: {
  trade: TradeResource;
  actions: TradeActions;
  now: number;
  /** "paper" / "live" from the gateway, when known: a mismatch is refused by the execution service. */
  gatewayMode: string | undefined;
  executionMultiplier: number | undefined;
  headingLevel?: 2 | 3;
}) {
  const name = trade.metadata.name;
  const spec = trade.spec;
  const preview = trade.status?.preview;
  const pending = actions.pendingOf(trade);
  const note = actions.noteOf(name);
  const statusText = statusNote(trade.status?.message, spec?.reason);
  const created = parseTime(trade.metadata.creationTimestamp);
  const live = spec?.mode === "live";
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const titleId = `proposal-title-${name}`;
  return (
    <article className={`panel proposal${live ? " live" : ""}`} data-testid={`proposal-${name}`} aria-labelledby={titleId}>
      <header className="proposal-head">
        <Heading id={titleId}>
          <Link to={`/trades/${encodeURIComponent(name)}`}>{tradeTitle(trade)}</Link>
        </Heading>
        <TradeMode mode={spec?.mode} />
        <TradePhase trade={trade} />
        <span className="hint" title={trade.metadata.creationTimestamp}>proposed {created === undefined ? UNKNOWN : `${age(now - created)} ago`}</span>
      </header>
      <p className="hint proposal-sub">
        {kindText(spec?.kind)} · {name}
        {spec?.strategyRef === undefined ? null : <> · strategy <Link to={`/strategies/${encodeURIComponent(spec.strategyRef)}`}>{spec.strategyRef}</Link></>}
      </p>
      {gatewayMode !== undefined && spec?.mode !== undefined && gatewayMode !== spec.mode
        ? <p className="error" role="note">This trade is {spec.mode} but the gateway runs in {gatewayMode} mode: the execution service will refuse to place it.</p>
        : null}
      {preview === undefined
        ? <>
            <OrderSummary trade={trade} executionMultiplier={executionMultiplier} />
            <p className="waiting-preview" role="status">Waiting for the what-if preview…</p>
          </>
        : <OrderSummary trade={trade} testIds executionMultiplier={executionMultiplier} />}
      {spec?.reason === undefined || spec.reason === "" ? null : <p className="reason"><span className="hint">Why: </span>{spec.reason}</p>}
      {statusText === undefined ? null : <p className="hint">{statusText}</p>}
      {pending?.action === "approve" ? (
        <p className="pending-note approved" data-testid="approved-pending" role="status">
          Approved — waiting for the controller{pending.inFlight ? " (sending…)" : ""}
        </p>
      ) : pending?.action === "reject" ? (
        <p className="pending-note rejected" data-testid="rejected-pending" role="status">
          Rejected — waiting for the controller{pending.inFlight ? " (sending…)" : ""}
        </p>
      ) : (
        <div className="actions">
          <button type="button" data-testid={`reject-${name}`} onClick={() => { actions.request("reject", trade); }}>Reject</button>
          <button
            type="button"
            className="primary"
            data-testid={`approve-${name}`}
            disabled={preview === undefined}
            title={preview === undefined ? "Waiting for the what-if preview" : undefined}
            onClick={() => { actions.request("approve", trade); }}
          >
            Approve{live ? " LIVE" : ""}…
          </button>
        </div>
      )}
      {note === undefined ? null : <p className="action-note" role="alert">{note}</p>}
    </article>
  );
}
