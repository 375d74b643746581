import { describe, expect, it } from "vitest";
import { checkLeaf, problemCount, validateSpec } from "./constraints";
import { findNode, SPEC_TREE, type FieldNode } from "./schema-fields";
import { EMPTY } from "./spec-model";

const node = (path: string): FieldNode => {
  const n = findNode(SPEC_TREE, path);
  if (n === undefined) throw new Error(path);
  return n;
};

/** A valid spec as a user writes it (k8s/examples/strategy-bull-put.yaml style), not derived from the schema. */
const valid = () => ({
  mode: "paper",
  universe: { symbols: ["SPY", "QQQ"], minPrice: 20 },
  schedule: { scanInterval: "5m", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } },
  entry: [{ indicator: "rsi", period: 14, below: 30, direction: "bullish" }],
  spread: { kind: "bullPut", dte: { min: 30, max: 60 }, shortDelta: { min: 0.25, max: 0.35 }, width: { min: 1, max: 10 } },
  risk: { maxOpenTrades: 5, maxRiskPerTrade: 500, exitAtDte: 7 },
  execution: { approval: "manual", limitOffset: 0.02, walk: { steps: 3, every: "20s" } },
});

describe("client-side checks from the schema", () => {
  it("accepts a valid spec", () => {
    expect([...validateSpec(SPEC_TREE, valid())]).toEqual([]);
  });

  it("fails a shortDelta above its maximum, naming the bound", () => {
    expect(checkLeaf(node("spread.shortDelta.max"), 1.2)).toEqual(["Must be at most 1."]);
    expect(checkLeaf(node("spread.shortDelta.max"), 1)).toEqual([]);
    const spec = valid();
    spec.spread.shortDelta.max = 1.5;
    expect(validateSpec(SPEC_TREE, spec).get("spread.shortDelta.max")).toEqual(["Must be at most 1."]);
  });

  it("honours exclusive minimums and integer types", () => {
    expect(checkLeaf(node("spread.width.min"), 0)).toEqual(["Must be greater than 0."]);
    expect(checkLeaf(node("spread.width.min"), 0.5)).toEqual([]);
    expect(checkLeaf(node("spread.dte.min"), 7.5)).toEqual(["Must be a whole number."]);
    expect(checkLeaf(node("spread.dte.max"), 1001)).toEqual(["Must be at most 1000."]);
    expect(checkLeaf(node("risk.maxOpenTrades"), 0)).toEqual(["Must be at least 1."]);
    expect(checkLeaf(node("risk.maxOpenTrades"), "3")).toEqual(["Must be a number."]);
  });

  it("asks for a value in a set-but-empty field", () => {
    expect(checkLeaf(node("risk.maxRiskPerTrade"), EMPTY)[0]).toMatch(/Enter a number/);
    expect(checkLeaf(node("spread.kind"), EMPTY)).toEqual(["Choose a value."]);
  });

  it("checks patterns, enums and lists", () => {
    expect(checkLeaf(node("schedule.scanInterval"), "5 minutes")[0]).toMatch(/duration/);
    expect(checkLeaf(node("schedule.scanInterval"), "1h30m")).toEqual([]);
    expect(checkLeaf(node("schedule.window.start"), "9:45")[0]).toMatch(/HH:MM/);
    expect(checkLeaf(node("mode"), "demo")).toEqual(["Must be one of: paper, live."]);
    expect(checkLeaf(node("universe.symbols"), ["SPY", "spy", "SPY"])).toEqual(["Each value once; repeated: SPY.", "\"spy\": must be an upper-case ticker such as SPY or BRK.B."]);
    expect(checkLeaf(node("universe.symbols"), Array.from({ length: 101 }, (_, i) => `S${i}`))[0]).toBe("At most 100 items (has 101).");
  });

  it("reports missing required fields and unknown fields on their paths", () => {
    const spec: Record<string, unknown> = { ...valid(), extra: 1 };
    Reflect.deleteProperty(spec, "mode");
    (spec.execution as Record<string, unknown>).walk = { steps: 2 };
    const problems = validateSpec(SPEC_TREE, spec);
    expect(problems.get("mode")).toEqual(["Required."]);
    expect(problems.get("execution.walk.every")).toEqual(["Required."]);
    expect(problems.get("")?.[0]).toMatch(/Unknown field “extra”/);
    expect(problemCount(problems)).toBe(3);
  });

  it("checks entry items at their index and a range's min ≤ max", () => {
    const spec = valid();
    spec.entry.push({ indicator: "sma", period: 0, below: 1, direction: "bullish" });
    spec.spread.dte = { min: 60, max: 30 };
    const problems = validateSpec(SPEC_TREE, spec);
    expect(problems.get("entry.1.period")).toEqual(["Must be at least 1."]);
    expect(problems.get("spread.dte.min")).toEqual(["min (60) must be less than or equal to max (30)"]);
  });

  it("leaves unset optional fields alone", () => {
    const spec = valid();
    Reflect.deleteProperty(spec.risk, "maxRiskPerTrade");
    expect(validateSpec(SPEC_TREE, spec).size).toBe(0);
  });
});
