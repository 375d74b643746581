import type { HandlerContext } from "@connectrpc/connect";
import type { GetConnectionStatusResponse, WatchConnectionStatusResponse, WatchPacingStatsResponse } from "@spreadops/api";
import {
  GetConnectionStatusResponseSchema,
  GetPacingStatsRequestSchema,
  WatchConnectionStatusResponseSchema,
  WatchPacingStatsResponseSchema,
} from "@spreadops/api";
import { create } from "@bufbuild/protobuf";
import { durationMs } from "@bufbuild/protobuf/wkt";
import type { Leadership } from "@spreadops/runtime";
import { unavailable } from "@spreadops/runtime";
import type { ConnectionStatus } from "../connection/status.js";
import type { Clock } from "../scheduler/clock.js";
import { systemClock } from "../scheduler/clock.js";
import type { Priority } from "../scheduler/priority.js";
import type { GatewayServiceImpl, MarketDataArea, OrdersArea } from "./areas.js";
import { toConnectionStatusMessage } from "./connection-status.js";
import { intervalTicks } from "./interval-ticks.js";
import type { RequestOf, RequestValidators } from "./validation/index.js";
import { DEFAULT_PACING_INTERVAL_MS, requestValidators } from "./validation/index.js";

/** What the service needs of the TWS connection (a `TwsConnection` in production). */
export interface ConnectionView {
  /** The current status. */
  readonly status: ConnectionStatus;
  /** Throws the runtime's `unavailable` when work cannot go to TWS now (restart window, disconnected…). */
  checkAvailable(priority?: Priority): void;
  /** The current status, then every change, until `signal` aborts. */
  watchStatus(signal?: AbortSignal): AsyncIterable<ConnectionStatus>;
}

/** The collaborators of {@link GatewayServiceHandler}. */
export interface GatewayServiceDeps {
  readonly connection: ConnectionView;
  /**
   * Only the leader serves TWS work; `isLeader()` is checked per call (it is time-checked). Its
   * `identity` (the one in the Lease) is reported in the status.
   */
  readonly leadership: Pick<Leadership, "isLeader" | "identity">;
  readonly market: MarketDataArea;
  readonly orders: OrdersArea;
  /** Epoch ms, for `as_of`. */
  readonly now: () => number;
  /** Timers of WatchPacingStats; default the system clock (the gateway passes its own clock). */
  readonly timers?: Pick<Clock, "setTimer">;
  /** The configured market-data type (1 realtime … 4 delayed-frozen), reported in the status. */
  readonly marketDataType: number;
  /** Default: {@link requestValidators}. */
  readonly validators?: RequestValidators;
}

/** Message of the Unavailable error a follower answers with. */
export const NOT_LEADER_MESSAGE = "not the leader: this gateway replica is on standby; retry (the service routes to the leader)";

/**
 * The GatewayService. Every RPC runs the same gate, in this order:
 *
 * 1. validate the request — InvalidArgument naming the field (a bad request is bad on any replica,
 *    so it is refused before anything else);
 * 2. leadership — a follower answers Unavailable "not the leader" (it holds no TWS session);
 * 3. availability — the connection's `checkAvailable` (restart window, disconnected, refused;
 *    orders also while TWS has lost IB), Unavailable;
 *
 * then delegates to the area that owns the RPC. Connection status is answered here on any replica
 * (a follower reports STANDBY), and GetPacingStats / WatchPacingStats skip 2 and 3: they read
 * local counters and are most useful exactly while TWS is away.
 */
export class GatewayServiceHandler implements GatewayServiceImpl {
  readonly #connection: ConnectionView;
  readonly #leadership: Pick<Leadership, "isLeader" | "identity">;
  readonly #market: MarketDataArea;
  readonly #orders: OrdersArea;
  readonly #now: () => number;
  readonly #timers: Pick<Clock, "setTimer">;
  readonly #marketDataType: number;
  readonly #validators: RequestValidators;

  constructor(deps: GatewayServiceDeps) {
    this.#connection = deps.connection;
    this.#leadership = deps.leadership;
    this.#market = deps.market;
    this.#orders = deps.orders;
    this.#now = deps.now;
    this.#timers = deps.timers ?? systemClock;
    this.#marketDataType = deps.marketDataType;
    this.#validators = deps.validators ?? requestValidators;
  }

  // ---- connection status (any replica) ---------------------------------------------------

