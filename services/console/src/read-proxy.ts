import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { CallOptions, Client, ConnectRouter, HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { ExecutionService, GatewayService, StrategyService } from "@spreadops/api";
import type { ConsoleMetrics } from "./console-metrics.js";
import type { Upstream, UpstreamMonitor } from "./upstreams.js";
import { upstreamError } from "./upstreams.js";

/**
 * The only upstream methods the browser may call through the console, by proto name. All of
 * them read; nothing that places, modifies, cancels or closes an order is here, and a method
 * added to a service later stays unreachable until it is listed. Everything that changes state
 * goes through ConsoleService, which checks the token and records who did it.
 */
export const READ_ALLOWLIST = {
  gateway: { service: GatewayService, methods: ["GetConnectionStatus", "WatchConnectionStatus", "GetPacingStats", "WatchPacingStats"] },
  strategy: { service: StrategyService, methods: ["WatchEvaluations", "ValidateStrategy"] },
  execution: { service: ExecutionService, methods: ["ListSpreads", "GetSpread", "StreamSpreadEvents"] },
} as const;

/** Longest a proxied unary call may take when the browser sets no deadline. */
const DEFAULT_UNARY_TIMEOUT_MS = 30_000;

/** Options for {@link registerReadProxy}. */
export interface ReadProxyOptions<S extends DescService> {
  readonly service: S;
  readonly client: Client<S>;
  /** Proto method names to forward; every other method of the service answers Unimplemented. */
  readonly methods: readonly string[];
  readonly upstream: Upstream;
  readonly monitor: Pick<UpstreamMonitor, "reachable" | "observe">;
  readonly metrics: Pick<ConsoleMetrics, "streamOpened">;
  /** Aborts when the console shuts down: open upstream calls end at once instead of holding the drain. */
  readonly stopping?: AbortSignal;
}

type UnaryCall = (request: unknown, options?: CallOptions) => Promise<unknown>;
type StreamCall = (request: unknown, options?: CallOptions) => AsyncIterable<unknown>;
type AnyImpl = (request: unknown, context: HandlerContext) => unknown;

/** The upstream call's options: the browser's cancellation and deadline carry over, and the console's shutdown. */
function callOptions(context: HandlerContext, stopping: AbortSignal | undefined, defaultTimeoutMs?: number): CallOptions {
  const timeoutMs = context.timeoutMs() ?? defaultTimeoutMs;
  const signal = stopping === undefined ? context.signal : AbortSignal.any([context.signal, stopping]);
  return { signal, ...(timeoutMs === undefined ? {} : { timeoutMs }) };
}

/** What the browser sees of a failed upstream call. */
function failure(options: ReadProxyOptions<DescService>, error: unknown): ConnectError {
  if (options.stopping?.aborted === true) return new ConnectError("the console is shutting down; reconnect", Code.Unavailable);
  options.monitor.observe(options.upstream.name, error);
  return upstreamError(options.upstream, error);
}

function forwardUnary(call: UnaryCall, options: ReadProxyOptions<DescService>): AnyImpl {
  const { upstream, monitor } = options;
  return async (request, context) => {
    try {
      const response = await call(request, callOptions(context, options.stopping, DEFAULT_UNARY_TIMEOUT_MS));
      monitor.reachable(upstream.name);
      return response;
    } catch (error) {
      throw failure(options, error);
    }
  };
}

function forwardStream(call: StreamCall, method: DescMethod, options: ReadProxyOptions<DescService>): AnyImpl {
  const { upstream, monitor, metrics } = options;
  const stream = `${method.parent.name}.${method.name}`;
  return async function* (request, context) {
    const closed = metrics.streamOpened(stream);
    try {
      let first = true;
      // The context's signal aborts when the browser goes away, which cancels the upstream call.
      for await (const message of call(request, callOptions(context, options.stopping))) {
        if (first) {
          first = false;
          monitor.reachable(upstream.name);
        }
        yield message;
      }
    } catch (error) {
      if (context.signal.aborted) return;
      throw failure(options, error);
    } finally {
      closed();
    }
  };
}

/**
 * The console's handlers for one upstream service: each allowlisted method forwards to the
 * upstream client (unary awaited, server streams relayed message by message), every other
 * method is left out so the router answers Unimplemented. Errors keep the upstream's code; a
 * service that cannot be reached is Unavailable naming it.
 * @throws Error when a listed method does not exist on the service (a rename in the proto), or is
 *   a client or bidirectional stream, which the browser cannot use over HTTP/1.1.
 */
export function readProxyImpl<S extends DescService>(options: ReadProxyOptions<S>): Partial<ServiceImpl<S>> {
  const generic = options as unknown as ReadProxyOptions<DescService>;
  const client = options.client as unknown as Record<string, UnaryCall & StreamCall>;
  const impl: Record<string, AnyImpl> = {};
  for (const name of options.methods) {
    const method = options.service.methods.find((m) => m.name === name);
    if (method === undefined) throw new Error(`${options.service.typeName} has no method ${name} to forward`);
    const call = client[method.localName];
    if (call === undefined) throw new Error(`the ${options.upstream.name} client has no ${method.localName}`);
    if (method.methodKind === "unary") impl[method.localName] = forwardUnary(call, generic);
    else if (method.methodKind === "server_streaming") impl[method.localName] = forwardStream(call, method, generic);
    else throw new Error(`${options.service.typeName}.${name} is a ${method.methodKind} method: only unary and server streaming calls can be forwarded`);
  }
  return impl as Partial<ServiceImpl<S>>;
}

/** Registers {@link readProxyImpl} of one upstream service on the console's router. */
export function registerReadProxy<S extends DescService>(router: ConnectRouter, options: ReadProxyOptions<S>): void {
  router.service(options.service, readProxyImpl(options));
}
