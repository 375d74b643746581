// Integration: the market-data area against the TWS simulator over real sockets.
import { create } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  BarSize,
  ContractSpecSchema,
  GetHistoricalBarsRequestSchema,
  HistorySpanUnit,
  OptionChainQuerySchema,
  OptionRight,
  SearchUniverseRequestSchema,
  StreamQuotesRequestSchema,
  WhatToShow,
  type OptionChain,
  type StreamQuotesResponse,
} from "@spreadops/api";
import { createLogger, systemClock, type Clock, type Logger } from "@spreadops/runtime";
import { startSimulator, type RunningSimulator, type SimulatorSettings } from "@spreadops/tws-sim";
import { afterEach, describe, expect, it } from "vitest";
import { toMarketDataType, TwsConnection } from "../connection/index.js";
import { OutboundScheduler } from "../scheduler/index.js";
import { MarketDataService, type MarketDataOptions } from "./market-data-service.js";

const SESSION_START = Date.parse("2026-03-10T14:00:00Z");
/** How far outside a requested |delta| band a planned row may lie (see the chain test). */
const DELTA_MARGIN = 0.1;

function quietLogger(): Logger {
  return createLogger({ service: "gateway-test", level: "silent", destination: { write: () => true } });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  readonly sim: RunningSimulator;
  readonly service: MarketDataService;
  readonly connection: TwsConnection;
}

async function harness(settings: Partial<SimulatorSettings> = {}, options: MarketDataOptions = {}): Promise<Harness> {
  const sim = await startSimulator(
    { seed: 42, clock: "stepped", startMs: SESSION_START, port: 0, host: "127.0.0.1", minTickIntervalMs: 0, loopIntervalMs: 20, maxMessagesPerSecond: 1000, ...settings },
    quietLogger(),
  );
  cleanups.push(() => sim.close());
  // The gateway's clock follows simulated time (DTE counts from the simulator's date) yet moves
  // with the wall clock, so throttles and timeouts work while the stepped simulator stands still.
  const offset = sim.server.now() - Date.now();
  const clock: Clock = { now: () => Date.now() + offset, sleep: (ms, signal) => systemClock.sleep(ms, signal), setTimer: (ms, fn) => systemClock.setTimer(ms, fn) };
  // The simulator's limit is raised to 1000/s for tests, so the budget can be too (fast suite).
  const scheduler = new OutboundScheduler({ clock }, { ratePerSecond: 400, hardCapPerSecond: 500, burst: 50 });
  const connection = new TwsConnection(
    {
      host: "127.0.0.1",
      port: sim.address.port,
      clientId: 1,
      mode: "paper",
      liveConfirmed: false,
      marketDataType: toMarketDataType(1),
      connectTimeoutMs: 2000,
      backoff: { initialMs: 100, maxMs: 400 },
      probeIntervalMs: 60_000,
      probeTimeoutMs: 1000,
    },
    { scheduler, logger: quietLogger(), clock },
  );
  const restored = new Promise<void>((resolve) => connection.onEvent("restored", () => { resolve(); }));
  connection.start();
  cleanups.push(() => {
    connection.stop("test over");
  });
  await restored;
  const service = new MarketDataService({ connection, scheduler, logger: quietLogger(), clock }, options);
  cleanups.push(() => {
    service.close();
  });
  return { sim, service, connection };
}

function context(signal: AbortSignal = new AbortController().signal): HandlerContext {
  return { signal, responseHeader: new Headers(), responseTrailer: new Headers(), requestHeader: new Headers(), values: undefined } as unknown as HandlerContext;
}

const received = (s: RunningSimulator, type: string): number => s.server.stats().messages.receivedByType[type] ?? 0;

/** An open quote stream: its iterator and the abort that ends it. */
function openStream(service: MarketDataService, conIds: readonly number[]): { next: () => Promise<StreamQuotesResponse>; close: () => Promise<void> } {
  const abort = new AbortController();
  const req = create(StreamQuotesRequestSchema, { contracts: conIds.map((conId) => create(ContractSpecSchema, { conId })) });
  const iterator = service.streamQuotes(req, context(abort.signal))[Symbol.asyncIterator]();
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    abort.abort();
    await iterator.return?.();
  };
  cleanups.push(close);
  return {
    next: async () => {
      const r = await iterator.next();
      if (r.done === true) throw new Error("stream ended");
      return r.value as StreamQuotesResponse;
    },
    close,
  };
}

/** Listed SPY option conIds of the first expiries (at least `n`). */
function spyOptionIds(sim: RunningSimulator, n: number): number[] {
  const market = sim.server.world.market;
  const ids: number[] = [];
  for (const contract of market.findContracts({ symbol: "SPY", secType: "OPT" })) {
    ids.push(contract.conId);
    if (ids.length >= n) break;
  }
  expect(ids.length).toBe(n);
  return ids;
}

