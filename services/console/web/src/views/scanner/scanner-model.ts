/**
 * The scanner view's data model: StrategyService.WatchEvaluations messages flattened into grid
 * rows, one per (strategy, symbol, candidate), with change marks for the highlight, per-strategy
 * freshness across reconnects, the grid's filters, and the synthetic demo rows. Pure: no React,
 * no network, no clock (callers pass `now`).
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import {
  Direction,
  DropReason,
  DropSchema,
  OptionRight,
  OrderAction,
  PriceEffect,
  ProposalSchema,
  SpreadCandidateSchema,
  SpreadKind,
  SpreadLegSchema,
  UniverseCheck,
  type Drop,
  type EvaluateResponse,
  type Proposal,
  type SpreadCandidate,
  type SymbolEvaluation,
  type WatchEvaluationsResponse,
} from "@spreadops/api";

/** How long a new or changed row stays highlighted, ms. */
export const HIGHLIGHT_MS = 3000;

export type ChangeMark = "new" | "changed";

export interface ScannerRow {
  /** Row identity: strategy ref + candidate key, or strategy ref + symbol for a row without a candidate. */
  readonly key: string;
  /** "namespace/name". */
  readonly strategyRef: string;
  readonly symbol: string;
  /** Undefined for a symbol without any candidate (the row says why in `status`). */
  readonly candidate: SpreadCandidate | undefined;
  /** The symbol's evaluation (signals, kind reason, IV); undefined for a symbol only named in `dropped`. */
  readonly symbolEvaluation: SymbolEvaluation | undefined;
  /** The proposal made from this candidate, when it was proposed. */
  readonly proposal: Proposal | undefined;
  /** The drop of this candidate; else, when not proposed, the drop of its whole symbol. */
  readonly drop: Drop | undefined;
  /** For a row without a candidate: why, e.g. "No signal" or "Outside window — …"; "" otherwise. */
  readonly status: string;
  /** The evaluation's as-of time, ms since epoch. */
  readonly evaluatedAt: number | undefined;
  /** Set when the row is new or one of its watched numbers changed; kept while unchanged. */
  readonly change: ChangeMark | undefined;
  /** When `change` was set, ms since epoch. */
  readonly changedAt: number | undefined;
  /** A synthetic demo row (never from the API). */
  readonly synthetic: boolean;
}

export const rowKey = (strategyRef: string, candidateKeyOrSymbol: string): string => `${strategyRef}|${candidateKeyOrSymbol}`;

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

export const DROP_LABELS: Readonly<Record<DropReason, string>> = {
  [DropReason.UNSPECIFIED]: "Dropped",
  [DropReason.PAUSED]: "Paused",
  [DropReason.OUTSIDE_WINDOW]: "Outside window",
  [DropReason.NOT_IN_UNIVERSE]: "Not in universe",
  [DropReason.NO_MARKET_DATA]: "No market data",
  [DropReason.NO_SIGNAL]: "No signal",
  [DropReason.IV_UNKNOWN]: "IV unknown",
  [DropReason.SCAN_FAILED]: "Scan failed",
  [DropReason.NO_CANDIDATES]: "No candidates",
  [DropReason.ALREADY_OPEN]: "Already open",
  [DropReason.MAX_RISK_PER_TRADE]: "Max risk per trade",
  [DropReason.MAX_OPEN_TRADES]: "Max open trades",
  [DropReason.MAX_DAILY_LOSS]: "Max daily loss",
  [DropReason.BUYING_POWER]: "Buying power",
  [DropReason.OUTRANKED]: "Outranked",
};

/** Looks an enum value up in a label table; a value newer than this build gets `fallback`. */
const lookup = <K extends number>(table: Readonly<Record<K, string>>, value: K, fallback: string): string =>
  (table as Readonly<Partial<Record<number, string>>>)[value] ?? fallback;

export const dropLabel = (reason: DropReason): string => lookup(DROP_LABELS, reason, `Dropped (${reason})`);

