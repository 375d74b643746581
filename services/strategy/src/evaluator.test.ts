import { Code, ConnectError } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import type { ScanUniverseRequest } from "@spreadops/api";
import { Direction, DropReason, EvaluateRequestSchema, Indicator, SpreadKind, SpreadKindSelection } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { fakeCandidate, fakeEvaluator, fakeGateway, fakeOpenTrades, fakeScanner } from "./testing/fakes.js";
import { validSpec } from "./testing/specs.js";

// SPY falls (RSI low), QQQ rises (RSI high), IWM is not in the universe.
const FALLING = Array.from({ length: 80 }, (_, i) => 500 - i * 2 + (i % 3 === 0 ? 2.5 : 0));
const RISING = FALLING.map((c) => 1000 - c);
const IV_HIGH = [...Array.from({ length: 250 }, (_, i) => 0.15 + (i % 10) * 0.005), 0.4];
const market = { closes: { SPY: FALLING, QQQ: RISING, IWM: FALLING }, iv: { SPY: IV_HIGH }, notInUniverse: ["IWM"], buyingPower: 100_000 };
const spec = validSpec({ entry: [{ indicator: Indicator.RSI, period: 14, below: 30, direction: Direction.BULLISH }] });
const noTrades = { openTrades: [], realizedTodayUsd: 0, unrealizedUsd: 0 };

const request = (overrides: Parameters<typeof create<typeof EvaluateRequestSchema>>[1] = {}) =>
  create(EvaluateRequestSchema, { strategyRef: "default/spy-bull", spec, ...overrides });

