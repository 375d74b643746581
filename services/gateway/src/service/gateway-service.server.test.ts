// Tier 3: the GatewayService over a real server on port 0, called over HTTP/2 with connect-node.
import type { DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import type { Client } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { ConnectionState, GatewayService, OrderAction, OrderType } from "@spreadops/api";
import { buildServer, createLogger, createMetrics, defaultServerInterceptors, Readiness } from "@spreadops/runtime";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ConnectionStatus } from "../connection/status.js";
import { toMarketDataType } from "../connection/settings.js";
import { TwsConnection } from "../connection/tws-connection.js";
import { systemClock } from "../scheduler/clock.js";
import { OutboundScheduler } from "../scheduler/outbound-scheduler.js";
import type { ConnectionView } from "./gateway-service.js";
import { GatewayServiceHandler } from "./gateway-service.js";
import { registerGatewayRoutes } from "./routes.js";
import { recordingAreas } from "./testing/fake-areas.js";

const logger = createLogger({ service: "gateway-test", level: "silent", destination: { write: () => true } });

/** One bad request per RPC whose request has fields, and the field the error must name. */
const BAD_REQUESTS: Readonly<Record<string, { readonly request: object; readonly field: string }>> = {
  resolveContract: { request: { contract: { conId: -1 } }, field: "contract.con_id" },
  searchUniverse: { request: { minPrice: Number.NaN }, field: "min_price" },
  getQuotes: { request: {}, field: "contracts" },
  streamQuotes: { request: { contracts: [{ symbol: "" }] }, field: "contracts[0].symbol" },
  getOptionChain: { request: { query: { underlyingSymbol: "SPY", dte: { min: 45, max: 30 } } }, field: "query.dte.min" },
  getHistoricalBars: { request: { contract: { conId: 1 }, span: { count: 0, unit: 2 }, barSize: 6, whatToShow: 1 }, field: "span.count" },
  whatIfOrder: { request: { order: { orderRef: "" } }, field: "order.order_ref" },
  placeOrder: { request: { order: { orderRef: "r".repeat(41) } }, field: "order.order_ref" },
  modifyOrder: { request: { orderId: 0, limitPrice: 1 }, field: "order_id" },
  cancelOrder: { request: {}, field: "target" },
  listOrders: { request: { orderRefs: [""] }, field: "order_refs[0]" },
  streamOrderEvents: { request: { orderRefs: ["x".repeat(41)] }, field: "order_refs[0]" },
  getPositions: { request: { symbol: " " }, field: "symbol" },
  watchPacingStats: { request: { interval: { nanos: 100_000_000 } }, field: "interval" },
};

const VALID_ORDER = {
  order: {
    orderRef: "t-1",
    contract: { instrument: { case: "single" as const, value: { conId: 5 } } },
    action: OrderAction.BUY,
    quantity: 1,
    orderType: OrderType.LIMIT,
    limitPrice: 1.5,
  },
};

