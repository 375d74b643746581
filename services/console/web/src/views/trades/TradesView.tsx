/**
 * Trades: proposals waiting for approval (with their what-if preview), open positions with live
 * P&L, and history; /trades/<name> shows one Trade in full. Trades come from the shared store
 * stream; P&L is overlaid from one ExecutionService.StreamSpreadEvents stream.
 */
import { TradingMode } from "@spreadops/api";
import { useMemo } from "react";
import { useSession } from "../../api/context";
import { useGatewayStatus } from "../../api/gateway-status";
import { useResources } from "../../api/resources";
import { useRouter } from "../../app/router";
import { Freshness, staleClass } from "../../components/Freshness";
import { useConsoleInfo } from "../connection/use-console-info";
import { useTradeActions } from "./actions";
import { useWallNow } from "../../components/use-now";
import { ProposalCard } from "./ProposalCard";
import { HistoryTable, PositionsTable } from "./tables";
import { TradeDetail } from "./TradeDetail";
import { sectionTrades, tradeIdOf } from "./trade-model";
import { useExecutionQuotes } from "./use-execution-quotes";
import "./trades.css";

export function TradesView() {
  const { route } = useRouter();
  const { trades, loaded, stream } = useResources();
  const { quotes, stream: execution } = useExecutionQuotes();
  const { info } = useConsoleInfo();
  const gateway = useGatewayStatus();
  const session = useSession();
  const now = useWallNow(15_000);
  const gatewayMode = gateway.status?.mode === TradingMode.LIVE ? "live" : gateway.status?.mode === TradingMode.PAPER ? "paper" : undefined;
  const actions = useTradeActions({ trades, quotes, executionLive: execution.status === "live", mutationsEnabled: info?.mutationsEnabled });
  const sections = useMemo(() => sectionTrades(trades), [trades]);
  const name = route.rest[0];

  if (name !== undefined) {
    return (
      <>
        <TradeDetail name={name} trades={trades} loaded={loaded} storeStream={stream} actions={actions} quotes={quotes} execution={execution} now={now} gatewayMode={gatewayMode} />
        {actions.dialogs}
      </>
    );
  }

  const multiplierOf = (id: string | undefined) => (id === undefined ? undefined : quotes.get(id)?.multiplier);

  return (
    <section aria-labelledby="trades-title" className="trades">
      <div className="row title-row">
        <h1 id="trades-title">Trades</h1>
        <span className="spacer" />
        <Freshness stream={stream} label="trades" />
      </div>
      {session.token === undefined
        ? <p className="hint signin-hint">You are not signed in: everything is readable; approving, rejecting and closing need the console token (Sign in, top right).</p>
        : info?.mutationsEnabled === false
          ? <p className="warn-note">This console was started without a token and is read-only.</p>
          : null}
      {!loaded ? <p className="hint" role="status">Loading trades from the store…</p> : null}

      <section className={`trade-section ${staleClass(stream)}`} aria-labelledby="waiting-title" data-testid="proposals">
        <h2 id="waiting-title">Waiting for approval <span className="section-count">{sections.waiting.length}</span></h2>
        {loaded && sections.waiting.length === 0 ? <p className="hint">No proposals are waiting. Strategies with approval: manual put their proposals here.</p> : null}
        <div className="proposal-grid">
          {sections.waiting.map((trade) => (
            <ProposalCard key={trade.metadata.name} trade={trade} actions={actions} now={now} gatewayMode={gatewayMode} executionMultiplier={multiplierOf(tradeIdOf(trade))} />
          ))}
        </div>
      </section>

      <section className={`trade-section ${staleClass(stream)}`} aria-labelledby="open-title">
        <div className="row">
          <h2 id="open-title">Open positions <span className="section-count">{sections.open.length}</span></h2>
          <span className="spacer" />
          <span className="hint">Live P&amp;L (execution service)</span>
          <Freshness stream={execution} label="P&L" />
        </div>
        <PositionsTable trades={sections.open} actions={actions} quotes={quotes} executionLive={execution.status === "live"} />
      </section>

      <section className={`trade-section ${staleClass(stream)}`} aria-labelledby="history-title">
        <h2 id="history-title">History <span className="section-count">{sections.history.length}</span></h2>
        <HistoryTable trades={sections.history} />
      </section>
      {actions.dialogs}
    </section>
  );
}
