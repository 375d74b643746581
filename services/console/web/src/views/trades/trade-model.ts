/**
 * The Trades view's model, pure: which section a Trade belongs to, the order of each section,
 * the optimistic state of an action the trader just took, where the P&L shown comes from, and
 * what changed in a proposal while the trader was looking at it.
 */
import type { TradeResource } from "@spreadops/resources/schema";

export type Section = "waiting" | "open" | "history";

const OPEN_PHASES: ReadonlySet<string> = new Set(["Approved", "Submitted", "PartiallyFilled", "Open", "Closing"]);
const HISTORY_PHASES: ReadonlySet<string> = new Set(["Closed", "Rejected", "Cancelled", "Expired"]);

const ms = (rfc3339: string | undefined): number => {
  if (rfc3339 === undefined) return Number.NaN;
  return Date.parse(rfc3339);
};

/**
 * Waiting for approval: Proposed, Previewed or no phase yet, neither approved nor rejected.
 * A proposal already approved (or rejected) by spec but not yet moved by the controller goes
 * with the section it is heading to, so it never sits among the ones still to decide.
 */
export function sectionOf(trade: TradeResource): Section {
  const phase = trade.status?.phase;
  if (phase !== undefined && HISTORY_PHASES.has(phase)) return "history";
  if (phase !== undefined && OPEN_PHASES.has(phase)) return "open";
  if (trade.spec?.rejected === true) return "history";
  if (trade.spec?.approved === true) return "open";
  return "waiting";
}

/** True when the Trade can still be approved or rejected (by its spec and phase). */
export const isDecidable = (trade: TradeResource): boolean => sectionOf(trade) === "waiting";

/** True when the trader may ask to close it: Open or PartiallyFilled and not asked yet. */
export const isClosable = (trade: TradeResource): boolean =>
  (trade.status?.phase === "Open" || trade.status?.phase === "PartiallyFilled") && trade.spec?.close !== true;

export interface Sections {
  /** Newest proposal first. */
  readonly waiting: readonly TradeResource[];
  /** Most recently opened first; not yet opened (Approved, Submitted) before those, newest first. */
  readonly open: readonly TradeResource[];
  /** Most recently ended first (closedAt, else creation time). */
  readonly history: readonly TradeResource[];
}

/** Descending by time, unknown times last, then by name for a stable order. */
const newestFirst = (time: (t: TradeResource) => number) => (a: TradeResource, b: TradeResource): number => {
  const ta = time(a);
  const tb = time(b);
  const aKnown = Number.isFinite(ta);
  const bKnown = Number.isFinite(tb);
  if (aKnown && bKnown && ta !== tb) return tb - ta;
  if (aKnown !== bKnown) return aKnown ? -1 : 1;
  return a.metadata.name.localeCompare(b.metadata.name);
};

const created = (t: TradeResource): number => ms(t.metadata.creationTimestamp);
const opened = (t: TradeResource): number => ms(t.status?.openedAt);
const endedOrCreated = (t: TradeResource): number => {
  const closed = ms(t.status?.closedAt);
  return Number.isFinite(closed) ? closed : created(t);
};

export function sectionTrades(trades: readonly TradeResource[]): Sections {
  const waiting: TradeResource[] = [];
  const open: TradeResource[] = [];
  const history: TradeResource[] = [];
  for (const trade of trades) {
    const section = sectionOf(trade);
    if (section === "waiting") waiting.push(trade);
    else if (section === "open") open.push(trade);
    else history.push(trade);
  }
  waiting.sort(newestFirst(created));
  open.sort((a, b) => {
    const oa = Number.isFinite(opened(a));
    const ob = Number.isFinite(opened(b));
    if (oa !== ob) return oa ? 1 : -1;
    return oa ? newestFirst(opened)(a, b) : newestFirst(created)(a, b);
  });
  history.sort(newestFirst(endedOrCreated));
  return { waiting, open, history };
}

// ---------------------------------------------------------------------------------------------
// Optimistic actions
// ---------------------------------------------------------------------------------------------

export type PendingAction = "approve" | "reject" | "close";

export interface Pending {
  readonly action: PendingAction;
  /** The resourceVersion the action was sent for. */
  readonly resourceVersion: string | undefined;
  /** True until the console answered. */
  readonly inFlight: boolean;
}

/**
 * Whether an optimistic marker is still needed once the store shows `trade`: it goes as soon as
 * the store reflects the action (spec flag set, or the Trade moved on), or the Trade is gone.
 */
export function pendingStillNeeded(pending: Pending, trade: TradeResource | undefined): boolean {
  if (trade === undefined) return false;
  switch (pending.action) {
    case "approve": return trade.spec?.approved !== true && sectionOf(trade) === "waiting";
    case "reject": return trade.spec?.rejected !== true && sectionOf(trade) === "waiting";
    case "close": return trade.spec?.close !== true && isClosable(trade);
  }
}

/** Drops the markers the store has caught up with; returns the same map when nothing changed. */
export function prunePending(pending: ReadonlyMap<string, Pending>, trades: readonly TradeResource[]): ReadonlyMap<string, Pending> {
  if (pending.size === 0) return pending;
  const byName = new Map(trades.map((t) => [t.metadata.name, t]));
  let next: Map<string, Pending> | undefined;
  for (const [name, marker] of pending) {
    if (marker.inFlight || pendingStillNeeded(marker, byName.get(name))) continue;
    next ??= new Map(pending);
    next.delete(name);
  }
  return next ?? pending;
}

