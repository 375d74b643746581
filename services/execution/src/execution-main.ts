import { ExecutionService } from "@spreadops/api";
import type { Clock, ConfigOf, ServiceDefinition } from "@spreadops/runtime";
import { clockOffsetOption, commonOptions, duration, offsetClock, option, systemClock } from "@spreadops/runtime";
import { z } from "zod";
import { createExecutionMetrics } from "./execution-metrics.js";
import { executionServiceHandlers } from "./execution-service.js";
import { connectGateway } from "./gateway-client.js";
import type { GatewayPort } from "./gateway-port.js";
import { KillSwitch } from "./kill-switch.js";
import { killSwitchEndpoint } from "./kill-switch-endpoint.js";
import { SpreadExecutor } from "./spread-executor.js";

const PREFIX = "SPREADOPS_EXECUTION_";

/**
 * Every option of the execution service: the runtime's common ones (port 8083, next to a local
 * gateway on 8080, scanner on 8081 and strategy on 8082), the gateway URL and the safety
 * settings. `spreadops execution --help` and docs/execution.md list them.
 */
export function executionOptions() {
  const common = commonOptions("execution");
  return {
    ...common,
    port: option({ ...common.port, default: 8083 }),
    gatewayUrl: option({
      type: z.url(),
      env: `${PREFIX}GATEWAY_URL`,
      flag: "--gateway-url",
      default: "http://127.0.0.1:8080",
      description: "Base URL of the gateway's Connect API (h2c); in Kubernetes the gateway Service, e.g. http://spreadops-gateway:8080.",
    }),
    killSwitch: option({
      type: z.boolean(),
      env: `${PREFIX}KILL_SWITCH`,
      flag: "--kill-switch",
      default: false,
      description: "Start with the kill switch engaged: every new order (open, close, walk move) is refused; cancels still go out.",
    }),
    allowLive: option({
      type: z.boolean(),
      env: `${PREFIX}ALLOW_LIVE`,
      flag: "--allow-live",
      default: false,
      description: "Opt in to live trading. Without it only paper orders are sent; with it a live order still needs a live gateway and a live trade.",
    }),
    maxRiskPerTrade: option({
      type: z.number().positive(),
      env: `${PREFIX}MAX_RISK_PER_TRADE`,
      flag: "--max-risk-per-trade",
      default: 5000,
      description: "Largest max loss of one trade, USD (max loss per share × multiplier × quantity); the risk gate refuses more.",
    }),
    walkSteps: option({
      type: z.number().int().min(0).max(20),
      env: `${PREFIX}WALK_STEPS`,
      flag: "--walk-steps",
      default: 0,
      description: "Price-walk moves for a PlaceSpread/CloseSpread that sets no walk; 0 = such orders do not walk (the proto's default).",
    }),
    walkEvery: option({
      type: duration({ min: "100ms", max: "1h" }),
      env: `${PREFIX}WALK_EVERY`,
      flag: "--walk-every",
      default: "30s",
      description: "Time between walk moves (and before the give-up cancel) when --walk-steps applies.",
    }),
    gatewayTimeout: option({
      type: duration({ min: "100ms", max: "2m" }),
      env: `${PREFIX}GATEWAY_TIMEOUT`,
      flag: "--gateway-timeout",
      default: "15s",
      description: "Longest one gateway call may take; a lookup that times out refuses the placement (fail closed).",
    }),
    ...clockOffsetOption("execution"),
  };
}

/** The execution service's parsed configuration. */
export type ExecutionConfig = ConfigOf<ReturnType<typeof executionOptions>>;

/** What {@link executionDefinition} builds the service from; replaceable for tests. */
export interface ExecutionParts {
  /** The gateway; default: a Connect client of `--gateway-url`, closed at shutdown. */
  readonly gateway?: (config: ExecutionConfig) => GatewayPort;
  /** Wall clock and timers; default the system clock (the all-in-one passes the simulator's market time). */
  readonly clock?: Clock;
  /** Receives the executor once built (tests toggle the kill switch through it). */
  readonly onExecutor?: (executor: SpreadExecutor, killSwitch: KillSwitch) => void;
}

/** The execution service as a runtime service, for `main` (serviceMain) and `spreadops execution`. */
export function executionDefinition(version: string, parts: ExecutionParts = {}): ServiceDefinition<ReturnType<typeof executionOptions>> {
  return {
    name: "execution",
    version,
    summary: "Order lifecycle of vertical spreads: preview, risk gate, idempotent placement, price walk, fills, exits.",
    options: executionOptions(),
    start({ config, logger, metrics, lifecycle }) {
      const gateway: GatewayPort = parts.gateway?.(config) ?? connectGateway({ baseUrl: config.gatewayUrl, lifecycle }).client;
      const killSwitch = new KillSwitch(config.killSwitch);
      const clock = parts.clock ?? offsetClock(systemClock, config.clockOffset * 1000);
      const executor = new SpreadExecutor(
        { gateway, clock, logger, metrics: createExecutionMetrics(metrics), killSwitch },
        {
          allowLive: config.allowLive,
          maxRiskPerTradeUsd: config.maxRiskPerTrade,
          callTimeoutMs: config.gatewayTimeout,
          ...(config.walkSteps > 0 ? { defaultWalk: { steps: config.walkSteps, everyMs: config.walkEvery } } : {}),
        },
      );
      executor.start();
      lifecycle.register("executor", () => { executor.stop(); });
      parts.onExecutor?.(executor, killSwitch);
      const handlers = executionServiceHandlers(executor, () => clock.now());
      return {
        routes: (router) => { router.service(ExecutionService, handlers); },
        http: { "/kill-switch": killSwitchEndpoint(killSwitch, logger) },
      };
    },
  };
}
