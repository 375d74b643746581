// Tiers 1–2: the ScannerService with a fake engine and a fake gateway, in memory.
import { create } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import type { ScanUniverseResponse } from "@spreadops/api";
import { BarSize, Direction, ErrorCode, OptionRight, ScannerService, SpreadKindSelection, UnderlyingStatsSchema, WhatToShow } from "@spreadops/api";
import { createErrorInterceptor, DomainError } from "@spreadops/runtime";
import { describe, expect, it } from "vitest";
import { registerScannerRoutes } from "./routes.js";
import { ScannerServiceHandler } from "./scanner-service.js";
import { SpreadScanner } from "./spread-scanner.js";
import type { SymbolScript } from "./testing/fakes.js";
import { busyUntilDeadline, FakeEngine, FakeGateway, quietLogger, testMetrics, tinyChain } from "./testing/fakes.js";

const BULL_PUT = { kind: SpreadKindSelection.BULL_PUT };
const FILTERS = { dte: { min: 20, max: 60 }, shortDelta: { min: 0.15, max: 0.4 }, width: { min: 1, max: 10 } };
const IV_YEAR = [...Array.from({ length: 250 }, (_, i) => 0.15 + (i % 10) / 100), 0.22];

interface Harness {
  readonly client: Client<typeof ScannerService>;
  readonly engine: FakeEngine;
  readonly gateway: FakeGateway;
  readonly metrics: ReturnType<typeof testMetrics>;
}

function harness(script: Readonly<Record<string, SymbolScript>>, options: { scanTimeoutMs?: number; concurrency?: number } = {}): Harness {
  const engine = new FakeEngine();
  const gateway = new FakeGateway(script);
  const logger = quietLogger();
  const metrics = testMetrics();
  const scanner = new SpreadScanner({ engine, gateway, logger, metrics }, { fetchTimeoutMs: 5000 });
  const service = new ScannerServiceHandler(
    { scanner, logger },
    { scanTimeoutMs: options.scanTimeoutMs ?? 10_000, defaultConcurrency: options.concurrency ?? 4, maxConcurrency: 8 },
  );
  const transport = createRouterTransport((router) => { registerScannerRoutes(router, service); }, { router: { interceptors: [createErrorInterceptor({ logger })] } });
  return { client: createClient(ScannerService, transport), engine, gateway, metrics };
}

async function failure(promise: Promise<unknown>): Promise<ConnectError> {
  try {
    await promise;
  } catch (e) {
    return ConnectError.from(e);
  }
  throw new Error("expected the call to fail");
}

async function collect(stream: AsyncIterable<ScanUniverseResponse>): Promise<ScanUniverseResponse[]> {
  const out: ScanUniverseResponse[] = [];
  for await (const m of stream) out.push(m);
  return out;
}

