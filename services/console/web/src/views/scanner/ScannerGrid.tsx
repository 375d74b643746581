/**
 * The virtualised candidates grid: only the rows in view (plus a few) are in the DOM. ARIA
 * table semantics on divs (role table/row/cell/columnheader) with aria-rowcount and
 * aria-rowindex, so assistive technology knows the full size. Rows use a roving tabindex:
 * Tab reaches the grid once, arrows / Home / End / Page keys move between rows, Enter (or → / ←)
 * expands and collapses the focused row.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import type { StrategySpec } from "@spreadops/resources/schema";
import { memo, useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { clockTime, num, pct, usd } from "../../components/format";
import { COLUMNS, type ColumnDef, type ColumnId, type SortState } from "./columns";
import { RowDetails } from "./RowDetails";
import { dropLabel, formatExpiry, isCredit, isHighlighted, kindLabel, strikesText, type ScannerRow } from "./scanner-model";

/** Collapsed row height, px; must match .scanner-row in scanner.css. */
export const ROW_HEIGHT = 34;
/** Header row height, px; must match .scanner-head in scanner.css. */
export const HEADER_HEIGHT = 38;
const EXPANDED_ESTIMATE = 520;
/** Data columns plus the expand column. */
const COLUMN_COUNT = COLUMNS.length + 1;
/** The candidate columns a row without a candidate spans with its reason (kind … score). */
const STATUS_SPAN = COLUMNS.findIndex((c) => c.id === "proposed") - COLUMNS.findIndex((c) => c.id === "kind");

export interface SpecLookup {
  /** The Strategy's spec, or undefined when it is not in the store. */
  readonly get: (strategyRef: string) => StrategySpec | undefined;
}

interface GridProps {
  readonly rows: readonly ScannerRow[];
  readonly sort: SortState;
  readonly onSort: (column: ColumnId) => void;
  readonly expanded: ReadonlySet<string>;
  readonly onToggle: (key: string, open?: boolean) => void;
  /** Highlight clock, ms. */
  readonly now: number;
  /** Strategy refs whose rows are from before a reconnect and not re-sent yet. */
  readonly outdated: ReadonlySet<string>;
  readonly specs: SpecLookup;
  readonly stale: boolean;
  readonly emptyText: string;
}

function HeaderCell({ column, sort, onSort, sticky }: { column: ColumnDef; sort: SortState; onSort: (column: ColumnId) => void; sticky: string }) {
  const active = sort.column === column.id;
  const ariaSort = active ? sort.direction : "none";
  return (
    <div
      role="columnheader"
      aria-sort={ariaSort}
      className={`scanner-th ${sticky}${column.numeric ? " num" : ""}${active ? " sorted" : ""}`}
      data-testid={`sort-${column.id}`}
      tabIndex={-1}
      title={column.title}
      onKeyDown={(event) => {
        // The header itself focused (e.g. programmatically): Enter / Space sort like the button.
        if (event.target !== event.currentTarget || (event.key !== "Enter" && event.key !== " ")) return;
        event.preventDefault();
        onSort(column.id);
      }}
    >
      <button type="button" onClick={() => { onSort(column.id); }}>
        <span>{column.label}</span>
        <span className="sort-arrow" aria-hidden="true">{active ? (sort.direction === "ascending" ? "▲" : "▼") : "↕"}</span>
      </button>
    </div>
  );
}

function ProposedCell({ row }: { row: ScannerRow }) {
  if (row.proposal !== undefined) return <span className="badge good">Proposed ×{row.proposal.quantity}</span>;
  if (row.candidate === undefined) return <span className="hint">—</span>;
  if (row.drop !== undefined) return <span className="badge muted" title={row.drop.message}>{dropLabel(row.drop.reason)}</span>;
  return <span className="hint">not proposed</span>;
}

