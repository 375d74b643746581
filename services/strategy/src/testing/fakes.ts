import { create } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ScanUniverseRequest, ScanUniverseResponse } from "@spreadops/api";
import {
  GetAccountSummaryResponseSchema,
  GetHistoricalBarsResponseSchema,
  ScanUniverseResponseSchema,
  SearchUniverseResponseSchema,
  SpreadCandidateSchema,
  WhatToShow,
} from "@spreadops/api";
import { createLogger, createMetrics } from "@spreadops/runtime";
import { StrategyEvaluator } from "../evaluator.js";
import type { OpenTradesPort, StrategyGatewayPort, StrategyScannerPort } from "../ports.js";
import type { OpenTradesSnapshot } from "../risk-budget.js";
import { createStrategyMetrics } from "../strategy-metrics.js";

/** What the fake gateway serves. */
export interface FakeMarket {
  /** Daily closes per symbol (oldest first). */
  readonly closes: Readonly<Record<string, readonly number[]>>;
  /** Daily IV closes per symbol; missing = no IV history (empty bars). */
  readonly iv?: Readonly<Record<string, readonly number[]>>;
  /** Symbols failing the universe filter. */
  readonly notInUniverse?: readonly string[];
  readonly buyingPower?: number;
}

/** A gateway fake over {@link FakeMarket}, recording its calls. */
export function fakeGateway(market: FakeMarket, calls: string[] = []): StrategyGatewayPort {
  return {
    getHistoricalBars: (request) => {
      const symbol = request.contract?.symbol ?? "";
      calls.push(`bars ${symbol} ${request.whatToShow}`);
      const series = request.whatToShow === WhatToShow.OPTION_IMPLIED_VOLATILITY ? market.iv?.[symbol] ?? [] : market.closes[symbol];
      if (series === undefined) return Promise.reject(new Error(`no bars for ${symbol}`));
      return Promise.resolve(create(GetHistoricalBarsResponseSchema, { bars: series.map((close) => ({ open: close, high: close + 1, low: close - 1, close })) }));
    },
    searchUniverse: (request) => {
      const symbols = request.symbols ?? [];
      calls.push(`universe ${symbols.join(",")}`);
      return Promise.resolve(create(SearchUniverseResponseSchema, {
        members: symbols.map((symbol) => {
          const failed = market.notInUniverse?.includes(symbol) === true;
          return { symbol, passed: !failed, failed: failed ? [1] : [], price: market.closes[symbol]?.at(-1) ?? 0 };
        }),
      }));
    },
    getAccountSummary: () => Promise.resolve(create(GetAccountSummaryResponseSchema, { summary: market.buyingPower === undefined ? {} : { availableFunds: market.buyingPower } })),
  };
}

/** A candidate for the fake scanner. */
export const fakeCandidate = (init: MessageInitShape<typeof SpreadCandidateSchema>) =>
  create(SpreadCandidateSchema, { multiplier: 100, expiry: 20260417, score: 0.5, rank: 1, maxLossPerSpreadUsd: 100, ...init });

/** A scanner fake answering every target with `candidates(symbol)`, recording requests. */
export function fakeScanner(candidates: (symbol: string, request: ScanUniverseRequest) => ReturnType<typeof fakeCandidate>[], requests: ScanUniverseRequest[] = []): StrategyScannerPort {
  return {
    scanUniverse: (request) => {
      requests.push(request as ScanUniverseRequest);
      const targets = (request as ScanUniverseRequest).targets;
      return (async function* (): AsyncGenerator<ScanUniverseResponse> {
        await Promise.resolve();
        let i = 0;
        for (const t of targets) {
          yield create(ScanUniverseResponseSchema, { targetIndex: i++, symbol: t.symbol, outcome: { case: "result", value: { underlyingSymbol: t.symbol, candidates: candidates(t.symbol, request as ScanUniverseRequest) } } });
        }
      })();
    },
  };
}

/** An open-trades port with a fixed answer. */
export function fakeOpenTrades(snapshot: OpenTradesSnapshot): OpenTradesPort {
  return { list: () => Promise.resolve(snapshot) };
}

/** An evaluator over fakes, silent, fixed clock. */
export function fakeEvaluator(parts: { gateway: StrategyGatewayPort; scanner: StrategyScannerPort; openTrades: OpenTradesPort; now?: number }): StrategyEvaluator {
  const logger = createLogger({ service: "strategy-test", level: "silent", destination: { write: () => true } });
  const metrics = createStrategyMetrics(createMetrics({ service: "strategy-test", defaultMetrics: false }));
  const now = parts.now ?? Date.parse("2026-03-10T15:00:00Z");
  return new StrategyEvaluator({ gateway: parts.gateway, scanner: parts.scanner, openTrades: parts.openTrades, now: () => now, logger, metrics });
}
