import { describe, expect, it } from "vitest";
import { Xoshiro128 } from "./rng.js";
import { ceilToTick, floorToTick, isOnTick, priceIncrements, roundToTick } from "./tick-rules.js";
import type { OptionTickRule } from "./universe.js";

const RULES: readonly OptionTickRule[] = ["penny-all", "penny", "nickel"];

describe("option tick rules", () => {
  it("publish IB-style market rules", () => {
    expect(priceIncrements("penny")).toEqual([{ lowEdge: 0, increment: 0.01 }, { lowEdge: 3, increment: 0.05 }]);
    expect(priceIncrements("nickel")).toEqual([{ lowEdge: 0, increment: 0.05 }, { lowEdge: 3, increment: 0.1 }]);
    expect(priceIncrements("penny-all")).toEqual([{ lowEdge: 0, increment: 0.01 }]);
  });

  it("round down and up onto the grid around any price", () => {
    const rng = new Xoshiro128(5);
    const bad: string[] = [];
    for (const rule of RULES) {
      for (let i = 0; i < 5_000; i++) {
        const x = rng.uniform() * (i % 2 === 0 ? 6 : 60);
        const down = floorToTick(x, rule);
        const up = ceilToTick(x, rule);
        const nearest = roundToTick(x, rule);
        const ok = down <= x + 1e-12 && up >= x - 1e-12 && (isOnTick(down, rule) || down === 0) && isOnTick(up, rule) &&
          up - down <= 0.1 + 1e-9 && (nearest === down || nearest === up);
        if (!ok) bad.push(`${rule} ${x}: ${down} ${up} ${nearest}`);
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it("use $0.01 below $3 and $0.05 from $3 in the penny program", () => {
    expect(floorToTick(2.999, "penny")).toBe(2.99);
    expect(ceilToTick(2.991, "penny")).toBe(3);
    expect(ceilToTick(3.01, "penny")).toBe(3.05);
    expect(floorToTick(3.04, "penny")).toBe(3);
    expect(isOnTick(3.01, "penny")).toBe(false);
    expect(isOnTick(2.97, "penny")).toBe(true);
    expect(isOnTick(3.07, "nickel")).toBe(false);
    expect(isOnTick(2.95, "nickel")).toBe(true);
    expect(isOnTick(3.01, "penny-all")).toBe(true);
  });
});