function CandidateCells({ row }: { row: ScannerRow }) {
  const c = row.candidate;
  if (c === undefined) {
    return <div role="cell" aria-colspan={STATUS_SPAN} className="scanner-td status" style={{ gridColumn: `span ${STATUS_SPAN}` }} title={row.status}>{row.status}</div>;
  }
  const credit = isCredit(c);
  return (
    <>
      <div role="cell" className="scanner-td">{kindLabel(c.kind) || "—"}</div>
      <div role="cell" className="scanner-td num">{formatExpiry(c.expiry)} <span className="hint">{c.dte}d</span></div>
      <div role="cell" className="scanner-td num" title={strikesText(c)}>{strikesText(c)}</div>
      <div role="cell" className="scanner-td num">{num(c.shortLeg?.delta, 2)}</div>
      <div role="cell" className="scanner-td num" title={credit ? "credit received per share" : "debit paid per share"}>{num(c.limitPrice)} <span className="hint">{credit ? "cr" : "db"}</span></div>
      <div role="cell" className="scanner-td num">{num(c.midPrice)}</div>
      <div role="cell" className="scanner-td num">{num(c.naturalPrice)}</div>
      <div role="cell" className="scanner-td num">{usd(c.maxProfitPerSpreadUsd)}</div>
      <div role="cell" className="scanner-td num">{usd(c.maxLossPerSpreadUsd)}</div>
      <div role="cell" className="scanner-td num">{pct(c.returnOnRisk, 1)}</div>
      <div role="cell" className="scanner-td num">{pct(c.probabilityOfProfit)}</div>
      <div role="cell" className="scanner-td num">{num(c.expectedValue)}</div>
      <div role="cell" className="scanner-td num">{num(c.liquidityScore)}</div>
      <div role="cell" className="scanner-td num">{num(c.score, 3)} <span className="hint">#{c.rank}</span></div>
    </>
  );
}

interface RowProps {
  readonly row: ScannerRow;
  readonly index: number;
  readonly start: number;
  readonly expanded: boolean;
  readonly highlighted: boolean;
  readonly outdated: boolean;
  readonly active: boolean;
  readonly spec: StrategySpec | undefined;
  readonly measure: (element: HTMLElement | null) => void;
  readonly onToggle: (key: string, open?: boolean) => void;
  readonly onKeyDown: (event: KeyboardEvent<HTMLDivElement>, index: number) => void;
  readonly onFocusRow: (index: number) => void;
}

const GridRow = memo(function GridRow({ row, index, start, expanded, highlighted, outdated, active, spec, measure, onToggle, onKeyDown, onFocusRow }: RowProps) {
  const detailsId = useId();
  const name = row.candidate?.key ?? `${row.symbol} (${row.strategyRef})`;
  const classes = ["scanner-row"];
  if (highlighted) classes.push("changed");
  if (expanded) classes.push("expanded");
  if (outdated) classes.push("is-stale");
  if (row.synthetic) classes.push("synthetic");
  return (
    <div
      role="row"
      ref={measure}
      aria-rowindex={index + 2}
      data-index={index}
      data-key={row.key}
      data-testid="scanner-row"
      data-change={highlighted ? row.change : undefined}
      className={classes.join(" ")}
      tabIndex={active ? 0 : -1}
      style={{ transform: `translateY(${start}px)` }}
      onKeyDown={(event) => { onKeyDown(event, index); }}
      onFocus={(event) => { if (event.target === event.currentTarget) onFocusRow(index); }}
    >
      <div role="cell" className="scanner-td expand sticky-0">
        <button
          type="button"
          data-testid="expand"
          aria-expanded={expanded}
          aria-controls={expanded ? detailsId : undefined}
          aria-label={`${expanded ? "Hide" : "Show"} details of ${name}`}
          tabIndex={active ? 0 : -1}
          onClick={() => { onToggle(row.key); }}
        >
          <span aria-hidden="true">{expanded ? "▾" : "▸"}</span>
        </button>
      </div>
      <div role="cell" className="scanner-td sticky-1" title={row.strategyRef}>{row.strategyRef}</div>
      <div role="cell" className="scanner-td sticky-2 symbol">{row.symbol}</div>
      <CandidateCells row={row} />
      <div role="cell" className="scanner-td"><ProposedCell row={row} /></div>
      <div role="cell" className="scanner-td num updated">
        {highlighted && row.change !== undefined ? <span className={`marker ${row.change}`}>{row.change}</span> : null}
        {outdated ? <span className="marker outdated" title="Not re-sent since the stream reconnected; may be out of date">stale</span> : null}
        {clockTime(row.evaluatedAt)}
      </div>
      {expanded ? (
        <div role="cell" aria-colspan={COLUMN_COUNT} id={detailsId} className="scanner-details">
          <RowDetails row={row} spec={spec} specKnown={spec !== undefined} />
        </div>
      ) : null}
    </div>
  );
});

