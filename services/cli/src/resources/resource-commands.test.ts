import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  crdTypeRegistrations, EmbeddedStore, generateStoreApiToken, startStoreApiServer, STRATEGY, TRADE, writeKubeconfig,
  type ResourceType, type StoreApiServer, type StrategyResource, type TradeResource,
} from "@spreadops/resources";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandIo } from "../command.js";
import { ExitCode } from "../command.js";
import { applyManifestFiles } from "./apply.js";
import { ALL_IN_ONE_KUBECONFIG, kubeconfigStoreConnector } from "./connect-store.js";
import { resourceCommands, type StoreSession } from "./resource-commands.js";

const EXAMPLE = new URL("../../../../k8s/examples/strategy-bull-put.yaml", import.meta.url).pathname;

// The real path the CLI takes against a running all-in-one: the embedded store (validated by the
// shipped CRDs) behind its Kubernetes-style API over TLS with a token, found through the
// kubeconfig the all-in-one writes into <folder>/.spreadops/.
let store: EmbeddedStore;
let api: StoreApiServer;
let folder: string;

beforeAll(async () => {
  store = new EmbeddedStore({ types: crdTypeRegistrations() });
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

describe("spreadops get|describe|apply|approve|reject|pause|resume|delete against the all-in-one's store", () => {
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

  it("rejects a proposed trade once, keeping the reason as an Event, and refuses a second rejection or a later approval", async () => {
    await proposedTrade("spy-trade-r");
    const rejected = await run("reject", "trade", "spy-trade-r", "--reason", "earnings tomorrow");
    expect(rejected).toMatchObject({ code: ExitCode.ok, out: "trade/spy-trade-r rejected\n", err: "" });
    const stored = await store.get<TradeResource>(TRADE, "default", "spy-trade-r");
    expect(stored.spec).toMatchObject({ rejected: true, approved: false });
    const events = await store.listEvents("default", { kind: "Trade", name: "spy-trade-r" });
    expect(events).toEqual([expect.objectContaining({ type: "Normal", reason: "RejectedByUser", message: "earnings tomorrow", component: "spreadops-cli" })]);
    expect(events[0]?.involvedObject.uid).toBe(stored.metadata.uid);

    const again = await run("reject", "trade", "spy-trade-r");
    expect(again.code).toBe(ExitCode.failure);
    expect(again.err).toContain("already rejected");
    const approve = await run("approve", "trade", "spy-trade-r");
    expect(approve.code).toBe(ExitCode.failure);
    expect(approve.err).toContain("a rejected proposal cannot be approved");
    expect((await store.get<TradeResource>(TRADE, "default", "spy-trade-r")).spec).toMatchObject({ rejected: true, approved: false });
  });

  it("rejects without a reason without recording an Event of its own", async () => {
    await proposedTrade("spy-trade-s");
    expect(await run("reject", "trade", "spy-trade-s")).toMatchObject({ code: ExitCode.ok, out: "trade/spy-trade-s rejected\n" });
    expect((await store.get<TradeResource>(TRADE, "default", "spy-trade-s")).spec?.rejected).toBe(true);
    expect(await store.listEvents("default", { kind: "Trade", name: "spy-trade-s" })).toEqual([]);
  });

  it("refuses to reject an approved trade or one past Previewed, and leaves it untouched", async () => {
    await proposedTrade("spy-trade-t");
    expect((await run("approve", "trade", "spy-trade-t")).code).toBe(ExitCode.ok);
    const approved = await run("reject", "trade", "spy-trade-t", "--reason", "changed my mind");
    expect(approved.code).toBe(ExitCode.failure);
    expect(approved.err).toContain("trade spy-trade-t is already approved");
    expect((await store.get<TradeResource>(TRADE, "default", "spy-trade-t")).spec?.rejected).toBe(false);
    expect(await store.listEvents("default", { kind: "Trade", name: "spy-trade-t" })).toEqual([]);

    const lapsed = await proposedTrade("spy-trade-u");
    await store.updateStatus<TradeResource>(TRADE, { ...lapsed, status: { phase: "Cancelled", message: "lapsed" } });
    const cancelled = await run("reject", "trade", "spy-trade-u");
    expect(cancelled.code).toBe(ExitCode.failure);
    expect(cancelled.err).toContain("trade spy-trade-u is Cancelled; only a Proposed or Previewed trade can be rejected");
    expect((await store.get<TradeResource>(TRADE, "default", "spy-trade-u")).spec?.rejected).toBe(false);

    expect((await run("reject", "strategy", "index-bull-put")).code).toBe(ExitCode.usage);
    const misplaced = await run("approve", "trade", "spy-trade-u", "--reason", "why not");
    expect(misplaced).toMatchObject({ code: ExitCode.usage, err: "spreadops approve: --reason is only for reject\n" });
  });

  it("loses to a change made between its read and its write (resourceVersion guard), so a trade placed meanwhile is not marked rejected", async () => {
    await proposedTrade("spy-trade-v");
    // The controller moves the trade on right after the CLI read it.
    const racing = new Proxy(store, {
      get(target, prop) {
        if (prop === "get") {
          return async (type: ResourceType, namespace: string | undefined, name: string) => {
            const read = await target.get<TradeResource>(type, namespace, name);
            await target.updateStatus<TradeResource>(TRADE, { ...read, status: { ...read.status, phase: "Submitted" } });
            return read;
          };
        }
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const session: StoreSession = { store: racing, namespace: "default", target: "test store", close: () => Promise.resolve() };
    const command = resourceCommands({ connect: () => Promise.resolve(session) }).find((c) => c.name === "reject");
    const err: string[] = [];
    const code = await command?.run({ argv: ["trade", "spy-trade-v", "--reason", "too late"], env: {}, stdout: () => undefined, stderr: (t) => err.push(t) });
    expect(code).toBe(ExitCode.failure);
    expect(err.join("")).toContain("Conflict");
    const after = await store.get<TradeResource>(TRADE, "default", "spy-trade-v");
    expect(after.status?.phase).toBe("Submitted");
    expect(after.spec?.rejected).toBe(false);
    expect(await store.listEvents("default", { kind: "Trade", name: "spy-trade-v" })).toEqual([]);
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
