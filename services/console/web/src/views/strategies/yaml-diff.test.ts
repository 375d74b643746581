import { describe, expect, it } from "vitest";
import { STRATEGY_SPEC_JSON } from "./schema-fields";
import { collapseDiff, diffYaml, orderBySchema, specYaml } from "./yaml-diff";

describe("YAML of a spec", () => {
  it("writes keys in schema order, unknown keys last", () => {
    const spec = { risk: { exitAtDte: 7, maxOpenTrades: 2 }, zzz: true, mode: "paper", paused: true };
    expect(Object.keys(orderBySchema(STRATEGY_SPEC_JSON, spec) as object)).toEqual(["paused", "mode", "risk", "zzz"]);
    expect(specYaml(STRATEGY_SPEC_JSON, spec)).toBe("paused: true\nmode: paper\nrisk:\n  maxOpenTrades: 2\n  exitAtDte: 7\nzzz: true\n");
  });

  it("orders inside arrays of objects", () => {
    const yaml = specYaml(STRATEGY_SPEC_JSON, { entry: [{ direction: "bullish", period: 14, indicator: "rsi" }] });
    expect(yaml).toBe("entry:\n  - indicator: rsi\n    direction: bullish\n    period: 14\n");
  });
});

describe("line diff", () => {
  it("marks added and removed lines", () => {
    const before = "mode: paper\nrisk:\n  maxOpenTrades: 2\n";
    const after = "mode: live\nrisk:\n  maxOpenTrades: 2\n  exitAtDte: 7\n";
    const model = diffYaml(before, after);
    expect(model.lines).toEqual([
      { kind: "removed", text: "mode: paper" },
      { kind: "added", text: "mode: live" },
      { kind: "same", text: "risk:" },
      { kind: "same", text: "  maxOpenTrades: 2" },
      { kind: "added", text: "  exitAtDte: 7" },
    ]);
    expect([model.added, model.removed]).toEqual([2, 1]);
  });

  it("is all additions for a new Strategy and empty for no change", () => {
    expect(diffYaml("", "a: 1\nb: 2\n")).toMatchObject({ added: 2, removed: 0 });
    expect(diffYaml("a: 1\n", "a: 1\n")).toMatchObject({ added: 0, removed: 0 });
  });

  it("collapses long unchanged runs around the changes", () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}: ${i}`).join("\n") + "\n";
    const after = before.replace("l10: 10", "l10: 99");
    const collapsed = collapseDiff(diffYaml(before, after).lines, 2);
    expect(collapsed.map((e) => (e.kind === "gap" ? `…${e.count}` : `${e.kind[0]} ${e.text}`))).toEqual([
      "…8", "s l8: 8", "s l9: 9", "r l10: 10", "a l10: 99", "s l11: 11", "s l12: 12", "…7",
    ]);
    // A one-line gap is shown as the line.
    const short = diffYaml("a: 1\nb: 2\nc: 3\nd: 4\n", "a: 0\nb: 2\nc: 3\nd: 5\n").lines;
    expect(collapseDiff(short, 0).some((e) => e.kind === "gap")).toBe(true);
    expect(collapseDiff(short, 1).some((e) => e.kind === "gap")).toBe(false);
  });
});
