import type { OrderContractInput } from "../contract.js";
import {
  formatBool,
  formatDecimal,
  formatDecimalOrEmpty,
  formatDouble,
  formatDoubleOrUnset,
  formatInt,
  formatIntOrEmpty,
} from "../field-writer.js";
import { OutgoingMessageId as Out } from "../message-ids.js";
import type { OrderInput } from "../order.js";
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

/** One completedOrder message: a filled or cancelled order, for reqCompletedOrders. */
export interface CompletedOrderMessage {
  readonly contract: OrderContractInput;
  readonly order: OrderInput;
  readonly permId: number;
  /** `Filled`, `Cancelled`, `ApiCancelled`, … */
  readonly status: string;
  /** `yyyyMMdd HH:mm:ss <tz>`. */
  readonly completedTime: string;
  /** Free text, e.g. `Filled Size: 1` or a cancel reason. */
  readonly completedStatus: string;
  readonly filledQuantity?: number;
  readonly parentPermId?: number;
  readonly autoCancelDate?: string;
  readonly refFuturesConId?: number;
  readonly shareholder?: string;
  readonly imbalanceOnly?: boolean;
  readonly routeMarketableToBbo?: boolean;
}

/**
 * Which completedOrder layout to write:
 * - `tws`: what TWS and ib_async use below v177, with the deprecated faProfile field;
 * - `stoqey`: without faProfile, because @stoqey/ib 1.6.10 decodes completedOrder as if the server
 *   were ≥ v177 (it passes MAX as the order version) and would otherwise report 505 on every one.
 * The two differ only in that field; pick by client (the handshake of @stoqey/ib is `v100..193`).
 */
export type CompletedOrderLayout = "tws" | "stoqey";

/**
 * `completedOrder` (no version, no orderId): 97 fields for a plain order in the `tws` layout.
 * Send `completedOrdersEnd` after the last one.
 */
export function completedOrderFields(message: CompletedOrderMessage, layout: CompletedOrderLayout = "tws"): string[] {
  const { contract, order } = message;
  const out: string[] = [formatInt(Out.completedOrder)];
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
    formatInt(message.permId),
    formatBool(order.outsideRth),
    formatBool(order.hidden),
    formatDouble(order.discretionaryAmt ?? 0),
    order.goodAfterTime ?? "",
    order.faGroup ?? "",
    order.faMethod ?? "",
    order.faPercentage ?? "",
  );
  if (layout === "tws") out.push(order.faProfile ?? "");
  out.push(
    order.modelCode ?? "",
    order.goodTillDate ?? "",
    order.rule80A ?? "",
    formatDoubleOrUnset(order.percentOffset),
    order.settlingFirm ?? "",
    formatInt(order.shortSaleSlot ?? 0),
    order.designatedLocation ?? "",
    formatInt(order.exemptCode ?? -1),
    formatDoubleOrUnset(order.startingPrice),
    formatDoubleOrUnset(order.stockRefPrice),
    formatDoubleOrUnset(order.delta),
    formatDoubleOrUnset(order.stockRangeLower),
    formatDoubleOrUnset(order.stockRangeUpper),
    formatIntOrEmpty(order.displaySize),
    formatBool(order.sweepToFill),
    formatBool(order.allOrNone),
    formatIntOrEmpty(order.minQty),
    formatInt(order.ocaType ?? 0),
    formatInt(order.triggerMethod ?? 0),
    formatDoubleOrUnset(order.volatility),
    formatInt(order.volatilityType ?? 0),
  );
  const dnOrderType = order.deltaNeutralOrderType ?? "";
  out.push(dnOrderType, formatDoubleOrUnset(order.deltaNeutralAuxPrice));
  if (dnOrderType !== "") {
    // completedOrder carries only 4 of the 8 delta-neutral fields openOrder has.
    const dn = order.deltaNeutral;
    out.push(formatIntOrEmpty(dn?.conId), formatBool(dn?.shortSale), formatIntOrEmpty(dn?.shortSaleSlot), dn?.designatedLocation ?? "");
  }
  out.push(
    formatBool(order.continuousUpdate),
    formatInt(order.referencePriceType ?? 0),
    formatDoubleOrUnset(order.trailStopPrice),
    formatDoubleOrUnset(order.trailingPercent),
  );
  pushComboBlocks(out, contract, order);
  pushScaleBlock(out, order);
  pushHedgeBlock(out, order);
  out.push(order.clearingAccount ?? "", order.clearingIntent ?? "", formatBool(order.notHeld));
  pushDeltaNeutralContract(out, contract);
  pushAlgoBlock(out, order);
  out.push(formatBool(order.solicited), message.status);
  pushRandomizeAndConditions(out, order);
  out.push(
    formatDoubleOrUnset(order.trailStopPrice),
    formatDoubleOrUnset(order.lmtPriceOffset),
    formatDoubleOrUnset(order.cashQty),
    formatBool(order.dontUseAutoPriceForHedge),
    formatBool(order.isOmsContainer),
    message.autoCancelDate ?? "",
    formatDecimalOrEmpty(message.filledQuantity),
    formatInt(message.refFuturesConId ?? 0),
    formatBool(order.autoCancelParent),
    message.shareholder ?? "",
    formatBool(message.imbalanceOnly),
    formatBool(message.routeMarketableToBbo),
    formatInt(message.parentPermId ?? 0),
    message.completedTime,
    message.completedStatus,
  );
  pushPegBestPegMidBlock(out, order);
  return out;
}

/** `completedOrdersEnd`: `[102]`, a message with no other field. ib_async's connect waits for it. */
export function completedOrdersEndFields(): string[] {
  return [formatInt(Out.completedOrdersEnd)];
}
