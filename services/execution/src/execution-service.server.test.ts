// The ExecutionService over a real server on port 0 (serviceMain), called over HTTP/2: every RPC
// refuses a bad request with InvalidArgument naming the field, before the gateway is touched.
import type { DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import type { Client } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { ExecutionService, SpreadKind, TradingMode } from "@spreadops/api";
import type { RunningService } from "@spreadops/runtime";
import { serviceMain } from "@spreadops/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecutionConfig } from "./execution-main.js";
import { executionDefinition } from "./execution-main.js";
import type { GatewayPort } from "./gateway-port.js";

const VALID = {
  tradeId: "t-1", strategyRef: "default/spy", underlying: "SPY", kind: SpreadKind.BULL_PUT, expiry: 20260417,
  shortStrike: 570, longStrike: 565, quantity: 1, limitPrice: 1.25, mode: TradingMode.PAPER,
};

/** One bad request per RPC, and the field the error must name. */
const BAD_REQUESTS: Readonly<Record<string, { readonly request: object; readonly field: string }>> = {
  previewSpread: { request: { trade: { ...VALID, kind: SpreadKind.UNSPECIFIED } }, field: "trade.kind" },
  placeSpread: { request: { trade: { ...VALID, tradeId: "" } }, field: "trade.trade_id" },
  getSpread: { request: { tradeId: "" }, field: "trade_id" },
  listSpreads: { request: { phases: [99] }, field: "phases[0]" },
  cancelSpread: { request: { tradeId: "" }, field: "trade_id" },
  closeSpread: { request: { tradeId: "" }, field: "trade_id" },
  evaluateExits: { request: { tradeId: "" }, field: "trade_id" },
  rollSpread: { request: { tradeId: "" }, field: "trade_id" },
  streamSpreadEvents: { request: { tradeIds: [""] }, field: "trade_ids[0]" },
};

/** PlaceSpread specs that must be refused, by the field named. */
const BAD_TRADES: readonly (readonly [string, object])[] = [
  ["trade.trade_id", { tradeId: "x".repeat(41) }],
  ["trade.underlying", { underlying: "" }],
  ["trade.expiry", { expiry: 20261332 }],
  ["trade.short_strike", { shortStrike: -1 }],
  ["trade.long_strike", { longStrike: 575 }],
  ["trade.quantity", { quantity: 0 }],
  ["trade.limit_price", { limitPrice: -1.25 }],
  ["trade.limit_price", { limitPrice: 0 }],
  ["trade.limit_price", { limitPrice: 5 }],
  ["trade.mode", { mode: TradingMode.UNSPECIFIED }],
  ["trade.long_con_id", { shortConId: 7, longConId: 7 }],
];

async function failure(client: Client<typeof ExecutionService>, method: DescMethod, request: object): Promise<ConnectError | undefined> {
  const fn = (client as unknown as Record<string, (request: object) => unknown>)[method.localName];
  if (fn === undefined) throw new Error(`client has no ${method.localName}`);
  try {
    if (method.methodKind === "server_streaming") {
      for await (const _ of fn(request) as AsyncIterable<unknown>) break;
    } else {
      await fn(request);
    }
    return undefined;
  } catch (error) {
    return ConnectError.from(error);
  }
}

describe("ExecutionService request validation over a real server", () => {
  let running: RunningService<ExecutionConfig> | undefined;
  let sessions: Http2SessionManager;
  let client: Client<typeof ExecutionService>;
  let gatewayCalls = 0;

  beforeAll(async () => {
    // Any gateway call other than the background event stream counts: validation must come first.
    const gateway = new Proxy({}, {
      get: (_, name) => (name === "streamOrderEvents"
        ? () => ({ [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }) })
        : () => { gatewayCalls++; return Promise.reject(new Error("no gateway in this test")); }),
    }) as GatewayPort;
    running = await serviceMain(executionDefinition("0.0.0-test", { gateway: () => gateway }), {
      argv: ["--port", "0", "--host", "127.0.0.1", "--log-level", "silent", "--log-format", "json"],
      env: {}, stdout: () => undefined, stderr: () => undefined, exit: () => undefined,
    });
    sessions = new Http2SessionManager(running?.address.url ?? "");
    client = createClient(ExecutionService, createConnectTransport({ baseUrl: running?.address.url ?? "", httpVersion: "2", sessionManager: sessions }));
  });

  afterAll(async () => {
    sessions.abort();
    await running?.stop();
  });

  it("has a bad request for every method", () => {
    expect(Object.keys(BAD_REQUESTS).sort()).toEqual(ExecutionService.methods.map((m) => m.localName).sort());
  });

  it.each(ExecutionService.methods.map((m) => [m.name, m] as const))("%s refuses a bad request naming the field", async (_, method) => {
    const bad = BAD_REQUESTS[method.localName];
    if (bad === undefined) throw new Error(`no bad request for ${method.localName}`);
    const error = await failure(client, method, bad.request);
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toContain(`invalid ${bad.field}:`);
  });

  it.each(BAD_TRADES)("PlaceSpread refuses %s (%j)", async (field, change) => {
    const error = await failure(client, ExecutionService.method.placeSpread, { trade: { ...VALID, ...change } });
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toContain(`invalid ${field}:`);
  });

  it.each([
    ["new_trade", { newTrade: undefined }],
    ["new_trade.trade_id", { newTrade: { ...VALID, tradeId: "" } }],
    ["new_trade.expiry", { newTrade: { ...VALID, expiry: 20261399 } }],
    ["new_trade.limit_price", { newTrade: { ...VALID, limitPrice: -1 } }],
    ["close_walk.every", { closeWalk: { steps: 2 } }],
    ["open_walk.steps", { openWalk: { steps: 21, every: { seconds: 1n } } }],
    ["close_limit_price", { closeLimitPrice: 0 }],
    ["close_limit_offset", { closeLimitOffset: -0.05 }],
  ] as const)("RollSpread refuses %s before looking the trade up", async (field, change) => {
    const error = await failure(client, ExecutionService.method.rollSpread, { tradeId: "t-0", newTrade: { ...VALID, tradeId: "t-0-r1", expiry: 20260515 }, ...change });
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toContain(`invalid ${field}:`);
  });

  it("RollSpread of an unknown trade is NotFound", async () => {
    const error = await failure(client, ExecutionService.method.rollSpread, { tradeId: "nope", newTrade: { ...VALID, tradeId: "nope-r1", expiry: 20260515 } });
    expect(error?.code).toBe(Code.NotFound);
  });

  it("PlaceSpread refuses a walk with a bad period, and none of the refusals reached the gateway", async () => {
    const error = await failure(client, ExecutionService.method.placeSpread, { trade: VALID, walk: { steps: 2 } });
    expect(error?.rawMessage).toContain("invalid walk.every:");
    expect(gatewayCalls).toBe(0);
  });

  it("an unknown trade id is NotFound", async () => {
    const error = await failure(client, ExecutionService.method.getSpread, { tradeId: "nope" });
    expect(error?.code).toBe(Code.NotFound);
  });
});
