import { DiagLogLevel, ProxyTracerProvider, context, diag, propagation, trace } from "@opentelemetry/api";
import type { DiagLogger, Tracer } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { Sampler, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import type { Logger } from "./logger.js";

/** Name under which the runtime's own spans are created. */
export const TRACER_NAME = "@spreadops/runtime";

/** Options for {@link setupTracing}. */
export interface TracingOptions {
  /** `service.name` of every span, e.g. `spreadops-gateway`. */
  readonly serviceName: string;
  readonly serviceVersion?: string;
  /**
   * OTLP/HTTP base endpoint, e.g. `http://otel-collector:4318` (`/v1/traces` is appended). When
   * absent, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (full URL) or `OTEL_EXPORTER_OTLP_ENDPOINT`
   * (base) from `env` are used; with none of them, nothing is exported and nothing is sent.
   */
  readonly endpoint?: string;
  /** Environment to read the OTLP variables from; pass `process.env` in main. Default: none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** More span processors, e.g. a SimpleSpanProcessor over an InMemorySpanExporter in tests. */
  readonly spanProcessors?: readonly SpanProcessor[];
  readonly sampler?: Sampler;
  /** Receives OpenTelemetry's own warnings and errors (a failing exporter, for one). */
  readonly logger?: Logger;
}

/** What {@link setupTracing} set up. */
export interface Tracing {
  readonly provider: NodeTracerProvider;
  /** A tracer for the service's own spans. */
  readonly tracer: Tracer;
  /** The OTLP traces URL spans go to, or undefined when nothing is exported. */
  readonly exportUrl: string | undefined;
  /** Flushes pending spans, stops the provider and unregisters it, so tracing can be set up again. */
  shutdown(): Promise<void>;
}

/** Resolves where spans go from the explicit endpoint or the standard OTLP env variables. */
export function resolveTraceExportUrl(
  endpoint: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const base = (url: string): string => `${url.replace(/\/+$/, "")}/v1/traces`;
  if (endpoint !== undefined && endpoint !== "") return base(endpoint);
  const full = env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"];
  if (full !== undefined && full !== "") return full;
  const general = env["OTEL_EXPORTER_OTLP_ENDPOINT"];
  if (general !== undefined && general !== "") return base(general);
  return undefined;
}

function diagLogger(logger: Logger): DiagLogger {
  const log = logger.child({ component: "opentelemetry" });
  return {
    error: (message, ...args) => {
      log.error({ args }, message);
    },
    warn: (message, ...args) => {
      log.warn({ args }, message);
    },
    info: (message, ...args) => {
      log.info({ args }, message);
    },
    debug: (message, ...args) => {
      log.debug({ args }, message);
    },
    verbose: (message, ...args) => {
      log.trace({ args }, message);
    },
  };
}

/**
 * Sets up OpenTelemetry tracing for the process, once: a NodeTracerProvider with the service's
 * resource, the W3C trace-context propagator and the async-hooks context manager, registered as
 * the global provider. Spans are exported over OTLP (protobuf over HTTP) only when an endpoint is
 * configured.
 *
 * @throws Error when tracing is already set up in this process (call the returned shutdown first).
 */
export function setupTracing(options: TracingOptions): Tracing {
  const exportUrl = resolveTraceExportUrl(options.endpoint, options.env ?? {});
  const spanProcessors: SpanProcessor[] = [...(options.spanProcessors ?? [])];
  if (exportUrl !== undefined) {
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: exportUrl })));
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      ...(options.serviceVersion === undefined ? {} : { [ATTR_SERVICE_VERSION]: options.serviceVersion }),
    }),
    spanProcessors,
    ...(options.sampler === undefined ? {} : { sampler: options.sampler }),
  });
  if (options.logger !== undefined) diag.setLogger(diagLogger(options.logger), DiagLogLevel.WARN);
  provider.register({ propagator: new W3CTraceContextPropagator() });
  // The API refuses a second global provider quietly (a diag message); make it loud instead.
  const global = trace.getTracerProvider();
  const registered = global instanceof ProxyTracerProvider ? global.getDelegate() === provider : global === provider;
  if (!registered) {
    void provider.shutdown();
    throw new Error("tracing is already set up in this process; call the first setup's shutdown() before setting it up again");
  }

  let stopped: Promise<void> | undefined;
  return {
    provider,
    tracer: provider.getTracer(TRACER_NAME),
    exportUrl,
    shutdown(): Promise<void> {
      stopped ??= provider.shutdown().finally(() => {
        trace.disable();
        context.disable();
        propagation.disable();
        if (options.logger !== undefined) diag.disable();
      });
      return stopped;
    },
  };
}
