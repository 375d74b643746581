import { describe, expect, it } from "vitest";
import type { KubeObject } from "../store/types.js";
import { strategyCrd, tradeCrd, type CustomResourceDefinition } from "./crd-manifests.js";
import { strategyObject, tradeObject } from "./test-fixtures.js";
import { compileCrdValidator } from "./validate.js";

const strategies = compileCrdValidator(strategyCrd());
const trades = compileCrdValidator(tradeCrd());

type Json = Record<string, unknown>;
const specOf = (object: KubeObject): Json => object.spec as Json;

/** A deep copy of a valid Strategy with `edit` applied to its spec. */
function strategyWith(edit: (spec: Json) => void): KubeObject {
  const object = structuredClone(strategyObject());
  edit(specOf(object));
  return object;
}

function tradeWith(edit: (spec: Json) => void): KubeObject {
  const object = structuredClone(tradeObject());
  edit(specOf(object));
  return object;
}

const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value);

describe("compileCrdValidator: the schema", () => {
  it("accepts the hand-written Strategy and Trade", () => {
    expect(strategies.validate(strategyObject()).causes).toEqual([]);
    expect(trades.validate(tradeObject()).causes).toEqual([]);
  });

  it("applies the documented defaults, nested ones included, to a copy", () => {
    const input = strategyWith((spec) => {
      delete spec.mode;
      delete spec.schedule;
      delete spec.risk;
      spec.execution = {};
      spec.risk = { roll: { atDte: 10 } };
    });
    const before = structuredClone(input);
    const { object, causes } = strategies.validate(input);
    expect(causes).toEqual([]);
    const spec = specOf(object);
    expect(spec.mode).toBe("paper");
    expect(spec.paused).toBe(false);
    expect(spec.onDelete).toBe("leaveOpen");
    expect(spec.schedule).toEqual({ scanInterval: "5m", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } });
    expect(spec.execution).toEqual({ approval: "manual" });
    expect(at(spec, "risk", "roll", "enabled")).toBe(false);
    expect(at(spec, "spread", "creditWhenIvPercentileAbove")).toBe(50);
    expect(input).toEqual(before);
  });

  it("inserts a fresh copy of an object default each time", () => {
    const input = strategyWith((spec) => { delete spec.schedule; });
    const first = strategies.validate(input).object;
    (at(specOf(first), "schedule", "window") as Json).start = "10:30";
    const second = strategies.validate(input).object;
    expect(at(specOf(second), "schedule", "window", "start")).toBe("09:45");
  });

  it("defaults a Trade's mode, approved and close", () => {
    const { object, causes } = trades.validate(tradeWith((spec) => { delete spec.mode; }));
    expect(causes).toEqual([]);
    expect(specOf(object)).toMatchObject({ mode: "paper", approved: false, close: false });
  });

  it("names the field and says expected and given for a wrong enum", () => {
    const { causes } = strategies.validate(strategyWith((spec) => { spec.mode = "demo"; }));
    expect(causes).toEqual([{ field: "spec.mode", message: 'Unsupported value "demo": expected one of "paper", "live"' }]);
  });

  it("rejects out-of-range numbers with the bound and the value", () => {
    const { causes } = strategies.validate(strategyWith((spec) => {
      (spec.risk as Json).maxOpenTrades = 0;
      (spec.spread as Json).shortDelta = { min: 0.25, max: 1.5 };
      (spec.risk as Json).maxRiskPerTrade = 0;
    }));
    expect(causes).toEqual(expect.arrayContaining([
      { field: "spec.risk.maxOpenTrades", message: "expected an integer ≥ 1 and ≤ 1000, got 0" },
      { field: "spec.spread.shortDelta.max", message: "expected a number ≥ 0 and ≤ 1, got 1.5" },
      { field: "spec.risk.maxRiskPerTrade", message: "expected a number > 0, got 0" },
    ]));
    expect(causes).toHaveLength(3);
  });

  it("reports a wrong type with the type given", () => {
    const { causes } = strategies.validate(strategyWith((spec) => { (spec.risk as Json).maxOpenTrades = "5"; }));
    expect(causes).toEqual([{ field: "spec.risk.maxOpenTrades", message: 'expected an integer, got string "5"' }]);
  });

  it("reports a missing required field on the field itself, with list indexes", () => {
    const { causes } = strategies.validate(strategyWith((spec) => { delete (spec.entry as Json[])[0]!.direction; }));
    expect(causes).toEqual([{ field: "spec.entry[0].direction", message: "Required value" }]);
  });

  it("checks patterns: durations, HH:MM, symbols and dates", () => {
    const strategy = strategies.validate(strategyWith((spec) => {
      (spec.schedule as Json).scanInterval = "5 minutes";
      ((spec.schedule as Json).window as Json).end = "25:00";
      (spec.universe as Json).symbols = ["SPY", "spy"];
    }));
    expect(strategy.causes.map((c) => c.field).sort()).toEqual(["spec.schedule.scanInterval", "spec.schedule.window.end", "spec.universe.symbols[1]"]);
    expect(strategy.causes.find((c) => c.field === "spec.schedule.scanInterval")?.message).toMatch(/^expected a string matching .+, got "5 minutes"$/);
    const trade = trades.validate(tradeWith((spec) => { spec.expiry = "2026-13-01"; }));
    expect(trade.causes).toEqual([{ field: "spec.expiry", message: expect.stringMatching(/got "2026-13-01"$/) as unknown }]);
  });

  it("rejects unknown fields by default, warns or ignores on request, and prunes them in every case (reported by field)", () => {
    const input = strategyWith((spec) => { spec.colour = "blue"; (spec.risk as Json).maxOpenTrade = 3; });
    expect(strategies.validate(input).causes).toEqual([
      { field: "spec.colour", message: 'unknown field "spec.colour"' },
      { field: "spec.risk.maxOpenTrade", message: 'unknown field "spec.risk.maxOpenTrade"' },
    ]);
    const warned = strategies.validate(input, { fieldValidation: "Warn" });
    expect(warned.causes).toEqual([]);
    expect(warned.warnings).toEqual(['unknown field "spec.colour"', 'unknown field "spec.risk.maxOpenTrade"']);
    expect(specOf(warned.object).colour).toBeUndefined();
    const ignored = strategies.validate(input, { fieldValidation: "Ignore" });
    expect(ignored.causes).toEqual([]);
    expect(ignored.warnings).toEqual([]);
  });

  it("keeps metadata as the API server's (not pruned) and drops nulls so defaults apply", () => {
    const input = strategyWith((spec) => { spec.mode = null; });
    input.metadata.labels = { team: "options" };
    const { object, causes } = strategies.validate(input);
    expect(causes).toEqual([]);
    expect(object.metadata.labels).toEqual({ team: "options" });
    expect(specOf(object).mode).toBe("paper");
  });

  it("rejects duplicates in set lists and in map lists by key", () => {
    const strategy = strategies.validate(strategyWith((spec) => { (spec.universe as Json).symbols = ["SPY", "QQQ", "SPY"]; }));
    expect(strategy.causes).toEqual([{ field: "spec.universe.symbols[2]", message: 'Duplicate value: "SPY"' }]);
    const condition = { type: "Ready", status: "True", reason: "Reconciled", message: "", lastTransitionTime: "2026-01-05T14:30:00Z" };
    const withStatus = { ...tradeObject(), status: { phase: "Open", conditions: [condition, { ...condition, status: "False" }] } };
    expect(trades.validate(withStatus).causes).toEqual([{ field: "status.conditions[1]", message: 'Duplicate value: type="Ready"' }]);
  });

  it("validates status times as RFC 3339", () => {
    const object = { ...strategyObject(), status: { lastScanTime: "yesterday" } };
    expect(strategies.validate(object).causes).toEqual([{ field: "status.lastScanTime", message: 'expected an RFC 3339 date-time, got "yesterday"' }]);
  });
});

