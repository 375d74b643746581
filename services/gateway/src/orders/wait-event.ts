import type { TwsConnection } from "../connection/tws-connection.js";
import type { TwsEvent, TwsEventArgs } from "../connection/tws-events.js";
import type { Clock } from "../scheduler/clock.js";

/** What the order area needs from the connection: events, sending and ids. */
export type OrderConnection = Pick<TwsConnection, "on" | "send" | "checkAvailable" | "nextOrderId" | "nextRequestId" | "onEvent">;

/** Thrown by {@link waitForEvent} when nothing matched in time. */
export class WaitTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`no ${what} within ${ms} ms`);
    this.name = "WaitTimeoutError";
  }
}

/**
 * Subscribes first, then runs `start` (so a fast answer is never missed), and resolves with the
 * first event's arguments that `match` accepts. Rejects with {@link WaitTimeoutError} after
 * `timeoutMs`, with `start`'s error, or with the signal's reason. Never hangs.
 */
export async function waitForEvent<E extends TwsEvent>(
  source: Pick<TwsConnection, "on">,
  clock: Pick<Clock, "setTimer">,
  event: E,
  match: (...args: TwsEventArgs[E]) => boolean,
  timeoutMs: number,
  start: () => Promise<void>,
  signal?: AbortSignal,
): Promise<TwsEventArgs[E]> {
  const local = new AbortController();
  let cancelTimer: (() => void) | undefined;
  try {
    return await new Promise<TwsEventArgs[E]>((resolve, reject) => {
      source.on(
        event,
        (...args) => {
          if (match(...args)) resolve(args);
        },
        local.signal,
      );
      cancelTimer = clock.setTimer(timeoutMs, () => {
        reject(new WaitTimeoutError(event, timeoutMs));
      });
      if (signal !== undefined) {
        if (signal.aborted) reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
        signal.addEventListener("abort", () => {
          reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
        }, { once: true, signal: local.signal });
      }
      start().catch((error: unknown) => {
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  } finally {
    cancelTimer?.();
    local.abort();
  }
}
