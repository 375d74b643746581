import type { OrderContractInput } from "../contract.js";
import {
  formatBool,
  formatDecimal,
  formatDouble,
  formatDoubleOrUnset,
  formatInt,
  formatIntOrEmpty,
} from "../field-writer.js";
import { OutgoingMessageId as Out } from "../message-ids.js";
import type { OrderInput, OrderStateInput } from "../order.js";
import { pushContract } from "./contract-fields.js";
import {
  pushAlgoBlock,
  pushComboBlocks,
  pushDeltaNeutralContract,
  pushHedgeBlock,
  pushPegBestPegMidBlock,
  pushRandomizeAndConditions,
  pushScaleBlock,
} from "./order-blocks.js";

/** One openOrder message: an order's current definition and state. */
export interface OpenOrderMessage {
  readonly orderId: number;
  readonly contract: OrderContractInput;
  /** A decoded placeOrder `Order` can be passed as is. */
  readonly order: OrderInput;
  readonly orderState: OrderStateInput;
  /**
   * The clientId of the connection that placed the order. Echo it, with orderId and permId, in
   * orderStatus and execDetails too: ib_async matches updates on (clientId, orderId) (trap T9).
   */
  readonly clientId: number;
  readonly permId: number;
}

/**
 * `openOrder` at v176: no version field, 128 fields for a plain order (+16 for a 2-leg combo;
 * the other conditional blocks follow the same rules as placeOrder). A what-if reply sets
 * `order.whatIf` and fills the margin fields with numbers (trap T8).
 */
export function openOrderFields(message: OpenOrderMessage): string[] {
  const { contract, order, orderState: state } = message;
  const out: string[] = [formatInt(Out.openOrder), formatInt(message.orderId)];
  pushContract(out, contract);
  out.push(
    order.action,
    formatDecimal(order.totalQuantity),
    order.orderType,
    formatDoubleOrUnset(order.lmtPrice),
    formatDoubleOrUnset(order.auxPrice),
    order.tif ?? "DAY",
    order.ocaGroup ?? "",
    order.account ?? "",
    order.openClose ?? "",
    formatInt(order.origin ?? 0),
    order.orderRef ?? "",
    formatInt(message.clientId),
    formatInt(message.permId),
    formatBool(order.outsideRth),
    formatBool(order.hidden),
    formatDouble(order.discretionaryAmt ?? 0),
    order.goodAfterTime ?? "",
    "", // sharesAllocation, deprecated
    order.faGroup ?? "",
    order.faMethod ?? "",
    order.faPercentage ?? "",
    order.faProfile ?? "", // below v177 only
    order.modelCode ?? "",
    order.goodTillDate ?? "",
    order.rule80A ?? "",
    formatDoubleOrUnset(order.percentOffset),
    order.settlingFirm ?? "",
    formatInt(order.shortSaleSlot ?? 0),
    order.designatedLocation ?? "",
    formatInt(order.exemptCode ?? -1),
    formatInt(order.auctionStrategy ?? 0),
    formatDoubleOrUnset(order.startingPrice),
    formatDoubleOrUnset(order.stockRefPrice),
    formatDoubleOrUnset(order.delta),
    formatDoubleOrUnset(order.stockRangeLower),
    formatDoubleOrUnset(order.stockRangeUpper),
    formatIntOrEmpty(order.displaySize),
    formatBool(order.blockOrder),
    formatBool(order.sweepToFill),
    formatBool(order.allOrNone),
    formatIntOrEmpty(order.minQty),
    formatInt(order.ocaType ?? 0),
    formatBool(order.eTradeOnly),
    formatBool(order.firmQuoteOnly),
    formatDoubleOrUnset(order.nbboPriceCap),
    formatInt(order.parentId ?? 0),
    formatInt(order.triggerMethod ?? 0),
    formatDoubleOrUnset(order.volatility),
    formatInt(order.volatilityType ?? 0),
  );
  const dnOrderType = order.deltaNeutralOrderType ?? "";
  out.push(dnOrderType, formatDoubleOrUnset(order.deltaNeutralAuxPrice));
  if (dnOrderType !== "") {
    const dn = order.deltaNeutral;
    out.push(
      formatIntOrEmpty(dn?.conId),
      dn?.settlingFirm ?? "",
      dn?.clearingAccount ?? "",
      dn?.clearingIntent ?? "",
      dn?.openClose ?? "",
      formatBool(dn?.shortSale),
      formatIntOrEmpty(dn?.shortSaleSlot),
      dn?.designatedLocation ?? "",
    );
  }
  out.push(
    formatBool(order.continuousUpdate),
    formatInt(order.referencePriceType ?? 0),
    formatDoubleOrUnset(order.trailStopPrice),
    formatDoubleOrUnset(order.trailingPercent),
    formatDoubleOrUnset(order.basisPoints),
    formatIntOrEmpty(order.basisPointsType),
  );
  pushComboBlocks(out, contract, order);
  pushScaleBlock(out, order);
  pushHedgeBlock(out, order);
  out.push(
    formatBool(order.optOutSmartRouting),
    order.clearingAccount ?? "",
    order.clearingIntent ?? "",
    formatBool(order.notHeld),
  );
  pushDeltaNeutralContract(out, contract);
  pushAlgoBlock(out, order);
  out.push(
    formatBool(order.solicited),
    formatBool(order.whatIf),
    state.status,
    formatDoubleOrUnset(state.initMarginBefore),
    formatDoubleOrUnset(state.maintMarginBefore),
    formatDoubleOrUnset(state.equityWithLoanBefore),
    formatDoubleOrUnset(state.initMarginChange),
    formatDoubleOrUnset(state.maintMarginChange),
    formatDoubleOrUnset(state.equityWithLoanChange),
    formatDoubleOrUnset(state.initMarginAfter),
    formatDoubleOrUnset(state.maintMarginAfter),
    formatDoubleOrUnset(state.equityWithLoanAfter),
    formatDoubleOrUnset(state.commission),
    formatDoubleOrUnset(state.minCommission),
    formatDoubleOrUnset(state.maxCommission),
    state.commissionCurrency ?? "",
    state.warningText ?? "",
  );
  pushRandomizeAndConditions(out, order);
  const tier = order.softDollarTier;
  out.push(
    order.adjustedOrderType ?? "",
    formatDoubleOrUnset(order.triggerPrice),
    formatDoubleOrUnset(order.trailStopPrice),
    formatDoubleOrUnset(order.lmtPriceOffset),
    formatDoubleOrUnset(order.adjustedStopPrice),
    formatDoubleOrUnset(order.adjustedStopLimitPrice),
    formatDoubleOrUnset(order.adjustedTrailingAmount),
    formatInt(order.adjustableTrailingUnit ?? 0),
    tier?.name ?? "",
    tier?.value ?? "",
    tier?.displayName ?? "",
    formatDoubleOrUnset(order.cashQty),
    formatBool(order.dontUseAutoPriceForHedge),
    formatBool(order.isOmsContainer),
    formatBool(order.discretionaryUpToLimitPrice),
    formatBool(order.usePriceMgmtAlgo),
    formatIntOrEmpty(order.duration),
    formatIntOrEmpty(order.postToAts),
    formatBool(order.autoCancelParent),
  );
  pushPegBestPegMidBlock(out, order);
  return out;
}

