import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../store/types.js";
import type { CustomResourceDefinition } from "./crd-manifests.js";
import { toStrategySpecProto } from "./strategy-mapping.js";
import type { StrategySpec } from "./types.js";
import { compileCrdValidator } from "./validate.js";

const repo = (path: string): string => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));

// The validator is compiled from the committed CRD file: the examples must pass what ships.
const shipped = parseAllDocuments(readFileSync(repo("k8s/crds/strategies.trading.spreadops.dev.yaml"), "utf8"))[0]!.toJS() as CustomResourceDefinition;
const validator = compileCrdValidator(shipped);

const exampleDir = repo("k8s/examples");
const examples = readdirSync(exampleDir)
  .filter((file) => file.endsWith(".yaml"))
  .sort()
  .flatMap((file) =>
    parseAllDocuments(readFileSync(`${exampleDir}/${file}`, "utf8")).map((doc, index) => ({ file, index, object: doc.toJS() as KubeObject<StrategySpec> })),
  );

/**
 * The simulator's symbols, read from its universe table (resources does not depend on tws-sim,
 * so the source is read as text; its rows start `["SYMBOL", conId, optionClass, …`).
 */
function simulatorSymbols(): Map<string, number> {
  const source = readFileSync(repo("packages/tws-sim/src/market/universe.ts"), "utf8");
  const rows = [...source.matchAll(/^\s*\["([A-Z.]+)", \d+, (\d+),/gm)];
  return new Map(rows.map((row) => [row[1]!, Number(row[2])]));
}

describe("k8s/examples", () => {
  it("are Strategies that pass the shipped CRD's schema and CEL rules", () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const { file, index, object } of examples) {
      expect(`${object.apiVersion} ${object.kind}`, file).toBe("trading.spreadops.dev/v1alpha1 Strategy");
      const { causes } = validator.validate(object);
      expect(causes.map((c) => `${file}#${index}: ${c.field}: ${c.message}`), file).toEqual([]);
    }
  });

  it("cover every spread kind and auto, all in paper mode, at least one approving automatically", () => {
    const specs = examples.map((e) => e.object.spec!);
    expect(new Set(specs.map((s) => s.spread.kind))).toEqual(new Set(["bullPut", "bearCall", "bullCall", "bearPut", "auto"]));
    expect(specs.every((s) => s.mode === "paper")).toBe(true);
    expect(specs.some((s) => s.execution.approval === "auto")).toBe(true);
    expect(new Set(examples.map((e) => e.object.metadata.name)).size).toBe(examples.length);
  });

  it("trade only optionable symbols of the built-in simulator", () => {
    const universe = simulatorSymbols();
    expect(universe.get("SPY")).toBe(1);
    for (const { file, object } of examples) {
      for (const symbol of object.spec!.universe.symbols ?? []) {
        expect(universe.get(symbol) ?? 0, `${file}: ${symbol} is not an optionable simulator symbol`).toBeGreaterThan(0);
      }
    }
  });

  it("map to the strategy service's StrategySpec", () => {
    for (const { file, object } of examples) {
      const defaulted = validator.validate(object).object as KubeObject<StrategySpec>;
      expect(() => toStrategySpecProto(defaulted.spec!), file).not.toThrow();
    }
  });
});
