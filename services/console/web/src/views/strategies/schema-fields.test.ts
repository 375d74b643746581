import { StrategySpecSchema } from "@spreadops/resources/schema";
import { describe, expect, it } from "vitest";
import { allNodes, buildFieldTree, findNode, humanize, leafFields, patternWords, placeRules, SPEC_TREE, templatePath, type JsonSchema } from "./schema-fields";

/** An independent walk of the raw schema: every scalar, and every list of scalars, is a leaf. */
function rawLeaves(schema: JsonSchema, path: string): string[] {
  if (schema.type === "object") {
    return Object.entries(schema.properties ?? {}).flatMap(([k, child]) => rawLeaves(child, path === "" ? k : `${path}.${k}`));
  }
  if (schema.type === "array" && schema.items?.type === "object") return rawLeaves(schema.items, `${path}.*`);
  return [path];
}

const raw = StrategySpecSchema as unknown as JsonSchema;

describe("the Strategy spec field tree", () => {
  it("gives every leaf of the schema exactly one field", () => {
    const fields = leafFields(SPEC_TREE).map((f) => f.path);
    expect(new Set(fields).size).toBe(fields.length);
    expect([...fields].sort()).toEqual(rawLeaves(raw, "").sort());
    // A few leaves named in the CRD reference (docs/operator.md), so an empty walk cannot pass.
    for (const p of ["paused", "mode", "onDelete", "universe.symbols", "schedule.scanInterval", "schedule.window.start", "entry.*.period", "entry.*.multiple",
      "spread.kind", "spread.dte.min", "spread.width.max", "filters.longDelta.min", "filters.minExpectedValue", "risk.maxRiskPerTrade", "risk.roll.atDte",
      "execution.approval", "execution.walk.every"]) {
      expect(fields).toContain(p);
    }
    expect(fields.length).toBeGreaterThan(50);
  });

  it("reads spread.dte as an integer range with the CRD's bounds 0–1000", () => {
    const dte = findNode(SPEC_TREE, "spread.dte");
    expect(dte?.kind).toBe("range");
    expect(dte?.optional).toBe(false);
    for (const bound of ["min", "max"]) {
      const node = findNode(SPEC_TREE, `spread.dte.${bound}`);
      expect(node?.kind).toBe("integer");
      expect(node?.optional).toBe(true);
      expect(node?.schema.minimum).toBe(0);
      expect(node?.schema.maximum).toBe(1000);
    }
  });

  it("reads shortDelta as a number range 0–1 and width as exclusive above 0", () => {
    expect(findNode(SPEC_TREE, "spread.shortDelta")?.kind).toBe("range");
    const max = findNode(SPEC_TREE, "spread.shortDelta.max");
    expect(max?.kind).toBe("number");
    expect([max?.schema.minimum, max?.schema.maximum]).toEqual([0, 1]);
    const width = findNode(SPEC_TREE, "spread.width.min");
    expect(width?.schema.exclusiveMinimum).toBe(true);
    expect(width?.schema.minimum).toBe(0);
    expect(findNode(SPEC_TREE, "filters.vega")?.kind).toBe("range");
    expect(findNode(SPEC_TREE, "filters.vega")?.optional).toBe(true);
  });

  it("knows which fields are optional and what kind each is", () => {
    expect(findNode(SPEC_TREE, "filters")?.optional).toBe(true);
    expect(findNode(SPEC_TREE, "universe")?.optional).toBe(false);
    expect(findNode(SPEC_TREE, "risk.maxRiskPerTrade")?.optional).toBe(true);
    expect(findNode(SPEC_TREE, "schedule.window.start")?.optional).toBe(false);
    expect(findNode(SPEC_TREE, "execution.walk.steps")?.optional).toBe(false);
    expect(findNode(SPEC_TREE, "entry")?.kind).toBe("array");
    expect(findNode(SPEC_TREE, "universe.symbols")?.kind).toBe("list");
    expect(findNode(SPEC_TREE, "mode")?.kind).toBe("enum");
    expect(findNode(SPEC_TREE, "paused")?.kind).toBe("boolean");
    expect(findNode(SPEC_TREE, "entry.3.indicator")?.schema.enum).toEqual(["rsi", "sma", "ema", "smaCross", "emaCross", "atrMove"]);
    expect(findNode(SPEC_TREE, "entry.0.period")?.path).toBe("entry.*.period");
    expect(findNode(SPEC_TREE, "spread.nope")).toBeUndefined();
    expect(findNode(SPEC_TREE, "entry.x")).toBeUndefined();
  });

  it("carries descriptions for help text", () => {
    const missing = allNodes(SPEC_TREE).filter((n) => n.key !== "*" && (n.description ?? "") === "").map((n) => n.path);
    expect(missing).toEqual([]);
    expect(findNode(SPEC_TREE, "schedule.scanInterval")?.description).toMatch(/duration/);
  });

  it("builds ranges only from {min?, max?} number objects", () => {
    const tree = buildFieldTree({ type: "object", properties: {
      r: { type: "object", properties: { min: { type: "number" }, max: { type: "number" } } },
      notRange: { type: "object", required: ["min"], properties: { min: { type: "number" }, max: { type: "number" } } },
      other: { type: "object", properties: { min: { type: "number" }, top: { type: "number" } } },
    } });
    expect(tree.children.map((c) => c.kind)).toEqual(["range", "object", "object"]);
  });

  it("labels keys in words", () => {
    expect(humanize("minIvPercentile")).toBe("Min IV percentile");
    expect(humanize("exitAtDte")).toBe("Exit at DTE");
    expect(humanize("maxRiskPerTrade")).toBe("Max risk per trade");
    expect(humanize("entry")).toBe("Entry rules");
  });

  it("places CEL rules on the field the API server names", () => {
    const rules = placeRules(SPEC_TREE);
    const at = (path: string) => rules.filter((r) => r.path === path).map((r) => r.message);
    expect(at("schedule.window.start")).toContain("start must be earlier than end");
    expect(at("risk.roll.atDte")).toContain("atDte is required when rolling is enabled");
    expect(at("risk.exitAtDte").join(" ")).toMatch(/must be below spread\.dte\.min/);
    expect(at("entry.*.period")).toContain("rsi, sma, ema and atrMove need period");
    expect(at("spread.dte.min")).toContain("min must be less than or equal to max");
  });

  it("words the CRD's patterns", () => {
    expect(patternWords("^[A-Z][A-Z0-9.]{0,11}$")).toMatch(/ticker/);
    expect(patternWords("^x$")).toBe("text matching ^x$");
    expect(templatePath("entry.12.period")).toBe("entry.*.period");
  });
});
