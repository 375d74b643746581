import { create } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Bar, DoubleRange, EvaluateRequest, EvaluateResponse, FilterSet, IntRange, ScanTarget, SpreadCandidate, StrategySpec, SymbolEvaluation, UniverseMember } from "@spreadops/api";
import {
  BarSize,
  Direction,
  DropReason,
  DropSchema,
  EvaluateResponseSchema,
  FilterSetSchema,
  HistorySpanUnit,
  ProposalSchema,
  RiskBudgetSchema,
  SecType,
  SpreadKindSelection,
  SymbolEvaluationSchema,
  UniverseCheck,
  UniverseMemberSchema,
  WhatToShow,
} from "@spreadops/api";
import { ivPercentile, ivRank } from "@spreadops/core";
import type { Logger } from "@spreadops/runtime";
import { unavailable } from "@spreadops/runtime";
import { chooseKind, DEFAULT_CREDIT_THRESHOLD, kindName } from "./kind-choice.js";
import type { OpenTradesPort, StrategyGatewayPort, StrategyScannerPort } from "./ports.js";
import type { Dropped, OpenTradesSnapshot, SymbolCandidates } from "./risk-budget.js";
import { allocate, budgetState } from "./risk-budget.js";
import { inTradingWindow, localDate, nextScanTime } from "./schedule.js";
import { barsNeeded, evaluateSignals } from "./signals.js";
import type { StrategyMetrics } from "./strategy-metrics.js";
import { firstViolationError, validateSpec } from "./validation.js";

/** Collaborators of the {@link StrategyEvaluator}. */
export interface StrategyEvaluatorDeps {
  readonly gateway: StrategyGatewayPort;
  readonly scanner: StrategyScannerPort;
  readonly openTrades: OpenTradesPort;
  /** Wall-clock ms since the epoch. */
  readonly now: () => number;
  readonly logger: Logger;
  readonly metrics: StrategyMetrics;
}

/** Tunables of the {@link StrategyEvaluator}. */
export interface StrategyEvaluatorOptions {
  /** Candidates asked per symbol (reported as top_candidates); default 5. */
  readonly topK?: number;
  /** Timeout of each gateway call, ms; default 30 s. */
  readonly gatewayTimeoutMs?: number;
  /** Timeout of the whole scan, ms; default 120 s. */
  readonly scanTimeoutMs?: number;
  /**
   * Symbols whose bars (and IV history) are fetched at the same time; default 4. A 50-symbol
   * universe then keeps at most 4–8 history requests in flight at the gateway instead of 100,
   * which would queue behind IB's pacing and crowd out other callers.
   */
  readonly symbolConcurrency?: number;
}

/** A call's cancellation. */
export interface EvaluateCall {
  readonly signal?: AbortSignal;
}

const DROP_NAMES = DropReason as unknown as Record<number, string>;

/** Calendar days to ask for `bars` daily bars: 5 trading days a week plus holiday slack. */
export function historyDays(bars: number): number {
  return Math.ceil((bars * 7) / 5) + 10;
}

