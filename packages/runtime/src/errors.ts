import { fromJson } from "@bufbuild/protobuf";
import { StructSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";

/**
 * What kind of failure a {@link DomainError} is. Each maps to one Connect code (see
 * {@link codeForKind}), so domain code says what went wrong and never picks transport codes.
 */
export type DomainErrorKind =
  | "invalid_argument"
  | "not_found"
  | "already_exists"
  | "failed_precondition"
  | "resource_exhausted"
  | "unavailable"
  | "permission_denied"
  | "unauthenticated"
  | "aborted"
  | "out_of_range"
  | "deadline_exceeded";

const CODE_FOR_KIND: Readonly<Record<DomainErrorKind, Code>> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  failed_precondition: Code.FailedPrecondition,
  resource_exhausted: Code.ResourceExhausted,
  unavailable: Code.Unavailable,
  permission_denied: Code.PermissionDenied,
  unauthenticated: Code.Unauthenticated,
  aborted: Code.Aborted,
  out_of_range: Code.OutOfRange,
  deadline_exceeded: Code.DeadlineExceeded,
};

/** The Connect code a domain error kind becomes. */
export function codeForKind(kind: DomainErrorKind): Code {
  return CODE_FOR_KIND[kind];
}

/** Error metadata: anything `new Headers(…)` accepts. */
export type ErrorMetadata = ConstructorParameters<typeof Headers>[0];

/** Options for {@link DomainError}. */
export interface DomainErrorOptions {
  /** The underlying error; logged, never sent to clients. */
  readonly cause?: unknown;
  /** Sent to clients as error metadata (response headers/trailers). */
  readonly metadata?: ErrorMetadata;
}

/**
 * The base error for domain code (core, strategies, order logic). Its message is written for the
 * caller and is sent to clients as is; put anything internal in `cause`. The error interceptor
 * turns it into a ConnectError with the code of its kind.
 */
export class DomainError extends Error {
  override readonly name: string = "DomainError";
  readonly kind: DomainErrorKind;
  readonly metadata: ErrorMetadata;

  constructor(kind: DomainErrorKind, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.metadata = options.metadata;
  }

  /** The ConnectError clients see: same message, the kind's code, the cause kept for logs. */
  toConnectError(): ConnectError {
    return new ConnectError(this.message, codeForKind(this.kind), this.metadata, undefined, this);
  }
}

function showGiven(given: unknown): string {
  switch (typeof given) {
    case "undefined":
      return "nothing";
    case "number":
    case "boolean":
      return `${given}`;
    case "bigint":
    case "symbol":
      return given.toString();
    case "function":
      return "a function";
    default:
      break;
  }
  let text: string;
  try {
    // Typed as string, but undefined for an object whose toJSON returns undefined.
    const json = JSON.stringify(given) as unknown;
    text = typeof json === "string" ? json : "an unprintable value";
  } catch {
    text = "an unprintable value";
  }
  // A client echoing a huge payload should not get it all back in the error.
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/**
 * `InvalidArgument` naming the field, the expected form and the value given, e.g.
 * `invalid width: expected a positive multiple of the strike increment, got -5`. The three parts
 * are also attached as a `google.protobuf.Struct` detail (`field`, `expected`, `given`) for
 * clients that want them separately. Do not pass secrets as `given`.
 */
export function invalidArgument(field: string, expected: string, given: unknown): ConnectError {
  const shown = showGiven(given);
  return new ConnectError(
    `invalid ${field}: expected ${expected}, got ${shown}`,
    Code.InvalidArgument,
    undefined,
    [{ desc: StructSchema, value: fromJson(StructSchema, { field, expected, given: shown }) }],
  );
}

/** `FailedPrecondition`: the system is not in a state that allows this (e.g. market closed). */
export function failedPrecondition(message: string, cause?: unknown): ConnectError {
  return new ConnectError(message, Code.FailedPrecondition, undefined, undefined, cause);
}

/** `Unavailable`: a dependency (TWS, another service) cannot be reached right now; retryable. */
export function unavailable(message: string, cause?: unknown): ConnectError {
  return new ConnectError(message, Code.Unavailable, undefined, undefined, cause);
}

/** `NotFound` naming what was looked for, e.g. `strategy "spy-puts" not found`. */
export function notFound(what: string, id: string | number): ConnectError {
  return new ConnectError(`${what} ${JSON.stringify(id)} not found`, Code.NotFound);
}

/** `ResourceExhausted`: a budget ran out (IB pacing, market-data lines, rate limits). */
export function resourceExhausted(message: string, cause?: unknown): ConnectError {
  return new ConnectError(message, Code.ResourceExhausted, undefined, undefined, cause);
}

/** The message clients get for errors nobody anticipated. */
export const INTERNAL_ERROR_MESSAGE = "internal error";

/** Whether an error is the fetch-style cancellation/timeout that ConnectError.from maps itself. */
function isAbortLike(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/** How an arbitrary thrown value is presented to clients, and whether it was expected. */
export interface MappedError {
  readonly error: ConnectError;
  /** True when the value was neither a ConnectError, a DomainError nor a cancellation. */
  readonly unexpected: boolean;
}

/**
 * The one mapping from thrown values to what clients see: ConnectErrors pass through,
 * DomainErrors get their kind's code and message, cancellations and timeouts keep their codes,
 * and anything else becomes `Internal` with a generic message (the original kept as `cause`).
 */
export function toConnectError(error: unknown): MappedError {
  if (error instanceof ConnectError) return { error, unexpected: false };
  if (error instanceof DomainError) return { error: error.toConnectError(), unexpected: false };
  if (isAbortLike(error)) return { error: ConnectError.from(error), unexpected: false };
  return {
    error: new ConnectError(INTERNAL_ERROR_MESSAGE, Code.Internal, undefined, undefined, error),
    unexpected: true,
  };
}
