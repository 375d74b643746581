import { OrderStatus, PriceEffect } from "@spreadops/api";
import type { OrderState } from "@stoqey/ib";
import { describe, expect, it } from "vitest";
import { comboLimitProblem, toIbComboLimit, verticalOf } from "./combo-sign.js";
import type { DescribedLeg } from "./combo-sign.js";
import { ibNumber } from "./ib-values.js";
import { parseExecTime } from "./proto-mapping.js";
import { hasWhatIfNumbers, toWhatIfResult } from "./what-if.js";

describe("IB unknowns", () => {
  it("maps unset, empty, NaN and max-double to unknown, and keeps a real 0", () => {
    for (const v of [undefined, null, "", "  ", Number.NaN, Infinity, 1.7976931348623157e308, "1.7976931348623157E308", "abc"]) expect(ibNumber(v)).toBeUndefined();
    expect(ibNumber(0)).toBe(0);
    expect(ibNumber("0")).toBe(0);
    expect(ibNumber("-12.5")).toBe(-12.5);
  });

  it("what-if: unknown fields stay unset, 0 stays 0, warning kept", () => {
    const state = {
      status: "PreSubmitted",
      initMarginChange: 1.7976931348623157e308,
      maintMarginChange: 0,
      commission: 2.5,
      commissionCurrency: "USD",
      warningText: "check",
    } as unknown as OrderState;
    const r = toWhatIfResult(state);
    expect(r.initMarginChange).toBeUndefined();
    expect(r.maintMarginChange).toBe(0);
    expect(r.commission).toBe(2.5);
    expect(r.initMarginBefore).toBeUndefined();
    expect(r.status).toBe(OrderStatus.PRE_SUBMITTED);
    expect(r.warningText).toBe("check");
    expect(toWhatIfResult(undefined, "timed out").warningText).toBe("timed out");
  });

  it("what-if: a first openOrder with only a warning is not the answer", () => {
    expect(hasWhatIfNumbers({ status: "PreSubmitted", warningText: "w" } as unknown as OrderState)).toBe(false);
    expect(hasWhatIfNumbers({ status: "PreSubmitted", initMarginChange: 0 } as unknown as OrderState)).toBe(true);
  });

  it("reads IB execution times", () => {
    expect(parseExecTime("20260310-14:00:05")).toBe(Date.parse("2026-03-10T14:00:05Z"));
    expect(parseExecTime("20260310 10:00:05 America/New_York")).toBe(Date.parse("2026-03-10T14:00:05Z"));
    expect(parseExecTime("garbage")).toBeUndefined();
  });
});

describe("combo sign", () => {
  const leg = (action: "BUY" | "SELL", strike: number, right: "C" | "P" = "P"): DescribedLeg => ({
    action,
    ratio: 1,
    facts: { conId: strike, secType: "OPT", right, strike, expiry: "20260417", symbol: "SPY" },
  });
  const bullPut = [leg("BUY", 560), leg("SELL", 570)];
  const bearPut = [leg("BUY", 570), leg("SELL", 560)];

  it("converts a positive premium and its effect to IB's signed limit", () => {
    expect(toIbComboLimit(1.25, PriceEffect.CREDIT)).toBe(-1.25);
    expect(toIbComboLimit(1.25, PriceEffect.DEBIT)).toBe(1.25);
    expect(() => toIbComboLimit(-1, PriceEffect.CREDIT)).toThrow(RangeError);
    expect(() => toIbComboLimit(1, PriceEffect.UNSPECIFIED)).toThrow(RangeError);
  });

  it("recognises the four verticals from their legs", () => {
    expect(verticalOf(bullPut)?.kind).toBe("bullPut");
    expect(verticalOf(bearPut)?.kind).toBe("bearPut");
    expect(verticalOf([leg("SELL", 500, "C"), leg("BUY", 510, "C")])?.kind).toBe("bearCall");
    expect(verticalOf([leg("BUY", 500, "C"), leg("SELL", 510, "C")])?.kind).toBe("bullCall");
    expect(verticalOf([leg("BUY", 500), leg("BUY", 510)])).toBeUndefined();
  });

  it("refuses a sign contradiction, zero, a price beyond the width and unknown shapes", () => {
    expect(comboLimitProblem(bullPut, -1.2)).toBeUndefined();
    expect(comboLimitProblem(bullPut, 1.2)).toContain("wrong sign");
    expect(comboLimitProblem(bearPut, 2.5)).toBeUndefined();
    expect(comboLimitProblem(bearPut, -2.5)).toContain("wrong sign");
    expect(comboLimitProblem(bullPut, 0)).toContain("zero");
    expect(comboLimitProblem(bullPut, -10)).toContain("width");
    expect(comboLimitProblem([...bullPut, leg("BUY", 580)], -1)).toContain("not a 2-leg vertical");
  });
});
