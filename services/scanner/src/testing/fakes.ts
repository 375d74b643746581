import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { CallOptions } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import type {
  GetHistoricalBarsRequest,
  GetHistoricalBarsResponse,
  GetOptionChainRequest,
  GetOptionChainResponse,
  OptionChain,
  ScanResult,
} from "@spreadops/api";
import {
  BarSchema,
  GetHistoricalBarsResponseSchema,
  GetOptionChainResponseSchema,
  OptionChainSchema,
  OptionRight,
  ScanDiagnosticsSchema,
  ScanResultSchema,
  SpreadCandidateSchema,
} from "@spreadops/api";
import type { Logger } from "@spreadops/runtime";
import { createLogger, createMetrics, DomainError } from "@spreadops/runtime";
import type { ScanInput, SpreadScanEngine } from "../engine-port.js";
import type { GatewayPort } from "../gateway-port.js";
import { createScannerMetrics } from "../scan-metrics.js";
import type { ScannerMetrics } from "../scan-metrics.js";

/** A logger that writes nowhere. */
export function quietLogger(): Logger {
  return createLogger({ service: "scanner-test", level: "silent", destination: { write: () => true } });
}

/** Scanner metrics on a fresh registry. */
export function testMetrics(): ScannerMetrics {
  return createScannerMetrics(createMetrics({ service: "scanner-test", defaultMetrics: false }));
}

/** A small, well-formed chain: puts at 90..100 of one expiry. */
export function tinyChain(symbol: string, conId = 1000): OptionChain {
  const strikes = [90, 95, 100];
  const n = strikes.length;
  const nan = () => strikes.map(() => Number.NaN);
  return create(OptionChainSchema, {
    underlyingSymbol: symbol,
    underlyingConId: conId,
    underlyingPrice: 100,
    asOf: timestampFromMs(Date.parse("2026-03-10T15:00:00Z")),
    asOfDate: 20260310,
    multiplier: 100,
    minTick: 0.01,
    rowCount: n,
    conId: strikes.map((_, i) => conId + i + 1),
    expiry: strikes.map(() => 20260417),
    dte: strikes.map(() => 38),
    strike: strikes,
    right: strikes.map(() => OptionRight.PUT),
    bid: [0.5, 1, 2],
    ask: [0.6, 1.1, 2.1],
    last: nan(),
    bidSize: nan(),
    askSize: nan(),
    volume: [100, 100, 100],
    openInterest: [1000, 1000, 1000],
    impliedVol: [0.25, 0.22, 0.2],
    delta: [-0.1, -0.2, -0.4],
    gamma: nan(),
    theta: nan(),
    vega: nan(),
    underlyingPriceAtQuote: strikes.map(() => 100),
    quoteAgeMs: strikes.map(() => 0),
    flags: strikes.map(() => 0),
  });
}

/** What the fake engine does on a scan. */
export type EngineBehaviour = (input: ScanInput) => ScanResult | undefined;

/**
 * An engine that returns one candidate per chain (keyed by symbol) and records its inputs; a
 * behaviour can replace the result or throw.
 */
export class FakeEngine implements SpreadScanEngine {
  readonly inputs: ScanInput[] = [];
  behaviour: EngineBehaviour = () => undefined;

  scan(input: ScanInput): ScanResult {
    this.inputs.push(input);
    const replaced = this.behaviour(input);
    if (replaced !== undefined) return replaced;
    const chain = input.chain;
    return create(ScanResultSchema, {
      underlyingSymbol: chain.underlyingSymbol,
      underlyingConId: chain.underlyingConId,
      candidates: [create(SpreadCandidateSchema, { key: `${chain.underlyingSymbol} 20260417 P 95/90`, rank: 1, score: 0.5 })],
      diagnostics: create(ScanDiagnosticsSchema, { rowsInChain: chain.rowCount, rowsUsable: chain.rowCount, pairsEvaluated: 3, pairsPassed: 1 }),
    });
  }
}

/** Spins until the deadline, then fails like the real engine does. */
export function busyUntilDeadline(input: ScanInput): never {
  const deadline = input.deadlineMs ?? Date.now() + 50;
  while (Date.now() < deadline) { /* CPU-bound on purpose */ }
  throw new DomainError("deadline_exceeded", "scan stopped at its deadline after 0 of 3 pairs");
}

/** How the fake gateway answers one symbol. */
export interface SymbolScript {
  /** Delay before answering the chain, ms. */
  readonly delayMs?: number;
  /** Fail the chain with this error. */
  readonly error?: ConnectError;
  /** Daily IV closes, oldest first; unset = IV history fails with Unavailable. */
  readonly ivCloses?: readonly number[];
}

/**
 * A gateway that answers GetOptionChain with {@link tinyChain} per scripted symbol (unknown
 * symbols: NotFound as the real gateway says it), honours the call's signal, and counts how
 * many chain calls are in flight.
 */
export class FakeGateway implements GatewayPort {
  readonly chainRequests: GetOptionChainRequest[] = [];
  readonly barRequests: GetHistoricalBarsRequest[] = [];
  readonly timeouts: (number | undefined)[] = [];
  inFlight = 0;
  maxInFlight = 0;
  aborted = 0;

  constructor(private readonly script: Readonly<Record<string, SymbolScript>>) {}

  async getOptionChain(request: Parameters<GatewayPort["getOptionChain"]>[0], options?: CallOptions): Promise<GetOptionChainResponse> {
    const req = request as GetOptionChainRequest;
    this.chainRequests.push(req);
    this.timeouts.push(options?.timeoutMs);
    const symbol = req.query?.underlyingSymbol ?? "";
    const entry = this.script[symbol];
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.wait(entry?.delayMs ?? 0, options?.signal);
      if (entry === undefined) throw new ConnectError(`contract "${symbol}" not found`, Code.NotFound);
      if (entry.error !== undefined) throw entry.error;
      return create(GetOptionChainResponseSchema, { chain: tinyChain(symbol) });
    } finally {
      this.inFlight--;
    }
  }

  async getHistoricalBars(request: Parameters<GatewayPort["getHistoricalBars"]>[0], options?: CallOptions): Promise<GetHistoricalBarsResponse> {
    const req = request as GetHistoricalBarsRequest;
    this.barRequests.push(req);
    await this.wait(0, options?.signal);
    const symbol = req.contract?.symbol ?? "";
    const closes = this.script[symbol]?.ivCloses;
    if (closes === undefined) throw new ConnectError("historical data farm is not connected", Code.Unavailable);
    return create(GetHistoricalBarsResponseSchema, { bars: closes.map((close, i) => create(BarSchema, { date: 20250301 + i, close, open: close, high: close, low: close })) });
  }

  private wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const fail = (): void => {
        clearTimeout(timer);
        this.aborted++;
        reject(new ConnectError("the operation was aborted", Code.Canceled));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", fail);
        resolve();
      }, ms);
      if (signal?.aborted === true) fail();
      else signal?.addEventListener("abort", fail, { once: true });
    });
  }
}