function intersectInt(a: IntRange | undefined, b: IntRange | undefined): IntRange | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const min = a.min === undefined ? b.min : b.min === undefined ? a.min : Math.max(a.min, b.min);
  const max = a.max === undefined ? b.max : b.max === undefined ? a.max : Math.min(a.max, b.max);
  return { $typeName: "spreadops.v1.IntRange", ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

function intersectDouble(a: DoubleRange | undefined, b: DoubleRange | undefined): DoubleRange | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const min = a.min === undefined ? b.min : b.min === undefined ? a.min : Math.max(a.min, b.min);
  const max = a.max === undefined ? b.max : b.max === undefined ? a.max : Math.min(a.max, b.max);
  return { $typeName: "spreadops.v1.DoubleRange", ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

/** The scanner's filters: spec.filters with spec.spread's dte, shortDelta and width intersected in. */
export function scanFilters(spec: StrategySpec): FilterSet {
  const filters = create(FilterSetSchema, spec.filters ?? {});
  const dte = intersectInt(filters.dte, spec.spread?.dte);
  const shortDelta = intersectDouble(filters.shortDelta, spec.spread?.shortDelta);
  const width = intersectDouble(filters.width, spec.spread?.width);
  if (dte !== undefined) filters.dte = dte;
  if (shortDelta !== undefined) filters.shortDelta = shortDelta;
  if (width !== undefined) filters.width = width;
  return filters;
}

/** IV percentile and rank (0–100) from daily implied-volatility bars (same rule as the scanner). */
export function ivStatsFromBars(bars: readonly Bar[]): { ivPercentile?: number; ivRank?: number } {
  const closes = bars.map((b) => b.close).filter((v) => Number.isFinite(v) && v > 0);
  const current = closes.at(-1);
  const history = closes.slice(0, -1);
  if (current === undefined || history.length === 0) return {};
  const pct = ivPercentile(history, current);
  const rank = ivRank(history, current);
  return { ...(Number.isFinite(pct) ? { ivPercentile: pct * 100 } : {}), ...(Number.isFinite(rank) ? { ivRank: rank * 100 } : {}) };
}

const CHECK_NAMES: Readonly<Record<UniverseCheck, string>> = {
  [UniverseCheck.UNSPECIFIED]: "unknown",
  [UniverseCheck.PRICE]: "price",
  [UniverseCheck.AVG_VOLUME]: "average volume",
  [UniverseCheck.MARKET_CAP]: "market cap",
  [UniverseCheck.OPTIONABLE]: "optionable",
  [UniverseCheck.DATA]: "no data (not resolved, quoted or reported by the gateway)",
};

/**
 * Runs `fn` over `items` with at most `limit` calls in flight, in order of `items`; resolves
 * when all have finished, rejects with the first failure (the others still run to the end).
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { readonly error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed.error;
}

function errorMessage(error: unknown): string {
  return error instanceof ConnectError ? `${Code[error.code]}: ${error.rawMessage}` : error instanceof Error ? error.message : String(error);
}

/**
 * Evaluate's pipeline: validate → gates (paused, window; both ignored in dry runs) → risk
 * snapshot → universe → signals per symbol → spread kind → one ScanUniverse call → risk budget
 * → proposals. Per-symbol failures become drops; only an invalid spec, an unreachable gateway
 * (universe) or an unknown open-trade state fail the call, since proposing without knowing the
 * open risk would be unsafe.
 */
export class StrategyEvaluator {
  private readonly topK: number;
  private readonly gatewayTimeoutMs: number;
  private readonly scanTimeoutMs: number;
  private readonly symbolConcurrency: number;

  constructor(
    private readonly deps: StrategyEvaluatorDeps,
    options: StrategyEvaluatorOptions = {},
  ) {
    this.topK = options.topK ?? 5;
    this.gatewayTimeoutMs = options.gatewayTimeoutMs ?? 30_000;
    this.scanTimeoutMs = options.scanTimeoutMs ?? 120_000;
    const concurrency = options.symbolConcurrency ?? 4;
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`symbolConcurrency must be a whole number ≥ 1, got ${concurrency}`);
    this.symbolConcurrency = concurrency;
  }

  async evaluate(request: EvaluateRequest, call: EvaluateCall = {}): Promise<EvaluateResponse> {
    const started = this.deps.now();
    try {
      const response = await this.run(request, call);
      this.deps.metrics.evaluations.inc({ outcome: "ok" });
      this.deps.metrics.proposals.inc(response.proposals.length);
      return response;
    } catch (error) {
      this.deps.metrics.evaluations.inc({ outcome: error instanceof ConnectError ? Code[error.code] : "internal" });
      throw error;
    } finally {
      this.deps.metrics.evaluationDuration.observe((this.deps.now() - started) / 1000);
    }
  }

  private async run(request: EvaluateRequest, call: EvaluateCall): Promise<EvaluateResponse> {
    const spec = request.spec;
    const invalid = firstViolationError(validateSpec(spec));
    if (invalid !== undefined || spec === undefined) throw invalid ?? new ConnectError("spec missing", Code.InvalidArgument);
    const schedule = spec.schedule;
    if (schedule === undefined) throw new ConnectError("invalid spec.schedule", Code.InvalidArgument);
    const asOfMs = request.asOf === undefined ? this.deps.now() : timestampMs(request.asOf);
    const inWindow = inTradingWindow(asOfMs, schedule);
    const response = create(EvaluateResponseSchema, {
      asOf: timestampFromMs(asOfMs),
      dryRun: request.dryRun,
      inTradingWindow: inWindow,
      nextScanTime: timestampFromMs(nextScanTime(asOfMs, schedule)),
    });
    const drops: Dropped[] = [];
    const drop = (symbol: string, reason: DropReason, message: string, candidateKey = ""): void => { drops.push({ symbol, candidateKey, reason, message }); };

    const open = await this.openTrades(request, call);
    const buyingPower = await this.buyingPower(call);
    const state = budgetState(spec.risk, open, buyingPower);
    response.risk = create(RiskBudgetSchema, {
      openTrades: state.openTrades,
      dayPnlUsd: state.dayPnlUsd,
      dailyLossBreached: state.dailyLossBreached,
      openRiskUsd: state.openRiskUsd,
      ...(spec.risk?.maxOpenTrades === undefined ? {} : { maxOpenTrades: spec.risk.maxOpenTrades }),
      ...(spec.risk?.maxDailyLoss === undefined ? {} : { maxDailyLossUsd: spec.risk.maxDailyLoss }),
      ...(spec.risk?.maxRiskPerTrade === undefined ? {} : { maxRiskPerTradeUsd: spec.risk.maxRiskPerTrade }),
      ...(buyingPower === undefined ? {} : { buyingPower }),
      ...(state.slotsLeft === undefined ? {} : { slotsLeft: state.slotsLeft }),
    });

    // Gates that stop everything before any market data is fetched.
    const gate = request.dryRun ? undefined : spec.paused ? ([DropReason.PAUSED, "the strategy is paused"] as const) : !inWindow ? ([DropReason.OUTSIDE_WINDOW, `outside the trading window ${schedule.window?.start ?? ""}–${schedule.window?.end ?? ""} ${schedule.timezone}`] as const) : undefined;
    if (gate !== undefined) {
      for (const symbol of spec.universe?.symbols ?? []) drop(symbol, gate[0], gate[1]);
      return this.finish(response, drops, []);
    }

    const members = await this.universe(spec, call);
    const evaluations: SymbolEvaluation[] = [];
    const targets: { target: ScanTarget; evaluation: SymbolEvaluation; direction: Direction; reason: string }[] = [];
    await forEachLimited(members, this.symbolConcurrency, async (member) => {
      const evaluation = create(SymbolEvaluationSchema, {
        symbol: member.symbol,
        inUniverse: member.passed,
        universeFailed: member.failed,
        ...(member.price === undefined ? {} : { underlyingPrice: member.price }),
      });
      evaluations.push(evaluation);
      if (!member.passed) {
        drop(member.symbol, DropReason.NOT_IN_UNIVERSE, `failed the universe filter: ${member.failed.map((c) => CHECK_NAMES[c]).join(", ")}`);
        return;
      }
      const prepared = await this.prepareSymbol(spec, member.symbol, evaluation, request.asOf === undefined ? undefined : asOfMs, drop, call);
      if (prepared !== undefined) targets.push({ ...prepared, evaluation });
    });
    // Symbols finish in completion order; the response lists them in universe order.
    const order = new Map(members.map((m, i) => [m.symbol, i]));
    evaluations.sort((a, b) => (order.get(a.symbol) ?? 0) - (order.get(b.symbol) ?? 0));
    response.symbols = evaluations;

    // A breached daily loss or no slots left: nothing to scan for.
    if (state.dailyLossBreached || state.slotsLeft === 0) {
      const candidates = targets.map((t) => ({ symbol: t.evaluation.symbol, candidates: [] }));
      const result = allocate(candidates, spec.risk, state, open.openTrades);
      return this.finish(response, [...drops, ...result.dropped], []);
    }

    const scanned = await this.scan(spec, targets.map((t) => t.target), drop, call);
    const perSymbol: SymbolCandidates[] = [];
    for (const t of targets) {
      const candidates = scanned.get(t.evaluation.symbol);
      if (candidates === undefined) continue;
      t.evaluation.topCandidates = candidates;
      perSymbol.push({ symbol: t.evaluation.symbol, candidates });
    }
    const result = allocate(perSymbol, spec.risk, state, open.openTrades);
    const date = localDate(asOfMs, schedule.timezone);
    const proposals = result.allocations.map((a) => {
      const t = targets.find((x) => x.evaluation.symbol === a.symbol);
      const c = a.candidate;
      return create(ProposalSchema, {
        proposalKey: `${request.strategyRef}/${c.key}/${date}`,
        symbol: a.symbol,
        direction: t?.direction ?? Direction.UNSPECIFIED,
        candidate: c,
        quantity: a.quantity,
        riskUsedUsd: a.riskUsd,
        reason: `${t?.reason ?? ""}; ${kindName(c.kind)} ${c.shortLeg?.strike ?? ""}/${c.longLeg?.strike ?? ""} exp ${c.expiry} (rank ${c.rank}, score ${c.score.toFixed(3)}); ${a.quantity} × max loss ${c.maxLossPerSpreadUsd.toFixed(0)} USD = ${a.riskUsd.toFixed(0)} USD risk`,
      });
    });
    response.risk.proposedRiskUsd = result.proposedRiskUsd;
    if (result.slotsLeft !== undefined) response.risk.slotsLeft = result.slotsLeft;
    return this.finish(response, [...drops, ...result.dropped], proposals);
  }

  private finish(response: EvaluateResponse, drops: readonly Dropped[], proposals: EvaluateResponse["proposals"]): EvaluateResponse {
    response.dropped = drops.map((d) => create(DropSchema, d));
    response.proposals = proposals;
    for (const d of drops) {
      if (d.candidateKey !== "") continue;
      this.deps.metrics.symbols.inc({ outcome: (DROP_NAMES[d.reason] ?? "unknown").toLowerCase() });
    }
    if (proposals.length > 0) this.deps.metrics.symbols.inc({ outcome: "proposed" }, proposals.length);
    return response;
  }

  /** The open trades: from the request's RiskContext when given, else from the execution service. */
  private async openTrades(request: EvaluateRequest, call: EvaluateCall): Promise<OpenTradesSnapshot> {
    const context = request.riskContext;
    if (context !== undefined) {
      const known = context.openSymbols.map((symbol) => ({ symbol, maxLossUsd: 0 }));
      // RiskContext carries counts and symbols only: pad to open_trades and spread the risk.
      const padded = Array.from({ length: Math.max(context.openTrades, known.length) }, (_, i) => known[i] ?? { symbol: "", maxLossUsd: 0 });
      const first = padded[0];
      if (first !== undefined) padded[0] = { ...first, maxLossUsd: context.openRiskUsd };
      return { openTrades: padded, realizedTodayUsd: context.dayPnlUsd, unrealizedUsd: 0 };
    }
    try {
      return await this.deps.openTrades.list(request.strategyRef, call.signal === undefined ? {} : { signal: call.signal });
    } catch (error) {
      throw unavailable(`open trades of ${request.strategyRef} unknown (execution service: ${errorMessage(error)}); no proposals without them`, error);
    }
  }

  /** Available funds (else buying power) from the gateway; unknown on failure (not applied). */
  private async buyingPower(call: EvaluateCall): Promise<number | undefined> {
    try {
      const { summary } = await this.deps.gateway.getAccountSummary({}, { timeoutMs: this.gatewayTimeoutMs, ...(call.signal === undefined ? {} : { signal: call.signal }) });
      return summary?.availableFunds ?? summary?.buyingPower;
    } catch (error) {
      this.deps.logger.warn({ err: errorMessage(error) }, "account summary unavailable; buying power not applied");
      return undefined;
    }
  }

  /** The spec's symbols through the universe filter, or the gateway's market scan. */
  private async universe(spec: StrategySpec, call: EvaluateCall): Promise<UniverseMember[]> {
    const u = spec.universe;
    try {
      const response = await this.deps.gateway.searchUniverse(
        {
          symbols: u?.symbols ?? [],
          optionableOnly: true,
          ...(u?.minPrice === undefined ? {} : { minPrice: u.minPrice }),
          ...(u?.minAvgVolume === undefined ? {} : { minAvgVolume: u.minAvgVolume }),
          ...(u?.minMarketCap === undefined ? {} : { minMarketCap: u.minMarketCap }),
        },
        { timeoutMs: this.gatewayTimeoutMs, ...(call.signal === undefined ? {} : { signal: call.signal }) },
      );
      const requested = u?.symbols ?? [];
      if (requested.length === 0) return response.members;
      // The contract answers a symbol list with every symbol in request order; keep to it even
      // when a gateway answers with a market scan instead, and count a missing symbol as
      // failing the filter for lack of data rather than trading something not asked for.
      const bySymbol = new Map(response.members.map((m) => [m.symbol, m]));
      return requested.map((symbol) => bySymbol.get(symbol) ?? create(UniverseMemberSchema, { symbol, passed: false, failed: [UniverseCheck.DATA] }));
    } catch (error) {
      throw unavailable(`universe unavailable from the gateway: ${errorMessage(error)}`, error);
    }
  }

  /** Bars → signals → (AUTO) IV → kind. Returns the scan target, or undefined after a drop. */
  private async prepareSymbol(
    spec: StrategySpec,
    symbol: string,
    evaluation: SymbolEvaluation,
    endMs: number | undefined,
    drop: (symbol: string, reason: DropReason, message: string) => void,
    call: EvaluateCall,
  ): Promise<{ target: ScanTarget; direction: Direction; reason: string } | undefined> {
    const callOptions = { timeoutMs: this.gatewayTimeoutMs, ...(call.signal === undefined ? {} : { signal: call.signal }) };
    const contract = { symbol, secType: SecType.STOCK };
    const endTime = endMs === undefined ? {} : { endTime: timestampFromMs(endMs) };
    let bars: Bar[];
    try {
      const days = historyDays(barsNeeded(spec.entry));
      const span = days > 365 ? { count: Math.ceil(days / 365), unit: HistorySpanUnit.YEARS } : { count: days, unit: HistorySpanUnit.DAYS };
      bars = (await this.deps.gateway.getHistoricalBars({ contract, span, barSize: BarSize.BAR_SIZE_1_DAY, whatToShow: WhatToShow.TRADES, regularHoursOnly: true, ...endTime }, callOptions)).bars;
    } catch (error) {
      drop(symbol, DropReason.NO_MARKET_DATA, `daily bars unavailable: ${errorMessage(error)}`);
      return undefined;
    }
    const last = bars.at(-1);
    if (last !== undefined && evaluation.underlyingPrice === undefined) evaluation.underlyingPrice = last.close;
    const signals = evaluateSignals(spec.entry, bars);
    evaluation.signals = signals.rules.map((r) => r.result);
    evaluation.entryAgreed = signals.agreed;
    evaluation.direction = signals.direction;
    if (signals.insufficientData) {
      drop(symbol, DropReason.NO_MARKET_DATA, `too few bars: ${signals.reason}`);
      return undefined;
    }
    if (!signals.agreed) {
      drop(symbol, DropReason.NO_SIGNAL, signals.reason);
      return undefined;
    }
    const selection = spec.spread?.kind ?? SpreadKindSelection.UNSPECIFIED;
    let stats: { ivPercentile?: number; ivRank?: number } = {};
    if (selection === SpreadKindSelection.AUTO || spec.filters?.minIvPercentile !== undefined || spec.filters?.minIvRank !== undefined) {
      try {
        const iv = await this.deps.gateway.getHistoricalBars({ contract, span: { count: 1, unit: HistorySpanUnit.YEARS }, barSize: BarSize.BAR_SIZE_1_DAY, whatToShow: WhatToShow.OPTION_IMPLIED_VOLATILITY, regularHoursOnly: true, ...endTime }, callOptions);
        stats = ivStatsFromBars(iv.bars);
      } catch (error) {
        this.deps.logger.warn({ symbol, err: errorMessage(error) }, "IV history unavailable");
      }
    }
    if (stats.ivPercentile !== undefined) evaluation.ivPercentile = stats.ivPercentile;
    if (stats.ivRank !== undefined) evaluation.ivRank = stats.ivRank;
    const kind = chooseKind(selection, signals.direction, stats.ivPercentile, spec.spread?.creditWhenIvPercentileAbove ?? DEFAULT_CREDIT_THRESHOLD);
    evaluation.kindReason = kind.reason;
    if (!kind.ok) {
      drop(symbol, DropReason.IV_UNKNOWN, kind.reason);
      return undefined;
    }
    evaluation.chosenKind = kind.kind;
    return {
      direction: signals.direction,
      reason: `${signals.reason}; ${kind.reason}`,
      target: {
        $typeName: "spreadops.v1.ScanTarget",
        symbol,
        underlying: { $typeName: "spreadops.v1.UnderlyingStats", ...stats },
        settings: {
          $typeName: "spreadops.v1.SpreadSettings",
          kind: kind.selection,
          direction: signals.direction,
          topK: this.topK,
          ...(spec.execution?.limitOffset === undefined ? {} : { limitOffset: spec.execution.limitOffset }),
        },
      },
    };
  }

  /** One ScanUniverse call for every target; candidates per symbol, drops for the rest. */
  private async scan(spec: StrategySpec, targets: readonly ScanTarget[], drop: (symbol: string, reason: DropReason, message: string) => void, call: EvaluateCall): Promise<Map<string, SpreadCandidate[]>> {
    const out = new Map<string, SpreadCandidate[]>();
    if (targets.length === 0) return out;
    const seen = new Set<string>();
    try {
      for await (const message of this.deps.scanner.scanUniverse({ targets: [...targets], filters: scanFilters(spec) }, { timeoutMs: this.scanTimeoutMs, ...(call.signal === undefined ? {} : { signal: call.signal }) })) {
        seen.add(message.symbol);
        if (message.outcome.case === "error") {
          drop(message.symbol, DropReason.SCAN_FAILED, `scan failed: ${message.outcome.value.message}`);
        } else if (message.outcome.case === "result") {
          const result = message.outcome.value;
          if (result.candidates.length === 0) {
            const rejections = result.diagnostics?.rejections.map((r) => `${r.filter}:${r.count}`).join(", ") ?? "";
            drop(message.symbol, DropReason.NO_CANDIDATES, `no candidate passed the filters (${result.diagnostics?.pairsEvaluated ?? 0} pairs evaluated${rejections === "" ? "" : `; rejections ${rejections}`})`);
          } else {
            out.set(message.symbol, result.candidates);
          }
        }
      }
    } catch (error) {
      for (const t of targets) if (!seen.has(t.symbol)) drop(t.symbol, DropReason.SCAN_FAILED, `scan failed: ${errorMessage(error)}`);
    }
    return out;
  }
}
