/** placeOrder (new, modify, what-if), cancels, and the open/completed order and execution queries. */
import type { ExecutionFilter, OrderRequest } from "../../broker/index.js";
import {
  commissionReportFields,
  completedOrderFields,
  completedOrdersEndFields,
  execDetailsEndFields,
  execDetailsFields,
  openOrderEndFields,
  openOrderFields,
  orderStatusFields,
} from "../../protocol/index.js";
import type { PlaceOrderRequest } from "../../protocol/index.js";
import type { HandlerContext } from "../context.js";
import type { Session } from "../session.js";
import { parseTwsTime } from "../time-parse.js";
import {
  commissionMessage,
  completedOrderMessage,
  execDetailsMessage,
  openOrderMessage,
  orderStatusMessage,
  whatIfMessage,
} from "../wire.js";
import { resolveOne } from "./resolve.js";
import type { HandlerTable } from "./types.js";

/** @stoqey/ib decodes completedOrder as if the server were ≥ v177 (see completed-order.ts). */
function completedLayout(session: Session): "tws" | "stoqey" {
  return session.versionString.startsWith("v100..") ? "stoqey" : "tws";
}

/** The broker's order request for a decoded placeOrder, or the 200 text when the contract is unknown. */
function orderRequest(
  ctx: HandlerContext,
  request: PlaceOrderRequest,
): { readonly ok: true; readonly order: OrderRequest } | { readonly ok: false; readonly message: string } {
  const { contract, order } = request;
  const secType = contract.secType.toUpperCase();
  let conId = contract.conId;
  if (secType !== "BAG") {
    const resolved = resolveOne(ctx.market, contract);
    if (!resolved.ok) return resolved;
    conId = resolved.contract.conId;
  }
  return {
    ok: true,
    order: {
      contract: {
        secType,
        conId,
        symbol: contract.symbol,
        exchange: contract.exchange,
        currency: contract.currency,
        comboLegs: contract.comboLegs.map((leg) => ({ conId: leg.conId, ratio: leg.ratio, action: leg.action, exchange: leg.exchange })),
      },
      action: order.action,
      totalQuantity: order.totalQuantity,
      orderType: order.orderType,
      ...(order.lmtPrice === undefined ? {} : { lmtPrice: order.lmtPrice }),
      tif: order.tif,
      orderRef: order.orderRef,
      transmit: order.transmit,
      account: order.account,
      whatIf: order.whatIf,
      outsideRth: order.outsideRth,
    },
  };
}

function sendOpenOrders(session: Session, orders: ReturnType<HandlerContext["broker"]["openOrders"]>): void {
  for (const order of orders) {
    session.send(openOrderFields(openOrderMessage(order)));
    session.send(
      orderStatusFields(
        orderStatusMessage({
          orderId: order.orderId,
          clientId: order.clientId,
          permId: order.permId,
          parentId: order.parentId,
          status: order.status,
          filled: order.filled,
          remaining: order.remaining,
          avgFillPrice: order.avgFillPrice,
          lastFillPrice: order.lastFillPrice,
          whyHeld: order.whyHeld,
          mktCapPrice: order.mktCapPrice,
        }),
      ),
    );
  }
  session.send(openOrderEndFields());
}

export const orderHandlers: HandlerTable = {
  placeOrder: (ctx, session, request) => {
    const clientId = session.clientId ?? 0;
    const resolved = orderRequest(ctx, request);
    if (!resolved.ok) {
      session.error(request.orderId, 200, resolved.message);
      return;
    }
    if (!ctx.link.connected && !request.order.whatIf) {
      session.error(request.orderId, 201, "Order rejected - reason:Connectivity between IB and Trader Workstation has been lost.");
      return;
    }
    // Only new orders take an injected rejection (a modification is never "the next order").
    if (!request.order.whatIf && ctx.broker.order(clientId, request.orderId)?.open !== true) {
      const reason = ctx.takeRejection();
      if (reason !== undefined) ctx.broker.injectRejection(reason, 1);
    }
    // Events (openOrder, orderStatus, errors) reach the client through the broker subscription.
    const result = ctx.broker.placeOrder(clientId, request.orderId, resolved.order);
    if (result.kind === "whatIf") {
      ctx.stats.whatIf++;
      session.send(openOrderFields(whatIfMessage(result.order, result.state)));
    }
  },

  cancelOrder: (ctx, session, request) => {
    ctx.broker.cancelOrder(session.clientId ?? 0, request.orderId);
  },

  reqGlobalCancel: (ctx) => {
    ctx.broker.globalCancel();
  },

  reqOpenOrders: (ctx, session) => {
    sendOpenOrders(session, ctx.broker.openOrders(session.clientId ?? 0));
  },

  reqAllOpenOrders: (ctx, session) => {
    sendOpenOrders(session, ctx.broker.allOpenOrders());
  },

  reqAutoOpenOrders: (_ctx, session, request) => {
    if (session.clientId !== 0) {
      session.error(-1, 321, "Error validating request.-'bN' : cause - reqAutoOpenOrders is only allowed for client id 0");
      return;
    }
    session.state.autoOpenOrders = request.autoBind;
  },

  reqCompletedOrders: (ctx, session, request) => {
    const layout = completedLayout(session);
    for (const order of ctx.broker.completedOrders(request.apiOnly)) {
      session.send(completedOrderFields(completedOrderMessage(order), layout));
    }
    session.send(completedOrdersEndFields());
  },

  reqExecutions: (ctx, session, request) => {
    const f = request.filter;
    const since = f.time.trim() === "" ? undefined : parseTwsTime(f.time, ctx.market.calendar.timeZone);
    const filter: ExecutionFilter = {
      ...(f.clientId === undefined ? {} : { clientId: f.clientId }),
      account: f.account,
      ...(since === undefined ? {} : { since }),
      symbol: f.symbol,
      secType: f.secType,
      exchange: f.exchange,
      side: f.side,
    };
    for (const record of ctx.broker.executions(filter)) {
      session.send(execDetailsFields(execDetailsMessage(request.reqId, record.execution)));
      if (record.commissionReport !== undefined) session.send(commissionReportFields(commissionMessage(record.commissionReport)));
    }
    session.send(execDetailsEndFields(request.reqId));
  },
};
