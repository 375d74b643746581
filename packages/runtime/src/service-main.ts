import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { z } from "zod";
import { ConfigError, describeConfig, helpRequested, option, parseConfig, renderHelp } from "./config.js";
import type { ConfigOf, OptionSpec } from "./config.js";
import { duration } from "./duration.js";
import { createErrorInterceptor } from "./error-interceptor.js";
import { Readiness } from "./health.js";
import { LOG_FORMATS, LOG_LEVELS, createLogger, shouldPrettyPrint } from "./logger.js";
import type { Logger } from "./logger.js";
import { createMetrics } from "./metrics.js";
import type { HttpHandler } from "./http-handler.js";
import type { Metrics } from "./metrics.js";
import { createRpcMetricsInterceptor } from "./rpc-metrics.js";
import { buildServer } from "./server.js";
import type { ConnectServer, ConnectTuning, ServerAddress } from "./server.js";
import { Lifecycle } from "./shutdown.js";
import type { ShutdownReport, SignalSource } from "./shutdown.js";
import { createServerTracingInterceptor } from "./tracing-interceptors.js";
import { setupTracing } from "./tracing.js";
import type { Tracing } from "./tracing.js";

/** `gateway` → `SPREADOPS_GATEWAY_`: the prefix of a service's env vars. */
export function envPrefix(service: string): string {
  return `SPREADOPS_${service.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_`;
}

/**
 * The options every service has (port, host, log level and format, drain time, OTLP endpoint),
 * with env vars named after the service: `commonOptions("gateway").port` is
 * `SPREADOPS_GATEWAY_PORT` / `--port`. Spread it into the service's own options.
 */
export function commonOptions(service: string) {
  const prefix = envPrefix(service);
  return {
    port: option({
      type: z.number().int().min(0).max(65535),
      env: `${prefix}PORT`,
      flag: "--port",
      default: 8080,
      description: "Port for RPCs, /metrics, /healthz and /readyz (HTTP/1.1 and h2c on the same port).",
    }),
    host: option({
      type: z.string().min(1),
      env: `${prefix}HOST`,
      flag: "--host",
      default: "0.0.0.0",
      description: "Address to listen on.",
    }),
    logLevel: option({
      type: z.enum(LOG_LEVELS),
      env: `${prefix}LOG_LEVEL`,
      flag: "--log-level",
      default: "info",
      description: "Lowest level of log lines written.",
    }),
    logFormat: option({
      type: z.enum(LOG_FORMATS),
      env: `${prefix}LOG_FORMAT`,
      flag: "--log-format",
      default: "auto",
      description: "json, pretty, or auto (pretty when stdout is a terminal).",
    }),
    drainTimeout: option({
      type: duration(),
      env: `${prefix}DRAIN_TIMEOUT`,
      flag: "--drain-timeout",
      default: "10s",
      description: "At shutdown, how long in-flight calls may take before they are aborted.",
    }),
    otlpEndpoint: option({
      type: z.url().optional(),
      env: "OTEL_EXPORTER_OTLP_ENDPOINT",
      flag: "--otlp-endpoint",
      description: "OTLP/HTTP endpoint for traces, e.g. http://otel-collector:4318. Unset: no export.",
    }),
  } satisfies Record<string, OptionSpec>;
}

/** The options {@link serviceMain} relies on. */
export type CommonOptions = ReturnType<typeof commonOptions>;

/** Exit codes of a service process (sysexits.h values, like the `spreadops` CLI's). */
export const ServiceExitCode = {
  ok: 0,
  /** Starting failed, or something failed to close at shutdown. */
  failure: 1,
  /** Bad configuration: a bad value, a missing option, an unknown flag. */
  config: 78,
} as const;

/**
 * What a service sees of the process. Its first four members match the CLI's `CommandIo`, so a
 * `spreadops <service>` sub-command can pass its io straight through.
 */
