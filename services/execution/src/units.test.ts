import { ExitAction, ExitReason } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import type { ExitInputs } from "./exits.js";
import { evaluateExit } from "./exits.js";
import { planWalk } from "./price-walk.js";
import { riskGate } from "./risk-gate.js";
import { exchangeDate } from "./spread-executor.js";

describe("planWalk", () => {
  it("walks a credit down toward natural in equal steps on the tick, last step at natural", () => {
    expect(planWalk({ start: 1.5, natural: 1.2, steps: 3, tick: 0.05, width: 5, receiving: true }).prices).toEqual([1.5, 1.4, 1.3, 1.2]);
  });
  it("walks a debit (or a credit spread's close) up; the last step rounds toward natural", () => {
    expect(planWalk({ start: 2.0, natural: 2.33, steps: 2, tick: 0.05, width: 5, receiving: false }).prices).toEqual([2.0, 2.15, 2.35]);
  });
  it("never crosses zero: a non-positive natural credit stops at one tick", () => {
    expect(planWalk({ start: 0.3, natural: -0.2, steps: 2, tick: 0.05, width: 5, receiving: true }).prices).toEqual([0.3, 0.2, 0.05]);
  });
  it("does not move when natural is already behind the start", () => {
    expect(planWalk({ start: 1.0, natural: 1.1, steps: 2, tick: 0.01, width: 5, receiving: true }).prices).toEqual([1.0, 1.0, 1.0]);
  });
});

describe("riskGate", () => {
  const base = { initMargin: 400, availableFunds: 10_000, maxLossUsd: 380, maxRiskPerTradeUsd: 500, automatic: true };
  it("allows a known margin within funds and a max loss within the limit", () => {
    expect(riskGate(base)).toEqual({ allowed: true, refusals: [] });
  });
  it("refuses unknown margin on automatic execution only", () => {
    expect(riskGate({ ...base, initMargin: undefined }).allowed).toBe(false);
    expect(riskGate({ ...base, initMargin: undefined, automatic: false }).allowed).toBe(true);
  });
  it("refuses margin above funds, unknown funds, and max loss above the limit", () => {
    expect(riskGate({ ...base, initMargin: 20_000 }).refusals[0]).toMatch(/exceeds available funds/);
    expect(riskGate({ ...base, availableFunds: undefined }).refusals[0]).toMatch(/available funds are unknown/);
    expect(riskGate({ ...base, maxLossUsd: 501 }).refusals[0]).toMatch(/per-trade limit/);
  });
});

describe("evaluateExit", () => {
  const base: ExitInputs = {
    bullish: true, dte: 30, underlyingPrice: 580, entryUnderlyingPrice: 580, atr: 4, entryPremium: 1.0, credit: true, width: 5,
    currentMid: 0.8, multiplier: 100, openQuantity: 2, stopLossAtrMultiple: 2, takeProfitPercent: 50, exitAtDte: 7, rollEnabled: false, rollAtDte: undefined,
  };
  it("holds when nothing triggers, with P&L numbers", () => {
    const v = evaluateExit(base);
    expect(v.action).toBe(ExitAction.HOLD);
    expect(v.profitCapturedPercent).toBeCloseTo(20, 9);
    expect(v.unrealizedPnlUsd).toBeCloseTo(40, 9);
  });
  it("stop loss: bullish below entry − k × ATR, bearish above entry + k × ATR", () => {
    expect(evaluateExit({ ...base, underlyingPrice: 572 })).toMatchObject({ action: ExitAction.CLOSE, reason: ExitReason.STOP_LOSS, stopPrice: 572 });
    expect(evaluateExit({ ...base, bullish: false, underlyingPrice: 588 })).toMatchObject({ action: ExitAction.CLOSE, reason: ExitReason.STOP_LOSS, stopPrice: 588 });
    expect(evaluateExit({ ...base, underlyingPrice: 572.01 }).action).toBe(ExitAction.HOLD);
  });
  it("take profit, roll before DTE, DTE; stop loss wins over all", () => {
    expect(evaluateExit({ ...base, currentMid: 0.5 }).reason).toBe(ExitReason.TAKE_PROFIT);
    expect(evaluateExit({ ...base, dte: 7, rollEnabled: true, rollAtDte: 10 }).action).toBe(ExitAction.ROLL);
    expect(evaluateExit({ ...base, dte: 7 }).reason).toBe(ExitReason.DTE);
    expect(evaluateExit({ ...base, dte: 7, currentMid: 0.1, underlyingPrice: 560 }).reason).toBe(ExitReason.STOP_LOSS);
  });
  it("an unknown input does not trigger and is named", () => {
    const v = evaluateExit({ ...base, atr: undefined, currentMid: undefined });
    expect(v.action).toBe(ExitAction.HOLD);
    expect(v.message).toMatch(/stop-loss: .*unknown; take-profit: spread mid unknown/);
  });
});

describe("exchangeDate", () => {
  it("uses New York's date, not UTC's", () => {
    expect(exchangeDate(Date.parse("2026-03-11T03:00:00Z"))).toBe("2026-03-10");
  });
});
