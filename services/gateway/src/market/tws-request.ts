/**
 * A request/response exchange with TWS keyed by request id: send, collect the rows, resolve at
 * the End event, reject on a TWS error or a timeout.
 *
 * @packageDocumentation
 */
import type { IBApi } from "@stoqey/ib";
import type { Priority } from "../scheduler/priority.js";
import type { IbRequestError, RouteHandlers } from "./request-router.js";
import { deadlineExceededError, type TwsRequestDeps } from "./tws-request-deps.js";

/** One exchange: `handlers(reqId, done)` routes rows and calls `done` at the End event. */
export interface TwsExchange<T> {
  readonly priority: Priority;
  readonly what: string;
  readonly timeoutMs: number;
  readonly send: (ib: IBApi, reqId: number) => unknown;
  readonly handlers: (reqId: number, done: () => void) => RouteHandlers;
  readonly result: () => T;
  /** Maps a TWS error to the rejection (default: an Error carrying code and message). */
  readonly onError: (error: IbRequestError) => Error;
  readonly signal?: AbortSignal | undefined;
}

/** Runs one exchange with a fresh request id (see {@link TwsRequestDeps}). */
export function twsRequest<T>(deps: TwsRequestDeps, exchange: TwsExchange<T>): Promise<T> {
  const reqId = deps.connection.nextRequestId();
  return new Promise<T>((resolve, reject) => {
    let finished = false;
    const finish = (error: Error | undefined): void => {
      if (finished) return;
      finished = true;
      cancelTimer();
      unroute();
      exchange.signal?.removeEventListener("abort", onAbort);
      if (error === undefined) resolve(exchange.result());
      else reject(error);
    };
    const base = exchange.handlers(reqId, () => {
      finish(undefined);
    });
    const unroute = deps.router.route(reqId, {
      ...base,
      context: { reqId, request: exchange.what, ...base.context },
      onError: (error) => {
        finish(exchange.onError(error));
      },
    });
    const cancelTimer = deps.clock.setTimer(exchange.timeoutMs, () => {
      finish(deadlineExceededError(`${exchange.what}: no answer from TWS within ${exchange.timeoutMs} ms`));
    });
    const onAbort = (): void => {
      finish(exchange.signal?.reason instanceof Error ? exchange.signal.reason : new Error("aborted"));
    };
    exchange.signal?.addEventListener("abort", onAbort, { once: true });
    deps.connection.send(exchange.priority, (ib) => exchange.send(ib, reqId), exchange.signal === undefined ? {} : { signal: exchange.signal }).catch((error: unknown) => {
      finish(error instanceof Error ? error : new Error(String(error)));
    });
  });
}
