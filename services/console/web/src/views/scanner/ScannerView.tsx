/**
 * Scanner: every strategy's latest evaluation as a live, sortable, virtualised grid of spread
 * candidates (StrategyService.WatchEvaluations: the latest evaluation of each strategy first,
 * then each new one as it completes), with a per-strategy summary strip above it.
 */
import type { WatchEvaluationsResponse } from "@spreadops/api";
import { useCallback, useDeferredValue, useEffect, useId, useMemo, useState } from "react";
import { useClients } from "../../api/context";
import { useResources } from "../../api/resources";
import { useLiveStream } from "../../api/use-live-stream";
import { useRouter } from "../../app/router";
import { Freshness } from "../../components/Freshness";
import { DEFAULT_SORT, nextSort, sortRows, type ColumnId, type SortState } from "./columns";
import { ScannerGrid, type SpecLookup } from "./ScannerGrid";
import {
  DEMO_STRATEGY_REF,
  EMPTY_SCANNER_STATE,
  allRows,
  applyEvaluationMessage,
  filterRows,
  findStrategy,
  markReconnecting,
  nextHighlightEnd,
  parseDemoRows,
  syntheticRows,
  type ScannerRow,
  type ScannerState,
} from "./scanner-model";
import { SummaryStrip } from "./SummaryStrip";
import "./scanner.css";

/**
 * The highlight clock: re-renders when the next highlight ends (one timer, only while some
 * row is highlighted), so `changed` classes drop off after HIGHLIGHT_MS without polling.
 */
function useHighlightClock(rows: readonly ScannerRow[]): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const current = Date.now();
    const end = nextHighlightEnd(rows, current);
    if (end === undefined) return;
    const timer = setTimeout(() => { setNow(Date.now()); }, end - current + 20);
    return () => { clearTimeout(timer); };
  }, [rows, now]);
  return now;
}

export function ScannerView() {
  const clients = useClients();
  const { route } = useRouter();
  const { strategies } = useResources();
  const [state, setState] = useState<ScannerState>(EMPTY_SCANNER_STATE);

  const open = useCallback((signal: AbortSignal, opened: () => void) => clients.strategy.watchEvaluations({ strategyRef: "" }, { signal, onHeader: opened }), [clients]);
  const onMessage = useCallback((message: WatchEvaluationsResponse) => { setState((s) => applyEvaluationMessage(s, message, Date.now())); }, []);
  const onReconnect = useCallback(() => { setState(markReconnecting); }, []);
  const stream = useLiveStream("strategy", "evaluations", open, onMessage, onReconnect);

  // Test / demo aid: ?demoRows=N adds N synthetic rows (see syntheticRows); never from the API.
  const demoCount = parseDemoRows(route.search);
  const demoRows = useMemo(() => syntheticRows(demoCount, Date.now()), [demoCount]);

  const liveRows = useMemo(() => allRows(state), [state]);
  const rows = useMemo(() => (demoRows.length === 0 ? liveRows : [...liveRows, ...demoRows]), [liveRows, demoRows]);

  const [sort, setSort] = useState<SortState>(DEFAULT_SORT);
  const [strategy, setStrategy] = useState("");
  const [symbol, setSymbol] = useState("");
  const [proposedOnly, setProposedOnly] = useState(false);
  // Typing stays responsive with thousands of rows: the grid follows the text at lower priority.
  const deferredSymbol = useDeferredValue(symbol);
  const sorted = useMemo(() => sortRows(rows, sort), [rows, sort]);
  const visible = useMemo(() => filterRows(sorted, { strategy, symbol: deferredSymbol, proposedOnly }), [sorted, strategy, deferredSymbol, proposedOnly]);

  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const onToggle = useCallback((key: string, openIt?: boolean) => {
    setExpanded((previous) => {
      const isOpen = previous.has(key);
      const want = openIt ?? !isOpen;
      if (want === isOpen) return previous;
      const next = new Set(previous);
      if (want) next.add(key); else next.delete(key);
      return next;
    });
  }, []);
  const onSort = useCallback((column: ColumnId) => { setSort((current) => nextSort(current, column)); }, []);

  const now = useHighlightClock(liveRows);
  const entries = useMemo(() => [...state.strategies.values()], [state]);
  const outdated = useMemo(() => new Set(entries.filter((e) => !e.current).map((e) => e.strategyRef)), [entries]);
  const specs = useMemo<SpecLookup>(() => ({ get: (ref) => findStrategy(strategies, ref)?.spec }), [strategies]);
  const strategyOptions = useMemo(() => {
    const refs = entries.map((e) => e.strategyRef);
    if (demoRows.length > 0) refs.push(DEMO_STRATEGY_REF);
    if (strategy !== "" && !refs.includes(strategy)) refs.push(strategy);
    return refs;
  }, [entries, demoRows.length, strategy]);

  const ids = useId();
  const gridStale = stream.status !== "live" && liveRows.length > 0;
  const emptyText = rows.length === 0 ? "No rows yet." : "No rows match the filters.";

  return (
    <section aria-labelledby="scanner-title" className="scanner">
      <div className="scanner-titlebar">
        <h1 id="scanner-title">Scanner</h1>
        <Freshness stream={stream} label="evaluations" />
        {outdated.size > 0 ? (
          <span className="badge warn" role="status" data-testid="scanner-outdated">
            {outdated.size} strateg{outdated.size === 1 ? "y" : "ies"} not refreshed since the stream reconnected — rows may be out of date
          </span>
        ) : null}
      </div>

      {demoCount > 0 ? (
        <p className="scanner-demo-banner" role="note" data-testid="scanner-demo-banner">
          <strong>Synthetic demo rows:</strong> {demoCount} made-up rows of strategy “{DEMO_STRATEGY_REF}” were added in the browser to test the grid
          (from <code>?demoRows={demoCount}</code>). They are not market data and never reach the API.
        </p>
      ) : null}

      <SummaryStrip entries={entries} selected={strategy} onSelect={setStrategy} />

      <div className="scanner-controls">
        <label htmlFor={`${ids}-strategy`}>
          Strategy
          <select id={`${ids}-strategy`} value={strategy} onChange={(e) => { setStrategy(e.target.value); }} data-testid="scanner-filter-strategy">
            <option value="">All strategies</option>
            {strategyOptions.map((ref) => <option key={ref} value={ref}>{ref === DEMO_STRATEGY_REF ? `${ref} (synthetic demo rows)` : ref}</option>)}
          </select>
        </label>
        <label htmlFor={`${ids}-symbol`}>
          Symbol
          <input id={`${ids}-symbol`} type="search" value={symbol} placeholder="e.g. SPY" autoComplete="off" spellCheck={false} onChange={(e) => { setSymbol(e.target.value); }} data-testid="scanner-filter-symbol" />
        </label>
        <label className="scanner-check">
          <input type="checkbox" checked={proposedOnly} onChange={(e) => { setProposedOnly(e.target.checked); }} data-testid="scanner-filter-proposed" />
          Proposed only
        </label>
        <span className="spacer" />
        <span className="scanner-count" data-testid="scanner-count">Showing {visible.length} of {rows.length} rows</span>
      </div>

      <ScannerGrid
        rows={visible}
        sort={sort}
        onSort={onSort}
        expanded={expanded}
        onToggle={onToggle}
        now={now}
        outdated={outdated}
        specs={specs}
        stale={gridStale}
        emptyText={emptyText}
      />
    </section>
  );
}