/** "Outranked — a better candidate …", or only the label when there is no message. */
export const describeDrop = (drop: Drop): string => (drop.message === "" ? dropLabel(drop.reason) : `${dropLabel(drop.reason)} — ${drop.message}`);

export const KIND_LABELS: Readonly<Record<SpreadKind, string>> = {
  [SpreadKind.UNSPECIFIED]: "",
  [SpreadKind.BULL_PUT]: "Bull put",
  [SpreadKind.BEAR_CALL]: "Bear call",
  [SpreadKind.BULL_CALL]: "Bull call",
  [SpreadKind.BEAR_PUT]: "Bear put",
};

export const kindLabel = (kind: SpreadKind): string => lookup(KIND_LABELS, kind, "");

export const directionLabel = (direction: Direction): string =>
  direction === Direction.BULLISH ? "bullish" : direction === Direction.BEARISH ? "bearish" : "";

const UNIVERSE_LABELS: Readonly<Record<UniverseCheck, string>> = {
  [UniverseCheck.UNSPECIFIED]: "unknown check",
  [UniverseCheck.PRICE]: "price",
  [UniverseCheck.AVG_VOLUME]: "average volume",
  [UniverseCheck.MARKET_CAP]: "market cap",
  [UniverseCheck.OPTIONABLE]: "not optionable",
  [UniverseCheck.DATA]: "no data",
};

export const universeLabel = (check: UniverseCheck): string => lookup(UNIVERSE_LABELS, check, "unknown check");

/** True for credit spreads (bull put, bear call): the limit is a credit received. */
export function isCredit(candidate: SpreadCandidate): boolean {
  if (candidate.priceEffect === PriceEffect.CREDIT) return true;
  if (candidate.priceEffect === PriceEffect.DEBIT) return false;
  return candidate.kind === SpreadKind.BULL_PUT || candidate.kind === SpreadKind.BEAR_CALL;
}

/** Why a symbol has no candidate: its drop when there is one, else what the evaluation says. */
export function symbolStatus(evaluation: SymbolEvaluation | undefined, drop: Drop | undefined): string {
  if (drop !== undefined) return describeDrop(drop);
  if (evaluation === undefined) return "Not evaluated";
  if (!evaluation.inUniverse) {
    const failed = evaluation.universeFailed.map(universeLabel);
    return failed.length === 0 ? "Not in universe" : `Not in universe: ${failed.join(", ")}`;
  }
  if (!evaluation.entryAgreed) return "No signal";
  return "No candidates";
}

// ---------------------------------------------------------------------------------------------
// Flattening
// ---------------------------------------------------------------------------------------------

const msOf = (timestamp: EvaluateResponse["asOf"]): number | undefined => (timestamp === undefined ? undefined : timestampMs(timestamp));

/**
 * One row per (symbol, candidate) of one evaluation, in universe order and rank order; a symbol
 * without candidates gets one row saying why. Symbols named only in `dropped` get a row too;
 * drops without a symbol (strategy-wide) are not rows (see strategyDrops). No change marks yet.
 */
