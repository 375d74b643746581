import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  EmbeddedStore, generateStoreApiToken, startStoreApiServer, STRATEGY, TRADE, writeKubeconfig,
  type StoreApiServer, type StrategyResource, type TradeResource,
} from "@spreadops/resources";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crdTypes } from "../all-in-one/control-plane.js";
import type { CommandIo } from "../command.js";
import { ExitCode } from "../command.js";
import { applyManifestFiles } from "./apply.js";
import { ALL_IN_ONE_KUBECONFIG, kubeconfigStoreConnector } from "./connect-store.js";
import { resourceCommands } from "./resource-commands.js";

const EXAMPLE = new URL("../../../../k8s/examples/strategy-bull-put.yaml", import.meta.url).pathname;

// The real path the CLI takes against a running all-in-one: the embedded store (validated by the
// shipped CRDs) behind its Kubernetes-style API over TLS with a token, found through the
// kubeconfig the all-in-one writes into <folder>/.spreadops/.
let store: EmbeddedStore;
let api: StoreApiServer;
let folder: string;

beforeAll(async () => {
  store = new EmbeddedStore({ types: crdTypes() });
  const token = generateStoreApiToken();
  api = await startStoreApiServer({ store, types: [STRATEGY, TRADE], token });
  folder = mkdtempSync(join(tmpdir(), "spreadops-cli-"));
  await writeKubeconfig(join(folder, ALL_IN_ONE_KUBECONFIG), { server: api.url, token, namespace: "default", ...(api.certificateAuthority === undefined ? {} : { certificateAuthority: api.certificateAuthority }) });
});

afterAll(async () => {
  await api.close();
  await store.close();
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = { argv: argv.slice(1), env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
  const command = resourceCommands({ connect: kubeconfigStoreConnector({ cwd: folder }), apply: applyManifestFiles }).find((c) => c.name === argv[0]);
  if (command === undefined) throw new Error(`no command ${argv[0] ?? ""}`);
  const code = await command.run(io);
  return { code, out: out.join(""), err: err.join("") };
}

async function proposedTrade(name: string): Promise<TradeResource> {
  const created = await store.create<TradeResource>(TRADE, {
    apiVersion: "trading.spreadops.dev/v1alpha1", kind: "Trade",
    metadata: { name, namespace: "default" },
    spec: { strategyRef: "index-bull-put", underlying: "SPY", kind: "bullPut", expiry: "2026-12-18", shortStrike: 580, longStrike: 575, quantity: 2, limitPrice: 1.25, mode: "paper", approved: false },
  });
  return store.updateStatus<TradeResource>(TRADE, { ...created, status: { phase: "Proposed", preview: { maxProfit: 250, maxLoss: 750, breakeven: 578.75, initMargin: 750 } } });
}

describe("spreadops get|describe|apply|approve|pause|resume|delete against the all-in-one's store", () => {
  it("applies a manifest like kubectl (created, then unchanged) and lists it with the printer columns", async () => {
    expect(await run("apply", "-f", EXAMPLE)).toMatchObject({ code: ExitCode.ok, out: "strategy/index-bull-put created\n" });
    expect(await run("apply", "-f", EXAMPLE)).toMatchObject({ code: ExitCode.ok, out: "strategy/index-bull-put unchanged\n" });
    const listed = await run("get", "strategies");
    expect(listed.code).toBe(ExitCode.ok);
    const [header, row] = listed.out.trimEnd().split("\n");
    expect(header?.split(/\s{2,}/)).toEqual(["NAME", "MODE", "PHASE", "OPEN", "DAY P&L", "AGE"]);
    expect(row?.split(/\s{2,}/).slice(0, 3)).toEqual(["index-bull-put", "paper", "Pending"]);
    // The store applied the CRD's defaults (spec.paused) on the way in.
    expect((await store.get<StrategyResource>(STRATEGY, "default", "index-bull-put")).spec?.paused).toBe(false);
  });

  it("pauses and resumes a strategy through spec.paused", async () => {
    expect(await run("pause", "strategy", "index-bull-put")).toMatchObject({ code: ExitCode.ok, out: "strategy/index-bull-put paused\n" });
    expect((await store.get<StrategyResource>(STRATEGY, "default", "index-bull-put")).spec?.paused).toBe(true);
    expect((await run("resume", "strat", "index-bull-put")).code).toBe(ExitCode.ok);
    expect((await store.get<StrategyResource>(STRATEGY, "default", "index-bull-put")).spec?.paused).toBe(false);
  });

  it("approves a proposed trade once, printing its preview, and refuses a second approval", async () => {
    await proposedTrade("spy-trade-a");
    const approved = await run("approve", "trade", "spy-trade-a");
    expect(approved.code).toBe(ExitCode.ok);
    expect(approved.out).toBe("trade/spy-trade-a approved (max loss $750.00, max profit $250.00, margin $750.00)\n");
    expect((await store.get<TradeResource>(TRADE, "default", "spy-trade-a")).spec?.approved).toBe(true);
    const again = await run("approve", "trade", "spy-trade-a");
    expect(again.code).toBe(ExitCode.failure);
    expect(again.err).toContain("already approved");
    expect((await run("approve", "strategy", "index-bull-put")).code).toBe(ExitCode.usage);
  });

  it("describes a trade with its status, conditions and events, and prints JSON that parses", async () => {
    await store.recordEvent("default", { involvedObject: { apiVersion: "trading.spreadops.dev/v1alpha1", kind: "Trade", namespace: "default", name: "spy-trade-a" }, type: "Normal", reason: "Previewed", message: "max loss 750 USD", component: "test" });
    const described = await run("describe", "trade", "spy-trade-a");
    expect(described.code).toBe(ExitCode.ok);
    expect(described.out).toMatch(/^Name: +spy-trade-a$/m);
    expect(described.out).toMatch(/^ {2}phase: Proposed$/m);
    expect(described.out).toMatch(/^ {2}Normal +Previewed +\S+ +1 +max loss 750 USD$/m);
    const json = JSON.parse((await run("get", "trades", "-o", "json")).out) as { items: TradeResource[] };
    expect(json.items.map((t) => t.metadata.name)).toContain("spy-trade-a");
  });

  it("rejects bad input with a specific message and the right exit code, and deletes", async () => {
    const unknownKind = await run("get", "widgets");
    expect(unknownKind.code).toBe(ExitCode.usage);
    expect(unknownKind.err).toContain('unknown kind "widgets": expected strategies or trades');
    const missing = await run("describe", "trade", "nope");
    expect(missing.code).toBe(ExitCode.failure);
    expect(missing.err).toContain("NotFound");
    const invalid = await run("apply", "-f", join(folder, "missing.yaml"));
    expect(invalid.code).toBe(ExitCode.failure);
    expect(invalid.err).toContain("missing.yaml");
    expect(await run("delete", "trade", "spy-trade-a")).toMatchObject({ code: ExitCode.ok, out: "trade/spy-trade-a deleted\n" });
    await expect(store.get(TRADE, "default", "spy-trade-a")).rejects.toThrow(/not found/i);
  });
});
