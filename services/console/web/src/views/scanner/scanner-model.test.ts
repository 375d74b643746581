import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  DropReason,
  EvaluateResponseSchema,
  PriceEffect,
  SpreadFilterId,
  SpreadKind,
  UniverseCheck,
  WatchEvaluationsResponseSchema,
  type EvaluateResponse,
  type WatchEvaluationsResponse,
} from "@spreadops/api";
import { describe, expect, it } from "vitest";
import {
  DEMO_STRATEGY_REF,
  EMPTY_SCANNER_STATE,
  allRows,
  applyEvaluationMessage,
  enumWords,
  filterRows,
  findStrategy,
  flattenEvaluation,
  formatExpiry,
  isHighlighted,
  markChanges,
  markReconnecting,
  nextHighlightEnd,
  parseDemoRows,
  strategyDrops,
  strikeText,
  syntheticRows,
  type ScannerRow,
} from "./scanner-model";

const REF = "default/spy-bull-put";
const AS_OF = Date.UTC(2026, 5, 1, 14, 30);

interface CandidateInit { key: string; limit?: number; mid?: number; score?: number; delta?: number }

const candidate = ({ key, limit = 1.25, mid = 1.3, score = 0.7, delta = -0.3 }: CandidateInit) => ({
  key,
  underlyingSymbol: key.split(" ")[0] ?? "",
  kind: SpreadKind.BULL_PUT,
  priceEffect: PriceEffect.CREDIT,
  expiry: 20261218,
  dte: 40,
  width: 5,
  limitPrice: limit,
  midPrice: mid,
  naturalPrice: 1.1,
  score,
  rank: 1,
  shortLeg: { strike: 580, delta },
  longLeg: { strike: 575, delta: -0.2 },
});

/** SPY: two candidates (one proposed, one outranked); QQQ: no signal, dropped; IWM: not in universe; DIA: only in `dropped`; plus a strategy-wide drop. */
function evaluation(spy: { first?: Partial<CandidateInit>; second?: Partial<CandidateInit> } = {}): EvaluateResponse {
  const first = candidate({ key: "SPY 20261218 P 580/575", ...spy.first });
  const second = candidate({ key: "SPY 20261218 P 570/565", score: 0.6, ...spy.second });
  return create(EvaluateResponseSchema, {
    asOf: timestampFromMs(AS_OF),
    inTradingWindow: true,
    symbols: [
      { symbol: "SPY", inUniverse: true, entryAgreed: true, chosenKind: SpreadKind.BULL_PUT, topCandidates: [first, second] },
      { symbol: "QQQ", inUniverse: true, entryAgreed: false },
      { symbol: "IWM", inUniverse: false, universeFailed: [UniverseCheck.PRICE, UniverseCheck.AVG_VOLUME] },
    ],
    proposals: [{ proposalKey: `${REF}/SPY 20261218 P 580/575/20260601`, symbol: "SPY", candidate: first, quantity: 2 }],
    dropped: [
      { symbol: "SPY", candidateKey: "SPY 20261218 P 570/565", reason: DropReason.OUTRANKED, message: "a better candidate of SPY was proposed" },
      { symbol: "QQQ", reason: DropReason.NO_SIGNAL, message: "RSI(14) 45.2 is not < 30" },
      { symbol: "DIA", reason: DropReason.NO_MARKET_DATA, message: "no bars" },
      { symbol: "", reason: DropReason.MAX_DAILY_LOSS, message: "daily loss reached" },
    ],
  });
}

const message = (ev: EvaluateResponse, initial: boolean, strategyRef = REF): WatchEvaluationsResponse =>
  create(WatchEvaluationsResponseSchema, { strategyRef, initial, evaluation: ev });

const byKey = (rows: readonly ScannerRow[]) => new Map(rows.map((r) => [r.key, r]));

describe("flattenEvaluation", () => {
  const rows = flattenEvaluation(REF, evaluation());

  it("makes one row per candidate and one per candidate-less symbol, in universe order", () => {
    expect(rows.map((r) => r.key)).toEqual([
      "default/spy-bull-put|SPY 20261218 P 580/575",
      "default/spy-bull-put|SPY 20261218 P 570/565",
      "default/spy-bull-put|QQQ",
      "default/spy-bull-put|IWM",
      "default/spy-bull-put|DIA",
    ]);
    expect(rows.every((r) => r.evaluatedAt === AS_OF && r.change === undefined && !r.synthetic)).toBe(true);
  });

  it("links proposals and candidate drops by candidate key", () => {
    const [proposed, outranked] = rows;
    expect(proposed?.proposal?.quantity).toBe(2);
    expect(proposed?.drop).toBeUndefined();
    expect(outranked?.proposal).toBeUndefined();
    expect(outranked?.drop?.reason).toBe(DropReason.OUTRANKED);
    expect(outranked?.status).toBe("");
  });

  it("says why a symbol has no candidate: its drop, else the evaluation", () => {
    const m = byKey(rows);
    expect(m.get(`${REF}|QQQ`)?.candidate).toBeUndefined();
    expect(m.get(`${REF}|QQQ`)?.drop?.reason).toBe(DropReason.NO_SIGNAL);
    expect(m.get(`${REF}|QQQ`)?.status).toBe("No signal — RSI(14) 45.2 is not < 30");
    expect(m.get(`${REF}|IWM`)?.status).toBe("Not in universe: price, average volume");
    expect(m.get(`${REF}|DIA`)?.symbolEvaluation).toBeUndefined();
    expect(m.get(`${REF}|DIA`)?.status).toBe("No market data — no bars");
  });

  it("keeps strategy-wide drops out of the rows", () => {
    expect(rows.some((r) => r.symbol === "")).toBe(false);
    expect(strategyDrops(evaluation()).map((d) => d.reason)).toEqual([DropReason.MAX_DAILY_LOSS]);
  });

  it("derives 'No signal' and 'No candidates' without a drop", () => {
    const ev = create(EvaluateResponseSchema, {
      symbols: [{ symbol: "XLE", inUniverse: true, entryAgreed: false }, { symbol: "XLF", inUniverse: true, entryAgreed: true }],
    });
    expect(flattenEvaluation(REF, ev).map((r) => r.status)).toEqual(["No signal", "No candidates"]);
  });
});