export function ScannerGrid({ rows, sort, onSort, expanded, onToggle, now, outdated, specs, stale, emptyText }: GridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [activeIndex, setActiveIndex] = useState(0);
  const pendingFocus = useRef<number | undefined>(undefined);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (expanded.has(rows[i]?.key ?? "") ? EXPANDED_ESTIMATE : ROW_HEIGHT),
    getItemKey: (i) => rows[i]?.key ?? i,
    overscan: 10,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });

  const active = Math.min(activeIndex, Math.max(0, rows.length - 1));

  // Latest values for the stable key handler (rows re-render only when their own props change).
  const latest = useRef({ rows, expanded, onToggle, virtualizer });
  latest.current = { rows, expanded, onToggle, virtualizer };

  const moveTo = useCallback((index: number) => {
    const { rows: current, virtualizer: v } = latest.current;
    if (current.length === 0) return;
    const next = Math.max(0, Math.min(current.length - 1, index));
    setActiveIndex(next);
    pendingFocus.current = next;
    v.scrollToIndex(next, { align: "auto" });
  }, []);

  const onKeyDown = useCallback((event: KeyboardEvent<HTMLDivElement>, index: number) => {
    if (event.target !== event.currentTarget) return;
    const { rows: current, expanded: open, onToggle: toggle } = latest.current;
    const key = current[index]?.key;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    switch (event.key) {
      case "ArrowDown": moveTo(index + 1); break;
      case "ArrowUp": moveTo(index - 1); break;
      case "PageDown": moveTo(index + page); break;
      case "PageUp": moveTo(index - page); break;
      case "Home": moveTo(0); break;
      case "End": moveTo(current.length - 1); break;
      case "Enter": if (key !== undefined) toggle(key); break;
      case "ArrowRight": if (key !== undefined && !open.has(key)) toggle(key, true); break;
      case "ArrowLeft": if (key !== undefined && open.has(key)) toggle(key, false); break;
      default: return;
    }
    event.preventDefault();
  }, [moveTo]);

  const onFocusRow = useCallback((index: number) => { setActiveIndex(index); }, []);

  // Focus the row keyboard navigation moved to, once it is rendered.
  useEffect(() => {
    const index = pendingFocus.current;
    if (index === undefined) return;
    const element = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    if (element === null || element === undefined) return;
    pendingFocus.current = undefined;
    element.focus({ preventScroll: true });
  });

  const items = virtualizer.getVirtualItems();
  const direction = sort.direction;
  return (
    <div className={`scanner-grid${stale ? " is-stale" : ""}`} ref={scrollRef} data-testid="scanner-grid" aria-busy={stale ? true : undefined}>
      <div role="table" aria-label={`Scanner candidates, sorted by ${COLUMNS.find((c) => c.id === sort.column)?.label ?? sort.column} ${direction}`} aria-rowcount={rows.length + 1} aria-colcount={COLUMN_COUNT} className="scanner-table">
        <div role="rowgroup" className="scanner-head-group">
          <div role="row" aria-rowindex={1} className="scanner-head">
            <div role="columnheader" className="scanner-th expand sticky-0"><span className="visually-hidden">Details</span></div>
            {COLUMNS.map((column, i) => (
              <HeaderCell key={column.id} column={column} sort={sort} onSort={onSort} sticky={i < 2 ? `sticky-${i + 1}` : ""} />
            ))}
          </div>
        </div>
        <div role="rowgroup" className="scanner-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (row === undefined) return null;
            return (
              <GridRow
                key={item.key}
                row={row}
                index={item.index}
                start={item.start - HEADER_HEIGHT}
                expanded={expanded.has(row.key)}
                highlighted={isHighlighted(row, now)}
                outdated={outdated.has(row.strategyRef)}
                active={item.index === active}
                spec={expanded.has(row.key) ? specs.get(row.strategyRef) : undefined}
                measure={virtualizer.measureElement}
                onToggle={onToggle}
                onKeyDown={onKeyDown}
                onFocusRow={onFocusRow}
              />
            );
          })}
        </div>
      </div>
      {rows.length === 0 ? <p className="scanner-empty-rows hint">{emptyText}</p> : null}
    </div>
  );
}