describe("MarketDataService against tws-sim", () => {
  it("option chain of SPY in a DTE window and delta band, with greeks; a second request is served from cache", async () => {
    const { sim, service } = await harness();
    const query = create(OptionChainQuerySchema, { underlyingSymbol: "SPY", dte: { min: 20, max: 40 }, band: { case: "absDelta", value: { min: 0.2, max: 0.4 } } });
    const ctx = context();
    const first = await service.getOptionChain({ $typeName: "spreadops.v1.GetOptionChainRequest", query }, ctx);
    // The handler returns the message it built: a full OptionChain.
    const chain = first.chain as OptionChain | undefined;
    expect(chain).toBeDefined();
    if (chain === undefined) return;
    expect(chain.rowCount).toBeGreaterThan(0);
    expect(chain.multiplier).toBe(100);
    expect(first.requestedContracts).toBe(chain.rowCount);
    expect(first.cachedContracts).toBe(0);
    expect(first.fromCache).toBe(false);
    // Every row has greeks; per (expiry, right), rows outside the band are only the planning margin (2 strikes each side).
    const groups = new Map<string, { strike: number; delta: number }[]>();
    for (let i = 0; i < chain.rowCount; i++) {
      const delta = chain.delta[i] ?? NaN;
      expect(Number.isFinite(delta)).toBe(true);
      expect(Number.isFinite(chain.gamma[i] ?? NaN)).toBe(true);
      expect(Number.isFinite(chain.impliedVol[i] ?? NaN)).toBe(true);
      const dte = chain.dte[i] ?? -1;
      expect(dte).toBeGreaterThanOrEqual(20);
      expect(dte).toBeLessThanOrEqual(40);
      const key = `${chain.expiry[i]}|${chain.right[i]}`;
      groups.set(key, [...(groups.get(key) ?? []), { strike: chain.strike[i] ?? 0, delta }]);
    }
    for (const rows of groups.values()) {
      const inBand = rows.filter((r) => Math.abs(r.delta) >= 0.2 && Math.abs(r.delta) <= 0.4);
      expect(inBand.length).toBeGreaterThan(0);
      // The planning margin: 2 strikes each side, plus the skew the flat-vol estimate cannot see
      // (it centres on the underlying's 30-day ATM IV) — in delta terms at most 0.1 here.
      for (const r of rows) {
        expect(Math.abs(r.delta)).toBeGreaterThanOrEqual(0.2 - DELTA_MARGIN);
        expect(Math.abs(r.delta)).toBeLessThanOrEqual(0.4 + DELTA_MARGIN);
      }
    }
    const snapshotsBefore = received(sim, "reqMktData");
    const ctx2 = context();
    const second = await service.getOptionChain({ $typeName: "spreadops.v1.GetOptionChainRequest", query }, ctx2);
    expect(second.requestedContracts).toBe(0);
    expect(second.cachedContracts).toBe(chain.rowCount);
    expect(second.fromCache).toBe(true);
    expect(second.chain?.rowCount).toBe(chain.rowCount);
    expect(received(sim, "reqMktData")).toBe(snapshotsBefore);
  }, 30_000);

  it("line budget: 150 contracts over 100 lines — idle lines evicted and cancelled at TWS, never above 100, exhausted when all are held", async () => {
    const { sim, service } = await harness({ lineLimit: 100 }, { lineLimit: 100 });
    const ids = spyOptionIds(sim, 151);
    const a = openStream(service, ids.slice(0, 50));
    const b = openStream(service, ids.slice(50, 100));
    expect((await a.next()).quotes).toHaveLength(50);
    expect((await b.next()).quotes).toHaveLength(50);
    expect(sim.server.stats().marketDataLines.inUse).toBe(100);
    await b.close(); // 50 lines idle (warm)
    const cancelsBefore = received(sim, "cancelMktData");
    const c = openStream(service, ids.slice(100, 150));
    const first = await c.next();
    expect(first.quotes).toHaveLength(50);
    expect(first.quotes.every((q) => q.error === undefined)).toBe(true);
    const stats = sim.server.stats().marketDataLines;
    expect(stats.inUse).toBeLessThanOrEqual(100);
    expect(stats.peak).toBeLessThanOrEqual(100);
    expect(stats.rejected).toBe(0);
    expect(received(sim, "cancelMktData") - cancelsBefore).toBe(50);
    expect(service.budgets.lines.stats()).toMatchObject({ inUse: 100, idle: 0, evictions: 50 });
    // Every line is held by a stream: a new contract cannot get one.
    const d = openStream(service, [ids[150] ?? 0]);
    await expect(d.next()).rejects.toSatisfy((e: unknown) => e instanceof ConnectError && e.code === Code.ResourceExhausted);
    // A stream of contracts already streamed joins the existing lines (no new reqMktData).
    const sent = received(sim, "reqMktData");
    const e = openStream(service, ids.slice(0, 10));
    expect((await e.next()).quotes).toHaveLength(10);
    expect(received(sim, "reqMktData")).toBe(sent);
    const pacing = service.pacingStats().stats;
    expect(pacing).toMatchObject({ marketDataLinesUsed: 100, marketDataLinesLimit: 100, marketDataLinesEvicted: 50 });
  }, 30_000);

  it("after 1100/1101 every held line is subscribed again and the stream keeps flowing", async () => {
    const { sim, service } = await harness();
    const spy = sim.server.world.market.stock("SPY");
    const qqq = sim.server.world.market.stock("QQQ");
    const stream = openStream(service, [spy?.conId ?? 0, qqq?.conId ?? 0]);
    const first = await stream.next();
    expect(first.quotes.map((q) => q.symbol)).toEqual(["SPY", "QQQ"]);
    const before = received(sim, "reqMktData");
    const resubscribed = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (received(sim, "reqMktData") >= before + 2) {
          clearInterval(poll);
          resolve();
        }
      }, 10);
    });
    sim.faults.apply({ kind: "connectivityLost", dataLost: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    sim.faults.clear(); // → 1101: the simulator dropped every line
    await resubscribed;
    sim.server.advanceClockTo(sim.server.now() + 120_000);
    const after = await stream.next();
    expect(after.quotes.length).toBeGreaterThan(0);
    expect(after.quotes.every((q) => q.error === undefined && q.bid !== undefined)).toBe(true);
    expect(sim.server.stats().marketDataLines.inUse).toBe(2);
  }, 20_000);

  it("historical bars: the second identical request is served from cache and never reaches TWS", async () => {
    const { sim, service } = await harness();
    const req = create(GetHistoricalBarsRequestSchema, {
      contract: create(ContractSpecSchema, { symbol: "SPY" }),
      span: { count: 1, unit: HistorySpanUnit.MONTHS },
      barSize: BarSize.BAR_SIZE_1_DAY,
      whatToShow: WhatToShow.TRADES,
      regularHoursOnly: true,
    });
    const first = await service.getHistoricalBars(req, context());
    expect(first.bars?.length ?? 0).toBeGreaterThan(15);
    expect(first.bars?.[0]?.date).toBeGreaterThan(20260101);
    expect(received(sim, "reqHistoricalData")).toBe(1);
    const second = await service.getHistoricalBars(req, context());
    expect(second.bars).toEqual(first.bars);
    expect(received(sim, "reqHistoricalData")).toBe(1);
  }, 20_000);

  it("searchUniverse with filters returns the simulator's scan, optionable only; resolveContract names unknown contracts", async () => {
    const { sim, service } = await harness();
    const req = create(SearchUniverseRequestSchema, { minPrice: 50, minAvgVolume: 1_000_000, minMarketCap: 10e9, optionableOnly: true, scanCode: "MOST_ACTIVE" });
    const response = await service.searchUniverse(req, context());
    const expected = sim.server.world.market
      .scan({ scanCode: "MOST_ACTIVE", minPrice: 50, minAverageVolume: 1_000_000, minMarketCap: 10e9, maxRows: 50 })
      .filter((row) => row.contract.optionable)
      .map((row) => row.contract.symbol);
    expect(response.members?.map((m) => m.symbol)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(received(sim, "cancelScannerSubscription")).toBe(1);

    const resolved = await service.resolveContract({ $typeName: "spreadops.v1.ResolveContractRequest", contract: create(ContractSpecSchema, { symbol: "SPY" }) }, context());
    expect(resolved.contracts?.[0]).toMatchObject({ symbol: "SPY", multiplier: 1, minTick: 0.01 });
    const option = await service.resolveContract(
      { $typeName: "spreadops.v1.ResolveContractRequest", contract: create(ContractSpecSchema, { symbol: "SPY", right: OptionRight.CALL, expiry: 20260417, strike: 600 }) },
      context(),
    );
    expect(option.contracts?.[0]).toMatchObject({ multiplier: 100, tradingClass: "SPY", expiry: 20260417, strike: 600, right: OptionRight.CALL });
    await expect(service.resolveContract({ $typeName: "spreadops.v1.ResolveContractRequest", contract: create(ContractSpecSchema, { symbol: "NOPE" }) }, context())).rejects.toSatisfy(
      (e: unknown) => e instanceof ConnectError && e.code === Code.NotFound && e.message.includes("NOPE"),
    );
  }, 20_000);
});