export function flattenEvaluation(strategyRef: string, evaluation: EvaluateResponse): ScannerRow[] {
  const evaluatedAt = msOf(evaluation.asOf);
  const proposals = new Map<string, Proposal>();
  for (const proposal of evaluation.proposals) {
    if (proposal.candidate !== undefined && !proposals.has(proposal.candidate.key)) proposals.set(proposal.candidate.key, proposal);
  }
  const candidateDrops = new Map<string, Drop>();
  const symbolDrops = new Map<string, Drop>();
  for (const drop of evaluation.dropped) {
    if (drop.symbol === "" && drop.candidateKey === "") continue;
    if (drop.candidateKey !== "") {
      if (!candidateDrops.has(drop.candidateKey)) candidateDrops.set(drop.candidateKey, drop);
    } else if (!symbolDrops.has(drop.symbol)) {
      symbolDrops.set(drop.symbol, drop);
    }
  }

  const rows: ScannerRow[] = [];
  const used = new Set<string>();
  const unique = (key: string): string => {
    let candidate = key;
    for (let n = 2; used.has(candidate); n++) candidate = `${key}#${n}`;
    used.add(candidate);
    return candidate;
  };
  const base = { strategyRef, evaluatedAt, change: undefined, changedAt: undefined, synthetic: false } as const;
  const seen = new Set<string>();

  for (const symbol of evaluation.symbols) {
    seen.add(symbol.symbol);
    const symbolDrop = symbolDrops.get(symbol.symbol);
    if (symbol.topCandidates.length === 0) {
      rows.push({ ...base, key: unique(rowKey(strategyRef, symbol.symbol)), symbol: symbol.symbol, candidate: undefined, symbolEvaluation: symbol, proposal: undefined, drop: symbolDrop, status: symbolStatus(symbol, symbolDrop) });
      continue;
    }
    for (const candidate of symbol.topCandidates) {
      const proposal = proposals.get(candidate.key);
      const drop = candidateDrops.get(candidate.key) ?? (proposal === undefined ? symbolDrop : undefined);
      rows.push({ ...base, key: unique(rowKey(strategyRef, candidate.key)), symbol: symbol.symbol, candidate, symbolEvaluation: symbol, proposal, drop, status: "" });
    }
  }
  // Symbols that were dropped before they were evaluated (e.g. no market data).
  for (const drop of evaluation.dropped) {
    if (drop.symbol === "" || seen.has(drop.symbol)) continue;
    seen.add(drop.symbol);
    const symbolDrop = symbolDrops.get(drop.symbol) ?? drop;
    rows.push({ ...base, key: unique(rowKey(strategyRef, drop.symbol)), symbol: drop.symbol, candidate: undefined, symbolEvaluation: undefined, proposal: undefined, drop: symbolDrop, status: symbolStatus(undefined, symbolDrop) });
  }
  return rows;
}

/** Drops that concern the whole strategy (no symbol), e.g. paused. */
export const strategyDrops = (evaluation: EvaluateResponse): Drop[] => evaluation.dropped.filter((d) => d.symbol === "" && d.candidateKey === "");

// ---------------------------------------------------------------------------------------------
// Change marking
// ---------------------------------------------------------------------------------------------

const sameNumber = (a: number | undefined, b: number | undefined): boolean => a === b || (a !== undefined && b !== undefined && Number.isNaN(a) && Number.isNaN(b));

/** Whether a row's watched values differ: limit, mid, score and short-leg delta (status for rows without a candidate). */
export function rowChanged(previous: ScannerRow, next: ScannerRow): boolean {
  const a = previous.candidate;
  const b = next.candidate;
  if (a === undefined || b === undefined) return a !== b || previous.status !== next.status;
  return !sameNumber(a.limitPrice, b.limitPrice)
    || !sameNumber(a.midPrice, b.midPrice)
    || !sameNumber(a.score, b.score)
    || !sameNumber(a.shortLeg?.delta, b.shortLeg?.delta);
}

/**
 * Marks `next` against the strategy's previous rows: a row with a key not seen before is "new",
 * one whose watched values changed is "changed" (both stamped `now`); an unchanged row keeps its
 * previous mark and time, so a highlight is never restarted by a repeat. Without previous rows,
 * a first (initial) snapshot is not a change and is left unmarked; a strategy first seen in a
 * live (non-initial) message has only new rows.
 */
export function markChanges(previous: readonly ScannerRow[] | undefined, next: readonly ScannerRow[], now: number, initial: boolean): ScannerRow[] {
  if (previous === undefined) {
    return initial ? [...next] : next.map((row) => ({ ...row, change: "new", changedAt: now }));
  }
  const byKey = new Map(previous.map((row) => [row.key, row]));
  return next.map((row) => {
    const before = byKey.get(row.key);
    if (before === undefined) return { ...row, change: "new", changedAt: now };
    if (rowChanged(before, row)) return { ...row, change: "changed", changedAt: now };
    return before.change === undefined ? row : { ...row, change: before.change, changedAt: before.changedAt };
  });
}