describe("compileCrdValidator: CEL rules", () => {
  it("rejects min > max on every range, on the min field, with both values", () => {
    const { causes } = strategies.validate(strategyWith((spec) => {
      (spec.spread as Json).dte = { min: 60, max: 30 };
      (spec.spread as Json).width = { min: 10, max: 5 };
      spec.filters = { longDelta: { min: 0.2, max: 0.1 } };
    }));
    expect(causes).toEqual(expect.arrayContaining([
      { field: "spec.spread.dte.min", message: "min (60) must be less than or equal to max (30)" },
      { field: "spec.spread.width.min", message: "min (10) must be less than or equal to max (5)" },
      { field: "spec.filters.longDelta.min", message: "min (0.2) must be less than or equal to max (0.1)" },
    ]));
  });

  it("accepts a range with one bound, or equal bounds", () => {
    const { causes } = strategies.validate(strategyWith((spec) => {
      (spec.spread as Json).dte = { min: 45, max: 45 };
      (spec.spread as Json).width = { max: 5 };
    }));
    expect(causes).toEqual([]);
  });

  it("rejects a window whose start is not before its end", () => {
    for (const window of [{ start: "15:45", end: "09:45" }, { start: "10:00", end: "10:00" }]) {
      const { causes } = strategies.validate(strategyWith((spec) => { (spec.schedule as Json).window = window; }));
      expect(causes).toEqual([{ field: "spec.schedule.window.start", message: `start (${window.start}) must be earlier than end (${window.end})` }]);
    }
  });

  it("bounds durations by value, not only by form", () => {
    const { causes } = strategies.validate(strategyWith((spec) => { (spec.schedule as Json).scanInterval = "500ms"; ((spec.execution as Json).walk as Json).every = "2h"; }));
    expect(causes).toEqual([
      { field: "spec.execution.walk.every", message: "must be between 1s and 1h, got 2h" },
      { field: "spec.schedule.scanInterval", message: "must be between 1s and 24h, got 500ms" },
    ]);
  });

  it("checks entry rules: required and foreign fields per indicator, thresholds, one direction", () => {
    const { causes } = strategies.validate(strategyWith((spec) => {
      spec.entry = [
        { indicator: "rsi", period: 14, direction: "bullish" },
        { indicator: "smaCross", fast: 50, slow: 20, direction: "bullish" },
        { indicator: "sma", period: 20, multiple: 2, direction: "bullish" },
        { indicator: "rsi", period: 14, above: 60, below: 40, direction: "bullish" },
      ];
    }));
    expect(causes).toEqual([
      { field: "spec.entry[0].below", message: "rsi needs above or below" },
      { field: "spec.entry[1].fast", message: "fast (50) must be less than slow (20)" },
      { field: "spec.entry[2].multiple", message: "sma does not use multiple" },
      { field: "spec.entry[3].above", message: "above (60) must be less than below (40)" },
    ]);
    const mixed = strategies.validate(strategyWith((spec) => {
      spec.entry = [{ indicator: "sma", period: 20, direction: "bullish" }, { indicator: "ema", period: 10, direction: "bearish" }];
    }));
    expect(mixed.causes).toEqual([
      { field: "spec.entry", message: "all entry rules must have the same direction" },
      { field: "spec.spread.kind", message: "bullPut spreads need bullish entry rules" },
    ]);
  });

  it("rejects a concrete kind against the signal's direction, and exits inside the entry band", () => {
    const { causes } = strategies.validate(strategyWith((spec) => {
      (spec.spread as Json).kind = "bearCall";
      (spec.risk as Json).exitAtDte = 30;
    }));
    expect(causes).toEqual([
      { field: "spec.risk.exitAtDte", message: "risk.exitAtDte (30) must be below spread.dte.min (30), or a new trade would be closed at once" },
      { field: "spec.spread.kind", message: "bearCall spreads need bearish entry rules" },
    ]);
  });

  it("requires roll.atDte when rolling", () => {
    const { causes } = strategies.validate(strategyWith((spec) => { (spec.risk as Json).roll = { enabled: true }; }));
    expect(causes).toEqual([{ field: "spec.risk.roll.atDte", message: "atDte is required when rolling is enabled" }]);
  });

  it("puts each kind's long strike on its side of the short strike", () => {
    const cases: [string, number, number, boolean][] = [
      ["bullPut", 580, 575, true], ["bullPut", 575, 580, false],
      ["bullCall", 605, 600, true], ["bullCall", 600, 605, false],
      ["bearCall", 620, 625, true], ["bearCall", 625, 620, false],
      ["bearPut", 570, 575, true], ["bearPut", 575, 570, false],
    ];
    for (const [kind, shortStrike, longStrike, ok] of cases) {
      const { causes } = trades.validate(tradeWith((spec) => { Object.assign(spec, { kind, shortStrike, longStrike }); }));
      if (ok) expect(causes, kind).toEqual([]);
      else expect(causes.map((c) => c.field), `${kind} ${shortStrike}/${longStrike}`).toEqual(["spec.longStrike"]);
    }
  });

  it("keeps the limit price below the width", () => {
    const { causes } = trades.validate(tradeWith((spec) => { spec.limitPrice = 5; }));
    expect(causes).toEqual([{ field: "spec.limitPrice", message: "limitPrice (5) must be below the strike width" }]);
  });

  it("evaluates transition rules only on update: a Trade's spread cannot change", () => {
    const stored = trades.validate(tradeObject()).object;
    const moved = tradeWith((spec) => { spec.shortStrike = 585; spec.longStrike = 580; });
    expect(trades.validate(moved).causes).toEqual([]);
    expect(trades.validate(moved, { oldObject: stored }).causes).toEqual([
      { field: "spec", message: "strategyRef, underlying, kind, expiry, strikes and mode of a Trade cannot change; create a new Trade" },
    ]);
    const approved = tradeWith((spec) => { spec.approved = true; });
    expect(trades.validate(approved, { oldObject: stored }).causes).toEqual([]);
  });

  it("does not restate a schema error as a rule that could not be evaluated", () => {
    const { causes } = strategies.validate(strategyWith((spec) => { (spec.spread as Json).dte = { min: "30", max: 60 }; }));
    expect(causes).toEqual([{ field: "spec.spread.dte.min", message: 'expected an integer, got string "30"' }]);
  });

  it("fails to compile a CRD whose rule does not parse, naming where", () => {
    const broken: CustomResourceDefinition = structuredClone(strategyCrd());
    const schema = broken.spec.versions[0]!.schema.openAPIV3Schema;
    schema.properties!.spec!["x-kubernetes-validations"] = [{ rule: "self.mode ==", message: "x" }];
    expect(() => compileCrdValidator(broken)).toThrow(/invalid CEL rule at spec: self\.mode ==/);
  });
});