// ---------------------------------------------------------------------------------------------
// Live P&L
// ---------------------------------------------------------------------------------------------

/** What the execution service last said about a spread (StreamSpreadEvents). */
export interface ExecutionQuote {
  readonly unrealizedPnlUsd: number | undefined;
  readonly realizedPnlUsd: number | undefined;
  readonly currentMid: number | undefined;
  readonly multiplier: number | undefined;
  /** The event's time, else when it arrived; ms since the epoch. */
  readonly at: number;
}

/** The execution service's id of a Trade: status.orderRef, which the controller sets to the uid. */
export const tradeIdOf = (trade: TradeResource): string | undefined => {
  const ref = trade.status?.orderRef;
  if (ref !== undefined && ref !== "") return ref;
  const uid = trade.metadata.uid;
  return uid === undefined || uid === "" ? undefined : uid;
};

export interface ShownPnl {
  readonly value: number | undefined;
  readonly source: "execution" | "status" | "none";
  /** When the execution service reported it (source execution only). */
  readonly at?: number;
  /** True when the execution stream is not live: the number may be old. */
  readonly stale: boolean;
}

/**
 * The unrealized P&L to show: the execution service's streamed value while its stream is live;
 * otherwise the Trade status (which the controller keeps from the same service); the last
 * streamed value, marked stale, when the status has none.
 */
export function shownUnrealized(trade: TradeResource, quote: ExecutionQuote | undefined, executionLive: boolean): ShownPnl {
  const fromStatus = trade.status?.unrealizedPnl;
  if (quote?.unrealizedPnlUsd !== undefined && executionLive) return { value: quote.unrealizedPnlUsd, source: "execution", at: quote.at, stale: false };
  if (fromStatus !== undefined) return { value: fromStatus, source: "status", stale: false };
  if (quote?.unrealizedPnlUsd !== undefined) return { value: quote.unrealizedPnlUsd, source: "execution", at: quote.at, stale: true };
  return { value: undefined, source: "none", stale: !executionLive };
}

// ---------------------------------------------------------------------------------------------
// What changed in a proposal
// ---------------------------------------------------------------------------------------------

export interface FieldChange {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

const show = (value: unknown): string => {
  if (value === undefined || value === null) return "unset";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  return JSON.stringify(value);
};

/**
 * The fields a trader decides on that differ between the version they looked at and the current
 * one: order terms, the preview's numbers, approval flags and the phase.
 */
export function proposalChanges(before: TradeResource, after: TradeResource): FieldChange[] {
  const fields: [string, (t: TradeResource) => unknown][] = [
    ["quantity", (t) => t.spec?.quantity],
    ["limit price", (t) => t.spec?.limitPrice],
    ["mode", (t) => t.spec?.mode],
    ["preview max loss", (t) => t.status?.preview?.maxLoss],
    ["preview max profit", (t) => t.status?.preview?.maxProfit],
    ["preview breakeven", (t) => t.status?.preview?.breakeven],
    ["preview initial margin", (t) => t.status?.preview?.initMargin],
    ["preview maintenance margin", (t) => t.status?.preview?.maintMargin],
    ["preview commission", (t) => t.status?.preview?.commission],
    ["automatic execution allowed", (t) => t.status?.preview?.automaticExecutionAllowed],
    ["approved", (t) => t.spec?.approved],
    ["rejected", (t) => t.spec?.rejected],
    ["phase", (t) => t.status?.phase],
    ["message", (t) => t.status?.message],
  ];
  const out: FieldChange[] = [];
  for (const [field, get] of fields) {
    const a = show(get(before));
    const b = show(get(after));
    if (a !== b) out.push({ field, before: a, after: b });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Table sorting
// ---------------------------------------------------------------------------------------------

export type SortDirection = "ascending" | "descending";

/**
 * Sorts by a key; undefined, NaN and empty keys go last in either direction (an unknown P&L is
 * not a small one). Stable for equal keys.
 */
export function sortBy<T>(rows: readonly T[], key: (row: T) => number | string | undefined, direction: SortDirection): T[] {
  const sign = direction === "ascending" ? 1 : -1;
  const known = (v: number | string | undefined): v is number | string => v !== undefined && v !== "" && !(typeof v === "number" && Number.isNaN(v));
  return rows
    .map((row, index) => ({ row, index, value: key(row) }))
    .sort((a, b) => {
      const ka = known(a.value);
      const kb = known(b.value);
      if (!ka || !kb) return ka === kb ? a.index - b.index : ka ? -1 : 1;
      const va = a.value as number | string;
      const vb = b.value as number | string;
      const cmp = typeof va === "number" && typeof vb === "number" ? va - vb : String(va).localeCompare(String(vb));
      return cmp === 0 ? a.index - b.index : sign * cmp;
    })
    .map((x) => x.row);
}

/**
 * The controller's status message without the proposal's reason, which the card already shows
 * as "Why" (the controller repeats it: "waiting for approval (…); <reason>; preview: …").
 * Undefined when nothing is left.
 */
export function statusNote(message: string | undefined, reason: string | undefined): string | undefined {
  if (message === undefined || message.trim() === "") return undefined;
  if (reason === undefined || reason.trim() === "" || !message.includes(reason)) return message;
  const rest = message.replace(reason, "").replace(/;\s*;/g, ";").replace(/^[\s;]+|[\s;]+$/g, "");
  return rest === "" ? undefined : rest;
}
