import { describe, expect, it } from "vitest";
import { indicesExist, nameProblems, placeServerViolations, saveBlockers } from "./editor-model";
import { SPEC_TREE } from "./schema-fields";

describe("new Strategy name", () => {
  it("is a Kubernetes object name that is not taken", () => {
    expect(nameProblems("spy-bull-put", ["other"])).toEqual([]);
    expect(nameProblems("", [])).toEqual(["Required."]);
    expect(nameProblems("SPY_Bull", [])[0]).toMatch(/lower-case/);
    expect(nameProblems("-x", [])[0]).toMatch(/lower-case/);
    expect(nameProblems("taken", ["taken"])[0]).toMatch(/exists already/);
    expect(nameProblems("a".repeat(254), [])[0]).toBe("At most 253 characters.");
  });
});

describe("placing server violations", () => {
  const spec = { entry: [{ indicator: "rsi" }], spread: { dte: { min: 60, max: 30 } } };
  it("needs array items to exist", () => {
    expect(indicesExist(spec, "entry.0.period")).toBe(true);
    expect(indicesExist(spec, "entry.1.period")).toBe(false);
    expect(indicesExist(spec, "spread.dte.min")).toBe(true);
  });

  it("maps fields, the name when creating, and leaves client-checked fields to the client", () => {
    const violations = [
      { field: "spec.entry[0].period", message: "rsi needs period" },
      { field: "spec.entry[4].period", message: "gone" },
      { field: "metadata.name", message: "name taken" },
      { field: "spec.spread.dte.min", message: "min (60) must be less than or equal to max (30)" },
      { field: "spec", message: "bullPut spreads need bullish entry rules" },
    ];
    const creating = placeServerViolations(violations, { tree: SPEC_TREE, spec, creating: true, clientPaths: new Set(["spread.dte.min"]) });
    expect([...creating.byField]).toEqual([["entry.0.period", ["rsi needs period"]], ["name", ["name taken"]]]);
    expect(creating.rest.map((v) => v.message)).toEqual(["gone", "bullPut spreads need bullish entry rules"]);
    const editing = placeServerViolations(violations, { tree: SPEC_TREE, spec, creating: false, clientPaths: new Set() });
    expect(editing.byField.has("name")).toBe(false);
    expect(editing.byField.get("spread.dte.min")).toEqual(["min (60) must be less than or equal to max (30)"]);
    expect(editing.rest.map((v) => v.message)).toContain("name taken");
  });
});

describe("Save", () => {
  const ok = { signedIn: true, problems: 0, check: "done" as const, changed: true, creating: false, saving: false };
  it("is enabled only when signed in, checked, valid and changed", () => {
    expect(saveBlockers(ok)).toEqual([]);
    expect(saveBlockers({ ...ok, problems: 2 })).toEqual(["Fix the 2 problems first."]);
    expect(saveBlockers({ ...ok, check: "pending" })).toEqual(["Checking with the server…"]);
    expect(saveBlockers({ ...ok, signedIn: false })).toEqual(["Sign in to save."]);
    expect(saveBlockers({ ...ok, changed: false })).toEqual(["No changes to save."]);
    expect(saveBlockers({ ...ok, changed: false, creating: true })).toEqual([]);
    // A server that could not check does not block: SaveStrategy checks again.
    expect(saveBlockers({ ...ok, check: "error" })).toEqual([]);
  });
});