describe("markChanges", () => {
  const before = flattenEvaluation(REF, evaluation());
  const NOW = AS_OF + 60_000;

  it("leaves a first initial snapshot unmarked and marks a first live evaluation as new", () => {
    expect(markChanges(undefined, before, NOW, true).every((r) => r.change === undefined)).toBe(true);
    const live = markChanges(undefined, before, NOW, false);
    expect(live.every((r) => r.change === "new" && r.changedAt === NOW)).toBe(true);
  });

  it("marks a row whose limit changed, and only that row", () => {
    const after = markChanges(before, flattenEvaluation(REF, evaluation({ first: { limit: 1.3 } })), NOW, false);
    expect(after.map((r) => r.change)).toEqual(["changed", undefined, undefined, undefined, undefined]);
    expect(after[0]?.changedAt).toBe(NOW);
  });

  it("marks changed mid, score and short delta too", () => {
    for (const first of [{ mid: 1.35 }, { score: 0.71 }, { delta: -0.31 }]) {
      const after = markChanges(before, flattenEvaluation(REF, evaluation({ first })), NOW, false);
      expect(after[0]?.change).toBe("changed");
    }
  });

  it("does not mark an unchanged row", () => {
    const after = markChanges(before, flattenEvaluation(REF, evaluation()), NOW, false);
    expect(after.every((r) => r.change === undefined && r.changedAt === undefined)).toBe(true);
  });

  it("marks a new key as new", () => {
    const after = markChanges(before, flattenEvaluation(REF, evaluation({ second: { key: "SPY 20261218 P 560/555" } })), NOW, false);
    const row = byKey(after).get(`${REF}|SPY 20261218 P 560/555`);
    expect(row?.change).toBe("new");
    expect(row?.changedAt).toBe(NOW);
  });

  it("keeps an earlier mark on an unchanged repeat without restarting it", () => {
    const changed = markChanges(before, flattenEvaluation(REF, evaluation({ first: { limit: 1.3 } })), NOW, false);
    const repeat = markChanges(changed, flattenEvaluation(REF, evaluation({ first: { limit: 1.3 } })), NOW + 1000, false);
    expect(repeat[0]?.change).toBe("changed");
    expect(repeat[0]?.changedAt).toBe(NOW);
  });

  it("highlights for 3 s", () => {
    const [row] = markChanges(undefined, before, NOW, false);
    expect(isHighlighted(row!, NOW + 2999)).toBe(true);
    expect(isHighlighted(row!, NOW + 3000)).toBe(false);
    expect(isHighlighted(before[0]!, NOW)).toBe(false);
    expect(nextHighlightEnd([row!, before[1]!], NOW + 100)).toBe(NOW + 3000);
    expect(nextHighlightEnd([row!], NOW + 3000)).toBeUndefined();
  });
});

