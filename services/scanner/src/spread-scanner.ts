import { create } from "@bufbuild/protobuf";
import type { Duration } from "@bufbuild/protobuf/wkt";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type { ContractSpec, FilterSet, OptionChain, OptionChainQuery, ScanResult, SpreadSettings, UnderlyingStats } from "@spreadops/api";
import { BarSize, ContractSpecSchema, HistorySpanUnit, ScanDiagnosticsSchema, SecType, WhatToShow } from "@spreadops/api";
import type { Logger } from "@spreadops/runtime";
import { DomainError, toConnectError } from "@spreadops/runtime";
import type { SpreadScanEngine } from "./engine-port.js";
import type { GatewayPort } from "./gateway-port.js";
import { mergeStats, needsAny, statsFromIvBars, statsNeed } from "./iv-stats.js";
import type { ScannerMetrics } from "./scan-metrics.js";

/** Where one scan's chain comes from. */
export type ChainSource =
  | { readonly kind: "fetch"; readonly query: OptionChainQuery; readonly maxAge?: Duration | undefined }
  | { readonly kind: "inline"; readonly chain: OptionChain };

/** One underlying to scan, validated and with its chain query already filled from the filters. */
export interface ScanJob {
  /** For logs and errors. */
  readonly symbol: string;
  readonly source: ChainSource;
  readonly filters: FilterSet | undefined;
  readonly settings: SpreadSettings | undefined;
  readonly underlying: UnderlyingStats | undefined;
}

/** The call a scan runs in: its cancellation and its deadline (epoch ms; unset = none). */
export interface ScanCall {
  readonly signal: AbortSignal;
  readonly deadlineMs?: number | undefined;
}

/** Collaborators of {@link SpreadScanner}. */
export interface SpreadScannerDeps {
  readonly engine: SpreadScanEngine;
  readonly gateway: GatewayPort;
  readonly logger: Logger;
  readonly metrics: ScannerMetrics;
  /** Epoch ms; default `Date.now`. */
  readonly now?: () => number;
}

/** Tuning of {@link SpreadScanner}. */
export interface SpreadScannerOptions {
  /** Longest one gateway call may take, ms (further bounded by the call's deadline). */
  readonly fetchTimeoutMs: number;
}

/** The IV history behind IV percentile and rank: one year of daily bars (scanner.proto). */
const IV_HISTORY = { count: 1, unit: HistorySpanUnit.YEARS } as const;

/**
 * Scans one underlying: gets its chain (inline, or from the gateway), fills the IV percentile /
 * rank the filters or AUTO need from a year of daily IV bars (concurrently with the chain; a
 * failure leaves them unknown and the engine decides), runs the engine with the call's deadline,
 * and records metrics and one log line. Gateway errors keep their codes; the message names the
 * symbol. Holds no state between scans, so replicas never disagree.
 */
export class SpreadScanner {
  private readonly now: () => number;

  constructor(
    private readonly deps: SpreadScannerDeps,
    private readonly options: SpreadScannerOptions,
  ) {
    this.now = deps.now ?? Date.now;
  }

  /** Runs one scan; rejects with a ConnectError or DomainError the error interceptor maps. */
  async scan(job: ScanJob, call: ScanCall): Promise<ScanResult> {
    const fetchStart = this.now();
    const need = statsNeed(job.filters, job.settings, job.underlying);
    const contract = contractOf(job);
    const [chain, fetched] = await Promise.all([
      this.chainOf(job, call),
      needsAny(need) ? this.ivStats(job.symbol, contract, call) : Promise.resolve(undefined),
    ]);
    const fetchMs = job.source.kind === "inline" ? 0 : this.now() - fetchStart;
    const underlying = mergeStats(job.underlying, fetched);
    if (call.deadlineMs !== undefined && this.now() >= call.deadlineMs) {
      this.deps.metrics.errors.inc({ stage: "scan", cause: "deadline_exceeded" });
      throw new DomainError("deadline_exceeded", `scan of ${job.symbol} reached its deadline before scanning (fetching took ${fetchMs} ms)`);
    }
    call.signal.throwIfAborted();

    const scanStart = this.now();
    let result: ScanResult;
    try {
      result = this.deps.engine.scan({
        chain,
        filters: job.filters,
        settings: job.settings,
        underlying,
        ...(call.deadlineMs === undefined ? {} : { deadlineMs: call.deadlineMs }),
      });
    } catch (error) {
      const cause = causeOf(error);
      this.deps.metrics.scanDuration.observe({ outcome: cause }, (this.now() - scanStart) / 1000);
      this.deps.metrics.errors.inc({ stage: "scan", cause });
      throw error;
    }
    const scanMs = this.now() - scanStart;
    result.underlying ??= underlying;
    const diagnostics = (result.diagnostics ??= create(ScanDiagnosticsSchema, {}));
    diagnostics.fetchDuration = durationFromMs(fetchMs);
    diagnostics.scanDuration ??= durationFromMs(scanMs);

    const m = this.deps.metrics;
    m.scanDuration.observe({ outcome: "ok" }, scanMs / 1000);
    m.contracts.inc(diagnostics.rowsInChain);
    m.pairs.inc(diagnostics.pairsEvaluated);
    m.candidates.inc(result.candidates.length);
    this.deps.logger.info(
      {
        symbol: job.symbol,
        scanMs,
        fetchMs,
        rows: diagnostics.rowsInChain,
        pairs: diagnostics.pairsEvaluated,
        passed: diagnostics.pairsPassed,
        candidates: result.candidates.length,
        ivPercentile: underlying.ivPercentile,
      },
      "scanned",
    );
    return result;
  }