export interface ServiceIO {
  /** Arguments after the script (or sub-command), e.g. `process.argv.slice(2)`. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Receives help text and, one line per call, the JSON log. */
  readonly stdout: (text: string) => void;
  /** Receives configuration errors. */
  readonly stderr: (text: string) => void;
  /** Whether stdout is a terminal (for `--log-format auto`); default false. */
  readonly stdoutIsTty?: boolean;
  /** Where SIGTERM/SIGINT come from; omit to not handle signals. */
  readonly signals?: SignalSource;
}

/** {@link ServiceIO} plus the way to end the process, for {@link serviceMain}. */
export interface ProcessIO extends ServiceIO {
  readonly exit: (code: number) => void;
  /**
   * Tracing already set up by a host that runs several services in one process (the
   * all-in-one): OpenTelemetry's provider is process-global, so the hosted services share the
   * host's instead of each registering one. The host shuts it down, not the hosted service.
   */
  readonly tracing?: Tracing;
}

/** The real process: argv, env, stdio, signals and `process.exit`. For a service's main only. */
export function processIO(): ProcessIO {
  return {
    argv: process.argv.slice(2),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdoutIsTty: process.stdout.isTTY,
    signals: process,
    exit: (code) => process.exit(code),
  };
}

/** Options for {@link defaultServerInterceptors}. */
export interface DefaultInterceptorOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracing?: Pick<Tracing, "tracer">;
}

/**
 * The server interceptors every service runs, outermost first: tracing (the span covers
 * everything), RPC metrics (sees the codes clients see), error mapping (turns what handlers and
 * inner interceptors throw into Connect codes). Put a service's own interceptors after these.
 */
export function defaultServerInterceptors(options: DefaultInterceptorOptions): Interceptor[] {
  return [
    createServerTracingInterceptor(options.tracing === undefined ? {} : { tracer: options.tracing.tracer }),
    createRpcMetricsInterceptor(options.metrics),
    createErrorInterceptor({ logger: options.logger }),
  ];
}

/** What a service's start function gets: its config and the shared facilities. */
export interface ServiceContext<C> {
  readonly config: C;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  /** Register what must be closed at shutdown (connections, loops); the server is added last. */
  readonly lifecycle: Lifecycle;
  readonly tracing: Tracing;
}

/** What a service's start function returns: what the server should serve. */
export interface ServiceParts {
  readonly routes: (router: ConnectRouter) => void;
  /** Run inside the default interceptors. */
  readonly interceptors?: readonly Interceptor[];
  readonly connect?: ConnectTuning;
  readonly http?: Readonly<Record<string, HttpHandler>>;
  /** Serves every path that is neither an RPC nor in `http`; default 404. */
  readonly httpFallback?: HttpHandler;
}

/** A service, as {@link serviceMain} runs it. */
export interface ServiceDefinition<O extends CommonOptions> {
  /** Short name, e.g. `gateway`: the `service` of logs, metrics and traces. */
  readonly name: string;
  readonly version?: string;
  /** Shown by `--help`. */
  readonly summary?: string;
  /** `{ ...commonOptions(name), ...ownOptions }`. */
  readonly options: O;
  /** Builds the service's collaborators and returns its routes. */
  start(context: ServiceContext<ConfigOf<O>>): ServiceParts | Promise<ServiceParts>;
}

/** A started service, for tests and for mains that need to do more. */
export interface RunningService<C> extends ServiceContext<C> {
  readonly server: ConnectServer;
  readonly address: ServerAddress;
  /** Same as receiving SIGTERM, minus the exit. */
  stop(): Promise<ShutdownReport>;
}

/**
 * A service's whole main: config (or `--help`) → logger → tracing → metrics → the service's own
 * start → server with the default interceptors → listen, with shutdown on SIGTERM/SIGINT.
 * Calls `io.exit` with 0 after help, 78 on bad configuration, 1 when starting fails, and after a
 * signal-triggered shutdown (see {@link Lifecycle.handleSignals}); returns the running service,
 * or undefined when it exited during start.
 */