describe("ScanSpreads", () => {
  it("scans an inline chain without touching the gateway", async () => {
    const h = harness({});
    const { result } = await h.client.scanSpreads({ chainSource: { case: "chain", value: tinyChain("SPY") }, settings: BULL_PUT });
    expect(result?.underlyingSymbol).toBe("SPY");
    expect(result?.candidates).toHaveLength(1);
    expect(result?.diagnostics?.fetchDuration).toMatchObject({ seconds: 0n, nanos: 0 });
    expect(h.gateway.chainRequests).toHaveLength(0);
    expect(h.engine.inputs[0]?.deadlineMs).toBeGreaterThan(Date.now());
  });

  it("fetches the chain with DTE, band and right filled from the filters, and passes filters and settings on", async () => {
    const h = harness({ SPY: {} });
    await h.client.scanSpreads({ chainSource: { case: "fetch", value: { query: { underlyingSymbol: "SPY" }, maxAge: { seconds: 30n } } }, filters: FILTERS, settings: BULL_PUT });
    const query = h.gateway.chainRequests[0]?.query;
    expect(query?.dte).toMatchObject({ min: 20, max: 60 });
    expect(query?.band).toMatchObject({ case: "absDelta", value: { min: 0.15, max: 0.4 } });
    expect(query?.right).toBe(OptionRight.PUT);
    expect(h.gateway.chainRequests[0]?.maxAge?.seconds).toBe(30n);
    expect(h.engine.inputs[0]?.filters?.width).toMatchObject({ min: 1, max: 10 });
    expect(h.gateway.barRequests).toHaveLength(0); // nothing needs IV stats
  });

  it("fetches a year of daily IV bars for AUTO and hands the engine IV percentile and rank in 0–100", async () => {
    const h = harness({ SPY: { ivCloses: IV_YEAR } });
    await h.client.scanSpreads({
      chainSource: { case: "fetch", value: { query: { underlyingSymbol: "SPY", dte: { min: 20, max: 60 } } } },
      filters: { minIvRank: 10 },
      settings: { kind: SpreadKindSelection.AUTO, direction: Direction.BULLISH },
    });
    const bars = h.gateway.barRequests[0];
    expect(bars).toMatchObject({ barSize: BarSize.BAR_SIZE_1_DAY, whatToShow: WhatToShow.OPTION_IMPLIED_VOLATILITY, span: { count: 1 } });
    expect(bars?.contract?.symbol).toBe("SPY");
    const underlying = h.engine.inputs[0]?.underlying;
    // 0.22 against 250 days of 0.15..0.24: 175 days below (0.15..0.21) → 70; rank (0.22−0.15)/0.09.
    expect(underlying?.ivPercentile).toBeCloseTo(70, 8);
    expect(underlying?.ivRank).toBeCloseTo(77.78, 1);
    expect(underlying?.impliedVol).toBe(0.22);
  });

  it("does not fetch what the caller gave", async () => {
    const h = harness({ SPY: { ivCloses: IV_YEAR } });
    await h.client.scanSpreads({
      chainSource: { case: "chain", value: tinyChain("SPY") },
      underlying: create(UnderlyingStatsSchema, { ivPercentile: 90 }),
      settings: { kind: SpreadKindSelection.AUTO, direction: Direction.BULLISH },
    });
    expect(h.gateway.barRequests).toHaveLength(0);
    expect(h.engine.inputs[0]?.underlying?.ivPercentile).toBe(90);
  });

  it("leaves IV stats unknown when the IV history fails, so AUTO fails with the engine's FailedPrecondition", async () => {
    const h = harness({ SPY: {} });
    h.engine.behaviour = (input) => {
      if (input.underlying?.ivPercentile === undefined) throw new DomainError("failed_precondition", "AUTO needs the IV percentile of SPY, which is unknown");
      return undefined;
    };
    const e = await failure(h.client.scanSpreads({ chainSource: { case: "fetch", value: { query: { underlyingSymbol: "SPY", dte: { min: 1, max: 9 } } } }, settings: { kind: SpreadKindSelection.AUTO, direction: Direction.BEARISH } }));
    expect(e.code).toBe(Code.FailedPrecondition);
    expect(h.gateway.barRequests).toHaveLength(1);
    expect(await h.metrics.errors.get()).toMatchObject({ values: expect.arrayContaining([expect.objectContaining({ labels: { stage: "iv_history", cause: "unavailable" }, value: 1 })]) as unknown });
  });

  it.each([
    ["Unavailable", new ConnectError("TWS is not connected", Code.Unavailable)],
    ["ResourceExhausted", new ConnectError("market-data lines exhausted (100/100)", Code.ResourceExhausted)],
  ])("passes a gateway %s through with its code", async (_, error) => {
    const h = harness({ SPY: { error } });
    const e = await failure(h.client.scanSpreads({ chainSource: { case: "fetch", value: { query: { underlyingSymbol: "SPY", dte: { min: 1, max: 9 } } } }, settings: BULL_PUT }));
    expect(e.code).toBe(error.code);
    expect(e.rawMessage).toBe(`option chain of SPY from the gateway: ${error.rawMessage}`);
    expect(h.engine.inputs).toHaveLength(0);
  });

  it("passes NotFound for an unknown underlying", async () => {
    const h = harness({});
    const e = await failure(h.client.scanSpreads({ chainSource: { case: "fetch", value: { query: { underlyingSymbol: "NOPE", dte: { min: 1, max: 9 } } } }, settings: BULL_PUT }));
    expect(e.code).toBe(Code.NotFound);
    expect(e.rawMessage).toContain("NOPE");
  });

  it("stops at the deadline: the engine gets it and its DeadlineExceeded reaches the caller", async () => {
    const h = harness({}, { scanTimeoutMs: 60_000 });
    h.engine.behaviour = busyUntilDeadline;
    const start = Date.now();
    const e = await failure(h.client.scanSpreads({ chainSource: { case: "chain", value: tinyChain("SPY") }, settings: BULL_PUT }, { timeoutMs: 150 }));
    expect(e.code).toBe(Code.DeadlineExceeded);
    const deadline = h.engine.inputs[0]?.deadlineMs ?? 0;
    expect(deadline - start).toBeLessThanOrEqual(200);
  });

  it("bounds the gateway call's timeout by the scan deadline", async () => {
    const h = harness({ SPY: {} }, { scanTimeoutMs: 1000 });
    await h.client.scanSpreads({ chainSource: { case: "fetch", value: { query: { underlyingSymbol: "SPY", dte: { min: 1, max: 9 } } } }, settings: BULL_PUT });
    expect(h.gateway.timeouts[0]).toBeLessThanOrEqual(1000);
    expect(h.gateway.timeouts[0]).toBeGreaterThan(500);
  });
});

