import { create } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { DropReason, SpreadCandidateSchema, StrategyRiskSchema } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { allocate, budgetState, sizeCandidate } from "./risk-budget.js";
import type { OpenTradesSnapshot } from "./risk-budget.js";

const candidate = (init: MessageInitShape<typeof SpreadCandidateSchema>) =>
  create(SpreadCandidateSchema, { multiplier: 100, expiry: 20260417, score: 0.5, rank: 1, ...init });
const risk = create(StrategyRiskSchema, { maxOpenTrades: 3, maxRiskPerTrade: 500, maxDailyLoss: 1000 });
const none: OpenTradesSnapshot = { openTrades: [], realizedTodayUsd: 0, unrealizedUsd: 0 };

describe("sizeCandidate", () => {
  it("sizes floor(maxRiskPerTrade / max loss per spread)", () => {
    expect(sizeCandidate(candidate({ maxLossPerSpreadUsd: 120 }), 500, undefined)).toEqual({ ok: true, quantity: 4, riskUsd: 480 });
    expect(sizeCandidate(candidate({ maxLossPerSpreadUsd: 250 }), 500, undefined)).toEqual({ ok: true, quantity: 2, riskUsd: 500 });
    expect(sizeCandidate(candidate({ maxLossPerSpreadUsd: 120 }), undefined, undefined)).toEqual({ ok: true, quantity: 1, riskUsd: 120 });
  });

  it("drops a spread whose single max loss exceeds the limit", () => {
    expect(sizeCandidate(candidate({ maxLossPerSpreadUsd: 620 }), 500, undefined)).toEqual({ ok: false, reason: DropReason.MAX_RISK_PER_TRADE, message: "max loss 620 USD per spread > maxRiskPerTrade 500 USD" });
  });

  it("cuts the quantity to the buying power, dropping when not even one fits", () => {
    expect(sizeCandidate(candidate({ maxLossPerSpreadUsd: 100 }), 500, 250)).toEqual({ ok: true, quantity: 2, riskUsd: 200 });
    expect(sizeCandidate(candidate({ maxLossPerSpreadUsd: 100 }), 500, 50)).toMatchObject({ ok: false, reason: DropReason.BUYING_POWER });
  });
});

describe("budgetState", () => {
  it("breaches the daily loss at or beyond −maxDailyLoss (realized + unrealized)", () => {
    expect(budgetState(risk, { ...none, realizedTodayUsd: -600, unrealizedUsd: -400 }, undefined).dailyLossBreached).toBe(true);
    expect(budgetState(risk, { ...none, realizedTodayUsd: -600, unrealizedUsd: -399 }, undefined).dailyLossBreached).toBe(false);
    expect(budgetState(create(StrategyRiskSchema, {}), { ...none, realizedTodayUsd: -1e6 }, undefined).dailyLossBreached).toBe(false);
  });

  it("counts slots and open risk", () => {
    const state = budgetState(risk, { ...none, openTrades: [{ symbol: "SPY", expiry: 1, maxLossUsd: 300 }] }, 10_000);
    expect(state).toMatchObject({ openTrades: 1, openRiskUsd: 300, slotsLeft: 2, buyingPower: 10_000 });
  });
});

describe("allocate", () => {
  const spy = { symbol: "SPY", candidates: [candidate({ key: "spy-a", score: 0.9, maxLossPerSpreadUsd: 100 }), candidate({ key: "spy-b", score: 0.8, rank: 2, expiry: 20260515, maxLossPerSpreadUsd: 100 })] };
  const qqq = { symbol: "QQQ", candidates: [candidate({ key: "qqq-a", score: 0.7, maxLossPerSpreadUsd: 200 })] };
  const iwm = { symbol: "IWM", candidates: [candidate({ key: "iwm-a", score: 0.95, maxLossPerSpreadUsd: 700 })] };

  it("proposes the best candidate per symbol, sized, best symbol first", () => {
    const result = allocate([qqq, spy, iwm], risk, budgetState(risk, none, undefined), []);
    expect(result.allocations.map((a) => [a.candidate.key, a.quantity, a.riskUsd])).toEqual([["spy-a", 5, 500], ["qqq-a", 2, 400]]);
    expect(result.dropped).toEqual([
      { symbol: "IWM", candidateKey: "iwm-a", reason: DropReason.MAX_RISK_PER_TRADE, message: "max loss 700 USD per spread > maxRiskPerTrade 500 USD" },
      { symbol: "SPY", candidateKey: "spy-b", reason: DropReason.OUTRANKED, message: "spy-a (rank 1) proposed instead" },
    ]);
    expect(result.proposedRiskUsd).toBe(900);
    expect(result.slotsLeft).toBe(1);
  });

  it("stops at maxOpenTrades", () => {
    const open = [{ symbol: "DIA", expiry: 1, maxLossUsd: 100 }, { symbol: "XLF", expiry: 1, maxLossUsd: 100 }];
    const result = allocate([spy, qqq], risk, budgetState(risk, { ...none, openTrades: open }, undefined), open);
    expect(result.allocations.map((a) => a.symbol)).toEqual(["SPY"]);
    expect(result.dropped.at(-1)).toEqual({ symbol: "QQQ", candidateKey: "", reason: DropReason.MAX_OPEN_TRADES, message: "maxOpenTrades 3 reached (2 open, 1 proposed)" });
    expect(result.slotsLeft).toBe(0);
  });

  it("makes no entries once the daily loss is breached, saying why", () => {
    const state = budgetState(risk, { ...none, realizedTodayUsd: -1200 }, undefined);
    const result = allocate([spy, qqq], risk, state, []);
    expect(result.allocations).toEqual([]);
    expect(result.dropped.map((d) => [d.symbol, d.reason])).toEqual([["SPY", DropReason.MAX_DAILY_LOSS], ["QQQ", DropReason.MAX_DAILY_LOSS]]);
    expect(result.dropped[0]?.message).toBe("today's P&L -1200 USD reached maxDailyLoss 1000 USD: no new entries today");
  });

  it("refuses a second trade on the same underlying and expiry, taking the next expiry", () => {
    const open = [{ symbol: "SPY", expiry: 20260417, maxLossUsd: 100 }];
    const result = allocate([spy], risk, budgetState(risk, { ...none, openTrades: open }, undefined), open);
    expect(result.allocations.map((a) => a.candidate.key)).toEqual(["spy-b"]);
    expect(result.dropped).toEqual([{ symbol: "SPY", candidateKey: "spy-a", reason: DropReason.ALREADY_OPEN, message: "SPY already has an open trade expiring 20260417" }]);
  });

  it("refuses the whole symbol when only the open symbol is known", () => {
    const open = [{ symbol: "SPY", maxLossUsd: 0 }];
    const result = allocate([spy], risk, budgetState(risk, { ...none, openTrades: open }, undefined), open);
    expect(result.allocations).toEqual([]);
    expect(result.dropped[0]).toMatchObject({ symbol: "SPY", reason: DropReason.ALREADY_OPEN });
  });

  it("spends buying power across symbols", () => {
    const result = allocate([spy, qqq], risk, budgetState(risk, none, 600), []);
    expect(result.allocations.map((a) => [a.symbol, a.quantity])).toEqual([["SPY", 5]]);
    expect(result.dropped.at(-1)).toMatchObject({ symbol: "QQQ", reason: DropReason.BUYING_POWER });
  });
});
