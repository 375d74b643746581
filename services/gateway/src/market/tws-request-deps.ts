/**
 * What a TWS request/response exchange needs, and the error of one that timed out.
 *
 * @packageDocumentation
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { TwsConnection } from "../connection/index.js";
import type { Clock } from "../scheduler/clock.js";
import type { RequestRouter } from "./request-router.js";

/** Collaborators of {@link twsRequest}. */
export interface TwsRequestDeps {
  readonly connection: Pick<TwsConnection, "send" | "nextRequestId">;
  readonly router: RequestRouter;
  readonly clock: Clock;
}

/** `DeadlineExceeded`: TWS did not answer in time. */
export function deadlineExceededError(message: string): ConnectError {
  return new ConnectError(message, Code.DeadlineExceeded);
}
