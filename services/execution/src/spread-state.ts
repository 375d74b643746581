import { create } from "@bufbuild/protobuf";
import type { BrokerOrder, ComboOrderState, IbError, LegFill, WalkState } from "@spreadops/api";
import { ComboOrderStateSchema, LegFillSchema, OrderAction, OrderStatus, SecType, TradePhase } from "@spreadops/api";

const TERMINAL = new Set([OrderStatus.CANCELLED, OrderStatus.API_CANCELLED, OrderStatus.FILLED, OrderStatus.INACTIVE]);

/** The 201 (or other non-warning) error that rejected an order, if any. */
export function rejectionOf(order: BrokerOrder): IbError | undefined {
  if (order.status !== OrderStatus.INACTIVE) return undefined;
  return order.errors.find((e) => e.code === 201) ?? order.errors.find((e) => !e.warning);
}

/** True while the order can still fill or be modified. */
export function isWorking(order: BrokerOrder): boolean {
  return !order.completed && !TERMINAL.has(order.status);
}

/** Per-leg executions of a combo order (the combo-level execution is left out). */
export function legFills(order: BrokerOrder): LegFill[] {
  return order.executions
    .filter((e) => e.secType === SecType.OPTION)
    .map((e) => create(LegFillSchema, {
      execId: e.execId,
      conId: e.conId,
      action: e.side,
      strike: e.strike,
      right: e.right,
      quantity: e.quantity,
      price: e.price,
      ...(e.time === undefined ? {} : { time: e.time }),
      ...(e.commissionReport === undefined ? {} : { commissionUsd: e.commissionReport.commission }),
    }));
}

/** The API view of one broker combo order; prices turned positive in the order's direction. */
export function comboState(order: BrokerOrder, walk: WalkState | undefined): ComboOrderState {
  const fills = legFills(order);
  const signedLimit = order.order?.limitPrice ?? 0;
  const lastMessage = order.errors.at(-1);
  return create(ComboOrderStateSchema, {
    orderId: order.orderId,
    permId: order.permId,
    action: order.order?.action ?? OrderAction.UNSPECIFIED,
    brokerStatus: order.status,
    quantity: Math.round(order.order?.quantity ?? order.filledQuantity + order.remainingQuantity),
    filledQuantity: Math.round(order.filledQuantity),
    remainingQuantity: Math.round(order.remainingQuantity),
    limitPrice: Math.abs(signedLimit),
    brokerLimitPrice: signedLimit,
    ...(order.avgFillPrice === undefined ? {} : { avgFillPrice: Math.abs(order.avgFillPrice), brokerAvgFillPrice: order.avgFillPrice }),
    legFills: fills,
    commissionUsd: fills.reduce((sum, f) => sum + (f.commissionUsd ?? 0), 0),
    ...(walk === undefined ? {} : { walk }),
    ...(order.createdAt === undefined ? {} : { submittedAt: order.createdAt }),
    ...(order.updatedAt === undefined ? {} : { updatedAt: order.updatedAt }),
    ...(lastMessage === undefined ? {} : { lastBrokerMessage: lastMessage }),
  });
}

/**
 * The phase a spread is in according to the broker: the opening BUY and the closing SELL of
 * its trade id. Without an opening order the caller's own phase stands (PREVIEWED, or
 * REJECTED by the risk gate).
 */
export function derivePhase(entry: BrokerOrder | undefined, exit: BrokerOrder | undefined, local: TradePhase): TradePhase {
  if (entry === undefined) return local;
  const filled = Math.round(entry.filledQuantity);
  if (isWorking(entry)) return filled > 0 ? TradePhase.PARTIALLY_FILLED : TradePhase.SUBMITTED;
  if (filled === 0) return rejectionOf(entry) !== undefined ? TradePhase.REJECTED : TradePhase.CANCELLED;
  if (exit === undefined) return TradePhase.OPEN;
  if (isWorking(exit)) return TradePhase.CLOSING;
  return Math.round(exit.filledQuantity) >= filled ? TradePhase.CLOSED : TradePhase.OPEN;
}

/** Spreads open now: opening filled − closing filled. */
export function openQuantity(entry: BrokerOrder | undefined, exit: BrokerOrder | undefined): number {
  return Math.max(0, Math.round(entry?.filledQuantity ?? 0) - Math.round(exit?.filledQuantity ?? 0));
}

/** True for phases that never change again. */
export function isTerminal(phase: TradePhase): boolean {
  return phase === TradePhase.CLOSED || phase === TradePhase.REJECTED || phase === TradePhase.CANCELLED || phase === TradePhase.EXPIRED;
}