/** `openOrderEnd`: `[53, 1]`, after the orders a reqOpenOrders / reqAllOpenOrders listed. */
export function openOrderEndFields(): string[] {
  return [formatInt(Out.openOrderEnd), "1"];
}

/** One orderStatus message. */
export interface OrderStatusMessage {
  readonly orderId: number;
  /** `PendingSubmit`, `PreSubmitted`, `Submitted`, `ApiCancelled`, `Cancelled`, `Filled`, `Inactive`, … */
  readonly status: string;
  readonly filled: number;
  readonly remaining: number;
  /** 0 before the first fill. */
  readonly avgFillPrice: number;
  readonly permId: number;
  readonly parentId?: number;
  /** 0 before the first fill. */
  readonly lastFillPrice: number;
  /** The placing connection's clientId (trap T9). */
  readonly clientId: number;
  readonly whyHeld?: string;
  readonly mktCapPrice?: number;
}

/**
 * `orderStatus` at v176: `[3, orderId, status, filled, remaining, avgFillPrice, permId, parentId,
 * lastFillPrice, clientId, whyHeld, mktCapPrice]` (12 fields, no version).
 */
export function orderStatusFields(status: OrderStatusMessage): string[] {
  return [
    formatInt(Out.orderStatus),
    formatInt(status.orderId),
    status.status,
    formatDecimal(status.filled),
    formatDecimal(status.remaining),
    formatDouble(status.avgFillPrice),
    formatInt(status.permId),
    formatInt(status.parentId ?? 0),
    formatDouble(status.lastFillPrice),
    formatInt(status.clientId),
    status.whyHeld ?? "",
    formatDouble(status.mktCapPrice ?? 0),
  ];
}
