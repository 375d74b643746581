import { describe, expect, it } from "vitest";
import { mergeProblems, placeViolations, violationPath } from "./violations";

describe("violation paths", () => {
  it("maps CR paths to form paths", () => {
    expect(violationPath("spec.spread.dte.min")).toBe("spread.dte.min");
    expect(violationPath("spec.entry[1].period")).toBe("entry.1.period");
    expect(violationPath("spec.entry.1.period")).toBe("entry.1.period");
    expect(violationPath("spec")).toBe("");
    expect(violationPath("metadata.name")).toBe("metadata.name");
  });

  it("places those with a field and keeps the rest for the summary", () => {
    const shown = new Set(["spread.dte.min", "entry.0.period"]);
    const placed = placeViolations([
      { field: "spec.spread.dte.min", message: "min (60) must be less than or equal to max (30)" },
      { field: "spec.spread.dte.min", message: "min (60) must be less than or equal to max (30)" },
      { field: "spec.entry[0].period", message: "rsi needs period" },
      { field: "spec", message: "bullPut spreads need bullish entry rules" },
      { field: "spec.unknownThing", message: "unknown field" },
    ], (p) => shown.has(p));
    expect([...placed.byField]).toEqual([
      ["spread.dte.min", ["min (60) must be less than or equal to max (30)"]],
      ["entry.0.period", ["rsi needs period"]],
    ]);
    expect(placed.rest.map((v) => v.field)).toEqual(["spec", "spec.unknownThing"]);
  });

  it("merges client and server problems without repeats", () => {
    const merged = mergeProblems(new Map([["a", ["x"]]]), new Map([["a", ["x", "y"]], ["b", ["z"]]]));
    expect([...merged]).toEqual([["a", ["x", "y"]], ["b", ["z"]]]);
  });
});
