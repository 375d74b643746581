// ConsoleService over a real console (port 0) on an in-memory store with the CRD validators,
// called as the browser calls it (HTTP/1.1, JSON) and over h2 with binary bodies.
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "@bufbuild/protobuf";
import type { JsonObject } from "@bufbuild/protobuf";
import type { CallOptions, Client } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import type { WatchActivityResponse } from "@spreadops/api";
import {
  ActivitySeverity, ActivitySource, ConsoleService, FieldViolationSchema, ResourceChangeType, StoreKind, StreamSpreadEventsResponseSchema,
  OrderAction, OptionRight, TradePhase,
} from "@spreadops/api";
import type { KubeObject, ResourceStore, StrategyResource, TradeResource } from "@spreadops/resources";
import { STRATEGY, TRADE } from "@spreadops/resources";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUpstream } from "./testing/index.js";
import {
  FakeExecution, FakeStrategy, PREVIEW, TOKEN, closedPortUrl, collect, memoryStore, startConsole, strategyObject, strategySpec, tradeObject, until,
} from "./testing/index.js";
import type { ConsoleUnderTest } from "./testing/index.js";

const ALLOWED_ORIGIN = "https://console.example.com";

/** The headers the web app sends on a ConsoleService call. */
function as(actor: string, token = TOKEN, extra: Record<string, string> = {}): CallOptions {
  return { headers: { authorization: `Bearer ${token}`, "x-spreadops-actor": actor, ...extra } };
}

async function failure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("the call succeeded");
}

/** Counts the store's watches, to prove streams share one. */
function countingStore(store: ResourceStore): ResourceStore & { watches: number } {
  const counting: ResourceStore & { watches: number } = {
    watches: 0,
    get: (...args) => store.get(...args),
    list: (...args) => store.list(...args),
    watch: (...args) => {
      counting.watches++;
      return store.watch(...args);
    },
    create: (...args) => store.create(...args),
    replace: (...args) => store.replace(...args),
    patch: (...args) => store.patch(...args),
    updateStatus: (...args) => store.updateStatus(...args),
    patchStatus: (...args) => store.patchStatus(...args),
    delete: (...args) => store.delete(...args),
    recordEvent: (...args) => store.recordEvent(...args),
    listEvents: (...args) => store.listEvents(...args),
  };
  return counting;
}

async function trade(store: ResourceStore, name: string, status?: Record<string, unknown>, spec: Record<string, unknown> = {}): Promise<TradeResource> {
  await store.create(TRADE, tradeObject(name, "default", spec));
  if (status !== undefined) await store.patchStatus(TRADE, "default", name, { status });
  return store.get<TradeResource>(TRADE, "default", name);
}

function versionOf(object: KubeObject | JsonObject | undefined): string {
  const metadata = (object as { metadata?: { resourceVersion?: string } } | undefined)?.metadata;
  return metadata?.resourceVersion ?? "";
}

