/** The open positions and history tables of the Trades view. */
import type { TradeResource } from "@spreadops/resources/schema";
import { useMemo, useState } from "react";
import { Link } from "../../app/router";
import { clockTime, dateTime, num, parseTime, UNKNOWN } from "../../components/format";
import type { TradeActions } from "./actions";
import { filledText, kindText, Pnl, strikesText, TradePhase } from "./bits";
import { isClosable, shownUnrealized, sortBy, tradeIdOf, type ExecutionQuote, type SortDirection } from "./trade-model";

type Key = (t: TradeResource) => number | string | undefined;

interface Sort<K extends string> {
  readonly column: K;
  readonly direction: SortDirection;
}

/** A column header that sorts; aria-sort tells which column and direction is in effect. */
function SortHeader<K extends string>({ column, label, sort, onSort, numeric = false }: {
  column: K;
  label: string;
  sort: Sort<K> | undefined;
  onSort: (column: K) => void;
  numeric?: boolean;
}) {
  const active = sort?.column === column;
  return (
    <th scope="col" className={numeric ? "num" : undefined} aria-sort={active ? sort.direction : "none"}>
      <button type="button" className="sort" onClick={() => { onSort(column); }}>
        {label}<span aria-hidden="true" className="sort-mark">{active ? (sort.direction === "ascending" ? " ▲" : " ▼") : ""}</span>
      </button>
    </th>
  );
}

function useSort<K extends string>(keys: Record<K, Key>, rows: readonly TradeResource[]) {
  const [sort, setSort] = useState<Sort<K> | undefined>(undefined);
  const sorted = useMemo(() => (sort === undefined ? rows : sortBy(rows, keys[sort.column], sort.direction)), [rows, sort, keys]);
  const onSort = (column: K) => {
    setSort((current) => (current?.column === column
      ? { column, direction: current.direction === "ascending" ? "descending" : "ascending" }
      : { column, direction: "descending" }));
  };
  return { sort, sorted, onSort };
}

const time = (rfc3339: string | undefined): number | undefined => parseTime(rfc3339);

/** Both tables sort their Spread column by the underlying. */
const bySymbol: Key = (t) => t.spec?.underlying;

const POSITION_KEYS = {
  symbol: bySymbol,
  expiry: (t: TradeResource) => t.spec?.expiry,
  realized: (t: TradeResource) => t.status?.realizedPnl,
  opened: (t: TradeResource) => time(t.status?.openedAt),
} satisfies Record<string, Key>;

function TradeCell({ trade }: { trade: TradeResource }) {
  const name = trade.metadata.name;
  return (
    <td>
      <Link to={`/trades/${encodeURIComponent(name)}`}><strong>{trade.spec?.underlying ?? name}</strong> {strikesText(trade)}</Link>
      <span className="sub">{kindText(trade.spec?.kind)}{trade.spec?.mode === "live" ? <> · <span className="live-text">LIVE</span></> : null}</span>
    </td>
  );
}

