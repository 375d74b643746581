import { describe, expect, it } from "vitest";
import { parsePresets, parseSpecYaml, PresetError, PRESETS_KEY, PresetStore, serializePresets, type PresetStorage } from "./presets";

class MemoryStorage implements PresetStorage {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null { return this.data.get(key) ?? null; }
  setItem(key: string, value: string): void { this.data.set(key, value); }
}

const SPEC_KEYS = ["paused", "mode", "universe", "schedule", "entry", "spread", "filters", "risk", "execution", "onDelete"];
const now = new Date("2026-03-02T10:00:00Z");

describe("preset storage format", () => {
  it("round-trips through the documented JSON", () => {
    const text = serializePresets([{ name: "a", spec: { mode: "paper" }, savedAt: "2026-03-02T10:00:00.000Z" }]);
    expect(JSON.parse(text)).toEqual({ version: 1, presets: [{ name: "a", spec: { mode: "paper" }, savedAt: "2026-03-02T10:00:00.000Z" }] });
    expect(parsePresets(text)).toEqual({ presets: [{ name: "a", spec: { mode: "paper" }, savedAt: "2026-03-02T10:00:00.000Z" }] });
  });

  it("reads nothing stored as no presets and reports unreadable data", () => {
    expect(parsePresets(null)).toEqual({ presets: [] });
    expect(parsePresets("{oops").problem).toMatch(/not valid JSON/);
    expect(parsePresets(JSON.stringify({ version: 2, presets: [] })).problem).toMatch(/version 2/);
    const partly = parsePresets(JSON.stringify({ version: 1, presets: [{ name: "ok", spec: {}, savedAt: "" }, { name: 3 }, { name: "nospec" }] }));
    expect(partly.presets.map((p) => p.name)).toEqual(["ok"]);
    expect(partly.problem).toMatch(/2 stored preset/);
  });
});

describe("PresetStore", () => {
  it("saves, lists sorted, loads, renames and deletes", () => {
    const storage = new MemoryStorage();
    const store = new PresetStore(storage);
    let changes = 0;
    store.subscribe(() => { changes++; });
    store.save("zeta", { mode: "paper" }, { now });
    store.save("  alpha ", { mode: "live" }, { now });
    expect(store.list().map((p) => p.name)).toEqual(["alpha", "zeta"]);
    expect(store.get("alpha")?.savedAt).toBe("2026-03-02T10:00:00.000Z");
    store.rename("alpha", "beta");
    expect(store.get("beta")?.spec).toEqual({ mode: "live" });
    store.delete("zeta");
    expect(store.list().map((p) => p.name)).toEqual(["beta"]);
    expect(JSON.parse(storage.getItem(PRESETS_KEY)!)).toMatchObject({ version: 1, presets: [{ name: "beta" }] });
    expect(changes).toBe(4);
  });

  it("refuses a rename onto a taken name, and a save over one unless asked", () => {
    const store = new PresetStore(new MemoryStorage());
    store.save("a", { mode: "paper" }, { now });
    store.save("b", { mode: "live" }, { now });
    expect(() => { store.rename("a", "b"); }).toThrow(PresetError);
    expect(() => { store.rename("a", "b"); }).toThrow(/“b” exists already/);
    expect(() => { store.save("a", {}); }).toThrow(/exists already/);
    store.save("a", { mode: "live" }, { overwrite: true, now });
    expect(store.get("a")?.spec).toEqual({ mode: "live" });
    expect(() => { store.rename("missing", "c"); }).toThrow(/no preset named/);
    expect(() => { store.save("  ", {}); }).toThrow(/name/);
    expect(store.freeName("a")).toBe("a (2)");
    expect(store.freeName("c")).toBe("c");
  });

  it("does not overwrite presets it cannot read", () => {
    const storage = new MemoryStorage();
    storage.setItem(PRESETS_KEY, JSON.stringify({ version: 7, presets: [{ x: 1 }] }));
    const store = new PresetStore(storage);
    expect(() => store.save("a", {})).toThrow(/version 7/);
    expect(JSON.parse(storage.getItem(PRESETS_KEY)!)).toEqual({ version: 7, presets: [{ x: 1 }] });
  });

  it("keeps a stored copy, not the caller's object", () => {
    const store = new PresetStore(new MemoryStorage());
    const spec = { risk: { maxOpenTrades: 1 } };
    store.save("a", spec, { now });
    spec.risk.maxOpenTrades = 9;
    expect(store.get("a")?.spec).toEqual({ risk: { maxOpenTrades: 1 } });
  });
});

describe("YAML import", () => {
  it("reads a bare spec", () => {
    expect(parseSpecYaml("mode: paper\nrisk: { maxOpenTrades: 2 }\n", SPEC_KEYS)).toEqual({ spec: { mode: "paper", risk: { maxOpenTrades: 2 } } });
  });

  it("takes .spec of a whole Strategy manifest and its name", () => {
    const manifest = "apiVersion: trading.spreadops.dev/v1alpha1\nkind: Strategy\nmetadata:\n  name: spy-bull-put\nspec:\n  mode: live\nstatus:\n  phase: Active\n";
    expect(parseSpecYaml(manifest, SPEC_KEYS)).toEqual({ spec: { mode: "live" }, suggestedName: "spy-bull-put" });
  });

  it("rejects what is not a Strategy spec, naming the problem", () => {
    expect(() => parseSpecYaml("- a\n- b\n", SPEC_KEYS)).toThrow(/got a list/);
    expect(() => parseSpecYaml("42\n", SPEC_KEYS)).toThrow(/got a number/);
    expect(() => parseSpecYaml("", SPEC_KEYS)).toThrow(/empty/);
    expect(() => parseSpecYaml("mode: paper\nriks: {}\n", SPEC_KEYS)).toThrow(/Unknown top-level key “riks”/);
    expect(() => parseSpecYaml("kind: Strategy\nspec: {}\nextra: 1\n", SPEC_KEYS)).toThrow(/Unknown top-level key “extra”/);
    expect(() => parseSpecYaml("kind: Trade\nspec: {}\n", SPEC_KEYS)).toThrow(/Trade, not a Strategy/);
    expect(() => parseSpecYaml("kind: Strategy\nspec: [1]\n", SPEC_KEYS)).toThrow(/spec must be a mapping/);
    expect(() => parseSpecYaml("mode: paper\n---\nmode: live\n", SPEC_KEYS)).toThrow(/2 documents/);
    expect(() => parseSpecYaml("mode: [paper\n", SPEC_KEYS)).toThrow(/Not valid YAML/);
  });
});
