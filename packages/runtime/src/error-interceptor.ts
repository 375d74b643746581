import { Code } from "@connectrpc/connect";
import type { ConnectError, Interceptor, StreamRequest, UnaryRequest } from "@connectrpc/connect";
import { codeToString } from "@connectrpc/connect/protocol-connect";
import { trace } from "@opentelemetry/api";
import { DomainError, toConnectError } from "./errors.js";
import type { Logger } from "./logger.js";

/** Options for {@link createErrorInterceptor}. */
export interface ErrorInterceptorOptions {
  readonly logger: Logger;
}

type Level = "error" | "warn" | "info" | "debug";

function levelFor(code: Code, unexpected: boolean): Level {
  if (unexpected) return "error";
  switch (code) {
    case Code.Internal:
    case Code.Unknown:
    case Code.DataLoss:
      return "error";
    case Code.Unavailable:
    case Code.DeadlineExceeded:
    case Code.Unimplemented:
    case Code.ResourceExhausted:
      return "warn";
    case Code.Canceled:
      return "debug";
    default:
      return "info";
  }
}

async function* mapStreamErrors<T>(source: AsyncIterable<T>, map: (error: unknown) => ConnectError): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    throw map(error);
  }
}

/**
 * Server interceptor that makes every service fail the same way: DomainErrors become their kind's
 * code, ConnectErrors pass through, anything else becomes `Internal` with a generic message so
 * internals never reach clients. Each failure is logged once with the method, code, message and
 * trace id; unexpected errors with their cause and stack. Works for streaming responses too.
 */
export function createErrorInterceptor(options: ErrorInterceptorOptions): Interceptor {
  const { logger } = options;

  function handle(req: UnaryRequest | StreamRequest, thrown: unknown): ConnectError {
    const { error, unexpected } = toConnectError(thrown);
    const spanContext = trace.getActiveSpan()?.spanContext();
    // The underlying error, if any: what was thrown when it was unexpected, else what the
    // domain or Connect error was built around (a DomainError is its ConnectError's cause).
    const cause: unknown = unexpected ? thrown : thrown instanceof DomainError ? thrown.cause : error.cause;
    const fields = {
      rpc: `${req.service.typeName}/${req.method.name}`,
      code: codeToString(error.code),
      ...(spanContext === undefined ? {} : { traceId: spanContext.traceId }),
      ...(cause === undefined ? {} : { err: cause }),
    };
    const level = levelFor(error.code, unexpected);
    logger[level](fields, unexpected ? `rpc failed unexpectedly: ${describe(thrown)}` : `rpc failed: ${error.rawMessage}`);
    return error;
  }

  return (next) => async (req) => {
    try {
      const res = await next(req);
      if (!res.stream) return res;
      return { ...res, message: mapStreamErrors(res.message, (error) => handle(req, error)) };
    } catch (error) {
      throw handle(req, error);
    }
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
