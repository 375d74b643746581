/** Every request type → its handler, and the dispatcher that guards them. */
import type { DecodedRequest } from "../../protocol/index.js";
import type { HandlerContext } from "../context.js";
import type { Session } from "../session.js";
import { accountHandlers } from "./account.js";
import { contractHandlers } from "./contracts.js";
import { historicalHandlers } from "./historical.js";
import { marketDataHandlers } from "./market-data.js";
import { orderHandlers } from "./orders.js";
import { scannerHandlers } from "./scanner.js";
import { sessionHandlers } from "./session-info.js";
import type { Handler, HandlerTable } from "./types.js";

export { welcome } from "./session-info.js";
export { closeAllLines, flushLines } from "./market-data.js";
export { accountMultiMessages, accountValueMessages, periodicAccountUpdates, pnlUpdates, portfolioMessage, positionMessage } from "./account.js";
export { historicalStreamUpdates } from "./historical.js";

/** The handler table of the simulator. */
export const HANDLERS: HandlerTable = {
  ...sessionHandlers,
  ...contractHandlers,
  ...marketDataHandlers,
  ...historicalHandlers,
  ...scannerHandlers,
  ...orderHandlers,
  ...accountHandlers,
};

/**
 * Answers one request. Malformed and unknown messages get error 320 (with the request id when
 * the decoder read one) and the connection stays open, as TWS keeps it; a handler that throws is
 * logged and answered with 320 too, so one bad request never affects other requests or sessions.
 */
export function dispatch(ctx: HandlerContext, session: Session, request: DecodedRequest, table: HandlerTable = HANDLERS): void {
  if (request.type === "malformed") {
    ctx.logger.warn({ session: session.id, clientId: session.clientId, messageId: request.messageId, err: request.error.message }, "malformed request");
    session.error(request.requestId ?? -1, 320, `Error reading request. Message id ${request.messageId ?? "?"}. ${request.error.message}`);
    return;
  }
  if (request.type === "unknown") {
    ctx.logger.warn({ session: session.id, clientId: session.clientId, messageId: request.messageId }, "unsupported request");
    session.error(-1, 320, `Error reading request. Unsupported message id ${request.messageId}`);
    return;
  }
  // The table maps each type to the handler of that type; TypeScript cannot correlate the two.
  const handler = table[request.type] as Handler<typeof request.type> | undefined;
  if (handler === undefined) {
    session.error(-1, 320, `Error reading request. Unsupported request ${request.type}`);
    return;
  }
  try {
    handler(ctx, session, request);
  } catch (error) {
    ctx.logger.error({ err: error, session: session.id, clientId: session.clientId, type: request.type }, "request handler failed");
    session.error(requestIdOf(request), 320, `Error processing request ${request.type}: internal simulator error`);
  }
}

function requestIdOf(request: DecodedRequest): number {
  if ("reqId" in request) return request.reqId;
  if ("tickerId" in request) return request.tickerId;
  if ("orderId" in request) return request.orderId;
  return -1;
}
