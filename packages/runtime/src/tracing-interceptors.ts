import { Code, ConnectError } from "@connectrpc/connect";
import type { Interceptor, StreamRequest, UnaryRequest } from "@connectrpc/connect";
import { codeToString } from "@connectrpc/connect/protocol-connect";
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from "@opentelemetry/api";
import type { Attributes, Context, Span, TextMapGetter, TextMapPropagator, TextMapSetter, Tracer } from "@opentelemetry/api";
import { TRACER_NAME } from "./tracing.js";

/** Attribute names recorded on RPC spans. */
export const RPC_ATTRIBUTES = {
  system: "rpc.system",
  service: "rpc.service",
  method: "rpc.method",
  errorCode: "rpc.connect_rpc.error_code",
} as const;

/** Options for the tracing interceptors; both default to the globals set up by `setupTracing`. */
export interface TracingInterceptorOptions {
  readonly tracer?: Tracer;
  readonly propagator?: TextMapPropagator;
}

const headerGetter: TextMapGetter<Headers> = {
  get: (carrier, key) => carrier.get(key) ?? undefined,
  keys: (carrier) => [...carrier.keys()],
};

const headerSetter: TextMapSetter<Headers> = {
  set: (carrier, key, value) => {
    carrier.set(key, value);
  },
};

function attributesOf(req: UnaryRequest | StreamRequest): Attributes {
  return {
    [RPC_ATTRIBUTES.system]: "connect_rpc",
    [RPC_ATTRIBUTES.service]: req.service.typeName,
    [RPC_ATTRIBUTES.method]: req.method.name,
  };
}

// On the server only codes that mean "we failed" mark the span as an error (OpenTelemetry's RPC
// conventions); a client's bad argument is not the server's fault. Clients mark every failure.
const SERVER_FAULT_CODES = new Set<Code>([
  Code.Unknown,
  Code.DeadlineExceeded,
  Code.Unimplemented,
  Code.Internal,
  Code.Unavailable,
  Code.DataLoss,
]);

function finish(span: Span, kind: SpanKind, error: unknown): void {
  if (error === undefined) {
    span.end();
    return;
  }
  const connectError = ConnectError.from(error);
  span.setAttribute(RPC_ATTRIBUTES.errorCode, codeToString(connectError.code));
  if (kind === SpanKind.CLIENT || SERVER_FAULT_CODES.has(connectError.code)) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: connectError.rawMessage });
  }
  span.end();
}

/**
 * Re-yields a stream inside the span's context (so work done while producing each message is
 * attributed to the span) and ends the span when the stream ends, fails or is abandoned.
 */
async function* traceStream<T>(source: AsyncIterable<T>, span: Span, kind: SpanKind, ctx: Context): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      const result = await context.with(ctx, () => iterator.next());
      if (result.done === true) break;
      yield result.value;
    }
    done = true;
    finish(span, kind, undefined);
  } catch (error) {
    done = true;
    finish(span, kind, error);
    throw error;
  } finally {
    if (!done) {
      // The consumer stopped early: pass that on, and count it as a cancellation.
      finish(span, kind, new ConnectError("stream abandoned", Code.Canceled));
      await iterator.return?.();
    }
  }
}

function traced(
  tracer: Tracer,
  kind: SpanKind,
  parent: Context,
  req: UnaryRequest | StreamRequest,
  call: (ctx: Context) => ReturnType<Parameters<Interceptor>[0]>,
): ReturnType<Parameters<Interceptor>[0]> {
  const span = tracer.startSpan(
    `${req.service.typeName}/${req.method.name}`,
    { kind, attributes: attributesOf(req) },
    parent,
  );
  const ctx = trace.setSpan(parent, span);
  return context.with(ctx, () => call(ctx)).then(
    (res) => {
      if (!res.stream) {
        finish(span, kind, undefined);
        return res;
      }
      return { ...res, message: traceStream(res.message, span, kind, ctx) };
    },
    (error: unknown) => {
      finish(span, kind, error);
      throw error;
    },
  );
}

/**
 * Client interceptor: starts a client span under the active context and injects its
 * `traceparent` into the request headers, so the server's span joins the same trace.
 */
export function createClientTracingInterceptor(options: TracingInterceptorOptions = {}): Interceptor {
  const tracer = options.tracer ?? trace.getTracer(TRACER_NAME);
  const propagator = options.propagator ?? propagation;
  return (next) => (req) =>
    traced(tracer, SpanKind.CLIENT, context.active(), req, (ctx) => {
      propagator.inject(ctx, req.header, headerSetter);
      return next(req);
    });
}

/**
 * Server interceptor: extracts the caller's trace context from the request headers and runs the
 * call inside a server span that is its child; the span records rpc.system/service/method and,
 * on failure, the Connect code.
 */
export function createServerTracingInterceptor(options: TracingInterceptorOptions = {}): Interceptor {
  const tracer = options.tracer ?? trace.getTracer(TRACER_NAME);
  const propagator = options.propagator ?? propagation;
  return (next) => (req) => {
    const parent = propagator.extract(ROOT_CONTEXT, req.header, headerGetter);
    return traced(tracer, SpanKind.SERVER, parent, req, () => next(req));
  };
}
