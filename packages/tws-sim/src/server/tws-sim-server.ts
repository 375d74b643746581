/**
 * The simulator's composition root: the TWS API listener, its sessions, the market loop, the
 * routing of broker events to the clients that own them, and {@link SimControl} for faults and
 * the admin endpoints.
 */
import * as net from "node:net";
import type { Logger } from "@spreadops/runtime";
import type { Broker, BrokerEvent } from "../broker/index.js";
import type { ExpirationEvent, MarketSource, SimClock } from "../market/index.js";
import { Xoshiro128 } from "../market/rng.js";
import {
  commissionReportFields,
  errorFields,
  execDetailsFields,
  openOrderFields,
  orderStatusFields,
} from "../protocol/index.js";
import type { DecodedRequest } from "../protocol/index.js";
import type { HandlerContext, HandlerSettings, LinkState } from "./context.js";
import type { Farm, SimControl, SimStats } from "./control.js";
import type { TwsSimServerConfig } from "./config.js";
import { DEFAULT_SERVER_CONFIG } from "./config.js";
import { FARM_NOTICES } from "./farms.js";
import {
  accountMultiMessages,
  accountValueMessages,
  closeAllLines,
  dispatch,
  flushLines,
  historicalStreamUpdates,
  periodicAccountUpdates,
  pnlUpdates,
  portfolioMessage,
  positionMessage,
  welcome,
} from "./handlers/index.js";
import type { HistoricalPacing, LineBudget, MessageRateLimit } from "./limits-ports.js";
import { advanceWorld } from "./market-loop.js";
import { Session } from "./session.js";
import { StatsCounters } from "./stats.js";
import { commissionMessage, execDetailsMessage, openOrderMessage, orderStatusMessage } from "./wire.js";

/** The stateful simulation a server runs: clock, market and broker (rebuilt by `reset`). */
export interface SimWorld {
  readonly clock: SimClock;
  readonly market: MarketSource;
  readonly broker: Broker;
}

/** Builds the limit objects (fresh ones at every reset). */
export interface LimitFactories {
  messageRate(): MessageRateLimit;
  lineBudget(limit: number): LineBudget;
  historicalPacer(): HistoricalPacing;
}

/** What the server needs of the fault injector (it is built with the server as its control). */
export interface FaultsPort {
  tick(nowMs: number): void;
  active(): readonly { readonly kind: string; readonly untilMs?: number }[];
  clear(): void;
}

/** A {@link TwsSimServer}'s collaborators. */
export interface TwsSimServerOptions {
  readonly world: SimWorld;
  /** Builds a fresh world from the seed for `reset()`; without it reset keeps the world. */
  readonly rebuildWorld?: () => SimWorld;
  readonly config?: Partial<TwsSimServerConfig>;
  readonly logger: Logger;
  readonly limits: LimitFactories;
  /** Wall clock (limits, streaming intervals); `Date.now` by default. */
  readonly wallNow?: () => number;
}

/** Where the TWS API listener is. */
export interface TwsSimAddress {
  readonly host: string;
  readonly port: number;
}

/** A TWS API socket server backed by the simulated market and broker. */
export class TwsSimServer implements SimControl {
  readonly config: TwsSimServerConfig;
  readonly #logger: Logger;
  readonly #limits: LimitFactories;
  readonly #rebuild: (() => SimWorld) | undefined;
  readonly #wallNow: () => number;
  readonly #stats = new StatsCounters();
  readonly #sessions = new Set<Session>();
  readonly #link: LinkState = { connected: true, farms: new Map<Farm, boolean>() };
  readonly #settings: HandlerSettings;
  readonly #ctx: HandlerContext;
  #world: SimWorld;
  #detachWorld: () => void = () => undefined;
  #lines: LineBudget;
  #pacer: HistoricalPacing;
  #faults: FaultsPort | undefined;
  #server: net.Server | undefined;
  #timer: NodeJS.Timeout | undefined;
  #accepting = true;
  #delayMs = 0;
  #dropRate = 0;
  #dropRng: Xoshiro128;
  #rejections: string[] = [];
  #nextSessionId = 1;
  #lastVersion = -1;