/** Calls any method by descriptor; resolves to the error it failed with, or undefined. */
async function callFailure(client: Client<typeof GatewayService>, method: DescMethod, request: object): Promise<ConnectError | undefined> {
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

const baseStatus: ConnectionStatus = {
  state: "connected",
  reason: "connected",
  since: Date.parse("2026-03-10T14:00:00Z"),
  mode: "paper",
  clientId: 7,
  host: "127.0.0.1",
  port: 7497,
  serverVersion: 176,
  account: "DU****567",
  farms: { marketData: "ok", historical: "unknown", secDef: "unknown" },
  lastErrors: [{ code: 2104, reqId: -1, message: "Market data farm connection is OK:usfarm", at: Date.parse("2026-03-10T14:00:01Z") }],
  reconnects: { socketClosed: 2, clientIdInUse: 1 },
  competingSession: false,
};

describe("GatewayService over a real server", () => {
  let client: Client<typeof GatewayService>;
  const sessions: Http2SessionManager[] = [];
  const areas = recordingAreas();
  const state = { leader: true, available: true };
  const connection: ConnectionView = {
    get status() {
      return baseStatus;
    },
    checkAvailable: () => {
      if (!state.available) throw new ConnectError("TWS is not connected (disconnected: test)", Code.Unavailable);
    },
    async *watchStatus() {
      await Promise.resolve();
      yield baseStatus;
    },
  };
  let restartConnection: TwsConnection | undefined;

  async function serve(service: GatewayServiceHandler): Promise<Client<typeof GatewayService>> {
    const metrics = createMetrics({ service: "gateway-test" });
    const s = buildServer({
      routes: (router) => { registerGatewayRoutes(router, service); },
      interceptors: defaultServerInterceptors({ logger, metrics }),
      logger,
      metrics,
      readiness: new Readiness(),
    });
    const address = await s.listen(0, "127.0.0.1");
    closers.push(() => s.close({ drainTimeoutMs: 500 }));
    const sessionManager = new Http2SessionManager(address.url);
    sessions.push(sessionManager);
    return createClient(GatewayService, createConnectTransport({ baseUrl: address.url, httpVersion: "2", sessionManager }));
  }
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    const service = new GatewayServiceHandler({
      connection,
      leadership: { isLeader: () => state.leader, identity: "gateway-0_3f2a9c1d" },
      market: areas.market,
      orders: areas.orders,
      now: () => Date.parse("2026-03-10T14:00:02Z"),
      marketDataType: 3,
    });
    client = await serve(service);
  });

  afterEach(() => {
    state.leader = true;
    state.available = true;
    areas.calls.length = 0;
  });

  afterAll(async () => {
    restartConnection?.stop("test over");
    for (const session of sessions) session.abort();
    for (const close of closers.reverse()) await close();
  });

  it("has a bad request for every method whose request has fields, and none for the others", () => {
    const withFields = GatewayService.methods.filter((m) => m.input.fields.length > 0).map((m) => m.localName);
    // A new RPC must come with validation: add it to BAD_REQUESTS (and a validator) or this fails.
    expect(Object.keys(BAD_REQUESTS).sort()).toEqual(withFields.sort());
  });

  it.each(GatewayService.methods.filter((m) => m.input.fields.length > 0).map((m) => [m.name, m] as const))(
    "%s with a bad argument answers InvalidArgument naming the field",
    async (_name, method) => {
      const bad = BAD_REQUESTS[method.localName];
      expect(bad, `no bad request for ${method.localName}`).toBeDefined();
      if (bad === undefined) return;
      const error = await callFailure(client, method, bad.request);
      expect(error?.code, `${method.name}: ${error?.rawMessage ?? "no error"}`).toBe(Code.InvalidArgument);
      expect(error?.rawMessage).toMatch(new RegExp(`^invalid ${bad.field.replace(/[[\]]/g, "\\$&")}: expected `));
      expect(areas.calls).toEqual([]);
    },
  );

  it("checks the argument before leadership: a follower still names the bad field", async () => {
    state.leader = false;
    const error = await callFailure(client, GatewayService.method.placeOrder, { order: { orderRef: "" } });
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toMatch(/^invalid order\.order_ref:/);
  });

  it("a follower answers Unavailable 'not the leader' for every TWS-bound method", async () => {
    state.leader = false;
    for (const method of [GatewayService.method.placeOrder, GatewayService.method.listOrders, GatewayService.method.streamQuotes]) {
      const request = method === GatewayService.method.streamQuotes ? { contracts: [{ conId: 1 }] } : method === GatewayService.method.placeOrder ? VALID_ORDER : {};
      const error = await callFailure(client, method, request);
      expect(error?.code, method.name).toBe(Code.Unavailable);
      expect(error?.rawMessage).toMatch(/^not the leader/);
    }
    expect(areas.calls).toEqual([]);
  });

  it("a follower still reports its status: STANDBY, not leader", async () => {
    state.leader = false;
    const { status } = await client.getConnectionStatus({});
    expect(status?.state).toBe(ConnectionState.STANDBY);
    expect(status?.leader).toBe(false);
    // A follower still says who it is and where the session would go.
    expect(status).toMatchObject({ identity: "gateway-0_3f2a9c1d", twsHost: "127.0.0.1", twsPort: 7497 });
  });

  it("the leader reports the session's status with the account masked", async () => {
    const { status } = await client.getConnectionStatus({});
    expect(status).toMatchObject({
      state: ConnectionState.CONNECTED,
      leader: true,
      serverVersion: 176,
      accountMasked: "DU****567",
      clientId: 7,
      reconnectCount: 3,
      marketDataType: 3,
      twsHost: "127.0.0.1",
      twsPort: 7497,
      identity: "gateway-0_3f2a9c1d",
    });
    expect(status?.farms.map((f) => [f.name, f.lastCode])).toEqual([["usfarm", 2104]]);
    const watched: unknown[] = [];
    for await (const message of client.watchConnectionStatus({})) {
      watched.push([message.status?.state, message.status?.identity, message.status?.twsHost, message.status?.twsPort]);
      break;
    }
    expect(watched).toEqual([[ConnectionState.CONNECTED, "gateway-0_3f2a9c1d", "127.0.0.1", 7497]]);
  });

  it("a disconnected leader answers Unavailable; valid requests reach the areas when available", async () => {
    state.available = false;
    expect((await callFailure(client, GatewayService.method.getQuotes, { contracts: [{ conId: 1 }] }))?.code).toBe(Code.Unavailable);
    state.available = true;
    expect(await callFailure(client, GatewayService.method.getQuotes, { contracts: [{ conId: 1 }] })).toBeUndefined();
    expect(await callFailure(client, GatewayService.method.placeOrder, VALID_ORDER)).toBeUndefined();
    expect(areas.calls).toEqual(["getQuotes", "placeOrder"]);
  });

  it("during the restart window every TWS-bound method answers Unavailable naming the window's end", async () => {
    // A real TwsConnection started inside its restart window: it waits for the end without connecting.
    const now = new Date();
    const at = `${String(now.getUTCHours()).padStart(2, "0")}:${String(now.getUTCMinutes()).padStart(2, "0")}`;
    const scheduler = new OutboundScheduler({ clock: systemClock });
    restartConnection = new TwsConnection(
      {
        host: "127.0.0.1",
        port: 7497,
        clientId: 1,
        mode: "paper",
        liveConfirmed: false,
        marketDataType: toMarketDataType(1),
        connectTimeoutMs: 1000,
        backoff: { initialMs: 100, maxMs: 100 },
        probeIntervalMs: 60_000,
        probeTimeoutMs: 1000,
        restartWindow: { at, timeZone: "UTC", durationMs: 15 * 60_000, leadMs: 60_000 },
      },
      { scheduler, logger, clock: systemClock },
    );
    restartConnection.start();
    expect(restartConnection.status.state).toBe("restartWindow");
    const restartAreas = recordingAreas();
    const restartClient = await serve(
      new GatewayServiceHandler({
        connection: restartConnection,
        leadership: { isLeader: () => true, identity: "gateway-1" },
        market: restartAreas.market,
        orders: restartAreas.orders,
        now: () => Date.now(),
        marketDataType: 1,
      }),
    );
    for (const [method, request] of [
      [GatewayService.method.placeOrder, VALID_ORDER],
      [GatewayService.method.cancelOrder, { target: { case: "orderId", value: 3 } }],
      [GatewayService.method.getOptionChain, { query: { underlyingSymbol: "SPY", dte: { min: 1, max: 5 } } }],
      [GatewayService.method.streamOrderEvents, {}],
    ] as const) {
      const error = await callFailure(restartClient, method, request);
      expect(error?.code, method.name).toBe(Code.Unavailable);
      expect(error?.rawMessage).toMatch(/^TWS daily restart window: unavailable until \d{4}-/);
    }
    expect(restartAreas.calls).toEqual([]);
    const { status } = await restartClient.getConnectionStatus({});
    expect(status?.state).toBe(ConnectionState.RESTART_WINDOW);
    expect(status?.inRestartWindow).toBe(true);
    expect(status?.restartWindow?.end).toBeDefined();
  });
});