/** Whether a row is highlighted at `now` (for HIGHLIGHT_MS after its change). */
export const isHighlighted = (row: ScannerRow, now: number): boolean =>
  row.changedAt !== undefined && now < row.changedAt + HIGHLIGHT_MS;

/** The next time a highlight ends after `now`, or undefined when none is active. */
export function nextHighlightEnd(rows: readonly ScannerRow[], now: number): number | undefined {
  let next: number | undefined;
  for (const row of rows) {
    if (row.changedAt === undefined) continue;
    const end = row.changedAt + HIGHLIGHT_MS;
    if (end > now && (next === undefined || end < next)) next = end;
  }
  return next;
}

// ---------------------------------------------------------------------------------------------
// Stream state
// ---------------------------------------------------------------------------------------------

export interface StrategyEntry {
  readonly strategyRef: string;
  readonly evaluation: EvaluateResponse;
  readonly rows: readonly ScannerRow[];
  /** When the message arrived, ms since epoch. */
  readonly receivedAt: number;
  /** False from a reconnect until the stream sends this strategy again (its rows may be out of date). */
  readonly current: boolean;
}

export interface ScannerState {
  /** By strategy ref, sorted by ref. */
  readonly strategies: ReadonlyMap<string, StrategyEntry>;
  /** True from a reconnect (with rows to keep) until the first message after it. */
  readonly reconnecting: boolean;
}

export const EMPTY_SCANNER_STATE: ScannerState = { strategies: new Map(), reconnecting: false };

/** Applies one WatchEvaluations message: replaces that strategy's rows, marking changes. */
export function applyEvaluationMessage(state: ScannerState, message: WatchEvaluationsResponse, now: number): ScannerState {
  const evaluation = message.evaluation;
  if (evaluation === undefined || evaluation.dryRun || message.strategyRef === "") return state;
  const previous = state.strategies.get(message.strategyRef);
  const rows = markChanges(previous?.rows, flattenEvaluation(message.strategyRef, evaluation), now, message.initial);
  const entry: StrategyEntry = { strategyRef: message.strategyRef, evaluation, rows, receivedAt: now, current: true };
  const strategies = new Map(state.strategies);
  strategies.set(message.strategyRef, entry);
  const sorted = previous === undefined ? new Map([...strategies].sort(([a], [b]) => a.localeCompare(b))) : strategies;
  return { strategies: sorted, reconnecting: false };
}

/** A new stream attempt: keep every row, but none is current until the stream re-sends it. */
export function markReconnecting(state: ScannerState): ScannerState {
  if (state.strategies.size === 0) return state;
  const strategies = new Map<string, StrategyEntry>();
  for (const [ref, entry] of state.strategies) strategies.set(ref, entry.current ? { ...entry, current: false } : entry);
  return { strategies, reconnecting: true };
}

