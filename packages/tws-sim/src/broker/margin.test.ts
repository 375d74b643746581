import { describe, expect, it } from "vitest";

import { marginRequirement, nakedShortRequirement, REG_T_MARGIN, type MarginPosition } from "./margin.js";
import type { ContractInfo } from "./ports.js";

const opt = (strike: number, right: "C" | "P", expiry = "20250221"): ContractInfo => ({
  conId: strike * 10 + (right === "C" ? 1 : 2) + (expiry === "20250221" ? 0 : 5),
  symbol: "XYZ",
  secType: "OPT",
  lastTradeDateOrContractMonth: expiry,
  strike,
  right,
  multiplier: 100,
  exchange: "SMART",
  currency: "USD",
  underlyingConId: 1,
});
const pos = (contract: ContractInfo, quantity: number, mark: number, underlyingPrice = 102): MarginPosition => ({
  contract,
  quantity,
  mark,
  underlyingPrice,
});

describe("margin model", () => {
  it("credit spreads: (width − credit) × 100 × qty", () => {
    // Bull put 100/95, credit 2.15 − 0.95 = 1.20, two lots.
    expect(marginRequirement([pos(opt(100, "P"), -2, 2.15), pos(opt(95, "P"), 2, 0.95)]).initial).toBeCloseTo(2 * (500 - 120), 6);
    // Bear call 105/110, credit 1.50 − 0.40 = 1.10.
    const bearCall = marginRequirement([pos(opt(105, "C"), -1, 1.5), pos(opt(110, "C"), 1, 0.4)]);
    expect(bearCall.initial).toBeCloseTo(500 - 110, 6);
    expect(bearCall.maintenance).toBeCloseTo(500 - 110, 6);
  });

  it("debit spreads: the debit (current value)", () => {
    expect(marginRequirement([pos(opt(105, "C"), 1, 1.5), pos(opt(110, "C"), -1, 0.4)]).initial).toBeCloseTo(110, 6);
    expect(marginRequirement([pos(opt(100, "P"), 1, 2.15), pos(opt(95, "P"), -1, 0.95)]).initial).toBeCloseTo(120, 6);
  });

  it("long options: the premium", () => {
    expect(marginRequirement([pos(opt(95, "P"), 2, 0.95)]).initial).toBeCloseTo(190, 6);
  });

  it("naked shorts: max(20% S − OTM, 10% S for calls / 10% K for puts) × 100", () => {
    // Put 100, S 102: 20.4 − 2 = 18.4 > 10.
    expect(nakedShortRequirement("P", 100, 102, 100, REG_T_MARGIN)).toBeCloseTo(1840, 6);
    // Call 110, S 102: 20.4 − 8 = 12.4 > 10.2.
    expect(nakedShortRequirement("C", 110, 102, 100, REG_T_MARGIN)).toBeCloseTo(1240, 6);
    // Far OTM call 130: 20.4 − 28 < 10.2 → floor.
    expect(nakedShortRequirement("C", 130, 102, 100, REG_T_MARGIN)).toBeCloseTo(1020, 6);
    // Unknown underlying: the strike stands in (put 100: 20).
    expect(nakedShortRequirement("P", 100, undefined, 100, REG_T_MARGIN)).toBeCloseTo(2000, 6);
    expect(marginRequirement([pos(opt(100, "P"), -3, 2.15)]).initial).toBeCloseTo(3 * 1840, 6);
  });

  it("stock: 50% initial, 25% maintenance of |value|, long or short", () => {
    const stk: ContractInfo = { conId: 1, symbol: "XYZ", secType: "STK", multiplier: 1, exchange: "SMART", currency: "USD" };
    expect(marginRequirement([pos(stk, 100, 102)])).toEqual({ initial: 5100, maintenance: 2550 });
    expect(marginRequirement([pos(stk, -100, 102)])).toEqual({ initial: 5100, maintenance: 2550 });
  });

  it("pairs each short with the long that risks least; leftovers are margined alone", () => {
    const req = marginRequirement([pos(opt(100, "P"), -1, 2.15), pos(opt(90, "P"), 1, 0.3), pos(opt(95, "P"), 1, 0.95)]);
    // 100/95 pair: 0.95 − 2.15 + 5 = 3.80; the 90P alone: 0.30.
    expect(req.initial).toBeCloseTo(380 + 30, 6);
  });

  it("different expiries are not paired", () => {
    const req = marginRequirement([pos(opt(100, "P"), -1, 2.15), pos(opt(95, "P", "20250321"), 1, 1.4)]);
    expect(req.initial).toBeCloseTo(1840 + 140, 6);
  });
});
