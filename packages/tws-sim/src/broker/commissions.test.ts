import { describe, expect, it } from "vitest";

import { CommissionMeter, estimateCommission, IB_FIXED_US_RATES as R, unitRate } from "./commissions.js";

describe("commissions (IBKR Pro Fixed)", () => {
  it("option rate depends on the premium", () => {
    expect(unitRate(R, "OPT", 0.04)).toBe(0.25);
    expect(unitRate(R, "OPT", 0.07)).toBe(0.5);
    expect(unitRate(R, "OPT", 0.1)).toBe(0.65);
  });

  it("options: $0.65 per contract, $1.00 minimum per order leg", () => {
    expect(estimateCommission(R, "OPT", 100, 1, 1.2)).toBe(1);
    expect(estimateCommission(R, "OPT", 100, 10, 1.2)).toBeCloseTo(6.5, 9);
    expect(estimateCommission(R, "OPT", 100, 10, 0.04)).toBeCloseTo(2.5, 9);
  });

  it("stock: $0.005 per share, $1.00 minimum, at most 1% of value", () => {
    expect(estimateCommission(R, "STK", 1, 100, 50)).toBe(1);
    expect(estimateCommission(R, "STK", 1, 1000, 20)).toBeCloseTo(5, 9);
    // 10 shares × $5 = $50 of stock: the 1% cap ($0.50) beats the minimum.
    expect(estimateCommission(R, "STK", 1, 10, 5)).toBeCloseTo(0.5, 9);
  });

  it("the minimum is charged once per order across partial fills", () => {
    const meter = new CommissionMeter(R, "OPT", 100);
    expect(meter.charge(1, 1)).toBe(1);
    expect(meter.charge(1, 1)).toBeCloseTo(0.3, 9);
    expect(meter.charge(2, 1)).toBeCloseTo(1.3, 9);
    expect(meter.total).toBeCloseTo(4 * 0.65, 9);
  });
});