describe("ScanUniverse", () => {
  const symbols = ["SPY", "QQQ", "IWM", "DIA", "AAPL", "MSFT"];

  it("streams one message per target in completion order with completed/total", async () => {
    const delays: Record<string, number> = { SPY: 120, QQQ: 10, IWM: 60, DIA: 5, AAPL: 30, MSFT: 90 };
    const h = harness(Object.fromEntries(symbols.map((s) => [s, { delayMs: delays[s] ?? 0 }])), { concurrency: 6 });
    const messages = await collect(h.client.scanUniverse({ targets: symbols.map((symbol) => ({ symbol })), filters: FILTERS, settings: BULL_PUT }));
    expect(messages.map((m) => m.symbol)).toEqual(["DIA", "QQQ", "AAPL", "IWM", "MSFT", "SPY"]);
    expect(messages.map((m) => m.completed)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(messages.every((m) => m.total === 6)).toBe(true);
    for (const m of messages) {
      expect(symbols[m.targetIndex]).toBe(m.symbol);
      expect(m.outcome.case).toBe("result");
      if (m.outcome.case === "result") expect(m.outcome.value.underlyingSymbol).toBe(m.symbol);
    }
  });

  it("reports a failing target in the stream while the others go on", async () => {
    const h = harness({ SPY: {}, QQQ: { error: new ConnectError("TWS is not connected", Code.Unavailable) }, IWM: {} });
    h.engine.behaviour = (input) => {
      if (input.chain.underlyingSymbol === "IWM") throw new DomainError("invalid_argument", "invalid settings.top_k: expected …");
      return undefined;
    };
    const messages = await collect(h.client.scanUniverse({ targets: [{ symbol: "SPY" }, { symbol: "ZZZZ" }, { symbol: "QQQ" }, { symbol: "IWM" }], filters: FILTERS, settings: BULL_PUT }));
    const bySymbol = new Map(messages.map((m) => [m.symbol, m]));
    expect(messages).toHaveLength(4);
    expect(bySymbol.get("SPY")?.outcome.case).toBe("result");
    expect(bySymbol.get("ZZZZ")?.outcome).toMatchObject({ case: "error", value: { code: ErrorCode.NOT_FOUND, message: 'option chain of ZZZZ from the gateway: contract "ZZZZ" not found' } });
    expect(bySymbol.get("QQQ")?.outcome).toMatchObject({ case: "error", value: { code: ErrorCode.UNAVAILABLE } });
    expect(bySymbol.get("IWM")?.outcome).toMatchObject({ case: "error", value: { code: ErrorCode.INVALID_ARGUMENT } });
  });

  it("keeps at most max_concurrency chains in flight, capped by the service's limit", async () => {
    const script = Object.fromEntries(symbols.map((s) => [s, { delayMs: 20 }]));
    const two = harness(script);
    await collect(two.client.scanUniverse({ targets: symbols.map((symbol) => ({ symbol })), filters: FILTERS, settings: BULL_PUT, maxConcurrency: 2 }));
    expect(two.gateway.maxInFlight).toBe(2);
    const byDefault = harness(script, { concurrency: 3 });
    await collect(byDefault.client.scanUniverse({ targets: symbols.map((symbol) => ({ symbol })), filters: FILTERS, settings: BULL_PUT }));
    expect(byDefault.gateway.maxInFlight).toBe(3);
  });

  it("uses each target's own settings and stats over the request's", async () => {
    const h = harness({ SPY: {}, QQQ: {} });
    await collect(h.client.scanUniverse({
      targets: [{ symbol: "SPY" }, { symbol: "QQQ", settings: { kind: SpreadKindSelection.BEAR_CALL }, underlying: { ivRank: 12 } }],
      filters: FILTERS,
      settings: BULL_PUT,
      maxConcurrency: 1,
    }));
    expect(h.gateway.chainRequests.map((r) => r.query?.right)).toEqual([OptionRight.PUT, OptionRight.CALL]);
    expect(h.engine.inputs[1]?.settings?.kind).toBe(SpreadKindSelection.BEAR_CALL);
    expect(h.engine.inputs[1]?.underlying?.ivRank).toBe(12);
  });

  it("stops outstanding fetches when the client cancels", async () => {
    const h = harness(Object.fromEntries(symbols.map((s) => [s, { delayMs: s === "SPY" ? 5 : 5_000 }])), { concurrency: 3 });
    const abort = new AbortController();
    const seen: string[] = [];
    const e = await failure((async () => {
      for await (const m of h.client.scanUniverse({ targets: symbols.map((symbol) => ({ symbol })), filters: FILTERS, settings: BULL_PUT }, { signal: abort.signal })) {
        seen.push(m.symbol);
        abort.abort();
      }
    })());
    expect(e.code).toBe(Code.Canceled);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(["SPY"]);
    expect(h.gateway.inFlight).toBe(0);
    expect(h.gateway.aborted).toBeGreaterThanOrEqual(2);
    expect(h.gateway.chainRequests.length).toBeLessThanOrEqual(4);
  });
});
