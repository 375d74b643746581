/**
 * The market-data area of GatewayService: contracts, universe scans, quotes and streams, option
 * chains, historical bars and the budgets' stats, over the one TWS session.
 *
 * @packageDocumentation
 */
import { create } from "@bufbuild/protobuf";
import { durationFromMs, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { MarketDataType, PacingStatsSchema, type GetPacingStatsResponse } from "@spreadops/api";
import type { Duration } from "@bufbuild/protobuf/wkt";
import type { Clock, Logger, Metrics } from "@spreadops/runtime";
import { ChainCache, DEFAULT_LINE_LIMIT, HistoricalScheduler, LineBudget, SnapshotThrottle } from "../budgets/index.js";
import type { TwsConnection } from "../connection/index.js";
import type { OutboundScheduler } from "../scheduler/index.js";
import type { MarketDataArea } from "../service/areas.js";
import { ContractDirectory } from "./contract-directory.js";
import { apiContractDetails, firstMarketRuleId } from "./contract-mapping.js";
import { HistoricalBarsService, type HistoricalResult } from "./historical-bars.js";
import { MarketLines } from "./market-lines.js";
import { createMarketMetrics, noMarketMetrics, type MarketMetrics } from "./market-metrics.js";
import { OptionChainService, type ChainFetch } from "./option-chains.js";
import { QuoteService } from "./quotes.js";
import { RequestRouter } from "./request-router.js";
import { SnapshotFetcher } from "./snapshot-fetcher.js";
import { UniverseSearch } from "./universe.js";

/** Settings of the market-data area (the composition maps its flags onto these). */
export interface MarketDataOptions {
  /** Market-data lines the gateway may hold; default 100 (lowered at run time after IB 101). */
  readonly lineLimit?: number;
  /** Idle (warm) lines are cancelled after this long; default 5 minutes. */
  readonly idleLineTtlMs?: number;
  /** Snapshots per second; default 90 (IB refuses more than 100). */
  readonly snapshotsPerSecond?: number;
  /** GetQuotes snapshot deadline; default 5 s. */
  readonly snapshotTimeoutMs?: number;
  /** GetOptionChain deadline; default 8 s. */
  readonly chainTimeoutMs?: number;
  /** Lifetime of cached option quotes; default 60 s. */
  readonly chainTtlMs?: number;
  /** Contracts one chain may request at most; default 400. */
  readonly chainMaxContracts?: number;
  /** Longest a historical request waits for IB's pacing; default 60 s. */
  readonly historicalMaxWaitMs?: number;
  /** The market-data type the connection asks TWS for (1 live … 4 delayed frozen), reported on chains; default 1. */
  readonly marketDataType?: MarketDataType;
  /** Lifetime of cached contract details and option parameters; default 6 h. */
  readonly contractTtlMs?: number;
}

/** The budgets the area executes; built from the options unless given (tests share or inspect them). */
export interface MarketBudgets {
  readonly lines: LineBudget;
  readonly snapshots: SnapshotThrottle;
  readonly historical: HistoricalScheduler<HistoricalResult>;
  readonly chains: ChainCache;
}

/** Collaborators of {@link MarketDataService}. */
export interface MarketDataServiceDeps {
  readonly connection: TwsConnection;
  readonly scheduler: OutboundScheduler;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The service's registry; omitted = no metrics. */
  readonly metrics?: Metrics;
  readonly budgets?: Partial<MarketBudgets>;
}

const msOf = (d: Duration | undefined): number | undefined => (d === undefined ? undefined : Number(d.seconds) * 1000 + Math.round(d.nanos / 1e6));

/** Implements {@link MarketDataArea}. Call {@link close} at shutdown. */
export class MarketDataService implements MarketDataArea {
  /** The budgets in use (for stats and tests). */
  readonly budgets: MarketBudgets;
  readonly #deps: MarketDataServiceDeps;
  readonly #router: RequestRouter;
  readonly #directory: ContractDirectory;
  readonly #lines: MarketLines;
  readonly #quotes: QuoteService;
  readonly #chains: OptionChainService;
  readonly #historical: HistoricalBarsService;
  readonly #universe: UniverseSearch;
  readonly #metrics: MarketMetrics;

  constructor(deps: MarketDataServiceDeps, options: MarketDataOptions = {}) {
    this.#deps = deps;
    const { connection, logger, clock } = deps;
    const lines = deps.budgets?.lines ?? new LineBudget({ limit: options.lineLimit ?? DEFAULT_LINE_LIMIT, now: () => clock.now() });
    this.budgets = {
      lines,
      snapshots: deps.budgets?.snapshots ?? new SnapshotThrottle({ perWindow: options.snapshotsPerSecond ?? 90, freeLines: () => lines.available }),
      historical: deps.budgets?.historical ?? new HistoricalScheduler<HistoricalResult>({ maxWaitMs: options.historicalMaxWaitMs ?? 60_000 }),
      chains: deps.budgets?.chains ?? new ChainCache({ ttlMs: options.chainTtlMs ?? 60_000 }),
    };
    this.#metrics = deps.metrics === undefined ? noMarketMetrics : createMarketMetrics(deps.metrics, lines);
    const metrics = this.#metrics;
    this.#router = new RequestRouter(connection, logger);
    const requestDeps = { connection, router: this.#router, clock };
    this.#directory = new ContractDirectory({ ...requestDeps, logger }, { ttlMs: options.contractTtlMs ?? 6 * 3_600_000 });
    this.#lines = new MarketLines({ connection, router: this.#router, budget: lines, logger, metrics, clock, idleLineTtlMs: options.idleLineTtlMs ?? 300_000 });
    const snapshots = new SnapshotFetcher({ connection, router: this.#router, lines: this.#lines, throttle: this.budgets.snapshots, clock, logger, metrics });
    this.#quotes = new QuoteService({ directory: this.#directory, lines: this.#lines, snapshots, clock, logger }, { snapshotTimeoutMs: options.snapshotTimeoutMs ?? 5_000 });
    this.#chains = new OptionChainService(
      { directory: this.#directory, lines: this.#lines, snapshots, cache: this.budgets.chains, clock, logger, metrics, marketDataType: () => options.marketDataType ?? MarketDataType.LIVE },
      { timeoutMs: options.chainTimeoutMs ?? 8_000, maxContracts: options.chainMaxContracts ?? 400 },
    );
    this.#historical = new HistoricalBarsService({ ...requestDeps, directory: this.#directory, scheduler: this.budgets.historical, sleeper: clock, logger, metrics });
    this.#universe = new UniverseSearch({ ...requestDeps, directory: this.#directory });
  }

  /** Contract details; price increments from the market rule when TWS answers quickly. */
  readonly resolveContract: MarketDataArea["resolveContract"] = async (req, ctx) => {
    const found = await this.#directory.details(req.contract ?? ({} as never), ctx.signal);
    const contracts = await Promise.all(
      found.map(async (d) => {
        const ruleId = firstMarketRuleId(d);
        return apiContractDetails(d, ruleId === undefined ? [] : await this.#directory.marketRule(ruleId));
      }),
    );
    return { contracts, ambiguous: contracts.length > 1 };
  };

  /** A market scan with the request's filters. */
  readonly searchUniverse: MarketDataArea["searchUniverse"] = async (req, ctx) => {
    const members = await this.#universe.scan(req, ctx.signal);
    return { members, asOf: timestampFromMs(this.#deps.clock.now()) };
  };

  /** Quotes from held lines, else snapshots; per-item errors. */
  readonly getQuotes: MarketDataArea["getQuotes"] = async (req, ctx) => {
    const quotes = await this.#quotes.getQuotes(req.contracts, { timeoutMs: msOf(req.timeout), signal: ctx.signal });
    return { quotes };
  };

  /** Streams quotes over shared, reference-counted lines. */
  readonly streamQuotes: MarketDataArea["streamQuotes"] = (req, ctx) => this.#stream(req.contracts, msOf(req.minInterval), ctx.signal);

  /** The chain, with how many contracts were asked of TWS and how many came from the cache. */
  readonly getOptionChain: MarketDataArea["getOptionChain"] = async (req, ctx) => {
    const result = await this.fetchOptionChain(req.query ?? ({} as never), { maxAgeMs: msOf(req.maxAge), timeoutMs: msOf(req.timeout), signal: ctx.signal });
    return {
      chain: result.chain,
      fromCache: result.requested === 0 && result.cached > 0,
      requestedContracts: result.requested,
      cachedContracts: result.cached,
    };
  };

  /** Bars through the historical scheduler. */
  readonly getHistoricalBars: MarketDataArea["getHistoricalBars"] = async (req, ctx) => {
    const result = await this.#historical.bars(req, ctx.signal);
    return { bars: [...result.bars], timeZoneId: result.timeZoneId };
  };

  /** Scheduler, historical and line-budget counters. */
  readonly getPacingStats: MarketDataArea["getPacingStats"] = () => Promise.resolve(this.pacingStats());

  /** The chain with its requested / cached counts. */
  fetchOptionChain(
    query: Parameters<OptionChainService["fetch"]>[0],
    opts: Parameters<OptionChainService["fetch"]>[1],
  ): Promise<ChainFetch> {
    return this.#chains.fetch(query, opts);
  }

  /** The pacing and budget counters now. */
  pacingStats(): GetPacingStatsResponse {
    const now = this.#deps.clock.now();
    const snapshot = this.#deps.scheduler.snapshot();
    const lines = this.budgets.lines.stats();
    const queueDepth = Object.values(snapshot.queued).reduce((sum, n) => sum + n, 0);
    const stats = create(PacingStatsSchema, {
      messagesLastSecond: snapshot.sentLastSecond,
      messageBudgetPerSecond: Math.round(snapshot.budgetPerSecond),
      messageLimitPerSecond: 50,
      windowsOverLimit: snapshot.sentOverLimit,
      pacingViolations: snapshot.violations,
      historicalRequestsLast10m: this.#historical.sentLast10Minutes(now),
      historicalBudgetPer10m: 60,
      historicalOpenRequests: this.#historical.openRequests,
      historicalPacingViolations: this.#historical.pacingViolations,
      marketDataLinesUsed: lines.inUse,
      marketDataLinesLimit: lines.limit,
      marketDataLinesEvicted: lines.evictions,
      maxTickerErrors: this.#lines.maxTickerErrors,
      queueDepth,
      oldestQueuedAge: durationFromMs(snapshot.oldestQueuedAt === undefined ? 0 : Math.max(0, now - snapshot.oldestQueuedAt)),
      asOf: timestampFromMs(now),
    });
    return { $typeName: "spreadops.v1.GetPacingStatsResponse", stats };
  }

  /** Cancels every line and detaches from the connection. */
  close(): void {
    this.#lines.close();
    this.#directory.close();
    this.#router.close();
  }

  async *#stream(contracts: Parameters<QuoteService["stream"]>[0], minIntervalMs: number | undefined, signal: AbortSignal) {
    for await (const quotes of this.#quotes.stream(contracts, { minIntervalMs, signal })) yield { quotes };
  }
}
