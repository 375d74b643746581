import { ExecutionService, GatewayService, StrategyService } from "@spreadops/api";
import type { ResourceStore } from "@spreadops/resources";
import { clusterResourceStore } from "@spreadops/resources";
import type { Clock, ConfigOf, ServiceDefinition } from "@spreadops/runtime";
import {
  clockOffsetOption, commonOptions, connectService, createLeadership, duration, instrumentLeadership, leaderElectionOptions, offsetClock, option, systemClock,
} from "@spreadops/runtime";
import { z } from "zod";
import { buildController } from "./build-controller.js";
import type { Controller } from "./build-controller.js";
import type { ExecutionPort, GatewayPort, StrategyPort } from "./ports.js";

const PREFIX = "SPREADOPS_CONTROLLER_";

/**
 * Every option of the controller: the runtime's common ones (port 8084, after gateway 8080,
 * scanner 8081, strategy 8082 and execution 8083), the three service URLs, the namespace and
 * workers, the lifecycle timings, and leader election. `spreadops controller --help` lists them.
 */
export function controllerOptions() {
  const common = commonOptions("controller");
  return {
    ...common,
    port: option({ ...common.port, default: 8084 }),
    strategyUrl: option({ type: z.url(), env: `${PREFIX}STRATEGY_URL`, flag: "--strategy-url", default: "http://127.0.0.1:8082", description: "Base URL of the strategy service's Connect API (h2c): ValidateStrategy, Evaluate." }),
    executionUrl: option({ type: z.url(), env: `${PREFIX}EXECUTION_URL`, flag: "--execution-url", default: "http://127.0.0.1:8083", description: "Base URL of the execution service's Connect API (h2c): preview, place, cancel, close, exits, spread events." }),
    gatewayUrl: option({ type: z.url(), env: `${PREFIX}GATEWAY_URL`, flag: "--gateway-url", default: "http://127.0.0.1:8080", description: "Base URL of the gateway's Connect API (h2c): GetConnectionStatus for the BrokerConnected condition." }),
    namespace: option({ type: z.string().min(1).optional(), env: `${PREFIX}NAMESPACE`, flag: "--namespace", description: "Only reconcile Strategies and Trades in this namespace; all namespaces when unset." }),
    workers: option({ type: z.number().int().min(1).max(64), env: `${PREFIX}WORKERS`, flag: "--workers", default: 4, description: "Concurrent reconciles per kind (Strategy, Trade); one object is never reconciled twice at once." }),
    exitCheckInterval: option({ type: duration({ min: "1s", max: "1h" }), env: `${PREFIX}EXIT_CHECK_INTERVAL`, flag: "--exit-check-interval", default: "60s", description: "How often an open Trade's exits are evaluated (stop loss, take profit, DTE, roll)." }),
    pollInterval: option({ type: duration({ min: "100ms", max: "1m" }), env: `${PREFIX}POLL_INTERVAL`, flag: "--poll-interval", default: "2s", description: "How often a working order is looked at (the execution service's event stream usually reports fills sooner)." }),
    statusRefresh: option({ type: duration({ min: "1s", max: "1h" }), env: `${PREFIX}STATUS_REFRESH`, flag: "--status-refresh", default: "60s", description: "How often a Strategy's conditions and P&L are refreshed when nothing else happens." }),
    evaluateTimeout: option({ type: duration({ min: "1s", max: "30m" }), env: `${PREFIX}EVALUATE_TIMEOUT`, flag: "--evaluate-timeout", default: "2m", description: "Longest one StrategyService.Evaluate (a whole scan) may take." }),
    rpcTimeout: option({ type: duration({ min: "100ms", max: "5m" }), env: `${PREFIX}RPC_TIMEOUT`, flag: "--rpc-timeout", default: "15s", description: "Longest any other call to the strategy, execution or gateway service may take." }),
    ...clockOffsetOption("controller"),
    ...leaderElectionOptions("controller"),
  };
}

/** The controller's parsed configuration. */
export type ControllerConfig = ConfigOf<ReturnType<typeof controllerOptions>>;

/** Replaceable collaborators (tests, in-process hosting); default: Connect clients and the Kubernetes API. */
export interface ControllerParts {
  /** The resource store; default the Kubernetes API from in-cluster config or KUBECONFIG. */
  readonly store?: (config: ControllerConfig) => ResourceStore;
  readonly strategy?: (config: ControllerConfig) => StrategyPort;
  readonly execution?: (config: ControllerConfig) => ExecutionPort;
  readonly gateway?: (config: ControllerConfig) => GatewayPort;
  /** Wall clock and timers; default the system clock (the all-in-one passes the simulator's market time). */
  readonly clock?: Clock;
  /** Receives the controller once built. */
  readonly onController?: (controller: Controller) => void;
  /** Environment for finding the cluster; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The controller as a runtime service, for `main` (serviceMain) and `spreadops controller` (runService). */
export function controllerDefinition(version: string, parts: ControllerParts = {}): ServiceDefinition<ReturnType<typeof controllerOptions>> {
  return {
    name: "controller",
    version,
    summary: "The operator: reconciles Strategy and Trade resources into scans, proposals, orders and exits (leader-elected).",
    options: controllerOptions(),
    async start({ config, logger, metrics, readiness, lifecycle }) {
      const env = parts.env ?? process.env;
      const store = parts.store?.(config) ?? clusterResourceStore(env, "controller");
      const strategy = parts.strategy?.(config) ?? connectService(StrategyService, { baseUrl: config.strategyUrl, lifecycle }).client;
      const execution = parts.execution?.(config) ?? connectService(ExecutionService, { baseUrl: config.executionUrl, lifecycle }).client;
      const gateway = parts.gateway?.(config) ?? connectService(GatewayService, { baseUrl: config.gatewayUrl, lifecycle }).client;
      const leadership = createLeadership({ config, logger, env });
      instrumentLeadership(leadership, { component: "controller", metrics, readiness, lifecycle });
      const controller = buildController({
        store, strategy, execution, gateway, clock: parts.clock ?? offsetClock(systemClock, config.clockOffset * 1000), logger, metrics, leadership, workers: config.workers,
        ...(config.namespace === undefined ? {} : { namespace: config.namespace }),
        tuning: {
          statusRefreshMs: config.statusRefresh,
          evaluateTimeoutMs: config.evaluateTimeout,
          rpcTimeoutMs: config.rpcTimeout,
          trade: { exitCheckIntervalMs: config.exitCheckInterval, pollIntervalMs: config.pollInterval, rpcTimeoutMs: config.rpcTimeout },
        },
      });
      // Registered after the leadership: closes first (workers stop before the lease is released).
      lifecycle.register("controller", () => controller.stop(), { timeoutMs: 30_000 });
      await controller.start();
      parts.onController?.(controller);
      return { routes: () => undefined };
    },
  };
}
