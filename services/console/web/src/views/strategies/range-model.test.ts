import { describe, expect, it } from "vitest";
import { findNode, SPEC_TREE } from "./schema-fields";
import { fromPosition, keyValue, moveHigh, moveLow, niceStep, rangeDomain, roundTo, toPosition, trackPercent } from "./range-model";

const domainOf = (path: string) => rangeDomain(findNode(SPEC_TREE, path)!.schema);

describe("range domains from the schema", () => {
  it("uses the CRD's bounds", () => {
    expect(domainOf("spread.dte.min")).toEqual({ lo: 0, hi: 1000, step: 1, integer: true, scale: "sqrt" });
    expect(domainOf("spread.shortDelta.min")).toEqual({ lo: 0, hi: 1, step: 0.01, integer: false, scale: "linear" });
    // width is > 0: the lowest handle position is one step up.
    expect(domainOf("spread.width.min")).toEqual({ lo: 1, hi: 1000, step: 1, integer: false, scale: "sqrt" });
    // A signed domain stays linear.
    expect(domainOf("filters.vega.min")).toMatchObject({ lo: -1000, hi: 1000, step: 2, scale: "linear" });
  });

  it("picks 1-2-5 steps", () => {
    expect(niceStep(0.01)).toBe(0.01);
    expect(niceStep(0.03)).toBe(0.02);
    expect(niceStep(7)).toBe(5);
    expect(niceStep(0)).toBe(1);
    expect(roundTo(0.1 + 0.2, 0.01)).toBe(0.3);
  });
});

describe("track positions", () => {
  const dte = { lo: 0, hi: 1000, step: 1, integer: true, scale: "sqrt" as const };
  it("spreads the low end of a wide domain and round-trips values", () => {
    // sqrt(30/1000) = 0.173, sqrt(60/1000) = 0.245 of the track.
    expect(toPosition(dte, 30)).toBe(173);
    expect(toPosition(dte, 60)).toBe(245);
    expect(toPosition(dte, 1000)).toBe(1000);
    for (const v of [0, 7, 30, 45, 60, 365, 1000]) expect(fromPosition(dte, toPosition(dte, v))).toBe(v);
  });

  it("steps by value with the keyboard", () => {
    expect(keyValue(dte, 30, "ArrowRight")).toBe(31);
    expect(keyValue(dte, 30, "PageDown")).toBe(20);
    expect(keyValue(dte, 3, "PageDown")).toBe(0);
    expect(keyValue(dte, 30, "End")).toBe(1000);
    expect(keyValue(dte, 30, "Tab")).toBeUndefined();
    const delta = { lo: 0, hi: 1, step: 0.01, integer: false, scale: "linear" as const };
    expect(keyValue(delta, 0.25, "ArrowUp")).toBe(0.26);
  });
});

describe("handles", () => {
  const d = { lo: 0, hi: 1, step: 0.01, integer: false, scale: "linear" as const };
  it("keeps min at or below max and max at or above min", () => {
    expect(moveLow(d, 0.5, 0.35)).toBe(0.35);
    expect(moveLow(d, 0.2, 0.35)).toBe(0.2);
    expect(moveLow(d, -1, undefined)).toBe(0);
    expect(moveHigh(d, 0.1, 0.25)).toBe(0.25);
    expect(moveHigh(d, 2, 0.25)).toBe(1);
    expect(moveLow(d, 0.123, undefined)).toBe(0.12);
  });

  it("places open bounds at the ends", () => {
    expect(trackPercent(d, undefined, "low")).toBe(0);
    expect(trackPercent(d, undefined, "high")).toBe(100);
    expect(trackPercent(d, 0.25, "low")).toBe(25);
  });
});
