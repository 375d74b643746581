import { describe, expect, it } from "vitest";

import { Ledger } from "./ledger.js";
import type { ContractInfo } from "./ports.js";

const put: ContractInfo = { conId: 7, symbol: "XYZ", secType: "OPT", strike: 100, right: "P", multiplier: 100, exchange: "SMART", currency: "USD" };
const stk: ContractInfo = { conId: 1, symbol: "XYZ", secType: "STK", multiplier: 1, exchange: "SMART", currency: "USD" };

describe("ledger", () => {
  it("avgCost per contract includes the multiplier and commissions; realized P&L on reductions and flips", () => {
    const l = new Ledger(10_000);
    expect(l.trade(put, "BUY", 2, 1.0, 1.3)).toEqual({ realizedPnL: undefined, cashDelta: -201.3 });
    expect(l.position(7)?.avgCost).toBeCloseTo(100.65, 9);

    // Sell 1 at 1.50: 150 − 100.65 − 1.00.
    expect(l.trade(put, "SELL", 1, 1.5, 1).realizedPnL).toBeCloseTo(48.35, 9);
    expect(l.position(7)).toMatchObject({ quantity: 1, avgCost: 100.65 });

    // Sell 3 at 2.00 (commission 1.95): closes 1 (gets 0.65 of it), opens 2 short.
    expect(l.trade(put, "SELL", 3, 2.0, 1.95).realizedPnL).toBeCloseTo(200 - 100.65 - 0.65, 9);
    expect(l.position(7)?.quantity).toBe(-2);
    // Short basis: net proceeds per contract (400 − 1.30) / 2.
    expect(l.position(7)?.avgCost).toBeCloseTo(199.35, 9);

    // Buy back both at 1.00 with 1.30: 2 × (199.35 − 100) − 1.30.
    expect(l.trade(put, "BUY", 2, 1.0, 1.3).realizedPnL).toBeCloseTo(197.4, 9);
    expect(l.position(7)).toMatchObject({ quantity: 0, avgCost: 0 });
    expect(l.cash).toBeCloseTo(10_000 - 201.3 + 149 + 598.05 - 201.3, 6);
    expect(l.position(7)?.dayRealized).toBeCloseTo(48.35 + 98.7 + 197.4, 6);
  });

  it("stock avgCost is per share, commission included", () => {
    const l = new Ledger(10_000);
    l.trade(stk, "BUY", 100, 10, 1);
    expect(l.position(1)?.avgCost).toBeCloseTo(10.01, 9);
  });

  it("settles a short option at intrinsic without commission", () => {
    const l = new Ledger(0);
    l.trade(put, "SELL", 1, 2.3, 1);
    expect(l.position(7)?.avgCost).toBeCloseTo(229, 9);
    const effect = l.settle(put, 3);
    expect(effect?.cashDelta).toBeCloseTo(-300, 9);
    expect(effect?.realizedPnL).toBeCloseTo(229 - 300, 9);
    expect(l.settle(put, 3)).toBeUndefined();
  });

  it("rollDay drops flat positions and restarts the day's figures", () => {
    const l = new Ledger(1_000);
    l.trade(stk, "BUY", 10, 10, 1);
    l.trade(put, "BUY", 1, 1, 1);
    l.trade(put, "SELL", 1, 1, 1);
    l.rollDay(() => 11);
    expect(l.positions().map((p) => p.contract.conId)).toEqual([1]);
    expect(l.position(1)).toMatchObject({ dayStartQuantity: 10, dayStartMark: 11, dayCashFlow: 0, dayRealized: 0 });
  });

  it("clone is independent", () => {
    const l = new Ledger(1_000);
    const copy = l.clone();
    copy.trade(stk, "BUY", 10, 10, 1);
    expect(l.cash).toBe(1_000);
    expect(l.positions()).toHaveLength(0);
  });
});