  private async chainOf(job: ScanJob, call: ScanCall): Promise<OptionChain> {
    const source = job.source;
    if (source.kind === "inline") return source.chain;
    const start = this.now();
    try {
      const response = await this.deps.gateway.getOptionChain(
        { query: source.query, ...(source.maxAge === undefined ? {} : { maxAge: source.maxAge }) },
        { signal: call.signal, timeoutMs: this.callTimeout(call, job.symbol) },
      );
      this.deps.metrics.fetchDuration.observe({ what: "chain" }, (this.now() - start) / 1000);
      if (response.chain === undefined) throw new ConnectError(`the gateway returned no chain for ${job.symbol}`, Code.Unavailable);
      return response.chain;
    } catch (error) {
      const mapped = fromGateway(`option chain of ${job.symbol}`, error);
      this.deps.metrics.errors.inc({ stage: "chain", cause: causeOf(mapped) });
      throw mapped;
    }
  }

  /** IV stats from the gateway, or undefined when they cannot be had (logged, counted). */
  private async ivStats(symbol: string, contract: ContractSpec, call: ScanCall): Promise<UnderlyingStats | undefined> {
    const start = this.now();
    try {
      const response = await this.deps.gateway.getHistoricalBars(
        { contract, span: IV_HISTORY, barSize: BarSize.BAR_SIZE_1_DAY, whatToShow: WhatToShow.OPTION_IMPLIED_VOLATILITY, regularHoursOnly: true },
        { signal: call.signal, timeoutMs: this.callTimeout(call, symbol) },
      );
      this.deps.metrics.fetchDuration.observe({ what: "iv_history" }, (this.now() - start) / 1000);
      return statsFromIvBars(response.bars);
    } catch (error) {
      // Cancellation of the whole call is not an IV problem: let it end the scan.
      if (call.signal.aborted) throw error;
      const mapped = fromGateway(`IV history of ${symbol}`, error);
      this.deps.metrics.errors.inc({ stage: "iv_history", cause: causeOf(mapped) });
      this.deps.logger.warn({ symbol, code: Code[mapped.code], err: mapped.rawMessage }, "IV history unavailable; IV percentile and rank stay unknown");
      return undefined;
    }
  }

  /** A gateway call's timeout: the configured one, cut to what is left of the deadline. */
  private callTimeout(call: ScanCall, symbol: string): number {
    if (call.deadlineMs === undefined) return this.options.fetchTimeoutMs;
    const left = call.deadlineMs - this.now();
    // Connect treats timeoutMs ≤ 0 as "no timeout", so a spent deadline must fail here.
    if (left <= 0) throw new DomainError("deadline_exceeded", `scan of ${symbol} reached its deadline before fetching`);
    return Math.min(this.options.fetchTimeoutMs, left);
  }
}

/** The underlying as the gateway's historical-data call wants it: con id when known. */
function contractOf(job: ScanJob): ContractSpec {
  if (job.source.kind === "inline") {
    const chain = job.source.chain;
    return create(ContractSpecSchema, chain.underlyingConId !== 0 ? { conId: chain.underlyingConId } : { symbol: chain.underlyingSymbol, secType: SecType.STOCK });
  }
  const query = job.source.query;
  if (query.underlyingConId !== 0) return create(ContractSpecSchema, { conId: query.underlyingConId });
  const secType = query.underlyingSecType === SecType.UNSPECIFIED ? SecType.STOCK : query.underlyingSecType;
  return create(ContractSpecSchema, { symbol: query.underlyingSymbol || job.symbol, secType });
}

/**
 * A gateway failure as the scanner's caller sees it: the same code, the gateway's message
 * prefixed with what was being fetched. Cancellation passes through untouched.
 */
export function fromGateway(what: string, error: unknown): ConnectError {
  const { error: mapped } = toConnectError(error);
  if (mapped.code === Code.Canceled) return mapped;
  return new ConnectError(`${what} from the gateway: ${mapped.rawMessage}`, mapped.code, mapped.metadata, undefined, error);
}

/** The metric label for an error: its Connect code in snake_case. */
export function causeOf(error: unknown): string {
  const { error: mapped, unexpected } = toConnectError(error);
  if (unexpected) return "internal";
  return Code[mapped.code].replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}
