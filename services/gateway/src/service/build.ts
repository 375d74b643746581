import type { ConnectRouter } from "@connectrpc/connect";
import type { Clock, CreateLeadershipOptions, LeaderElectionConfig, Leadership, LeaseStore, Lifecycle, Logger, Metrics, Readiness } from "@spreadops/runtime";
import { createLeadership, instrumentLeadership, systemClock } from "@spreadops/runtime";
import { createConnectionMetrics } from "../connection/connection-metrics.js";
import type { TwsConnectionConfig } from "../connection/options.js";
import { connectionSettings, schedulerOptions } from "../connection/settings.js";
import { TwsConnection } from "../connection/tws-connection.js";
import type { TwsConnectionDeps } from "../connection/tws-connection.js";
import { OutboundScheduler } from "../scheduler/outbound-scheduler.js";
import { createSchedulerMetrics } from "../scheduler/scheduler-metrics.js";
import type { MarketDataArea, OrdersArea } from "./areas.js";
import { GatewayServiceHandler } from "./gateway-service.js";
import { registerGatewayRoutes } from "./routes.js";

/** The parsed options {@link buildGateway} reads (the areas read their own). */
export type GatewayCoreConfig = TwsConnectionConfig & LeaderElectionConfig;

/** What the areas are built from: the one session, its scheduler and the runtime's parts. */
export interface GatewayAreaContext {
  readonly connection: TwsConnection;
  readonly scheduler: OutboundScheduler;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly lifecycle: Lifecycle;
  readonly clock: Clock;
}

/** The areas the service delegates to. */
export interface GatewayAreas {
  readonly market: MarketDataArea;
  readonly orders: OrdersArea;
}

/** What {@link buildGateway} needs. */
export interface BuildGatewayOptions<C extends GatewayCoreConfig = GatewayCoreConfig> {
  readonly config: C;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly lifecycle: Lifecycle;
  /** Builds the market-data and order areas (with their budgets) on the session. */
  readonly areas: (context: GatewayAreaContext, config: C) => GatewayAreas;
  /** Default: the runtime's system clock. */
  readonly clock?: Clock;
  /** Lease store override (tests, a single-process setup); default: Kubernetes when there is a cluster. */
  readonly leaseStore?: LeaseStore;
  /** The cluster for the Lease; `null` = none (always leader). Default: discovered from `env`. */
  readonly kubeConfig?: CreateLeadershipOptions["kubeConfig"];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** IBApi factory override (tests). */
  readonly createApi?: TwsConnectionDeps["createApi"];
}

/** A built, not yet started gateway. */
export interface Gateway {
  readonly connection: TwsConnection;
  readonly scheduler: OutboundScheduler;
  readonly leadership: Leadership;
  readonly service: GatewayServiceHandler;
  /** Registers the GatewayService; pass to `buildServer` / return from a service's `start`. */
  readonly routes: (router: ConnectRouter) => void;
  /** Starts campaigning for leadership; the TWS session follows leadership. */
  start(): void;
}

/**
 * Assembles the gateway: outbound scheduler → TWS connection (readiness `tws-connected`) →
 * leadership (readiness `leader`, metrics, a Lifecycle close that stops leading and releases the
 * lease) → areas → service. Only the leader connects: `onStartedLeading` starts the session,
 * `onStoppedLeading` stops it at once — before another replica can acquire the lease, so there
 * are never two sessions with our client id. Nothing runs until {@link Gateway.start}.
 */
export function buildGateway<C extends GatewayCoreConfig>(options: BuildGatewayOptions<C>): Gateway {
  const { config, logger, metrics, readiness, lifecycle } = options;
  const clock = options.clock ?? systemClock;
  const scheduler = new OutboundScheduler({ clock, metrics: createSchedulerMetrics(metrics), logger }, schedulerOptions(config));
  const connection = new TwsConnection(connectionSettings(config), {
    scheduler,
    logger,
    clock,
    metrics: createConnectionMetrics(metrics),
    ...(options.createApi === undefined ? {} : { createApi: options.createApi }),
  });
  connection.registerReadiness(readiness);
  // Registered before the leadership's close, so it runs after it (last registered closes first):
  // a safety net for the case leadership stop timed out.
  lifecycle.register("tws", () => { connection.stop("shutdown"); }, { timeoutMs: 5_000 });

  const leadership = createLeadership({
    config,
    logger,
    clock,
    ...(options.leaseStore === undefined ? {} : { store: options.leaseStore }),
    ...(options.kubeConfig === undefined ? {} : { kubeConfig: options.kubeConfig }),
    ...(options.env === undefined ? {} : { env: options.env }),
    onStartedLeading: () => { connection.start(); },
    onStoppedLeading: () => { connection.stop("leadership lost"); },
  });
  instrumentLeadership(leadership, { component: "gateway", metrics, readiness, lifecycle });

  const areas = options.areas({ connection, scheduler, logger, metrics, readiness, lifecycle, clock }, config);
  const service = new GatewayServiceHandler({
    connection,
    leadership,
    market: areas.market,
    orders: areas.orders,
    now: () => clock.now(),
    timers: clock,
    marketDataType: config.marketDataType,
  });
  return {
    connection,
    scheduler,
    leadership,
    service,
    routes: (router) => { registerGatewayRoutes(router, service); },
    start: () => { leadership.start(); },
  };
}
