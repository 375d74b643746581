import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STRATEGY, TRADE } from "../crd/types.js";
import type { StrategyResource } from "../crd/types.js";
import { EmbeddedStore } from "./embedded/embedded-store.js";
import { testRegistrations } from "./embedded/testing.js";
import { LAST_APPLIED_ANNOTATION, ManifestError, applyManifests, applyObject, loadManifests, parseManifests, resourceTypeLookup } from "./manifests.js";
import { EVENT_TYPE } from "./types.js";

const strategyYaml = (name: string, extra = ""): string => `apiVersion: trading.spreadops.dev/v1alpha1
kind: Strategy
metadata:
  name: ${name}
spec:
  mode: paper
  universe: { symbols: [SPY] }
  schedule: { scanInterval: 5m, timezone: America/New_York, window: { start: "09:45", end: "15:45" } }
  entry: [{ indicator: rsi, period: 14, below: 30, direction: bullish }]
  spread: { kind: bullPut, dte: { min: 30, max: 60 }, shortDelta: { min: 0.25, max: 0.35 }, width: { min: 1, max: 10 } }
  risk: { maxOpenTrades: 5 }
  execution: { approval: manual }
${extra}`;

function thrown(run: () => unknown): ManifestError {
  try {
    run();
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error("expected a ManifestError");
}

describe("parseManifests", () => {
  it("reads every document, skips empty ones and expands a List, numbering documents from 1", () => {
    const text = `${strategyYaml("a")}---\n---\n${strategyYaml("b")}---\napiVersion: v1\nkind: List\nitems:\n  - { apiVersion: v1, kind: X, metadata: { name: c } }\n  - { apiVersion: v1, kind: X, metadata: { name: d } }\n`;
    const documents = parseManifests(text, "all.yaml");
    expect(documents.map((d) => [d.object.metadata.name, d.document])).toEqual([["a", 1], ["b", 3], ["c", 4], ["d", 4]]);
    expect(documents[0]?.object.spec).toMatchObject({ mode: "paper", schedule: { window: { start: "09:45" } } });
  });

  it("names the file and document of a YAML error or a document that is not an object", () => {
    const broken = thrown(() => parseManifests(`${strategyYaml("a")}---\nspec: [\n`, "broken.yaml"));
    expect([broken.source, broken.document]).toEqual(["broken.yaml", 2]);
    expect(broken.message).toMatch(/^broken\.yaml \(document 2\): invalid YAML/);
    const missing = thrown(() => parseManifests("apiVersion: v1\nkind: X\nmetadata: {}\n", "m.yaml"));
    expect(missing.message).toBe("m.yaml (document 1): metadata.name is required");
    expect(thrown(() => parseManifests("- 1\n- 2\n", "list.yaml")).message).toContain("list.yaml (document 1): a manifest must be a mapping");
  });
});

describe("loadManifests", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "spreadops-manifests-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a folder's *.yaml and *.yml files in name order, and a single file", async () => {
    await writeFile(join(dir, "b.yml"), strategyYaml("from-b"));
    await writeFile(join(dir, "a.yaml"), `${strategyYaml("from-a-1")}---\n${strategyYaml("from-a-2")}`);
    await writeFile(join(dir, "notes.txt"), "not yaml: [");
    const documents = await loadManifests(dir);
    expect(documents.map((d) => [d.source, d.object.metadata.name])).toEqual([
      [join(dir, "a.yaml"), "from-a-1"],
      [join(dir, "a.yaml"), "from-a-2"],
      [join(dir, "b.yml"), "from-b"],
    ]);
    expect((await loadManifests(join(dir, "b.yml"))).map((d) => d.object.metadata.name)).toEqual(["from-b"]);
  });

  it("names the file it cannot read", async () => {
    await expect(loadManifests(join(dir, "missing.yaml"))).rejects.toThrow(`${join(dir, "missing.yaml")}: cannot read`);
  });
});