/** Every row, strategies in ref order, each in evaluation order. */
export function allRows(state: ScannerState): ScannerRow[] {
  const rows: ScannerRow[] = [];
  for (const entry of state.strategies.values()) rows.push(...entry.rows);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------------------------

export interface RowFilter {
  /** Strategy ref; "" = all. */
  readonly strategy: string;
  /** Case-insensitive part of the symbol; "" = all. */
  readonly symbol: string;
  readonly proposedOnly: boolean;
}

export const NO_FILTER: RowFilter = { strategy: "", symbol: "", proposedOnly: false };

/** The rows passing the filter, in the given order; the same array when nothing filters. */
export function filterRows(rows: readonly ScannerRow[], filter: RowFilter): readonly ScannerRow[] {
  const symbol = filter.symbol.trim().toUpperCase();
  if (filter.strategy === "" && symbol === "" && !filter.proposedOnly) return rows;
  return rows.filter((row) =>
    (filter.strategy === "" || row.strategyRef === filter.strategy)
    && (symbol === "" || row.symbol.toUpperCase().includes(symbol))
    && (!filter.proposedOnly || row.proposal !== undefined));
}

/** The strategy's CR among the store's: by "namespace/name", or by name when the CR has no namespace. */
export function findStrategy<T extends { metadata: { name: string; namespace?: string } }>(strategies: readonly T[], strategyRef: string): T | undefined {
  const slash = strategyRef.indexOf("/");
  const name = slash < 0 ? strategyRef : strategyRef.slice(slash + 1);
  const namespace = slash < 0 ? undefined : strategyRef.slice(0, slash);
  return strategies.find((s) => s.metadata.name === name && (namespace === undefined || s.metadata.namespace === undefined || s.metadata.namespace === namespace));
}

// ---------------------------------------------------------------------------------------------
// Synthetic demo rows
// ---------------------------------------------------------------------------------------------

/** Strategy ref of the synthetic demo rows. */
export const DEMO_STRATEGY_REF = "demo/synthetic";
export const MAX_DEMO_ROWS = 20_000;

/** `?demoRows=N` → N clamped to 0…MAX_DEMO_ROWS; 0 when absent or not a whole number. */
export function parseDemoRows(search: URLSearchParams): number {
  const raw = search.get("demoRows");
  if (raw === null || !/^\d+$/.test(raw.trim())) return 0;
  return Math.min(MAX_DEMO_ROWS, Number.parseInt(raw.trim(), 10));
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEMO_SYMBOLS = Array.from({ length: 26 }, (_, i) => `SYN${String.fromCharCode(65 + i)}`);
const DEMO_EXPIRIES = [20270115, 20270219, 20270319, 20270416, 20270521, 20270618];
const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * TEST / DEMO AID — never touches the API. `count` made-up candidate rows of the strategy
 * "demo/synthetic" (symbols SYNA…SYNZ), for checking the grid's virtualisation and sorting with
 * thousands of rows: the view adds them when its URL has `?demoRows=N` and labels them as
 * synthetic. Deterministic for a given count and time; keys are unique.
 */
export function syntheticRows(count: number, nowMs: number): ScannerRow[] {
  const n = Math.max(0, Math.min(MAX_DEMO_ROWS, Math.floor(count)));
  const random = seededRandom(20_260_101);
  const asOf = timestampFromMs(nowMs);
  const templates = {
    candidate: create(SpreadCandidateSchema, { priceEffect: PriceEffect.CREDIT, multiplier: 100, priceIncrement: 0.01 }),
    shortLeg: create(SpreadLegSchema, { action: OrderAction.SELL, ratio: 1 }),
    longLeg: create(SpreadLegSchema, { action: OrderAction.BUY, ratio: 1, bid: 0.4, ask: 0.5 }),
    proposal: create(ProposalSchema, { quantity: 1, reason: "synthetic demo row" }),
    drop: create(DropSchema, { reason: DropReason.OUTRANKED, message: "synthetic demo row" }),
  };
  const rows: ScannerRow[] = [];
  for (let i = 0; i < n; i++) {
    const symbol = DEMO_SYMBOLS[i % DEMO_SYMBOLS.length] ?? "SYNA";
    const j = Math.floor(i / DEMO_SYMBOLS.length);
    const expiry = DEMO_EXPIRIES[j % DEMO_EXPIRIES.length] ?? 20270115;
    const step = Math.floor(j / DEMO_EXPIRIES.length);
    const put = step % 2 === 0;
    const width = [1, 2, 5][step % 3] ?? 1;
    const shortStrike = 100 + step * 0.5;
    const longStrike = put ? shortStrike - width : shortStrike + width;
    const mid = round2(width * (0.15 + random() * 0.3));
    const limit = round2(Math.max(0.01, mid - 0.02));
    const natural = round2(mid - 0.05 - random() * 0.1);
    const delta = round2(0.1 + random() * 0.25);
    const pop = round2(0.5 + random() * 0.4);
    const liquidity = round2(random());
    const score = Math.round(random() * 1000) / 1000;
    const key = `${symbol} ${expiry} ${put ? "P" : "C"} ${shortStrike}/${longStrike}`;
    const right = put ? OptionRight.PUT : OptionRight.CALL;
    // Spread copies of prebuilt messages: create() per row is ~30× slower.
    const candidate: SpreadCandidate = {
      ...templates.candidate,
      key,
      underlyingSymbol: symbol,
      kind: put ? SpreadKind.BULL_PUT : SpreadKind.BEAR_CALL,
      expiry,
      dte: 30 + (j % DEMO_EXPIRIES.length) * 30,
      right,
      shortLeg: { ...templates.shortLeg, right, expiry, strike: shortStrike, delta: put ? -delta : delta, bid: round2(mid + 0.4), ask: round2(mid + 0.5) },
      longLeg: { ...templates.longLeg, right, expiry, strike: longStrike, delta: round2((put ? -delta : delta) / 2) },
      width,
      naturalPrice: natural,
      midPrice: mid,
      limitPrice: limit,
      maxProfit: limit,
      maxLoss: round2(width - limit),
      breakeven: put ? shortStrike - limit : shortStrike + limit,
      returnOnRisk: limit / (width - limit),
      priceToWidth: limit / width,
      probabilityOfProfit: pop,
      expectedValue: round2((random() - 0.5) * 0.2),
      liquidityScore: liquidity,
      score,
      rank: 1 + (i % 5),
      maxProfitPerSpreadUsd: round2(limit * 100),
      maxLossPerSpreadUsd: round2((width - limit) * 100),
      underlyingPrice: shortStrike + (put ? 5 : -5),
      quotesAsOf: asOf,
    };
    const proposed = i % 37 === 0;
    rows.push({
      key: rowKey(DEMO_STRATEGY_REF, key),
      strategyRef: DEMO_STRATEGY_REF,
      symbol,
      candidate,
      symbolEvaluation: undefined,
      proposal: proposed ? { ...templates.proposal, proposalKey: `${DEMO_STRATEGY_REF}/${key}/20260101`, symbol, direction: put ? Direction.BULLISH : Direction.BEARISH, candidate, riskUsedUsd: candidate.maxLossPerSpreadUsd } : undefined,
      drop: proposed ? undefined : { ...templates.drop, symbol, candidateKey: key },
      status: "",
      evaluatedAt: nowMs,
      change: undefined,
      changedAt: undefined,
      synthetic: true,
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Cell text
// ---------------------------------------------------------------------------------------------

/** 20261218 → "2026-12-18"; "—" for 0 or a malformed date. */
export function formatExpiry(yyyymmdd: number): string {
  if (!Number.isInteger(yyyymmdd) || yyyymmdd < 19_000_101 || yyyymmdd > 99_991_231) return "—";
  const s = String(yyyymmdd);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** A strike without trailing zeros: 580 → "580", 582.5 → "582.5". */
export const strikeText = (strike: number | undefined): string =>
  strike === undefined || !Number.isFinite(strike) ? "—" : String(Math.round(strike * 1000) / 1000);

/** "short/long" strikes of a candidate, e.g. "580/575". */
export const strikesText = (candidate: SpreadCandidate): string => `${strikeText(candidate.shortLeg?.strike)}/${strikeText(candidate.longLeg?.strike)}`;

/** An enum value as lower-case words from its generated name: SpreadFilterId.MIN_IV_RANK → "min iv rank". */
export function enumWords(enumObject: object, value: number): string {
  const name = (enumObject as Readonly<Record<number, string | undefined>>)[value];
  return name === undefined ? String(value) : name.toLowerCase().replaceAll("_", " ");
}