export function PositionsTable({ trades, actions, quotes, executionLive }: {
  trades: readonly TradeResource[];
  actions: TradeActions;
  quotes: ReadonlyMap<string, ExecutionQuote>;
  executionLive: boolean;
}) {
  const keys = useMemo(() => ({
    ...POSITION_KEYS,
    unrealized: (t: TradeResource) => {
      const id = tradeIdOf(t);
      return shownUnrealized(t, id === undefined ? undefined : quotes.get(id), executionLive).value;
    },
  }), [quotes, executionLive]);
  const { sort, sorted, onSort } = useSort(keys, trades);
  const header = { sort, onSort };
  if (trades.length === 0) return <p className="hint" data-testid="positions">No open positions.</p>;
  return (
    <div className="table-scroll">
      <table data-testid="positions">
        <caption className="sr-only">Open positions</caption>
        <thead>
          <tr>
            <SortHeader column="symbol" label="Spread" {...header} />
            <SortHeader column="expiry" label="Expiry" {...header} />
            <th scope="col" className="num">Qty filled / ordered</th>
            <th scope="col" className="num">Avg fill</th>
            <SortHeader column="unrealized" label="Unrealized P&L" numeric {...header} />
            <SortHeader column="realized" label="Realized" numeric {...header} />
            <th scope="col">Phase</th>
            <SortHeader column="opened" label="Opened" {...header} />
            <th scope="col"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((trade) => {
            const name = trade.metadata.name;
            const id = tradeIdOf(trade);
            const pnl = shownUnrealized(trade, id === undefined ? undefined : quotes.get(id), executionLive);
            const pending = actions.pendingOf(trade);
            const note = actions.noteOf(name);
            const closeRequested = trade.spec?.close === true || pending?.action === "close";
            const closable = isClosable(trade) && !closeRequested;
            return (
              <tr key={name} data-testid={`position-${name}`}>
                <TradeCell trade={trade} />
                <td>{trade.spec?.expiry ?? UNKNOWN}</td>
                <td className="num">{filledText(trade)}</td>
                <td className="num">{num(trade.status?.avgFillPrice)}</td>
                <td className={`num${pnl.stale ? " is-stale" : ""}`}>
                  <Pnl value={pnl.value} testId={`pnl-${name}`} />
                  <span className="sub">
                    {pnl.source === "execution" ? `execution ${clockTime(pnl.at)}${pnl.stale ? " · stale" : ""}` : pnl.source === "status" ? "Trade status" : "no quotes"}
                  </span>
                </td>
                <td className="num"><Pnl value={trade.status?.realizedPnl} /></td>
                <td><TradePhase trade={trade} />{trade.spec?.approved === true && (trade.status?.phase === "Proposed" || trade.status?.phase === "Previewed") ? <span className="sub">approved, waiting for the controller</span> : null}</td>
                <td>{dateTime(time(trade.status?.openedAt))}</td>
                <td>
                  {closeRequested
                    ? <span className="pending-note" data-testid={`close-requested-${name}`}>Close requested{pending?.inFlight === true ? " (sending…)" : ""}</span>
                    : closable
                      ? <button type="button" className="danger-outline" data-testid={`close-${name}`} onClick={() => { actions.request("close", trade); }}>Close…</button>
                      : null}
                  {note === undefined ? null : <p className="action-note" role="alert">{note}</p>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const HISTORY_KEYS = {
  symbol: bySymbol,
  realized: (t: TradeResource) => t.status?.realizedPnl,
  closed: (t: TradeResource) => time(t.status?.closedAt) ?? time(t.metadata.creationTimestamp),
} satisfies Record<string, Key>;

const PAGE = 50;

export function HistoryTable({ trades }: { trades: readonly TradeResource[] }) {
  const { sort, sorted, onSort } = useSort(HISTORY_KEYS, trades);
  const [shown, setShown] = useState(PAGE);
  const header = { sort, onSort };
  if (trades.length === 0) return <p className="hint" data-testid="history">No closed, rejected, cancelled or expired trades yet.</p>;
  return (
    <>
      <div className="table-scroll">
        <table data-testid="history">
          <caption className="sr-only">Trade history</caption>
          <thead>
            <tr>
              <SortHeader column="symbol" label="Spread" {...header} />
              <th scope="col">Expiry</th>
              <th scope="col" className="num">Qty</th>
              <th scope="col">Phase</th>
              <th scope="col">Exit or reason</th>
              <th scope="col" className="num">Fills</th>
              <SortHeader column="realized" label="Realized P&L" numeric {...header} />
              <SortHeader column="closed" label="Ended" {...header} />
            </tr>
          </thead>
          <tbody>
            {sorted.slice(0, shown).map((trade) => {
              const name = trade.metadata.name;
              const exit = trade.status?.exit;
              return (
                <tr key={name} data-testid={`history-${name}`}>
                  <TradeCell trade={trade} />
                  <td>{trade.spec?.expiry ?? UNKNOWN}</td>
                  <td className="num">{filledText(trade)}</td>
                  <td><TradePhase trade={trade} /></td>
                  <td className="wrap">{exit === undefined ? (trade.status?.message ?? (trade.spec?.rejected === true ? "rejected by hand" : UNKNOWN)) : <>{exit.reason}{exit.message === undefined ? null : <span className="sub">{exit.message}</span>}</>}</td>
                  <td className="num">{trade.status?.fills?.length ?? 0}</td>
                  <td className="num"><Pnl value={trade.status?.realizedPnl} /></td>
                  <td>{dateTime(time(trade.status?.closedAt))}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {sorted.length > shown
        ? <p className="row"><span className="hint">Showing {shown} of {sorted.length}.</span><button type="button" onClick={() => { setShown((n) => n + PAGE); }}>Show {Math.min(PAGE, sorted.length - shown)} more</button></p>
        : null}
    </>
  );
}
