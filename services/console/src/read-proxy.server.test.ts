// The read-only proxy over a real console and real (fake) upstream servers on port 0.
import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { ActivitySource, ConnectionState, ConsoleService, ExecutionService, GatewayService, StrategyService } from "@spreadops/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { READ_ALLOWLIST, readProxyImpl } from "./read-proxy.js";
import { FakeExecution, FakeGateway, FakeStrategy } from "./testing/fake-upstreams.js";
import type { FakeUpstream } from "./testing/fake-upstreams.js";
import { closedPortUrl, collect, startConsole, until } from "./testing/index.js";
import type { ConsoleUnderTest } from "./testing/index.js";

async function callAny(client: Client<DescService>, method: DescMethod): Promise<ConnectError | undefined> {
  const fn = (client as unknown as Record<string, (request: object) => unknown>)[method.localName];
  if (fn === undefined) throw new Error(`no ${method.localName}`);
  try {
    if (method.methodKind === "server_streaming") {
      for await (const _ of fn({}) as AsyncIterable<unknown>) break;
    } else if (method.methodKind === "unary") {
      await fn({});
    } else {
      return undefined;
    }
    return undefined;
  } catch (error) {
    return ConnectError.from(error);
  }
}

describe("the read-only proxy", () => {
  const gateway = new FakeGateway();
  const strategy = new FakeStrategy();
  const execution = new FakeExecution();
  let upstreams: FakeUpstream[] = [];
  let app: ConsoleUnderTest;

  beforeAll(async () => {
    upstreams = [await gateway.start(), await strategy.start(), await execution.start()];
    app = await startConsole({ gatewayUrl: upstreams[0]?.url ?? "", strategyUrl: upstreams[1]?.url ?? "", executionUrl: upstreams[2]?.url ?? "", argv: ["--token", "0123456789abcdef0123"] });
  });

  afterAll(async () => {
    await app.stop();
    for (const upstream of upstreams) await upstream.close();
  });

  it("forwards allowlisted unary calls over HTTP/1.1 JSON and h2 binary", async () => {
    for (const client of [app.browser(GatewayService), app.h2(GatewayService)]) {
      const response = await client.getConnectionStatus({});
      expect(response.status?.state).toBe(ConnectionState.CONNECTED);
      expect(response.status?.accountMasked).toBe("DU****567");
    }
    const spreads = await app.browser(ExecutionService).listSpreads({});
    expect(spreads.orders.map((o) => o.tradeId)).toEqual(["uid-1"]);
    const check = await app.browser(StrategyService).validateStrategy({ spec: { universe: { symbols: ["SPY", "NOPE"] } } });
    expect(check.violations).toEqual([expect.objectContaining({ field: "spec.universe.symbols[1]" })]);
  });

  it("keeps the upstream's code and message", async () => {
    const error = await app.browser(ExecutionService).getSpread({ tradeId: "t-9" }).then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(error?.code).toBe(Code.NotFound);
    expect(error?.rawMessage).toBe("spread t-9 not found");
  });

  it("relays a server stream and cancels the upstream call when the browser goes away", async () => {
    const abort = new AbortController();
    const stream = app.browser(GatewayService).watchConnectionStatus({}, { signal: abort.signal });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done === true ? undefined : first.value.status?.state).toBe(ConnectionState.CONNECTED);
    abort.abort();
    await expect(iterator.next()).rejects.toThrow();
    // The gateway's handler saw its own call cancelled: nothing keeps running upstream.
    await expect(Promise.race([gateway.watchCancelled.then(() => "cancelled"), new Promise((resolve) => setTimeout(() => { resolve("still running"); }, 2_000))])).resolves.toBe("cancelled");
  });

  it("answers every method outside the allowlist with Unimplemented, without reaching the service", async () => {
    // Written out here, not taken from READ_ALLOWLIST: widening the allowlist must fail this test.
    const cases = [
      { service: GatewayService, fake: gateway.calls, allowed: ["GetConnectionStatus", "WatchConnectionStatus", "GetPacingStats", "WatchPacingStats"] },
      { service: StrategyService, fake: strategy.calls, allowed: ["WatchEvaluations", "ValidateStrategy"] },
      { service: ExecutionService, fake: execution.calls, allowed: ["ListSpreads", "GetSpread", "StreamSpreadEvents"] },
    ];
    expect(cases.map((c) => c.allowed)).toEqual([READ_ALLOWLIST.gateway.methods, READ_ALLOWLIST.strategy.methods, READ_ALLOWLIST.execution.methods]);
    const mutating = ["PlaceOrder", "ModifyOrder", "CancelOrder", "PlaceSpread", "CancelSpread", "CloseSpread", "RollSpread", "EvaluateExits", "Evaluate", "WhatIfOrder", "PreviewSpread"];
    for (const { service, fake, allowed } of cases) {
      const client = app.browser<DescService>(service);
      for (const method of service.methods) {
        if (allowed.includes(method.name)) continue;
        const error = await callAny(client, method);
        expect({ method: method.name, code: error?.code }).toEqual({ method: method.name, code: Code.Unimplemented });
        expect(fake).not.toContain(method.name);
      }
    }
    // The ones that would move money exist in the contract and are among those refused.
    const all = [GatewayService, StrategyService, ExecutionService].flatMap((s) => s.methods.map((m) => m.name));
    for (const name of mutating) expect(all).toContain(name);
    expect(gateway.calls).not.toContain("PlaceOrder");
    expect(execution.calls).not.toContain("PlaceSpread");
  });

  it("refuses to build a proxy for a method that does not exist", () => {
    expect(() => readProxyImpl({
      service: GatewayService, client: {} as never, methods: ["PlaceOrdr"], upstream: { name: "gateway", url: "http://x" },
      monitor: { reachable: () => undefined, observe: () => undefined }, metrics: { streamOpened: () => () => undefined },
    })).toThrow(/GatewayService has no method PlaceOrdr/);
  });
});

describe("an upstream that is down", () => {
  it("is Unavailable naming the service and URL, while the console keeps serving", async () => {
    const gatewayUrl = await closedPortUrl();
    const app = await startConsole({ gatewayUrl });
    try {
      const error = await app.browser(GatewayService).getConnectionStatus({}).then(() => undefined, (e: unknown) => ConnectError.from(e));
      expect(error?.code).toBe(Code.Unavailable);
      expect(error?.rawMessage).toMatch(new RegExp(`^gateway unreachable at ${gatewayUrl.replace(/[.]/g, "\\.")}: connect ECONNREFUSED`));

      const streamError = await collect(app.browser(GatewayService).watchConnectionStatus({})).done;
      expect(ConnectError.from(streamError).code).toBe(Code.Unavailable);

      const info = await app.browser(ConsoleService).getConsoleInfo({});
      expect(info.version).toBe("0.0.0-test");
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(200);

      // The feed says so once per service (a SYSTEM warning), however many calls failed.
      const abort = new AbortController();
      const feed = collect(app.browser(ConsoleService).watchActivity({}, { signal: abort.signal }));
      await until(() => feed.messages.some((m) => m.entry?.reason === "ServiceUnreachable" && m.entry.message.startsWith("gateway unreachable")), "a gateway unreachable entry");
      const system = feed.messages.filter((m) => m.entry?.source === ActivitySource.SYSTEM && m.entry.message.startsWith("gateway unreachable"));
      expect(system).toHaveLength(1);
      abort.abort();
      await feed.done;
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      expect(metrics).toMatch(/spreadops_console_upstream_up\{upstream="gateway",service="console"\} 0/);
    } finally {
      await app.stop();
    }
  });
});
