import { Code, ConnectError } from "@connectrpc/connect";
import { ActivitySeverity, ActivitySource } from "@spreadops/api";
import type { CancelTimer, Clock, Logger } from "@spreadops/runtime";
import type { ActivityFeed } from "./activity-feed.js";
import type { ConsoleMetrics } from "./console-metrics.js";

/** A service the console calls: its short name (for messages and metrics) and base URL. */
export interface Upstream {
  /** "gateway", "strategy" or "execution". */
  readonly name: string;
  readonly url: string;
}

/** What an upstream's reachability is, as far as the console knows. */
export type UpstreamState = "unknown" | "up" | "down";

/** Node's codes for a connection that could not be made or was cut. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EHOSTDOWN",
  "ERR_HTTP2_SESSION_ERROR", "ERR_HTTP2_GOAWAY_SESSION", "ERR_HTTP2_STREAM_CANCEL", "ERR_HTTP2_ERROR", "ERR_HTTP2_INVALID_SESSION",
  "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_SOCKET",
]);

function causeCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/**
 * True when the call never reached the service (connection refused, reset, DNS), as opposed to
 * the service answering with an error: a gateway that answers Unavailable because TWS is down is
 * reachable, and its own message is what the browser should see.
 */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof ConnectError) || error.code !== Code.Unavailable) return false;
  return causeCodes(error.cause).some((code) => CONNECTION_CODES.has(code));
}

/**
 * What the browser sees when a call to an upstream fails: the upstream's own code, message and
 * details when it answered (its response metadata is not passed on), Unavailable naming the
 * service and URL when it could not be reached ("gateway unreachable at http://…: connect
 * ECONNREFUSED …").
 */
export function upstreamError(upstream: Upstream, error: unknown): ConnectError {
  const connectError = ConnectError.from(error);
  if (isUnreachable(connectError)) {
    return new ConnectError(`${upstream.name} unreachable at ${upstream.url}: ${connectError.rawMessage}`, Code.Unavailable, undefined, undefined, connectError);
  }
  const relayed = new ConnectError(connectError.rawMessage, connectError.code, undefined, undefined, connectError);
  // Details arrive still encoded (IncomingDetail); they are sent on as they came.
  relayed.details = [...connectError.details];
  return relayed;
}

/** Options for {@link UpstreamMonitor}. */
export interface UpstreamMonitorOptions {
  readonly upstreams: readonly Upstream[];
  readonly clock: Pick<Clock, "setTimer">;
  readonly logger: Logger;
  readonly activity: Pick<ActivityFeed, "add">;
  readonly metrics: Pick<ConsoleMetrics, "upstreamUp">;
  /** How often each upstream's /healthz is fetched; default 15 s. */
  readonly probeIntervalMs?: number;
  /** How long one probe may take; default 3 s. */
  readonly probeTimeoutMs?: number;
  /** Default the global fetch. */
  readonly fetch?: typeof fetch;
}

/**
 * Which upstreams answer, from two sources: every call the console makes (a connection failure
 * marks the service down, any answer marks it up) and a probe of each service's `/healthz`
 * every 15 s, so the feed reports a service going away even while nobody calls it. A change is
 * one log line, a SYSTEM activity entry (warning when down) and the `console_upstream_up` gauge.
 * Never part of readiness: the console serves (stale or partial data) while services are down.
 */
export class UpstreamMonitor {
  readonly #options: UpstreamMonitorOptions;
  readonly #states = new Map<string, UpstreamState>();
  readonly #byName = new Map<string, Upstream>();
  readonly #probeIntervalMs: number;
  readonly #probeTimeoutMs: number;
  #timer: CancelTimer | undefined;
  #abort: AbortController | undefined;

  constructor(options: UpstreamMonitorOptions) {
    this.#options = options;
    this.#probeIntervalMs = options.probeIntervalMs ?? 15_000;
    this.#probeTimeoutMs = options.probeTimeoutMs ?? 3_000;
    for (const upstream of options.upstreams) {
      this.#byName.set(upstream.name, upstream);
      this.#states.set(upstream.name, "unknown");
    }
  }

  /** What is known of `name`. */
  state(name: string): UpstreamState {
    return this.#states.get(name) ?? "unknown";
  }

  /** The service answered (with anything, even an error of its own). */
  reachable(name: string): void {
    this.#set(name, "up");
  }

  /** A call to the service failed; only a connection failure marks it down. */
  observe(name: string, error: unknown): void {
    if (isUnreachable(error)) this.#set(name, "down", ConnectError.from(error).rawMessage);
    else if (error instanceof ConnectError && error.code !== Code.Canceled) this.#set(name, "up");
  }

  /** Starts probing every upstream now and then every interval. */
  start(): void {
    if (this.#abort !== undefined) return;
    this.#abort = new AbortController();
    void this.#probeAll(this.#abort.signal);
  }

  stop(): void {
    this.#abort?.abort();
    this.#abort = undefined;
    this.#timer?.();
    this.#timer = undefined;
  }

  async #probeAll(signal: AbortSignal): Promise<void> {
    await Promise.all([...this.#byName.values()].map((upstream) => this.#probe(upstream, signal)));
    if (signal.aborted) return;
    this.#timer = this.#options.clock.setTimer(this.#probeIntervalMs, () => {
      this.#timer = undefined;
      if (!signal.aborted) void this.#probeAll(signal);
    });
  }

  async #probe(upstream: Upstream, signal: AbortSignal): Promise<void> {
    const fetchFn = this.#options.fetch ?? fetch;
    try {
      const response = await fetchFn(new URL("/healthz", upstream.url), { signal: AbortSignal.any([signal, AbortSignal.timeout(this.#probeTimeoutMs)]) });
      await response.body?.cancel();
      if (signal.aborted) return;
      // Any HTTP answer means the service is there; /healthz only fails when the process is gone.
      this.#set(upstream.name, "up");
    } catch (error) {
      if (signal.aborted) return;
      this.#set(upstream.name, "down", describeFetchError(error));
    }
  }

  #set(name: string, next: "up" | "down", detail?: string): void {
    const upstream = this.#byName.get(name);
    if (upstream === undefined) return;
    const previous = this.#states.get(name) ?? "unknown";
    if (previous === next) return;
    this.#states.set(name, next);
    this.#options.metrics.upstreamUp(name, next === "up");
    const { logger, activity } = this.#options;
    if (next === "down") {
      const message = `${name} unreachable at ${upstream.url}${detail === undefined ? "" : `: ${detail}`}`;
      logger.warn({ upstream: name, url: upstream.url, detail }, message);
      activity.add({ source: ActivitySource.SYSTEM, severity: ActivitySeverity.WARNING, reason: "ServiceUnreachable", message });
    } else if (previous === "down") {
      const message = `${name} reachable again at ${upstream.url}`;
      logger.info({ upstream: name, url: upstream.url }, message);
      activity.add({ source: ActivitySource.SYSTEM, reason: "ServiceReachable", message });
    } else {
      logger.debug({ upstream: name, url: upstream.url }, `${name} reachable`);
    }
  }
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError") return "no answer to /healthz in time";
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message !== "") return cause.message;
  return error.message;
}
