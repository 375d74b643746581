import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { ComboOrderState, LegFill, PriceWalk, SpreadOrder, TradeSpec as TradeSpecProto } from "@spreadops/api";
import { ExitReason, OrderAction } from "@spreadops/api";
import type { TradeFill, TradeResource, TradeStatus } from "@spreadops/resources";
import { priceWalkToProto, tradeSpecToProto } from "@spreadops/resources";
import { phaseFromProto } from "./trade-phases.js";

/**
 * The execution service's answers in the Trade's terms (status), plus thin wrappers of the shared
 * CR ↔ proto mapping (packages/resources strategy-mapping) keyed by the Trade's uid.
 */

const EXIT_REASONS: Readonly<Record<ExitReason, string>> = {
  [ExitReason.UNSPECIFIED]: "unspecified",
  [ExitReason.STOP_LOSS]: "stopLoss",
  [ExitReason.TAKE_PROFIT]: "takeProfit",
  [ExitReason.DTE]: "dte",
  [ExitReason.ROLL]: "roll",
  [ExitReason.MANUAL]: "manual",
  [ExitReason.STRATEGY_DELETED]: "strategyDeleted",
};

/** The CR name of an exit reason, e.g. "takeProfit". */
export function exitReasonName(reason: ExitReason): string {
  return EXIT_REASONS[reason];
}

/** The execution service's trade id of a Trade: its uid (the IB orderRef). */
export function tradeIdOf(trade: TradeResource): string {
  const uid = trade.metadata.uid;
  if (uid === undefined || uid === "") throw new Error(`trade ${trade.metadata.name} has no uid yet`);
  return uid;
}

/** The execution service's TradeSpec of a Trade (trade id = uid), by the shared mapping. */
export function toExecutionTradeSpec(trade: TradeResource): TradeSpecProto {
  return tradeSpecToProto(trade, tradeIdOf(trade));
}

/** The Trade's price walk as the proto's; undefined when it has none. */
export function toPriceWalk(trade: TradeResource): PriceWalk | undefined {
  return priceWalkToProto(trade.spec?.execution?.walk, "spec.execution.walk");
}

const iso = (ms: number): string => new Date(ms).toISOString();

function fillsOf(order: ComboOrderState | undefined, shortConId: number): TradeFill[] {
  return (order?.legFills ?? []).map((fill: LegFill) => ({
    leg: fill.conId === shortConId ? "short" : "long",
    action: fill.action === OrderAction.SELL ? "SELL" : "BUY",
    quantity: fill.quantity,
    price: fill.price,
    time: fill.time === undefined ? "" : iso(timestampMs(fill.time)),
    ...(fill.execId === "" ? {} : { execId: fill.execId }),
    ...(fill.commissionUsd === undefined ? {} : { commission: fill.commissionUsd }),
  }));
}

/**
 * The status fields the execution service's view of a spread decides: phase, order ids, fills,
 * P&L, exit, rejection. Fields the service does not know (yet) keep their current values; the
 * open and close times are stamped when those phases are first seen.
 */
export function statusFromSpread(current: TradeStatus | undefined, order: SpreadOrder, nowMs: number): TradeStatus {
  const phase = phaseFromProto(order.phase) ?? current?.phase;
  const entry = order.entry;
  const exit = order.exit;
  const next: TradeStatus = { ...current, phase, orderRef: order.tradeId };
  if (entry !== undefined && entry.orderId > 0) next.orderId = entry.orderId;
  if (entry !== undefined && entry.permId !== "" && entry.permId !== "0") next.permId = Number(entry.permId);
  if (exit !== undefined && exit.orderId > 0) next.closeOrderId = exit.orderId;
  if (entry !== undefined) next.filledQuantity = entry.filledQuantity;
  if (entry?.avgFillPrice !== undefined) next.avgFillPrice = entry.avgFillPrice;
  const fills = [...fillsOf(entry, order.shortConId), ...fillsOf(exit, order.shortConId)];
  if (fills.length > 0) next.fills = fills;
  if (order.realizedPnlUsd !== undefined) next.realizedPnl = order.realizedPnlUsd;
  if (order.unrealizedPnlUsd !== undefined) next.unrealizedPnl = order.unrealizedPnlUsd;
  if (phase === "Closed" || phase === "Expired") delete next.unrealizedPnl;
  if (order.exitInfo !== undefined && order.exitInfo.reason !== ExitReason.UNSPECIFIED) {
    next.exit = {
      reason: exitReasonName(order.exitInfo.reason),
      at: order.exitInfo.at === undefined ? (current?.exit?.at ?? iso(nowMs)) : iso(timestampMs(order.exitInfo.at)),
      ...(order.exitInfo.message === "" ? {} : { message: order.exitInfo.message }),
    };
  }
  if (phase === "Rejected" && order.rejection !== undefined) {
    next.message = order.rejection.code === 0 ? order.rejection.message : `IB ${order.rejection.code}: ${order.rejection.message}`;
  }
  if ((phase === "Open" || phase === "Closing" || phase === "Closed") && next.openedAt === undefined) next.openedAt = iso(nowMs);
  if ((phase === "Closed" || phase === "Expired" || phase === "Cancelled" || phase === "Rejected") && next.closedAt === undefined) next.closedAt = iso(nowMs);
  return next;
}