  constructor(options: TwsSimServerOptions) {
    this.config = { ...DEFAULT_SERVER_CONFIG, ...options.config };
    this.#logger = options.logger;
    this.#limits = options.limits;
    this.#rebuild = options.rebuildWorld;
    this.#wallNow = options.wallNow ?? Date.now;
    this.#world = options.world;
    this.#lines = this.#limits.lineBudget(this.config.lineLimit);
    this.#pacer = this.#limits.historicalPacer();
    this.#dropRng = new Xoshiro128(this.config.seed);
    this.#settings = { account: this.config.account, minTickIntervalMs: this.config.minTickIntervalMs };
    // Getters, so handlers always see the current world and limits (reset replaces them).
    const world = (): SimWorld => this.#world;
    const lines = (): LineBudget => this.#lines;
    const pacer = (): HistoricalPacing => this.#pacer;
    this.#ctx = {
      get market() {
        return world().market;
      },
      get broker() {
        return world().broker;
      },
      get lines() {
        return lines();
      },
      get pacer() {
        return pacer();
      },
      settings: this.#settings,
      logger: this.#logger,
      stats: this.#stats,
      link: this.#link,
      wallNow: () => this.#wallNow(),
      sessions: () => this.#startedSessions(),
      takeRejection: () => this.#rejections.shift(),
    };
    this.#attachWorld();
  }

  /** The current world (market, broker, clock): for tests and the admin surface. */
  get world(): SimWorld {
    return this.#world;
  }

  /** Attaches the fault injector whose `tick` runs in the market loop and whose faults `stats()` lists. */
  attachFaults(faults: FaultsPort): void {
    this.#faults = faults;
  }

  /** Starts listening and running the market loop. */
  async listen(): Promise<TwsSimAddress> {
    const server = net.createServer((socket) => {
      this.#accept(socket);
    });
    server.on("error", (error) => {
      this.#logger.error({ err: error }, "TWS API listener error");
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.config.port, this.config.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.#timer = setInterval(() => {
      this.#tick();
    }, this.config.loopIntervalMs);
    return this.address();
  }

  /** The listener's address (after `listen`). */
  address(): TwsSimAddress {
    const address = this.#server?.address();
    if (address === null || address === undefined || typeof address === "string") throw new Error("the TWS API listener is not listening");
    return { host: address.address, port: address.port };
  }

  /** Stops the loop, closes every client and the listener. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const session of [...this.#sessions]) session.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  }

  // ------------------------------------------------------------------ SimControl

  broadcastNotice(code: number, message: string): void {
    for (const session of this.#startedSessions()) session.notice(code, message);
  }

  setFarmStatus(farm: Farm, ok: boolean): void {
    this.#link.farms.set(farm, ok);
    const notice = FARM_NOTICES.get(farm);
    if (notice === undefined) return;
    const { code, message } = ok ? notice.ok : notice.broken;
    this.broadcastNotice(code, message);
    // Lines that missed updates while the farm was down catch up at the next flush.
    if (ok && farm === "marketData") this.#markAllDirty();
  }

  /** State only: the fault injector sends 1100/1101/1102 (SimControl's contract), so clients see each once. */
  setConnectivity(state: { readonly connected: false } | { readonly connected: true; readonly dataLost: boolean }): void {
    if (!state.connected) {
      if (!this.#link.connected) return;
      this.#link.connected = false;
      return;
    }
    if (this.#link.connected) return;
    this.#link.connected = true;
    if (state.dataLost) {
      for (const session of this.#startedSessions()) closeAllLines(this.#ctx, session);
    } else {
      this.#markAllDirty();
    }
  }

  disconnectAll(reason: string): void {
    for (const session of [...this.#sessions]) session.close(reason);
  }

  setAcceptingConnections(accept: boolean): void {
    this.#accepting = accept;
  }

  rejectNextOrders(reason: string, count: number): void {
    // count 0 clears what is pending (the injector's clear()).
    if (count <= 0) this.#rejections = [];
    for (let i = 0; i < count; i++) this.#rejections.push(reason);
  }

  setResponseDelayMs(ms: number): void {
    this.#delayMs = Math.max(0, ms);
  }

  setResponseDropRate(fraction: number): void {
    this.#dropRate = Math.min(1, Math.max(0, fraction));
  }

  advanceClockTo(epochMs: number): void {
    const { clock } = this.#world;
    if (epochMs > clock.now()) clock.set(epochMs);
    this.#step();
  }

  now(): number {
    return this.#world.market.now();
  }

  reset(): void {
    this.disconnectAll("simulator reset");
    this.#faults?.clear();
    if (this.#rebuild !== undefined) {
      this.#detachWorld();
      this.#world = this.#rebuild();
      this.#attachWorld();
    }
    this.#lines = this.#limits.lineBudget(this.config.lineLimit);
    this.#pacer = this.#limits.historicalPacer();
    this.#link.connected = true;
    this.#link.farms.clear();
    this.#accepting = true;
    this.#delayMs = 0;
    this.#dropRate = 0;
    this.#dropRng = new Xoshiro128(this.config.seed);
    this.#rejections = [];
    this.#stats.reset();
    this.#lastVersion = -1;
    this.#logger.info("simulator reset");
  }

  stats(): SimStats {
    const broker = this.#world.broker;
    const byState: Record<string, number> = {};
    for (const order of [...broker.allOpenOrders(), ...broker.completedOrders()]) byState[order.status] = (byState[order.status] ?? 0) + 1;
    const started = [...this.#startedSessions()];
    let peak = this.#stats.peakPerSecond;
    for (const session of this.#sessions) peak = Math.max(peak, session.rateLimit.peakPerSecond);
    this.#stats.peakPerSecond = peak;
    return {
      simTimeMs: this.now(),
      connections: {
        current: started.length,
        total: this.#stats.connectionsTotal,
        refused: this.#stats.refused,
        clientIds: started.map((s) => s.clientId ?? 0).sort((a, b) => a - b),
      },
      messages: {
        receivedTotal: this.#stats.receivedTotal,
        receivedByType: Object.fromEntries(this.#stats.receivedByType),
        peakPerSecond: peak,
        sentTotal: this.#stats.sentTotal,
      },
      pacing: {
        messageRateViolations: this.#stats.messageRateViolations,
        historicalViolations: this.#stats.historicalViolations,
        disconnects: this.#stats.rateDisconnects,
      },
      marketDataLines: {
        inUse: this.#lines.inUse,
        peak: this.#lines.peak,
        limit: this.#lines.limit,
        rejected: this.#stats.linesRejected,
      },
      orders: { byState, whatIf: this.#stats.whatIf, executions: broker.executions().length },
      activeFaults: this.#faults?.active() ?? [],
    };
  }

  // ------------------------------------------------------------------ internals

  *#startedSessions(): Generator<Session> {
    for (const session of this.#sessions) if (session.started) yield session;
  }

  #accept(socket: net.Socket): void {
    if (!this.#accepting) {
      this.#stats.refused++;
      socket.on("error", () => undefined);
      socket.destroy();
      return;
    }
    this.#stats.connectionsTotal++;
    const session = new Session({
      id: this.#nextSessionId++,
      socket,
      logger: this.#logger,
      stats: this.#stats,
      rateLimit: this.#limits.messageRate(),
      wallNow: this.#wallNow,
      simNow: () => this.now(),
      delayMs: () => this.#delayMs,
      maxBufferedBytes: this.config.maxBufferedBytes,
      hooks: {
        claimClientId: (s, clientId) => {
          for (const other of this.#startedSessions()) if (other !== s && other.clientId === clientId) return false;
          return true;
        },
        onStarted: (s) => {
          this.#logger.info({ session: s.id, clientId: s.clientId, peer: s.peer, version: s.versionString }, "client connected");
          welcome(this.#ctx, s);
        },
        onRequest: (s, request) => {
          this.#onRequest(s, request);
        },
        onClosed: (s) => {
          closeAllLines(this.#ctx, s);
          s.state.scanners.clear();
          s.state.historicalStreams.clear();
          this.#sessions.delete(s);
          this.#logger.info({ session: s.id, clientId: s.clientId }, "client disconnected");
        },
      },
    });
    this.#sessions.add(session);
  }

  #onRequest(session: Session, request: DecodedRequest): void {
    session.dropping = this.#dropRate > 0 && this.#dropRng.uniform() < this.#dropRate;
    try {
      dispatch(this.#ctx, session, request);
    } finally {
      session.dropping = false;
    }
  }

  #attachWorld(): void {
    const { market, broker } = this.#world;
    const offBroker = broker.subscribe((event) => {
      try {
        this.#route(event);
      } catch (error) {
        this.#logger.error({ err: error, event: event.type }, "routing a broker event failed");
      }
    });
    const offExpiry = market.onExpiration((event) => {
      this.#expire(event);
    });
    this.#detachWorld = () => {
      offBroker();
      offExpiry();
    };
  }

  /** Settles the positions and cancels the orders of options that expired at a close. */
  #expire(event: ExpirationEvent): void {
    const { market, broker } = this.#world;
    const closes = new Map(event.underlyings.map((u) => [u.symbol, u.close]));
    const conIds = new Set<number>();
    for (const p of broker.positions()) conIds.add(p.contract.conId);
    for (const order of broker.allOpenOrders()) {
      conIds.add(order.contract.conId);
      for (const leg of order.contract.comboLegs) conIds.add(leg.conId);
    }
    for (const conId of conIds) {
      const contract = market.contractByConId(conId);
      if (contract?.secType !== "OPT" || contract.expiry !== event.expiry) continue;
      const close = closes.get(contract.symbol);
      if (close === undefined) continue;
      try {
        broker.expireOption(conId, close);
      } catch (error) {
        this.#logger.error({ err: error, conId }, "option expiry failed");
      }
    }
  }

  /** Sends a broker event to the sessions that see it (orders per client id, as TWS does). */
  #route(event: BrokerEvent): void {
    switch (event.type) {
      case "openOrder":
        this.#toOwner(event.order.clientId, openOrderFields(openOrderMessage(event.order)), true);
        break;
      case "orderStatus":
        this.#toOwner(event.clientId, orderStatusFields(orderStatusMessage(event.status)), true);
        break;
      case "execution":
        this.#toOwner(event.clientId, execDetailsFields(execDetailsMessage(-1, event.execution)), false);
        break;
      case "commissionReport":
        this.#toOwner(event.clientId, commissionReportFields(commissionMessage(event.report)), false);
        break;
      case "error":
        this.#toOwner(event.clientId, errorFields({ id: event.id, code: event.code, message: event.message }), false);
        break;
      case "position":
        for (const s of this.#startedSessions()) if (s.state.positions) s.send(positionMessage(event.position));
        break;
      case "portfolio":
        for (const s of this.#startedSessions()) if (s.state.accountUpdates) s.send(portfolioMessage(event.entry));
        break;
      case "accountValues":
        for (const s of this.#startedSessions()) {
          if (s.state.accountUpdates) for (const fields of accountValueMessages(event.values)) s.send(fields);
          for (const reqId of s.state.accountMulti) for (const fields of accountMultiMessages(reqId, event.values)) s.send(fields);
        }
        break;
      case "optionSettled":
        this.#logger.info({ conId: event.conId, quantity: event.quantity, price: event.settlementPrice }, "option settled");
        break;
    }
  }

  /** To the sessions of `clientId`; order events also to client 0 when it bound open orders. */
  #toOwner(clientId: number, fields: string[], autoBound: boolean): void {
    for (const s of this.#startedSessions()) {
      if (s.clientId === clientId || (autoBound && clientId !== 0 && s.clientId === 0 && s.state.autoOpenOrders)) s.send(fields);
    }
  }

  #markAllDirty(): void {
    for (const s of this.#startedSessions()) for (const line of s.state.marketData.values()) line.dirty = true;
  }

  /** One loop tick: time moves (real or accelerated clocks), then everything that follows. */
  #tick(): void {
    try {
      this.#step();
    } catch (error) {
      this.#logger.error({ err: error }, "market loop step failed");
    }
  }

  #step(): void {
    const { clock, market, broker } = this.#world;
    advanceWorld(market, broker, clock.now());
    this.#faults?.tick(this.now());
    const wall = this.#wallNow();
    const changed = market.version !== this.#lastVersion;
    this.#lastVersion = market.version;
    for (const session of this.#startedSessions()) {
      flushLines(this.#ctx, session, wall);
      if (changed) {
        for (const fields of pnlUpdates(this.#ctx, session, false)) session.sendAlways(fields);
        for (const fields of historicalStreamUpdates(this.#ctx, session)) session.sendAlways(fields);
      }
      for (const fields of periodicAccountUpdates(this.#ctx, session, this.now())) session.sendAlways(fields);
      for (const scanner of session.state.scanners.values()) {
        if (wall - scanner.lastSentWallMs < this.config.scannerRefreshMs) continue;
        scanner.lastSentWallMs = wall;
        scanner.refresh();
      }
    }
  }
}
