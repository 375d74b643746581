import { Code, ConnectError } from "@connectrpc/connect";
import { CrFieldError } from "@spreadops/resources";

/** How a reconciler treats a failed call to another service. */
export type RpcFailure =
  /** Try again later (backoff, a Degraded condition): the service or the broker is away. */
  | "unavailable"
  /** The request was wrong for good: report it, do not retry. */
  | "invalid"
  /** The service refused on purpose (risk gate, wrong phase, mode): report it, do not retry. */
  | "refused"
  /** The service does not know the thing. */
  | "notFound";

/** The category of a failed call; anything unexpected counts as unavailable (retried, never terminal). */
export function classifyRpcError(error: unknown): RpcFailure {
  // A Trade or Strategy field the shared mapping cannot express is a spec error, not an outage.
  if (error instanceof CrFieldError) return "invalid";
  if (!(error instanceof ConnectError)) return "unavailable";
  switch (error.code) {
    case Code.InvalidArgument:
    case Code.OutOfRange:
      return "invalid";
    case Code.FailedPrecondition:
    case Code.AlreadyExists:
    case Code.PermissionDenied:
      return "refused";
    case Code.NotFound:
      return "notFound";
    default:
      return "unavailable";
  }
}

/** The message of a failed call without Connect's "[code]" prefix. */
export function rpcErrorMessage(error: unknown): string {
  if (error instanceof ConnectError) return error.rawMessage;
  return error instanceof Error ? error.message : String(error);
}
