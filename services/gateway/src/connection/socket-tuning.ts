import { Socket } from "node:net";
import type { IBApi } from "@stoqey/ib";

/**
 * Turns Nagle's algorithm off on the IBApi's TCP socket, so each request leaves at once.
 *
 * Why: TWS messages are small. With Nagle on, a write that follows a fire-and-forget one (e.g.
 * cancelAccountSummary, which gets no reply) waits for the peer's delayed ACK — measured ~40 ms
 * on every placement after an account-summary refresh (docs/performance.md, order path).
 *
 * @stoqey/ib neither exposes its socket nor takes a noDelay option, so this follows the private
 * field path of the pinned version (1.6.10: `controller.socket.client`) and says whether it found
 * a socket; a version that moves it makes this return false (the caller logs it), never throw.
 */
export function disableNagle(api: IBApi): boolean {
  const internals = api as unknown as { controller?: { socket?: { client?: unknown } } };
  const client = internals.controller?.socket?.client;
  if (!(client instanceof Socket)) return false;
  client.setNoDelay(true);
  return true;
}
