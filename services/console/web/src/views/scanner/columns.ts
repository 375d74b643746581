/**
 * The scanner grid's columns and their sort order. Numbers compare numerically, strings by the
 * locale (numeric-aware); unknown values (undefined, NaN, "") sort last in both directions, and
 * equal values keep the rows' incoming order, so a sort is stable and O(n log n).
 */
import { kindLabel, type ScannerRow } from "./scanner-model";

export type SortValue = number | string | undefined;
export type SortDirection = "ascending" | "descending";

export const COLUMN_IDS = [
  "strategy", "symbol", "kind", "expiry", "strikes", "shortDelta", "limit", "mid", "natural",
  "maxProfit", "maxLoss", "ror", "pop", "ev", "liquidity", "score", "proposed", "updated",
] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

export interface ColumnDef {
  readonly id: ColumnId;
  /** Header text. */
  readonly label: string;
  /** Longer description (header tooltip and accessible description). */
  readonly title: string;
  /** Right-aligned tabular numbers. */
  readonly numeric: boolean;
  /** The value the column sorts by. */
  readonly value: (row: ScannerRow) => SortValue;
}

const abs = (value: number | undefined): number | undefined => (value === undefined ? undefined : Math.abs(value));

export const COLUMNS: readonly ColumnDef[] = [
  { id: "strategy", label: "Strategy", title: "Strategy (namespace/name)", numeric: false, value: (r) => r.strategyRef },
  { id: "symbol", label: "Symbol", title: "Underlying symbol", numeric: false, value: (r) => r.symbol },
  { id: "kind", label: "Kind", title: "Spread kind", numeric: false, value: (r) => (r.candidate === undefined ? undefined : kindLabel(r.candidate.kind)) },
  { id: "expiry", label: "Expiry / DTE", title: "Expiry date and calendar days to expiry", numeric: false, value: (r) => r.candidate?.expiry },
  { id: "strikes", label: "Strikes", title: "Short strike / long strike, USD per share (sorted by the short strike)", numeric: true, value: (r) => r.candidate?.shortLeg?.strike },
  { id: "shortDelta", label: "Short Δ", title: "Delta of the short leg per share as reported (sorted by |delta|)", numeric: true, value: (r) => abs(r.candidate?.shortLeg?.delta) },
  { id: "limit", label: "Limit", title: "Suggested limit price, USD per share: credit received (cr) or debit paid (db)", numeric: true, value: (r) => r.candidate?.limitPrice },
  { id: "mid", label: "Mid", title: "Mid price, USD per share, in the spread's direction", numeric: true, value: (r) => r.candidate?.midPrice },
  { id: "natural", label: "Natural", title: "Natural price (crossing both quotes), USD per share", numeric: true, value: (r) => r.candidate?.naturalPrice },
  { id: "maxProfit", label: "Max profit", title: "Max profit of one spread at the limit, USD", numeric: true, value: (r) => r.candidate?.maxProfitPerSpreadUsd },
  { id: "maxLoss", label: "Max loss", title: "Max loss of one spread at the limit, USD", numeric: true, value: (r) => r.candidate?.maxLossPerSpreadUsd },
  { id: "ror", label: "RoR", title: "Return on risk: max profit / max loss", numeric: true, value: (r) => r.candidate?.returnOnRisk },
  { id: "pop", label: "POP", title: "Probability of profit at expiry", numeric: true, value: (r) => r.candidate?.probabilityOfProfit },
  { id: "ev", label: "EV", title: "Expected value at expiry, USD per share", numeric: true, value: (r) => r.candidate?.expectedValue },
  { id: "liquidity", label: "Liq.", title: "Liquidity score of both legs, 0–1", numeric: true, value: (r) => r.candidate?.liquidityScore },
  { id: "score", label: "Score/rank", title: "Ranking score 0–1 and rank within its scan (sorted by score)", numeric: true, value: (r) => r.candidate?.score },
  { id: "proposed", label: "Proposed?", title: "Proposed, or why not (sorted: proposed, not proposed, no candidate)", numeric: false, value: (r) => (r.proposal !== undefined ? 0 : r.candidate !== undefined ? 1 : 2) },
  { id: "updated", label: "Updated", title: "Time of the evaluation behind the row", numeric: true, value: (r) => r.evaluatedAt },
];

export const COLUMN_BY_ID: ReadonlyMap<ColumnId, ColumnDef> = new Map(COLUMNS.map((c) => [c.id, c]));

export const isColumnId = (value: string): value is ColumnId => (COLUMN_IDS as readonly string[]).includes(value);

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

const isUnknown = (value: SortValue): value is undefined => value === undefined || value === "" || (typeof value === "number" && Number.isNaN(value));

/**
 * Orders two sort values in `direction`; unknown values go last whichever the direction.
 * Numbers come before strings if a column ever mixes them.
 */
export function compareSortValues(a: SortValue, b: SortValue, direction: SortDirection): number {
  const aUnknown = isUnknown(a);
  const bUnknown = isUnknown(b);
  if (aUnknown || bUnknown) return aUnknown === bUnknown ? 0 : aUnknown ? 1 : -1;
  let order: number;
  if (typeof a === "number" && typeof b === "number") order = a < b ? -1 : a > b ? 1 : 0;
  else if (typeof a === "string" && typeof b === "string") order = collator.compare(a, b);
  else order = typeof a === "number" ? -1 : 1;
  return direction === "ascending" ? order : -order;
}

export interface SortState {
  readonly column: ColumnId;
  readonly direction: SortDirection;
}

export const DEFAULT_SORT: SortState = { column: "score", direction: "descending" };

/** A sorted copy: each row's value is read once, then sorted (stable on ties). */
export function sortRows(rows: readonly ScannerRow[], sort: SortState): ScannerRow[] {
  const column = COLUMN_BY_ID.get(sort.column);
  if (column === undefined) return [...rows];
  const decorated = rows.map((row, index) => ({ row, index, value: column.value(row) }));
  decorated.sort((x, y) => compareSortValues(x.value, y.value, sort.direction) || x.index - y.index);
  return decorated.map((d) => d.row);
}

/** Clicking a header: the same column flips direction; another column starts ascending. */
export const nextSort = (current: SortState, column: ColumnId): SortState =>
  current.column === column
    ? { column, direction: current.direction === "ascending" ? "descending" : "ascending" }
    : { column, direction: "ascending" };