describe("ConsoleService", () => {
  const store = countingStore(memoryStore());
  const strategyService = new FakeStrategy();
  const execution = new FakeExecution();
  const upstreams: FakeUpstream[] = [];
  let dir: string;
  let auditFile: string;
  let app: ConsoleUnderTest;
  let client: Client<typeof ConsoleService>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "console-audit-"));
    auditFile = join(dir, "audit.jsonl");
    upstreams.push(await strategyService.start(), await execution.start());
    await store.create(STRATEGY, strategyObject("spy"));
    app = await startConsole({
      store,
      strategyUrl: upstreams[0]?.url ?? "",
      executionUrl: upstreams[1]?.url ?? "",
      argv: ["--token", TOKEN, "--allowed-origins", `${ALLOWED_ORIGIN}, http://localhost:5173`, "--audit-log", auditFile],
    });
    client = app.browser(ConsoleService);
  });

  afterAll(async () => {
    await app.stop();
    for (const upstream of upstreams) await upstream.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("describes itself", async () => {
    const info = await client.getConsoleInfo({});
    expect(info).toMatchObject({ version: "0.0.0-test", namespace: "default", store: StoreKind.EMBEDDED, mutationsEnabled: true });
    expect(info.startedAt).toBeDefined();
  });

  it("streams a snapshot, then every change, all from one watch per kind", async () => {
    const abort = new AbortController();
    const browser = collect(client.watchResources({}, { signal: abort.signal }));
    const h2 = collect(app.h2(ConsoleService).watchResources({}, { signal: abort.signal }));
    const third = collect(app.browser(ConsoleService).watchResources({}, { signal: abort.signal }));
    await until(() => browser.messages.length > 0 && h2.messages.length > 0 && third.messages.length > 0, "the snapshots");
    const snapshot = browser.messages[0]?.message;
    expect(snapshot?.case).toBe("snapshot");
    if (snapshot?.case !== "snapshot") throw new Error("no snapshot");
    expect(snapshot.value.strategies.map((s) => (s.metadata as JsonObject).name)).toContain("spy");
    expect((snapshot.value.strategies[0]?.spec as JsonObject).mode).toBe("paper");

    await store.create(TRADE, tradeObject("watch-me"));
    await store.patchStatus(TRADE, "default", "watch-me", { status: { phase: "Proposed", message: "waiting for a preview" } });
    for (const stream of [browser, h2]) {
      await until(() => stream.messages.length >= 3, "two changes");
      const changes = stream.messages.slice(1).map((m) => (m.message.case === "change" ? m.message.value : undefined));
      expect(changes.map((c) => [c?.type, c?.kind, (c?.object?.metadata as JsonObject | undefined)?.name])).toEqual([
        [ResourceChangeType.ADDED, "Trade", "watch-me"],
        [ResourceChangeType.MODIFIED, "Trade", "watch-me"],
      ]);
      expect((changes[1]?.object?.status as JsonObject).phase).toBe("Proposed");
    }
    // Three browsers, two kinds: the store saw two watches.
    expect(store.watches).toBe(2);
    abort.abort();
    await Promise.all([browser.done, h2.done, third.done]);
  });

  describe("ApproveTrade", () => {
    it("needs a preview, the exact version the trader saw and a phase that allows it", async () => {
      const proposed = await trade(store, "approve-me", { phase: "Proposed" });
      const noPreview = await failure(client.approveTrade({ name: "approve-me", resourceVersion: versionOf(proposed) }, as("alice")));
      expect(noPreview.code).toBe(Code.FailedPrecondition);
      expect(noPreview.rawMessage).toMatch(/no preview yet/);

      const previewed = await store.patchStatus<TradeResource>(TRADE, "default", "approve-me", { status: { phase: "Previewed", preview: PREVIEW } });
      const stale = await failure(client.approveTrade({ name: "approve-me", resourceVersion: versionOf(proposed) }, as("alice")));
      expect(stale.code).toBe(Code.Aborted);
      expect(stale.rawMessage).toBe(`trade "approve-me" changed since you looked at it (now version ${versionOf(previewed)}); reload and review it again`);
      const missing = await failure(client.approveTrade({ name: "approve-me", resourceVersion: "" }, as("alice")));
      expect(missing.code).toBe(Code.InvalidArgument);
      expect((await store.get<TradeResource>(TRADE, "default", "approve-me")).spec?.approved).not.toBe(true);

      const approved = await client.approveTrade({ name: "approve-me", resourceVersion: versionOf(previewed) }, as("alice"));
      expect((approved.trade?.spec as JsonObject).approved).toBe(true);
      expect((await store.get<TradeResource>(TRADE, "default", "approve-me")).spec?.approved).toBe(true);
      const again = await failure(client.approveTrade({ name: "approve-me", resourceVersion: versionOf(approved.trade) }, as("alice")));
      expect(again.code).toBe(Code.FailedPrecondition);
      expect(again.rawMessage).toMatch(/already approved/);

      const events = await client.listObjectEvents({ kind: "Trade", name: "approve-me" });
      expect(events.events).toContainEqual(expect.objectContaining({ reason: "ApprovedByUser", message: "approved by alice (127.0.0.1) in the console", component: "spreadops-console", type: "Normal" }));
    });

    it("refuses a trade that is already on its way", async () => {
      const submitted = await trade(store, "submitted", { phase: "Submitted", preview: PREVIEW });
      const error = await failure(client.approveTrade({ name: "submitted", resourceVersion: versionOf(submitted) }, as("alice")));
      expect(error.code).toBe(Code.FailedPrecondition);
      expect(error.rawMessage).toBe('trade "submitted" is Submitted: only a Proposed or Previewed trade can be approved');
      const notFound = await failure(client.approveTrade({ name: "nope", resourceVersion: "1" }, as("alice")));
      expect(notFound.code).toBe(Code.NotFound);
    });
  });

  it("RejectTrade sets spec.rejected and records the reason; a rejected trade cannot be approved", async () => {
    const previewed = await trade(store, "reject-me", { phase: "Previewed", preview: PREVIEW });
    const response = await client.rejectTrade({ name: "reject-me", resourceVersion: versionOf(previewed), reason: "too close to earnings" }, as("bob"));
    expect((response.trade?.spec as JsonObject).rejected).toBe(true);
    const approve = await failure(client.approveTrade({ name: "reject-me", resourceVersion: versionOf(response.trade) }, as("bob")));
    expect(approve.code).toBe(Code.FailedPrecondition);
    expect(approve.rawMessage).toMatch(/already rejected/);
    const events = await client.listObjectEvents({ kind: "Trade", name: "reject-me" });
    expect(events.events.map((e) => `${e.reason}: ${e.message}`)).toContain("RejectedByUser: rejected by bob (127.0.0.1) in the console: too close to earnings");
  });

  it("CloseTrade closes only a trade that holds a position", async () => {
    const proposed = await trade(store, "close-me", { phase: "Proposed" });
    const early = await failure(client.closeTrade({ name: "close-me", resourceVersion: versionOf(proposed) }, as("carol")));
    expect(early.code).toBe(Code.FailedPrecondition);
    expect(early.rawMessage).toMatch(/is Proposed: only an Open or PartiallyFilled trade can be closed/);
    const open = await store.patchStatus<TradeResource>(TRADE, "default", "close-me", { status: { phase: "Open" } });
    const closed = await client.closeTrade({ name: "close-me", resourceVersion: versionOf(open) }, as("carol"));
    expect((closed.trade?.spec as JsonObject).close).toBe(true);
    const twice = await failure(client.closeTrade({ name: "close-me", resourceVersion: versionOf(closed.trade) }, as("carol")));
    expect(twice.code).toBe(Code.FailedPrecondition);
    const events = await store.listEvents("default", { kind: "Trade", name: "close-me" });
    expect(events.map((e) => e.reason)).toEqual(["CloseRequested"]);
  });

  describe("SaveStrategy and SetStrategyPaused", () => {
    it("creates, then replaces the spec only at the version the edit started from", async () => {
      const created = await client.saveStrategy({ name: "qqq-puts", spec: strategySpec() as JsonObject, resourceVersion: "" }, as("dana"));
      const v1 = versionOf(created.strategy);
      expect(v1).not.toBe("");
      const taken = await failure(client.saveStrategy({ name: "qqq-puts", spec: strategySpec() as JsonObject, resourceVersion: "" }, as("dana")));
      expect(taken.code).toBe(Code.AlreadyExists);

      const edited = await client.saveStrategy({ name: "qqq-puts", spec: strategySpec({ universe: { symbols: ["QQQ"] } }) as JsonObject, resourceVersion: v1 }, as("dana"));
      expect(((edited.strategy?.spec as JsonObject).universe as JsonObject).symbols).toEqual(["QQQ"]);
      const v2 = versionOf(edited.strategy);
      const stale = await failure(client.saveStrategy({ name: "qqq-puts", spec: strategySpec() as JsonObject, resourceVersion: v1 }, as("dana")));
      expect(stale.code).toBe(Code.Aborted);
      expect(stale.rawMessage).toBe(`strategy "qqq-puts" changed since you opened it (now version ${v2}); reload and re-apply your edit`);

      const events = await store.listEvents("default", { kind: "Strategy", name: "qqq-puts" });
      expect(events.map((e) => e.reason)).toEqual(["StrategyCreated", "StrategySaved"]);
    });

    it("saves at the generation the edit started from across status writes, never over another spec change", async () => {
      const created = await client.saveStrategy({ name: "gen-edit", spec: strategySpec() as JsonObject, resourceVersion: "" }, as("dana"));
      const startedAt = { version: versionOf(created.strategy), generation: BigInt((created.strategy?.metadata as JsonObject).generation as number) };
      // The controller writes status (every scan): resourceVersion moves, generation does not.
      await store.patchStatus(STRATEGY, "default", "gen-edit", { status: { phase: "Active" } });
      const strict = await failure(client.saveStrategy({ name: "gen-edit", spec: strategySpec({ universe: { symbols: ["IWM"] } }) as JsonObject, resourceVersion: startedAt.version }, as("dana")));
      expect(strict.code).toBe(Code.Aborted);
      const saved = await client.saveStrategy({ name: "gen-edit", spec: strategySpec({ universe: { symbols: ["IWM"] } }) as JsonObject, resourceVersion: startedAt.version, generation: startedAt.generation }, as("dana"));
      expect(((saved.strategy?.spec as JsonObject).universe as JsonObject).symbols).toEqual(["IWM"]);
      // Someone else's spec change since the edit started: refused, their change kept.
      const other = await failure(client.saveStrategy({ name: "gen-edit", spec: strategySpec({ universe: { symbols: ["DIA"] } }) as JsonObject, resourceVersion: startedAt.version, generation: startedAt.generation }, as("erin")));
      expect(other.code).toBe(Code.Aborted);
      const stored = await store.get<StrategyResource>(STRATEGY, "default", "gen-edit");
      expect(stored.spec?.universe.symbols).toEqual(["IWM"]);
    });

    it("answers an invalid spec with InvalidArgument naming each field", async () => {
      const error = await failure(client.saveStrategy({ name: "bad-one", spec: strategySpec({ mode: "bogus" }) as JsonObject, resourceVersion: "" }, as("dana")));
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.rawMessage).toMatch(/^strategy "bad-one" is invalid: spec\.mode: Unsupported value/);
      expect(error.findDetails(FieldViolationSchema)).toEqual([expect.objectContaining({ field: "spec.mode" })]);
      const badName = await failure(client.saveStrategy({ name: "Bad_Name", spec: strategySpec() as JsonObject, resourceVersion: "" }, as("dana")));
      expect(badName.code).toBe(Code.InvalidArgument);
      expect(badName.findDetails(FieldViolationSchema)[0]?.field).toBe("metadata.name");
    });

    it("pauses and resumes", async () => {
      const paused = await app.h2(ConsoleService).setStrategyPaused({ name: "spy", paused: true }, as("erin"));
      expect((paused.strategy?.spec as JsonObject).paused).toBe(true);
      await client.setStrategyPaused({ name: "spy", paused: false }, as("erin"));
      const events = await store.listEvents("default", { kind: "Strategy", name: "spy" });
      expect(events.map((e) => `${e.reason}: ${e.message}`)).toEqual(["StrategyPaused: paused by erin (127.0.0.1) in the console", "StrategyResumed: resumed by erin (127.0.0.1) in the console"]);
      const missing = await failure(client.setStrategyPaused({ name: "nope", paused: true }, as("erin")));
      expect(missing.code).toBe(Code.NotFound);
    });
  });

  describe("the token", () => {
    it("is required and must match; nothing changes without it", async () => {
      const previewed = await trade(store, "guarded", { phase: "Previewed", preview: PREVIEW });
      const request = { name: "guarded", resourceVersion: versionOf(previewed) };
      const none = await failure(client.approveTrade(request, { headers: { "x-spreadops-actor": "mallory" } }));
      expect(none.code).toBe(Code.Unauthenticated);
      const wrong = await failure(client.approveTrade(request, as("mallory", "not-the-token-but-long-enough")));
      expect(wrong.code).toBe(Code.Unauthenticated);
      const almost = await failure(client.approveTrade(request, as("mallory", `${TOKEN}x`)));
      expect(almost.code).toBe(Code.Unauthenticated);
      expect((await store.get<TradeResource>(TRADE, "default", "guarded")).spec?.approved).not.toBe(true);
    });

    it("is not needed to read or check", async () => {
      const check = await client.checkStrategy({ name: "any", spec: strategySpec() as JsonObject });
      expect(check.valid).toBe(true);
    });
  });

  describe("cross-site requests", () => {
    it("are refused by Origin and Sec-Fetch-Site; the own origin and --allowed-origins pass", async () => {
      const foreign = await failure(client.setStrategyPaused({ name: "spy", paused: true }, as("alice", TOKEN, { origin: "http://evil.example" })));
      expect(foreign.code).toBe(Code.PermissionDenied);
      expect(foreign.rawMessage).toMatch(/origin http:\/\/evil\.example refused/);
      const opaque = await failure(client.setStrategyPaused({ name: "spy", paused: true }, as("alice", TOKEN, { origin: "null" })));
      expect(opaque.code).toBe(Code.PermissionDenied);
      const crossSite = await failure(client.setStrategyPaused({ name: "spy", paused: true }, as("alice", TOKEN, { "sec-fetch-site": "cross-site" })));
      expect(crossSite.code).toBe(Code.PermissionDenied);
      expect((await store.get(STRATEGY, "default", "spy")).spec).not.toMatchObject({ paused: true });

      await client.setStrategyPaused({ name: "spy", paused: false }, as("alice", TOKEN, { origin: app.url, "sec-fetch-site": "same-origin" }));
      await client.setStrategyPaused({ name: "spy", paused: false }, as("alice", TOKEN, { origin: ALLOWED_ORIGIN }));
      await client.setStrategyPaused({ name: "spy", paused: false }, as("alice", TOKEN, { origin: "http://localhost:5173" }));
    });

    it("cannot be a form post: the body types a form can send never reach the handler", async () => {
      const previewed = await trade(store, "form-target", { phase: "Previewed", preview: PREVIEW });
      const body = JSON.stringify({ name: "form-target", resourceVersion: versionOf(previewed) });
      for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
        const response = await fetch(`${app.url}/spreadops.v1.ConsoleService/ApproveTrade`, {
          method: "POST", body, headers: { "content-type": type, authorization: `Bearer ${TOKEN}`, origin: app.url },
        });
        expect({ type, status: response.status }).toEqual({ type, status: 415 });
      }
      // The same call as JSON goes through: the refusal above is the content type's.
      const json = await fetch(`${app.url}/spreadops.v1.ConsoleService/SetStrategyPaused`, {
        method: "POST", body: JSON.stringify({ name: "spy", paused: false }), headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      });
      expect(json.status).toBe(200);
      // gRPC-web is served for reads, but never for changes.
      const grpcWeb = await fetch(`${app.url}/spreadops.v1.ConsoleService/ApproveTrade`, {
        method: "POST", body: new Uint8Array([0, 0, 0, 0, 0]), headers: { "content-type": "application/grpc-web+proto", authorization: `Bearer ${TOKEN}` },
      });
      // (gRPC-web puts the status in the trailer frame of the body; 7 = PermissionDenied.)
      expect(await grpcWeb.text()).toMatch(/grpc-status: 7/);
      expect((await store.get<TradeResource>(TRADE, "default", "form-target")).spec?.approved).not.toBe(true);
    });
  });

  it("audits every mutating call to the log and the audit file, never with the token", async () => {
    const previewed = await trade(store, "audited", { phase: "Previewed", preview: PREVIEW });
    await failure(client.approveTrade({ name: "audited", resourceVersion: versionOf(previewed) }, as("mallory", "wrong-token-wrong-token")));
    await client.approveTrade({ name: "audited", resourceVersion: versionOf(previewed) }, as("  alice  "));
    const lines = (await readFile(auditFile, "utf8")).trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    const mine = lines.filter((line) => line.target === "Trade/audited");
    const tokenId = createHash("sha256").update(TOKEN).digest("hex").slice(0, 8);
    expect(mine).toEqual([
      expect.objectContaining({ audit: true, actor: "mallory", remote: "127.0.0.1", action: "ApproveTrade", outcome: expect.stringMatching(/^denied: the console token is not valid/) as unknown }),
      expect.objectContaining({ audit: true, actor: "alice", remote: "127.0.0.1", action: "ApproveTrade", outcome: "ok", tokenId }),
    ]);
    expect(mine[0]).not.toHaveProperty("tokenId");
    expect(typeof mine[1]?.time).toBe("string");
    const logLines = app.logs.filter((line) => line.audit === true && line.target === "Trade/audited");
    expect(logLines.map((line) => [line.actor, line.outcome])).toEqual([["mallory", mine[0]?.outcome], ["alice", "ok"]]);
    const everything = `${app.output.join("")}${await readFile(auditFile, "utf8")}`;
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain("wrong-token-wrong-token");
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/spreadops_console_mutations_total\{action="ApproveTrade",outcome="ok",service="console"\} [1-9]/);
    expect(metrics).toMatch(/spreadops_console_mutations_total\{action="ApproveTrade",outcome="denied",service="console"\} [1-9]/);
  });

  it("feeds the activity: recent entries first, then resource changes, order events and audit entries", async () => {
    const abort = new AbortController();
    const feed = collect(client.watchActivity({}, { signal: abort.signal }));
    await until(() => feed.messages.length > 0, "the recent entries");
    expect(feed.messages[0]).toMatchObject({ initial: true, entry: { source: ActivitySource.SYSTEM, reason: "ConsoleStarted" } });
    const initialCount = feed.messages.filter((m) => m.initial).length;
    const ids = feed.messages.map((m) => m.entry?.id ?? 0n);
    expect([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ids);

    const created = await trade(store, "feed-me", { phase: "Proposed" });
    await store.patchStatus(TRADE, "default", "feed-me", { status: { phase: "Rejected", message: "risk gate: max open trades reached" } });
    const find = (predicate: (m: WatchActivityResponse) => boolean) => feed.messages.slice(initialCount).find(predicate);
    await until(() => find((m) => m.entry?.name === "feed-me" && m.entry.reason === "PhaseChanged") !== undefined, "the phase change");
    expect(find((m) => m.entry?.name === "feed-me" && m.entry.reason === "TradeProposed")?.entry?.message).toBe("proposed: SPY bull put 580/575 ×1 at 1.25, expiry 2026-12-18");
    expect(find((m) => m.entry?.name === "feed-me" && m.entry.reason === "PhaseChanged")?.entry).toMatchObject({
      source: ActivitySource.RESOURCE, severity: ActivitySeverity.WARNING, kind: "Trade", message: "Proposed → Rejected: risk gate: max open trades reached",
    });

    // An order event of the execution service, named by the Trade it belongs to (its uid).
    await until(() => execution.streams > 0, "the console's order event stream");
    execution.push(create(StreamSpreadEventsResponseSchema, {
      tradeId: created.metadata.uid ?? "",
      event: { case: "fill", value: { action: OrderAction.SELL, quantity: 1, strike: 580, right: OptionRight.PUT, price: 2.1 } },
    }));
    execution.push(create(StreamSpreadEventsResponseSchema, {
      tradeId: "unknown-uid", event: { case: "phaseChange", value: { from: TradePhase.SUBMITTED, to: TradePhase.REJECTED, reason: "IB 201: margin" } },
    }));
    await until(() => find((m) => m.entry?.source === ActivitySource.ORDER && m.entry.name === "unknown-uid") !== undefined, "the order events");
    expect(find((m) => m.entry?.source === ActivitySource.ORDER && m.entry.reason === "Filled")?.entry).toMatchObject({ kind: "Trade", name: "feed-me", message: "filled SELL 1 × 580 put at 2.10" });
    expect(find((m) => m.entry?.name === "unknown-uid")?.entry).toMatchObject({ severity: ActivitySeverity.WARNING, message: "order Submitted → Rejected: IB 201: margin" });

    await client.setStrategyPaused({ name: "spy", paused: false }, as("frank"));
    await until(() => find((m) => m.entry?.source === ActivitySource.AUDIT && m.entry.actor === "frank from 127.0.0.1") !== undefined, "the audit entry");
    expect(find((m) => m.entry?.actor === "frank from 127.0.0.1")?.entry).toMatchObject({ kind: "Strategy", name: "spy", reason: "StrategyResumed" });
    abort.abort();
    await feed.done;
  });

  describe("CheckStrategy", () => {
    it("reports the CRD's violations with CR paths", async () => {
      const spec = strategySpec({ spread: { kind: "bullPut", dte: { min: 60, max: 30 }, shortDelta: { min: 0.25, max: 0.35 }, width: { min: 1, max: 10 } } });
      const result = await client.checkStrategy({ name: "spy", spec: spec as JsonObject });
      expect(result.valid).toBe(false);
      expect(result.violations.map((v) => [v.field, v.message])).toEqual([["spec.spread.dte.min", "min (60) must be less than or equal to max (30)"]]);
      const badName = await client.checkStrategy({ name: "Not Valid", spec: strategySpec() as JsonObject });
      expect(badName.violations.map((v) => v.field)).toEqual(["metadata.name"]);
    });

    it("adds the strategy service's own rules once the CRD is satisfied", async () => {
      const before = strategyService.calls.length;
      const result = await client.checkStrategy({ name: "spy", spec: strategySpec({ universe: { symbols: ["SPY", "NOPE"] } }) as JsonObject });
      expect(strategyService.calls.length).toBe(before + 1);
      expect(result.valid).toBe(false);
      expect(result.violations.map((v) => v.field)).toEqual(["spec.universe.symbols[1]"]);
    });
  });
});

describe("a console without a token", () => {
  it("is read-only: every change is PermissionDenied, and it says so", async () => {
    const store = memoryStore();
    await store.create(STRATEGY, strategyObject("spy"));
    const app = await startConsole({ store, strategyUrl: await closedPortUrl() });
    try {
      const client = app.browser(ConsoleService);
      expect((await client.getConsoleInfo({})).mutationsEnabled).toBe(false);
      const error = await failure(client.setStrategyPaused({ name: "spy", paused: true }, as("alice")));
      expect(error.code).toBe(Code.PermissionDenied);
      expect(error.rawMessage).toBe("the console is read-only: start it with --token or --token-file");
      expect((await store.get(STRATEGY, "default", "spy")).spec).not.toMatchObject({ paused: true });
      // CheckStrategy still answers with the CRD's verdict while the strategy service is down.
      const check = await client.checkStrategy({ name: "spy", spec: strategySpec({ universe: { symbols: ["NOPE"] } }) as JsonObject });
      expect(check).toMatchObject({ valid: true, violations: [] });
      expect(app.logs.some((line) => line.msg === "the strategy service did not check the spec: checked against the CRD only")).toBe(true);
    } finally {
      await app.stop();
    }
  });
});
