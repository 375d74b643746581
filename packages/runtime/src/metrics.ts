import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { HttpHandler } from "./http-handler.js";

/** Every SpreadOps metric name starts with this. */
export const METRIC_PREFIX = "spreadops_";

const NAME_RE = /^[a-z][a-z0-9_]*$/;
const LABEL_RE = /^[a-z_][a-z0-9_]*$/;

/** What every metric helper takes. */
export interface MetricOptions<L extends string> {
  /** snake_case; `spreadops_` is prepended when missing. */
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
  /**
   * Runs at every scrape, before the metric is read: for values kept elsewhere (a pool's size, a
   * total owned by another component). Asking again for an existing metric with a `collect`
   * replaces its callback: the latest source wins (a component rebuilt on the same registry).
   */
  readonly collect?: () => void | Promise<void>;
}

/** Options for {@link Metrics.histogram}. */
export interface HistogramOptions<L extends string> extends MetricOptions<L> {
  /** Bucket upper bounds; prom-client's defaults (seconds) when omitted. */
  readonly buckets?: readonly number[];
}

/**
 * A service's metrics: its own prom-client registry (never the global one, so tests and several
 * services in one process do not collide) and helpers that enforce the naming convention.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly service: string;
  /** A counter; its name must end in `_total`. Asking twice for one name returns the same counter. */
  counter<L extends string = string>(options: MetricOptions<L>): Counter<L>;
  gauge<L extends string = string>(options: MetricOptions<L>): Gauge<L>;
  histogram<L extends string = string>(options: HistogramOptions<L>): Histogram<L>;
}

/** Options for {@link createMetrics}. */
export interface MetricsOptions {
  /** Value of the service label on every series. */
  readonly service: string;
  /** Name of that label; default `service`. */
  readonly serviceLabel?: string;
  /** Node process metrics (CPU, memory, event loop, GC); default true. */
  readonly defaultMetrics?: boolean;
}

/**
 * Normalises a metric name to the convention: snake_case with the `spreadops_` prefix.
 * @throws Error when the name cannot be made to fit.
 */
export function metricName(name: string): string {
  const full = name.startsWith(METRIC_PREFIX) ? name : `${METRIC_PREFIX}${name}`;
  if (!NAME_RE.test(full)) throw new Error(`metric name ${full} must be snake_case ([a-z0-9_])`);
  return full;
}

/** Creates a service's metrics registry with the service label on every series. */
export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  const serviceLabel = options.serviceLabel ?? "service";
  registry.setDefaultLabels({ [serviceLabel]: options.service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  function prepare(options: MetricOptions<string>): { name: string; labelNames: string[] } {
    const name = metricName(options.name);
    const labelNames = [...(options.labelNames ?? [])];
    for (const label of labelNames) {
      if (!LABEL_RE.test(label) || label.startsWith("__")) throw new Error(`metric ${name}: bad label name ${label}`);
      if (label === serviceLabel) throw new Error(`metric ${name}: label ${label} is set for every metric already`);
    }
    return { name, labelNames };
  }

  // Interceptors and components may be built more than once per registry (tests, re-wiring);
  // handing back the existing metric beats prom-client's "already registered" error.
  function existing<M>(
    name: string,
    type: abstract new (...args: never[]) => M,
    collect: (() => void | Promise<void>) | undefined,
  ): M | undefined {
    const metric = registry.getSingleMetric(name);
    if (metric === undefined) return undefined;
    if (!(metric instanceof type)) throw new Error(`metric ${name} is already registered with another type`);
    // prom-client keeps the `collect` option as an instance property and calls it on every read.
    if (collect !== undefined) Object.assign(metric, { collect });
    return metric;
  }

  return {
    registry,
    service: options.service,
    counter<L extends string>(opts: MetricOptions<L>): Counter<L> {
      const { name, labelNames } = prepare(opts);
      if (!name.endsWith("_total")) throw new Error(`counter ${name} must end in _total`);
      return (
        (existing(name, Counter, opts.collect) as Counter<L> | undefined) ??
        new Counter<L>({ name, help: opts.help, labelNames: labelNames as L[], registers: [registry], ...collectOf(opts) })
      );
    },
    gauge<L extends string>(opts: MetricOptions<L>): Gauge<L> {
      const { name, labelNames } = prepare(opts);
      return (
        (existing(name, Gauge, opts.collect) as Gauge<L> | undefined) ??
        new Gauge<L>({ name, help: opts.help, labelNames: labelNames as L[], registers: [registry], ...collectOf(opts) })
      );
    },
    histogram<L extends string>(opts: HistogramOptions<L>): Histogram<L> {
      const { name, labelNames } = prepare(opts);
      return (
        (existing(name, Histogram, opts.collect) as Histogram<L> | undefined) ??
        new Histogram<L>({
          name,
          help: opts.help,
          labelNames: labelNames as L[],
          registers: [registry],
          ...collectOf(opts),
          ...(opts.buckets === undefined ? {} : { buckets: [...opts.buckets] }),
        })
      );
    },
  };
}

function collectOf(opts: MetricOptions<string>): { collect?: () => void | Promise<void> } {
  return opts.collect === undefined ? {} : { collect: opts.collect };
}

/** Serves a registry in the Prometheus text format, for `GET /metrics`. */
export function metricsHandler(registry: Registry): HttpHandler {
  return (_req, res) => {
    registry.metrics().then(
      (body) => {
        res.statusCode = 200;
        res.setHeader("content-type", registry.contentType);
        res.end(body);
      },
      (error: unknown) => {
        res.statusCode = 500;
        res.setHeader("content-type", "text/plain; charset=utf-8");
        res.end(`collecting metrics failed: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  };
}
