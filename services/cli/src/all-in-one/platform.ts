import { executionDefinition } from "@spreadops/execution";
import { gatewayDefinition } from "@spreadops/gateway";
import { childLogger, systemClock, type Clock, type ConfigOf, type Lifecycle, type Logger, type Readiness, type RunningService, type ServiceIO, type Tracing } from "@spreadops/runtime";
import { defaultEngine, scannerDefinition } from "@spreadops/scanner";
import { strategyDefinition } from "@spreadops/strategy";
import { startAdminServer, startSimulator } from "@spreadops/tws-sim";
import { hostRestartableGateway } from "./gateway-restart.js";
import { hostedReadiness, hostService } from "./host-service.js";
import { explainListen } from "./listen-errors.js";
import { marketClock, simulatedMarketStart } from "./market-time.js";
import { HOSTED_SERVICES, type allOptions, type HostedService } from "./options.js";

export type AllConfig = ConfigOf<ReturnType<typeof allOptions>>;

/** Where the running platform can be reached, for the start banner and for tests. */
export interface PlatformEndpoints {
  /** The platform's clock: the wall clock, or the simulator's market time. */
  readonly clock: Clock;
  /** Where the simulated market time started, when it is not the wall clock. */
  readonly marketTimeStart?: number;
  readonly services: Readonly<Record<Exclude<HostedService, "controller" | "console">, string>>;
  readonly tws: { readonly host: string; readonly port: number; readonly builtIn: boolean };
  readonly simAdmin?: string;
}

export interface PlatformContext {
  readonly config: AllConfig;
  readonly version: string;
  /** The all-in-one's process; `signals` (SIGUSR2) restarts the gateway. Hosted services get no signals. */
  readonly io: Pick<ServiceIO, "env" | "stdout" | "stderr" | "stdoutIsTty" | "signals">;
  readonly logger: Logger;
  readonly lifecycle: Lifecycle;
  readonly readiness: Readiness;
  readonly tracing: Tracing;
}

const portOf = (config: AllConfig, service: HostedService): number =>
  config.portBase === 0 ? 0 : config.portBase + HOSTED_SERVICES.indexOf(service);

/** Flags every hosted service shares with the all-in-one; `port` overrides the one from --port-base. */
export const sharedFlags = (config: AllConfig, service: HostedService, port = portOf(config, service)): string[] => [
  "--port", String(port),
  "--host", config.host,
  "--log-level", config.logLevel,
  "--log-format", config.logFormat,
  ...(config.otlpEndpoint === undefined ? [] : ["--otlp-endpoint", config.otlpEndpoint]),
];

/** A hosted service's readiness as one check of the all-in-one's /readyz. */
export function reportReadiness(readiness: Readiness, name: string, service: RunningService<unknown>): void {
  readiness.add(name, () => hostedReadiness(service));
}

/**
 * Starts the broker side (the built-in simulator unless --tws-host names a TWS) and the four
 * trading services, each on its own port and calling the others over HTTP/2 as in a cluster. Everything
 * is registered with the lifecycle in start order, so shutdown runs from the callers inward.
 */
export async function startServices(context: PlatformContext): Promise<PlatformEndpoints> {
  const { config, version, io, logger, lifecycle, readiness, tracing } = context;
  let tws: PlatformEndpoints["tws"];
  let simAdmin: string | undefined;
  let clock: Clock = systemClock;
  let marketTimeStart: number | undefined;
  if (config.twsHost === undefined) {
    const simLogger = childLogger(logger, { component: "tws-sim" });
    const startedAt = Date.now();
    marketTimeStart = config.marketTime === "auto" ? simulatedMarketStart(startedAt) : undefined;
    const sim = await explainListen("the simulator's TWS API port", "--sim-port", () => startSimulator({
      seed: config.simSeed, host: config.host, port: config.simPort,
      ...(marketTimeStart === undefined ? { clock: "real" } : { clock: "accelerated", speed: 1, startMs: marketTimeStart }),
    }, simLogger));
    if (marketTimeStart !== undefined) {
      clock = marketClock(marketTimeStart, startedAt);
      logger.info({ marketTime: new Date(marketTimeStart).toISOString() }, "outside US market hours: the simulated market and the platform run on market time");
    }
    lifecycle.register("tws-sim", () => sim.close());
    const admin = await explainListen("the simulator's admin port", "--sim-admin-port", () => startAdminServer({ sim, logger: simLogger, host: config.host, port: config.simAdminPort }));
    lifecycle.register("tws-sim-admin", () => admin.server.close({ drainTimeoutMs: 1_000 }));
    readiness.add("tws-sim", () => ({ ok: true, message: `TWS API on ${sim.address.host}:${sim.address.port}, ${sim.server.stats().connections.current} client(s)` }));
    tws = { host: sim.address.host, port: sim.address.port, builtIn: true };
    simAdmin = admin.address.url;
  } else {
    tws = { host: config.twsHost, port: config.twsPort, builtIn: false };
  }

  const host = async <S extends RunningService<unknown>>(name: HostedService, start: () => Promise<S>): Promise<S> => {
    const service = await start();
    lifecycle.register(name, async () => { await service.stop(); });
    reportReadiness(readiness, name, service);
    return service;
  };

  // SIGUSR2 restarts it in place (docs/runbook.md); the others keep its URL and must recover.
  const gateway = await hostRestartableGateway({
    start: (port) => hostService(gatewayDefinition(version, undefined, clock), [
      ...sharedFlags(config, "gateway", port),
      "--tws-host", tws.host,
      "--tws-port", String(tws.port),
      "--tws-client-id", String(config.clientId),
      // One process, one gateway: there is nobody to elect against.
      "--leader-election", "off",
      // The simulator never restarts; a real TWS keeps the gateway's default daily restart window.
      ...(tws.builtIn ? ["--tws-restart-window", "off"] : []),
    ], io, tracing),
    port: portOf(config, "gateway"),
    logger: childLogger(logger, { component: "gateway-restart" }), lifecycle, readiness,
    ...(io.signals === undefined ? {} : { signals: io.signals }),
  });
  const gatewayUrl = gateway.url;
  const scanner = await host("scanner", () => hostService(scannerDefinition(version, { engine: defaultEngine }), [
    ...sharedFlags(config, "scanner"), "--gateway-url", gatewayUrl,
  ], io, tracing));
  const execution = await host("execution", () => hostService(executionDefinition(version, { clock }), [
    ...sharedFlags(config, "execution"), "--gateway-url", gatewayUrl,
  ], io, tracing));
  const strategy = await host("strategy", () => hostService(strategyDefinition(version, { now: () => clock.now() }), [
    ...sharedFlags(config, "strategy"),
    "--gateway-url", gatewayUrl,
    "--scanner-url", scanner.address.url,
    "--execution-url", execution.address.url,
  ], io, tracing));
  return {
    clock,
    ...(marketTimeStart === undefined ? {} : { marketTimeStart }),
    services: { gateway: gatewayUrl, scanner: scanner.address.url, strategy: strategy.address.url, execution: execution.address.url },
    tws,
    ...(simAdmin === undefined ? {} : { simAdmin }),
  };
}