describe("stream state", () => {
  it("replaces one strategy's rows and keeps the others", () => {
    let state = applyEvaluationMessage(EMPTY_SCANNER_STATE, message(evaluation(), true), 1);
    state = applyEvaluationMessage(state, message(evaluation(), true, "default/other"), 2);
    const otherRows = state.strategies.get("default/other")?.rows;
    state = applyEvaluationMessage(state, message(evaluation({ first: { limit: 1.4 } }), false), 3);
    expect([...state.strategies.keys()]).toEqual(["default/other", REF]);
    expect(state.strategies.get("default/other")?.rows).toBe(otherRows);
    expect(state.strategies.get(REF)?.rows[0]?.change).toBe("changed");
    expect(allRows(state)).toHaveLength(10);
  });

  it("ignores dry runs and messages without an evaluation", () => {
    const dry = create(EvaluateResponseSchema, { dryRun: true });
    expect(applyEvaluationMessage(EMPTY_SCANNER_STATE, message(dry, false), 1)).toBe(EMPTY_SCANNER_STATE);
    expect(applyEvaluationMessage(EMPTY_SCANNER_STATE, create(WatchEvaluationsResponseSchema, { strategyRef: REF }), 1)).toBe(EMPTY_SCANNER_STATE);
  });

  it("keeps rows on reconnect but marks them not current until re-sent", () => {
    let state = applyEvaluationMessage(EMPTY_SCANNER_STATE, message(evaluation(), true), 1);
    state = applyEvaluationMessage(state, message(evaluation(), true, "default/other"), 1);
    state = markReconnecting(state);
    expect(state.reconnecting).toBe(true);
    expect(allRows(state)).toHaveLength(10);
    expect([...state.strategies.values()].map((e) => e.current)).toEqual([false, false]);
    state = applyEvaluationMessage(state, message(evaluation(), true), 2);
    expect(state.reconnecting).toBe(false);
    expect(state.strategies.get(REF)?.current).toBe(true);
    expect(state.strategies.get("default/other")?.current).toBe(false);
    // The re-sent identical evaluation marks nothing.
    expect(state.strategies.get(REF)?.rows.every((r) => r.change === undefined)).toBe(true);
  });

  it("returns the same state on the first connect (nothing to keep), so nothing re-renders", () => {
    expect(markReconnecting(EMPTY_SCANNER_STATE)).toBe(EMPTY_SCANNER_STATE);
  });
});

describe("filterRows", () => {
  const rows = [
    ...flattenEvaluation(REF, evaluation()),
    ...flattenEvaluation("default/other", evaluation()),
  ];

  it("returns the same array without filters", () => {
    expect(filterRows(rows, { strategy: "", symbol: " ", proposedOnly: false })).toBe(rows);
  });

  it("filters by strategy, symbol part (any case) and proposed", () => {
    expect(filterRows(rows, { strategy: "default/other", symbol: "", proposedOnly: false })).toHaveLength(5);
    expect(filterRows(rows, { strategy: "", symbol: "qq", proposedOnly: false }).map((r) => r.key)).toEqual([`${REF}|QQQ`, "default/other|QQQ"]);
    expect(filterRows(rows, { strategy: REF, symbol: "", proposedOnly: true }).map((r) => r.key)).toEqual([`${REF}|SPY 20261218 P 580/575`]);
  });
});

describe("findStrategy", () => {
  const strategies = [
    { metadata: { name: "a", namespace: "default" } },
    { metadata: { name: "b", namespace: "prod" } },
    { metadata: { name: "c" } },
  ];
  it("matches namespace/name, and the name of a CR without namespace", () => {
    expect(findStrategy(strategies, "default/a")).toBe(strategies[0]);
    expect(findStrategy(strategies, "default/b")).toBeUndefined();
    expect(findStrategy(strategies, "prod/b")).toBe(strategies[1]);
    expect(findStrategy(strategies, "x/c")).toBe(strategies[2]);
  });
});

describe("synthetic demo rows", () => {
  it("parses ?demoRows= within 0…20000", () => {
    expect(parseDemoRows(new URLSearchParams("demoRows=500"))).toBe(500);
    expect(parseDemoRows(new URLSearchParams("demoRows=99999"))).toBe(20_000);
    expect(parseDemoRows(new URLSearchParams("demoRows=-5"))).toBe(0);
    expect(parseDemoRows(new URLSearchParams("demoRows=1e3"))).toBe(0);
    expect(parseDemoRows(new URLSearchParams(""))).toBe(0);
  });

  it("makes N labelled rows with unique keys", () => {
    const rows = syntheticRows(20_000, AS_OF);
    expect(rows).toHaveLength(20_000);
    expect(new Set(rows.map((r) => r.key)).size).toBe(20_000);
    expect(new Set(rows.map((r) => r.candidate?.key)).size).toBe(20_000);
    expect(rows.every((r) => r.synthetic && r.strategyRef === DEMO_STRATEGY_REF && r.candidate !== undefined)).toBe(true);
    expect(rows.some((r) => r.proposal !== undefined)).toBe(true);
    expect(syntheticRows(0, AS_OF)).toEqual([]);
  });

  it("is deterministic", () => {
    const a = syntheticRows(50, AS_OF).map((r) => [r.key, r.candidate?.limitPrice, r.candidate?.score]);
    const b = syntheticRows(50, AS_OF).map((r) => [r.key, r.candidate?.limitPrice, r.candidate?.score]);
    expect(a).toEqual(b);
  });
});

describe("cell text", () => {
  it("formats expiries, strikes and enum names", () => {
    expect(formatExpiry(20261218)).toBe("2026-12-18");
    expect(formatExpiry(0)).toBe("—");
    expect(strikeText(580)).toBe("580");
    expect(strikeText(582.5)).toBe("582.5");
    expect(strikeText(undefined)).toBe("—");
    expect(enumWords(SpreadFilterId, SpreadFilterId.MIN_IV_RANK)).toBe("min iv rank");
    expect(enumWords(SpreadFilterId, 999)).toBe("999");
  });
});
