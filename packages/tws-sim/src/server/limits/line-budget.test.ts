import { describe, expect, it } from "vitest";
import { MarketDataLineBudget } from "./line-budget.js";

describe("MarketDataLineBudget", () => {
  it("grants lines up to the limit and rejects past it", () => {
    const b = new MarketDataLineBudget(2);
    expect(b.acquire("1:1")).toBe(true);
    expect(b.acquire("1:2")).toBe(true);
    expect(b.acquire("2:1")).toBe(false);
    expect(b.acquire("2:2")).toBe(false);
    expect(b).toMatchObject({ inUse: 2, peak: 2, limit: 2, rejected: 2 });
  });

  it("does not count an already-held key twice", () => {
    const b = new MarketDataLineBudget(2);
    expect(b.acquire("1:1")).toBe(true);
    expect(b.acquire("1:1")).toBe(true);
    expect(b.inUse).toBe(1);
    // Re-acquiring a held key succeeds even when the budget is full.
    b.acquire("1:2");
    expect(b.acquire("1:1")).toBe(true);
    expect(b.rejected).toBe(0);
  });

  it("frees lines on release, ignores unknown keys and keeps the peak", () => {
    const b = new MarketDataLineBudget(3);
    b.acquire("a");
    b.acquire("b");
    b.acquire("c");
    b.release("b");
    b.release("b");
    b.release("nope");
    expect(b.inUse).toBe(2);
    expect(b.has("b")).toBe(false);
    expect(b.acquire("d")).toBe(true);
    expect(b).toMatchObject({ inUse: 3, peak: 3, rejected: 0 });
    b.release("a");
    b.release("c");
    expect(b).toMatchObject({ inUse: 1, peak: 3 });
  });

  it("with limit 0 rejects everything", () => {
    const b = new MarketDataLineBudget(0);
    expect(b.acquire("x")).toBe(false);
    expect(b.rejected).toBe(1);
  });

  it("refuses a bad limit", () => {
    expect(() => new MarketDataLineBudget(-1)).toThrow(RangeError);
    expect(() => new MarketDataLineBudget(1.5)).toThrow(RangeError);
  });
});
