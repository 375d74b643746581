import { INDICATORS } from "@spreadops/resources/schema";
import { describe, expect, it } from "vitest";
import { findNode, SPEC_TREE } from "./schema-fields";
import { applyIndicator, EMPTY, entryFieldApplies, getAt, INDICATOR_FIELDS, initialValue, moveItem, newSpec, setAt, toServerSpec, unsetAt } from "./spec-model";

describe("path updates", () => {
  it("sets, creating parents, without touching the original", () => {
    const before = { risk: { maxOpenTrades: 3 } };
    const after = setAt(before, ["risk", "roll", "atDte"], 5);
    expect(after).toEqual({ risk: { maxOpenTrades: 3, roll: { atDte: 5 } } });
    expect(before).toEqual({ risk: { maxOpenTrades: 3 } });
    expect(setAt({ entry: [{ a: 1 }, { a: 2 }] }, ["entry", 1, "a"], 9)).toEqual({ entry: [{ a: 1 }, { a: 9 }] });
  });

  it("unsets a key (absent, not 0 or empty) and removes array items", () => {
    const spec = { risk: { maxOpenTrades: 3, maxRiskPerTrade: 500 } };
    const after = unsetAt(spec, ["risk", "maxRiskPerTrade"]);
    expect(after).toEqual({ risk: { maxOpenTrades: 3 } });
    expect(Object.keys(getAt(after, ["risk"]) as object)).toEqual(["maxOpenTrades"]);
    expect(unsetAt({ entry: ["a", "b", "c"] }, ["entry", 1])).toEqual({ entry: ["a", "c"] });
    expect(unsetAt({ a: 1 }, ["b", "c"])).toEqual({ a: 1 });
  });

  it("moves items", () => {
    expect(moveItem({ e: ["a", "b", "c"] }, ["e"], 0, 2)).toEqual({ e: ["b", "c", "a"] });
    expect(moveItem({ e: ["a", "b"] }, ["e"], 1, 5)).toEqual({ e: ["a", "b"] });
  });
});

describe("set/unset and what is sent", () => {
  it("omits unset fields and set-but-empty numbers and choices, never sending 0 or \"\"", () => {
    const model = {
      mode: "paper",
      paused: EMPTY,
      spread: { kind: EMPTY, dte: { min: 30 }, shortDelta: {}, width: { min: EMPTY, max: 5 } },
      risk: { maxRiskPerTrade: EMPTY, maxOpenTrades: 0 },
      schedule: { scanInterval: "" },
      entry: [{ indicator: "rsi", period: EMPTY, below: 30, direction: "bullish" }],
    };
    expect(toServerSpec(SPEC_TREE, model)).toEqual({
      mode: "paper",
      spread: { dte: { min: 30 }, shortDelta: {}, width: { max: 5 } },
      // 0 the user typed is a value (and the checks say it is below the minimum); only EMPTY is dropped.
      risk: { maxOpenTrades: 0 },
      schedule: { scanInterval: "" },
      entry: [{ indicator: "rsi", below: 30, direction: "bullish" }],
    });
  });

  it("starts a new spec from the schema's defaults, required fields only", () => {
    const spec = newSpec(SPEC_TREE);
    expect(spec).toEqual({
      mode: "paper",
      universe: {},
      schedule: { scanInterval: "5m", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } },
      entry: [],
      spread: { kind: EMPTY, dte: {}, shortDelta: {}, width: {} },
      risk: {},
      execution: { approval: "manual" },
    });
    expect("paused" in spec).toBe(false);
    expect("filters" in spec).toBe(false);
    expect(toServerSpec(SPEC_TREE, spec).spread).toEqual({ dte: {}, shortDelta: {}, width: {} });
  });

  it("gives an optional object its required children when set", () => {
    expect(initialValue(findNode(SPEC_TREE, "execution.walk")!)).toEqual({ steps: EMPTY, every: "" });
    expect(initialValue(findNode(SPEC_TREE, "risk.roll")!)).toEqual({ enabled: false });
    expect(initialValue(findNode(SPEC_TREE, "spread.creditWhenIvPercentileAbove")!)).toBe(50);
    expect(initialValue(findNode(SPEC_TREE, "filters")!)).toEqual({});
  });
});

describe("entry rule indicators", () => {
  it("drops parameters the new indicator does not use and asks for those it needs", () => {
    const rsi = { indicator: "rsi", period: 14, below: 30, direction: "bullish" };
    expect(applyIndicator(rsi, "emaCross")).toEqual({ indicator: "emaCross", period: 14, fast: EMPTY, slow: EMPTY, direction: "bullish" });
    expect(applyIndicator(rsi, "atrMove")).toEqual({ indicator: "atrMove", period: 14, multiple: EMPTY, direction: "bullish" });
    expect(applyIndicator(rsi, "sma")).toEqual({ indicator: "sma", period: 14, below: 30, direction: "bullish" });
    expect(entryFieldApplies("rsi", "fast")).toBe(false);
    expect(entryFieldApplies("rsi", "direction")).toBe(true);
    expect(entryFieldApplies(undefined, "fast")).toBe(true);
  });

  it("agrees with the CRD's CEL rules on EntryRuleSchema", () => {
    const rules = (findNode(SPEC_TREE, "entry.*")!.schema["x-kubernetes-validations"] ?? []).map((r) => r.rule);
    const listIn = (rule: string | undefined) => [...(rule ?? "").matchAll(/'([a-zA-Z]+)'/g)].map((m) => m[1]);
    // "X needs period" names the indicators that require period.
    const needsPeriod = listIn(rules.find((r) => r.endsWith("has(self.period)")));
    expect(INDICATORS.filter((i) => INDICATOR_FIELDS[i].required.includes("period")).sort()).toEqual([...needsPeriod].sort());
    // above/below apply only to the indicators listed.
    const aboveBelow = listIn(rules.find((r) => r.startsWith("!has(self.above) && !has(self.below) ||")));
    expect(INDICATORS.filter((i) => entryFieldApplies(i, "above")).sort()).toEqual([...aboveBelow].sort());
    const crosses = listIn(rules.find((r) => r.startsWith("!has(self.fast) && !has(self.slow) ||")));
    expect(INDICATORS.filter((i) => INDICATOR_FIELDS[i].required.includes("fast")).sort()).toEqual([...crosses].sort());
    expect(INDICATORS.filter((i) => entryFieldApplies(i, "multiple"))).toEqual(["atrMove"]);
    expect(needsPeriod.length).toBeGreaterThan(0);
  });
});