describe("applyObject", () => {
  const ns = "apply";
  const manifest = (extra = ""): StrategyResource => {
    const [document] = parseManifests(strategyYaml("s", extra), "s.yaml");
    return { ...(document?.object as StrategyResource), metadata: { ...document!.object.metadata, namespace: ns } };
  };

  it("creates, then reports unchanged, then configures only what the manifest changed", async () => {
    const store = new EmbeddedStore({ types: testRegistrations() });
    const created = await applyObject(store, STRATEGY, manifest());
    expect(created.action).toBe("created");
    expect(created.object.metadata.annotations?.[LAST_APPLIED_ANNOTATION]).toContain('"name":"s"');
    expect((await applyObject(store, STRATEGY, manifest())).action).toBe("unchanged");

    const changed = manifest();
    changed.spec!.risk.maxOpenTrades = 7;
    const configured = await applyObject(store, STRATEGY, changed);
    expect(configured.action).toBe("configured");
    expect(configured.object.spec?.risk.maxOpenTrades).toBe(7);
    expect(configured.object.metadata.uid).toBe(created.object.metadata.uid);
    expect(configured.object.metadata.generation).toBe(2);
  });

  it("keeps status and what others set, and removes what the previous apply set and this one dropped", async () => {
    const store = new EmbeddedStore({ types: testRegistrations() });
    const withExtras = manifest();
    withExtras.metadata.labels = { team: "a", tier: "gold" };
    withExtras.spec!.universe.minPrice = 20;
    await applyObject(store, STRATEGY, withExtras);
    await store.patchStatus(STRATEGY, ns, "s", { status: { phase: "Active" } });
    await store.patch(STRATEGY, ns, "s", { metadata: { labels: { "set-by": "console" } }, spec: { paused: true } });

    const trimmed = manifest();
    trimmed.metadata.labels = { team: "b" };
    const applied = await applyObject<StrategyResource>(store, STRATEGY, { ...trimmed, status: { phase: "Halted" } });
    expect(applied.action).toBe("configured");
    expect(applied.object.metadata.labels).toEqual({ team: "b", "set-by": "console" });
    expect(applied.object.spec?.universe.minPrice).toBeUndefined();
    expect(applied.object.spec?.paused).toBe(true);
    expect(applied.object.status?.phase).toBe("Active");
  });
});

describe("applyManifests", () => {
  it("applies each document with its type, defaulting the namespace, and names the document that fails", async () => {
    const store = new EmbeddedStore({ types: testRegistrations() });
    const types = resourceTypeLookup([STRATEGY, TRADE, EVENT_TYPE]);
    expect(types.lookup("trading.spreadops.dev/v1alpha1", "Trade")).toBe(TRADE);
    expect(types.lookup("v1", "Event")).toBe(EVENT_TYPE);
    expect(types.lookup("trading.spreadops.dev/v1beta1", "Trade")).toBeUndefined();

    const good = parseManifests(strategyYaml("one"), "one.yaml");
    const applied = await applyManifests(store, types, good, "team-a");
    expect(applied.map((a) => [a.action, a.object.metadata.namespace, a.type.kind])).toEqual([["created", "team-a", "Strategy"]]);

    const unknown = parseManifests("apiVersion: example.dev/v1\nkind: Widget\nmetadata: { name: w }\n", "w.yaml");
    await expect(applyManifests(store, types, unknown)).rejects.toThrow(/^w\.yaml \(document 1\): no resource type for example.dev\/v1, Kind=Widget/);

    const invalid = parseManifests(`${strategyYaml("fine")}---\n${strategyYaml("bad").replace("mode: paper", "mode: yolo")}`, "two.yaml");
    const error = await applyManifests(store, types, invalid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).message).toMatch(/^two\.yaml \(document 2\): Strategy "bad": .*spec\.mode/);
    expect((error as ManifestError).cause).toMatchObject({ reason: "Invalid" });
    expect((await store.get(STRATEGY, "default", "fine")).metadata.name).toBe("fine");
  });
});