export async function serviceMain<O extends CommonOptions>(
  definition: ServiceDefinition<O>,
  io: ProcessIO,
): Promise<RunningService<ConfigOf<O>> | undefined> {
  const program = `spreadops-${definition.name}`;
  if (helpRequested(io.argv)) {
    io.stdout(renderHelp(definition.options, { program, ...(definition.summary === undefined ? {} : { summary: definition.summary }) }));
    io.exit(ServiceExitCode.ok);
    return undefined;
  }

  let config: ConfigOf<O>;
  try {
    config = parseConfig(definition.options, io);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${program}: ${error.message}\nRun with --help to see every option.\n`);
    io.exit(ServiceExitCode.config);
    return undefined;
  }
  // ConfigOf<O> is indexed through O; the common keys are known to exist because O extends them.
  const common = config as ConfigOf<CommonOptions>;

  const logger = createLogger({
    service: definition.name,
    level: common.logLevel,
    pretty: shouldPrettyPrint(common.logFormat, io.stdoutIsTty ?? false),
    colorize: io.stdoutIsTty ?? false,
    destination: { write: io.stdout },
  });
  logger.info({ version: definition.version, config: describeConfig(definition.options, config) }, "starting");

  const lifecycle = new Lifecycle({ logger, exit: io.exit });
  if (io.signals !== undefined) lifecycle.handleSignals(io.signals);

  const fail = async (what: string, error: unknown): Promise<undefined> => {
    logger.fatal({ err: error }, what);
    await lifecycle.shutdown(what);
    io.exit(ServiceExitCode.failure);
    return undefined;
  };

  let tracing: Tracing;
  if (io.tracing !== undefined) {
    tracing = io.tracing;
  } else {
    try {
      tracing = setupTracing({
        serviceName: definition.name,
        ...(definition.version === undefined ? {} : { serviceVersion: definition.version }),
        ...(common.otlpEndpoint === undefined ? {} : { endpoint: common.otlpEndpoint }),
        env: io.env,
        logger,
      });
    } catch (error) {
      return fail("setting up tracing failed", error);
    }
    const own = tracing;
    lifecycle.register("tracing", () => own.shutdown());
  }
  if (tracing.exportUrl !== undefined) logger.info({ url: tracing.exportUrl }, "exporting traces");

  const metrics = createMetrics({ service: definition.name });
  const readiness = new Readiness();
  const context: ServiceContext<ConfigOf<O>> = { config, logger, metrics, readiness, lifecycle, tracing };

  let parts: ServiceParts;
  try {
    parts = await definition.start(context);
  } catch (error) {
    return fail("starting the service failed", error);
  }

  const server = buildServer({
    routes: parts.routes,
    interceptors: [...defaultServerInterceptors({ logger, metrics, tracing }), ...(parts.interceptors ?? [])],
    logger,
    metrics,
    readiness,
    ...(parts.connect === undefined ? {} : { connect: parts.connect }),
    ...(parts.http === undefined ? {} : { http: parts.http }),
    ...(parts.httpFallback === undefined ? {} : { httpFallback: parts.httpFallback }),
  });
  lifecycle.register("server", () => server.close({ drainTimeoutMs: common.drainTimeout }), {
    timeoutMs: common.drainTimeout + 5_000,
  });

  let address: ServerAddress;
  try {
    address = await server.listen(common.port, common.host);
  } catch (error) {
    return fail("listening failed", error);
  }
  return { ...context, server, address, stop: () => lifecycle.shutdown("stop") };
}

/**
 * {@link serviceMain} for callers that want the exit code instead of having the process ended,
 * such as a `spreadops <service>` sub-command (`run: (io) => runService(gateway, { ...io, signals:
 * process })`). Resolves when the service would exit: at once for help, bad config or a failed
 * start, after shutdown otherwise.
 */
export function runService<O extends CommonOptions>(
  definition: ServiceDefinition<O>,
  io: ServiceIO,
  onStarted?: (service: RunningService<ConfigOf<O>>) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    serviceMain(definition, { ...io, exit: resolve }).then((running) => {
      if (running !== undefined) onStarted?.(running);
    }, reject);
  });
}