  getConnectionStatus(request: RequestOf<"getConnectionStatus">): GetConnectionStatusResponse {
    this.#validators.getConnectionStatus(request);
    return create(GetConnectionStatusResponseSchema, { status: this.#statusMessage(this.#connection.status) });
  }

  async *watchConnectionStatus(
    request: RequestOf<"watchConnectionStatus">,
    context: HandlerContext,
  ): AsyncGenerator<WatchConnectionStatusResponse, void, undefined> {
    this.#validators.watchConnectionStatus(request);
    for await (const status of this.#connection.watchStatus(context.signal)) {
      yield create(WatchConnectionStatusResponseSchema, { status: this.#statusMessage(status) });
    }
  }

  // ---- market data -------------------------------------------------------------------------

  async resolveContract(request: RequestOf<"resolveContract">, context: HandlerContext) {
    this.#gate("resolveContract", request);
    return await this.#market.resolveContract(request, context);
  }

  async searchUniverse(request: RequestOf<"searchUniverse">, context: HandlerContext) {
    this.#gate("searchUniverse", request);
    return await this.#market.searchUniverse(request, context);
  }

  async getQuotes(request: RequestOf<"getQuotes">, context: HandlerContext) {
    this.#gate("getQuotes", request);
    return await this.#market.getQuotes(request, context);
  }

  async *streamQuotes(request: RequestOf<"streamQuotes">, context: HandlerContext) {
    this.#gate("streamQuotes", request);
    yield* this.#market.streamQuotes(request, context);
  }

  async getOptionChain(request: RequestOf<"getOptionChain">, context: HandlerContext) {
    this.#gate("getOptionChain", request);
    return await this.#market.getOptionChain(request, context);
  }

  async getHistoricalBars(request: RequestOf<"getHistoricalBars">, context: HandlerContext) {
    this.#gate("getHistoricalBars", request);
    return await this.#market.getHistoricalBars(request, context);
  }

  async getPacingStats(request: RequestOf<"getPacingStats">, context: HandlerContext) {
    this.#validators.getPacingStats(request);
    return await this.#market.getPacingStats(request, context);
  }

  /** The area's GetPacingStats now, then once per interval; one timer per stream, gone when the call ends. */
  async *watchPacingStats(
    request: RequestOf<"watchPacingStats">,
    context: HandlerContext,
  ): AsyncGenerator<WatchPacingStatsResponse, void, undefined> {
    this.#validators.watchPacingStats(request);
    const intervalMs = request.interval === undefined ? DEFAULT_PACING_INTERVAL_MS : durationMs(request.interval);
    for await (const _tick of intervalTicks(this.#timers, intervalMs, context.signal)) {
      const { stats } = await this.#market.getPacingStats(create(GetPacingStatsRequestSchema), context);
      yield create(WatchPacingStatsResponseSchema, stats === undefined ? {} : { stats });
    }
  }

  // ---- orders and account ------------------------------------------------------------------

  async whatIfOrder(request: RequestOf<"whatIfOrder">, context: HandlerContext) {
    this.#gate("whatIfOrder", request, "order");
    return await this.#orders.whatIfOrder(request, context);
  }

  async placeOrder(request: RequestOf<"placeOrder">, context: HandlerContext) {
    this.#gate("placeOrder", request, "order");
    return await this.#orders.placeOrder(request, context);
  }

  async modifyOrder(request: RequestOf<"modifyOrder">, context: HandlerContext) {
    this.#gate("modifyOrder", request, "order");
    return await this.#orders.modifyOrder(request, context);
  }

  async cancelOrder(request: RequestOf<"cancelOrder">, context: HandlerContext) {
    // Cancels go at their own priority, which TWS still accepts while it has lost IB (1100).
    this.#gate("cancelOrder", request, "cancel");
    return await this.#orders.cancelOrder(request, context);
  }

  async listOrders(request: RequestOf<"listOrders">, context: HandlerContext) {
    this.#gate("listOrders", request);
    return await this.#orders.listOrders(request, context);
  }

  async *streamOrderEvents(request: RequestOf<"streamOrderEvents">, context: HandlerContext) {
    this.#gate("streamOrderEvents", request);
    yield* this.#orders.streamOrderEvents(request, context);
  }

  async getPositions(request: RequestOf<"getPositions">, context: HandlerContext) {
    this.#gate("getPositions", request);
    return await this.#orders.getPositions(request, context);
  }

  async getAccountSummary(request: RequestOf<"getAccountSummary">, context: HandlerContext) {
    this.#gate("getAccountSummary", request);
    return await this.#orders.getAccountSummary(request, context);
  }

  // ---- the gate ------------------------------------------------------------------------------

  /** Validate, then leadership, then availability; throws the first failure. */
  #gate<K extends keyof GatewayServiceImpl>(method: K, request: RequestOf<K>, priority?: Priority): void {
    const validate = this.#validators[method];
    validate(request);
    if (!this.#leadership.isLeader()) throw unavailable(NOT_LEADER_MESSAGE);
    this.#connection.checkAvailable(priority);
  }

  #statusMessage(status: ConnectionStatus) {
    return toConnectionStatusMessage(status, {
      leader: this.#leadership.isLeader(),
      identity: this.#leadership.identity,
      marketDataType: this.#marketDataType,
      now: this.#now(),
    });
  }
}
