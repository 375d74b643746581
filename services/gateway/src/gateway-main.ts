import type { Clock, ConfigOf, ServiceDefinition } from "@spreadops/runtime";
import { clockOffsetOption, commonOptions, leaderElectionOptions, offsetClock, systemClock } from "@spreadops/runtime";
import { twsConnectionOptions } from "./connection/options.js";
import { MarketDataService } from "./market/market-data-service.js";
import { marketDataOptions, marketDataSettings } from "./market/options.js";
import { OrdersService } from "./orders/orders-service.js";
import type { GatewayAreaContext, GatewayAreas } from "./service/build.js";
import { buildGateway } from "./service/build.js";
import { marketDataTypeOf } from "./market/market-data-type.js";

/**
 * Every option of the gateway: the runtime's common ones (port, logging, drain, tracing), the TWS
 * connection and outbound scheduler, and leader election. `spreadops gateway --help` and
 * docs/gateway.md list them.
 */
export function gatewayOptions() {
  return { ...commonOptions("gateway"), ...twsConnectionOptions, ...marketDataOptions, ...leaderElectionOptions("gateway"), ...clockOffsetOption("gateway") };
}

/** The gateway's parsed configuration. */
export type GatewayConfig = ConfigOf<ReturnType<typeof gatewayOptions>>;

/**
 * The production areas on the one session: {@link MarketDataService} (its budgets from the
 * `--md-*`, `--chain-*` and `--historical-*` options) and {@link OrdersService}. Both are closed at
 * shutdown; they are registered after the leadership, so they close first.
 */
export function gatewayAreas(context: GatewayAreaContext, config: GatewayConfig): GatewayAreas {
  const orders = new OrdersService({
    connection: context.connection,
    clock: context.clock,
    logger: context.logger,
    clientId: config.twsClientId,
    metrics: context.metrics,
  });
  const market = new MarketDataService(
    { connection: context.connection, scheduler: context.scheduler, logger: context.logger, clock: context.clock, metrics: context.metrics },
    { ...marketDataSettings(config), marketDataType: marketDataTypeOf(config.marketDataType) },
  );
  context.lifecycle.register("orders", () => {
    orders.close();
  });
  context.lifecycle.register("market-data", () => {
    market.close();
  });
  return { market, orders };
}

/**
 * The gateway as a runtime service, for `main` (serviceMain) and `spreadops gateway` (runService).
 * `areas` is replaceable so tests and the in-process platform can hand in their own; `clock`
 * (default the system clock) lets the all-in-one run the platform on the simulator's market time.
 */
export function gatewayDefinition(
  version: string,
  areas: (context: GatewayAreaContext, config: GatewayConfig) => GatewayAreas = gatewayAreas,
  clock?: Clock,
): ServiceDefinition<ReturnType<typeof gatewayOptions>> {
  return {
    name: "gateway",
    version,
    summary:
      "The platform's one TWS session: leader election (only the leader connects), watchdog, restart window, pacing, market-data lines, option chains, orders and account over Connect.",
    options: gatewayOptions(),
    start({ config, logger, metrics, readiness, lifecycle }) {
      const gateway = buildGateway({ config, logger, metrics, readiness, lifecycle, areas, clock: clock ?? offsetClock(systemClock, config.clockOffset * 1000) });
      gateway.start();
      return { routes: gateway.routes };
    },
  };
}
