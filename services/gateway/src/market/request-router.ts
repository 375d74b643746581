/**
 * One listener per TWS event, dispatching by request / ticker id to the request that owns it,
 * so hundreds of concurrent snapshots do not each attach a listener to every tick event.
 *
 * @packageDocumentation
 */
import { EventName } from "@stoqey/ib";
import type { Logger } from "@spreadops/runtime";
import type { TwsConnection } from "../connection/index.js";
import type { TwsEventArgs } from "../connection/tws-events.js";
import "./tws-market-events.js";

/** Events whose first argument is the request / ticker id. */
const ROUTED = [
  EventName.tickPrice,
  EventName.tickSize,
  EventName.tickGeneric,
  EventName.tickOptionComputation,
  EventName.tickSnapshotEnd,
  EventName.marketDataType,
  EventName.contractDetails,
  EventName.contractDetailsEnd,
  EventName.securityDefinitionOptionParameter,
  EventName.securityDefinitionOptionParameterEnd,
  EventName.historicalData,
  EventName.scannerData,
  EventName.scannerDataEnd,
] as const;

/** An event routed by id. */
export type RoutedEvent = (typeof ROUTED)[number];

/** A TWS error addressed to one request. */
export interface IbRequestError {
  readonly code: number;
  readonly message: string;
  readonly reqId: number;
}

/** Handlers of one request; `context` is logged with its TWS errors. */
export type RouteHandlers = { [E in RoutedEvent]?: (...args: TwsEventArgs[E]) => void } & {
  readonly onError?: (error: IbRequestError) => void;
  readonly context?: Readonly<Record<string, unknown>>;
};

/**
 * Codes that never end a request by themselves: farm notices, 399 (order warning), 10090
 * (partially subscribed), 10167 (delayed data shown), and 300 (cancel of a ticker TWS already
 * ended, e.g. a snapshot that finished while we timed it out).
 */
export function isWarningCode(code: number): boolean {
  return (code >= 2100 && code <= 2169) || code === 399 || code === 10090 || code === 10167 || code === 300;
}

/** Routes TWS events to the request that owns the id. */
export class RequestRouter {
  readonly #routes = new Map<number, RouteHandlers>();
  readonly #logger: Logger;
  readonly #offs: (() => void)[] = [];

  constructor(connection: Pick<TwsConnection, "on">, logger: Logger) {
    this.#logger = logger;
    for (const event of ROUTED) {
      const handler = (reqId: number, ...rest: unknown[]): void => {
        const h = this.#routes.get(reqId)?.[event] as ((...args: unknown[]) => void) | undefined;
        h?.(reqId, ...rest);
      };
      this.#offs.push(connection.on(event, handler));
    }
    this.#offs.push(
      connection.on(EventName.error, (error, code, reqId) => {
        if (reqId < 0) return; // connection-level notices: the connection logs and handles them
        const route = this.#routes.get(reqId);
        if (route === undefined) return;
        const codeNumber: number = code;
        const warning = isWarningCode(codeNumber);
        this.#logger[warning ? "debug" : "warn"]({ code: codeNumber, reqId, ibMessage: error.message, ...route.context }, "TWS error for a market-data request");
        if (!warning) route.onError?.({ code: codeNumber, message: error.message, reqId });
      }),
    );
  }

  /** Routes `reqId`'s events to `handlers` until the returned function is called. */
  route(reqId: number, handlers: RouteHandlers): () => void {
    this.#routes.set(reqId, handlers);
    return () => {
      if (this.#routes.get(reqId) === handlers) this.#routes.delete(reqId);
    };
  }

  /** Requests currently routed. */
  get size(): number {
    return this.#routes.size;
  }

  /** Detaches from the connection. */
  close(): void {
    for (const off of this.#offs.splice(0)) off();
    this.#routes.clear();
  }
}