describe("StrategyEvaluator", () => {
  it("signals, AUTO kind, scan and sizing → a proposal with its reasons; drops for the rest", async () => {
    const scans: ScanUniverseRequest[] = [];
    const evaluator = fakeEvaluator({
      gateway: fakeGateway(market),
      scanner: fakeScanner((symbol) => [fakeCandidate({ key: `${symbol}-a`, kind: SpreadKind.BULL_PUT, maxLossPerSpreadUsd: 120, score: 0.8 }), fakeCandidate({ key: `${symbol}-b`, rank: 2, score: 0.6 })], scans),
      openTrades: fakeOpenTrades(noTrades),
    });
    const response = await evaluator.evaluate(request());
    expect(response.inTradingWindow).toBe(true);
    expect(response.symbols.map((s) => [s.symbol, s.inUniverse, s.entryAgreed])).toEqual([["SPY", true, true], ["QQQ", true, false], ["IWM", false, false]]);
    const spy = response.symbols[0];
    expect(spy?.chosenKind).toBe(SpreadKind.BULL_PUT);
    expect(spy?.kindReason).toBe("auto: IV percentile 100.0 > 80 → credit (bull put)");
    expect(spy?.ivPercentile).toBe(100);
    expect(response.proposals).toHaveLength(1);
    const proposal = response.proposals[0];
    expect(proposal).toMatchObject({ proposalKey: "default/spy-bull/SPY-a/20260310", symbol: "SPY", direction: Direction.BULLISH, quantity: 4, riskUsedUsd: 480 });
    expect(proposal?.reason).toMatch(/^RSI\(14\) \d+\.\d < 30: bullish → enter bullish; auto: IV percentile 100.0 > 80 → credit \(bull put\); bull put/);
    expect(response.dropped.map((d) => [d.symbol, d.candidateKey, DropReason[d.reason]])).toEqual(
      expect.arrayContaining([["QQQ", "", "NO_SIGNAL"], ["IWM", "", "NOT_IN_UNIVERSE"], ["SPY", "SPY-b", "OUTRANKED"]]),
    );
    expect(response.risk).toMatchObject({ openTrades: 0, maxOpenTrades: 5, slotsLeft: 4, proposedRiskUsd: 480, buyingPower: 100_000, dailyLossBreached: false });
    // The scanner got the concrete kind, the direction, and the spread ranges as filters.
    expect(scans).toHaveLength(1);
    expect(scans[0]?.targets.map((t) => [t.symbol, t.settings?.kind, t.settings?.direction, t.settings?.limitOffset])).toEqual([["SPY", SpreadKindSelection.BULL_PUT, Direction.BULLISH, 0.02]]);
    expect(scans[0]?.filters?.dte).toMatchObject({ min: 30, max: 60 });
  });

  it("fetches bars for at most 4 symbols at a time, and still evaluates every symbol in universe order", async () => {
    const symbols = Array.from({ length: 24 }, (_, i) => `S${String(i).padStart(2, "0")}`);
    const gateway = fakeGateway({ closes: Object.fromEntries(symbols.map((s) => [s, FALLING])), buyingPower: 100_000 });
    let inFlight = 0;
    let peak = 0;
    const slow: typeof gateway = {
      ...gateway,
      getHistoricalBars: async (request, options) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return await gateway.getHistoricalBars(request, options);
        } finally {
          inFlight--;
        }
      },
    };
    const evaluator = fakeEvaluator({ gateway: slow, scanner: fakeScanner(() => []), openTrades: fakeOpenTrades(noTrades) });
    const fixed = validSpec({ universe: { symbols }, entry: spec.entry, spread: { kind: SpreadKindSelection.BULL_PUT, dte: { min: 30, max: 60 } } });
    const response = await evaluator.evaluate(request({ spec: fixed }));
    expect(peak).toBe(4);
    expect(response.symbols.map((s) => s.symbol)).toEqual(symbols);
    expect(response.symbols.every((s) => s.entryAgreed)).toBe(true);
  });

  it("AUTO with no IV history drops the symbol as IV_UNKNOWN", async () => {
    const evaluator = fakeEvaluator({ gateway: fakeGateway({ ...market, iv: {} }), scanner: fakeScanner(() => []), openTrades: fakeOpenTrades(noTrades) });
    const response = await evaluator.evaluate(request());
    expect(response.proposals).toEqual([]);
    expect(response.dropped.find((d) => d.symbol === "SPY")).toMatchObject({ reason: DropReason.IV_UNKNOWN });
  });

  it("a breached daily loss blocks every entry, reported in the risk budget and the drops", async () => {
    const calls: ScanUniverseRequest[] = [];
    const evaluator = fakeEvaluator({ gateway: fakeGateway(market), scanner: fakeScanner(() => [fakeCandidate({ key: "x" })], calls), openTrades: fakeOpenTrades({ openTrades: [], realizedTodayUsd: -700, unrealizedUsd: -400 }) });
    const response = await evaluator.evaluate(request());
    expect(response.proposals).toEqual([]);
    expect(calls).toEqual([]);
    expect(response.risk).toMatchObject({ dayPnlUsd: -1100, dailyLossBreached: true, maxDailyLossUsd: 1000 });
    expect(response.dropped.find((d) => d.symbol === "SPY")).toMatchObject({ reason: DropReason.MAX_DAILY_LOSS, message: "today's P&L -1100 USD reached maxDailyLoss 1000 USD: no new entries today" });
  });

  it("outside the window or paused: no market data, one drop per symbol; a dry run ignores both", async () => {
    const calls: string[] = [];
    const evaluator = fakeEvaluator({ gateway: fakeGateway(market, calls), scanner: fakeScanner(() => []), openTrades: fakeOpenTrades(noTrades), now: Date.parse("2026-03-10T22:00:00Z") });
    const outside = await evaluator.evaluate(request());
    expect(outside.inTradingWindow).toBe(false);
    expect(outside.dropped.map((d) => d.reason)).toEqual([DropReason.OUTSIDE_WINDOW, DropReason.OUTSIDE_WINDOW, DropReason.OUTSIDE_WINDOW]);
    expect(new Date(Number(outside.nextScanTime?.seconds) * 1000).toISOString()).toBe("2026-03-11T13:45:00.000Z");
    expect(calls.filter((c) => c.startsWith("bars"))).toEqual([]);
    const paused = await evaluator.evaluate(request({ spec: { ...spec, paused: true }, asOf: { seconds: BigInt(Date.parse("2026-03-10T15:00:00Z") / 1000) } }));
    expect(paused.dropped[0]).toMatchObject({ reason: DropReason.PAUSED });
    const dry = await evaluator.evaluate(request({ dryRun: true, spec: { ...spec, paused: true } }));
    expect(dry.dryRun).toBe(true);
    expect(dry.dropped.some((d) => d.reason === DropReason.OUTSIDE_WINDOW || d.reason === DropReason.PAUSED)).toBe(false);
  });

  it("uses the request's RiskContext instead of the execution service", async () => {
    const evaluator = fakeEvaluator({
      gateway: fakeGateway(market),
      scanner: fakeScanner((symbol) => [fakeCandidate({ key: `${symbol}-a` })]),
      openTrades: { list: () => Promise.reject(new Error("must not be called")) },
    });
    const response = await evaluator.evaluate(request({ riskContext: { openTrades: 1, openSymbols: ["SPY"], openRiskUsd: 300, dayPnlUsd: -50 } }));
    expect(response.risk).toMatchObject({ openTrades: 1, openRiskUsd: 300, dayPnlUsd: -50 });
    expect(response.dropped.find((d) => d.symbol === "SPY")).toMatchObject({ reason: DropReason.ALREADY_OPEN });
  });

  it("fails with InvalidArgument naming the field, and Unavailable without open trades", async () => {
    const evaluator = fakeEvaluator({ gateway: fakeGateway(market), scanner: fakeScanner(() => []), openTrades: { list: () => Promise.reject(new Error("connection refused")) } });
    const bad = await evaluator.evaluate(request({ spec: validSpec({ risk: { maxDailyLoss: -1 } }) })).catch((e: unknown) => ConnectError.from(e));
    expect(bad).toMatchObject({ code: Code.InvalidArgument, rawMessage: "invalid spec.risk.maxDailyLoss: expected a number > 0, got -1" });
    const down = await evaluator.evaluate(request()).catch((e: unknown) => ConnectError.from(e));
    expect(down).toMatchObject({ code: Code.Unavailable });
  });
});
