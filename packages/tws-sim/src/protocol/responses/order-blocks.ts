/*
 * Variable-length blocks shared by openOrder and completedOrder. Each block's presence rule is
 * the one both clients decode with; writing a block the rule does not expect (or omitting one it
 * does) shifts every later field (trap T6).
 */
import type { OrderContractInput } from "../contract.js";
import {
  formatBool,
  formatDouble,
  formatDoubleOrUnset,
  formatInt,
  formatIntOrEmpty,
} from "../field-writer.js";
import type { OrderInput } from "../order.js";
import { writeOrderConditions } from "../order-conditions.js";
import type { TagValue } from "../tag-values.js";

/** comboLegsDescription, then the legs (8 fields each), the per-leg prices and the smart-combo params. */
export function pushComboBlocks(out: string[], contract: OrderContractInput, order: OrderInput): void {
  out.push(contract.comboLegsDescription ?? "");
  const legs = contract.comboLegs ?? [];
  out.push(formatInt(legs.length));
  for (const leg of legs) {
    out.push(
      formatInt(leg.conId),
      formatInt(leg.ratio),
      leg.action,
      leg.exchange,
      formatInt(leg.openClose ?? 0),
      formatInt(leg.shortSaleSlot ?? 0),
      leg.designatedLocation ?? "",
      formatInt(leg.exemptCode ?? -1),
    );
  }
  const prices = order.orderComboLegs ?? [];
  out.push(formatInt(prices.length));
  for (const leg of prices) out.push(formatDoubleOrUnset(leg.price));
  pushTagValuePairs(out, order.smartComboRoutingParams);
}

/** A count then the (tag, value) pairs. */
export function pushTagValuePairs(out: string[], pairs: readonly TagValue[] | undefined): void {
  const list = pairs ?? [];
  out.push(formatInt(list.length));
  for (const { tag, value } of list) out.push(tag, value);
}

/**
 * scaleInitLevelSize, scaleSubsLevelSize, scalePriceIncrement and, only for an increment that
 * is positive and not MAX, the 7 scale parameters.
 */
export function pushScaleBlock(out: string[], order: OrderInput): void {
  const increment = order.scalePriceIncrement;
  out.push(
    formatIntOrEmpty(order.scaleInitLevelSize),
    formatIntOrEmpty(order.scaleSubsLevelSize),
    formatDoubleOrUnset(increment),
  );
  if (increment === undefined || !(increment > 0) || increment === Number.MAX_VALUE) return;
  const scale = order.scale;
  out.push(
    formatDoubleOrUnset(scale?.priceAdjustValue),
    formatIntOrEmpty(scale?.priceAdjustInterval),
    formatDoubleOrUnset(scale?.profitOffset),
    formatBool(scale?.autoReset),
    formatIntOrEmpty(scale?.initPosition),
    formatIntOrEmpty(scale?.initFillQty),
    formatBool(scale?.randomPercent),
  );
}

/** hedgeType and, when it is not empty, hedgeParam. */
export function pushHedgeBlock(out: string[], order: OrderInput): void {
  const hedgeType = order.hedgeType ?? "";
  out.push(hedgeType);
  if (hedgeType !== "") out.push(order.hedgeParam ?? "");
}

/** The delta-neutral contract flag and, when set, conId, delta, price. */
export function pushDeltaNeutralContract(out: string[], contract: OrderContractInput): void {
  const dnc = contract.deltaNeutralContract;
  if (dnc === undefined) {
    out.push("0");
    return;
  }
  out.push("1", formatInt(dnc.conId), formatDouble(dnc.delta), formatDouble(dnc.price));
}

/** algoStrategy and, when it is not empty, the parameter count and pairs. */
export function pushAlgoBlock(out: string[], order: OrderInput): void {
  const strategy = order.algoStrategy ?? "";
  out.push(strategy);
  if (strategy !== "") pushTagValuePairs(out, order.algoParams);
}

/** randomizeSize, randomizePrice, the PEG BENCH fields for that order type, then the conditions. */
export function pushRandomizeAndConditions(out: string[], order: OrderInput): void {
  out.push(formatBool(order.randomizeSize), formatBool(order.randomizePrice));
  if (order.orderType === "PEG BENCH" || order.orderType === "PEGBENCH") {
    const peg = order.pegBench;
    out.push(
      formatIntOrEmpty(peg?.referenceContractId),
      formatBool(peg?.isPeggedChangeAmountDecrease),
      formatDouble(peg?.peggedChangeAmount ?? 0),
      formatDouble(peg?.referenceChangeAmount ?? 0),
      peg?.referenceExchangeId ?? "",
    );
  }
  writeOrderConditions(out, order.conditions, order.conditionsIgnoreRth, order.conditionsCancelOrder);
}

/** minTradeQty, minCompeteSize, competeAgainstBestOffset, midOffsetAtWhole, midOffsetAtHalf (always all 5 at v170+). */
export function pushPegBestPegMidBlock(out: string[], order: OrderInput): void {
  out.push(
    formatIntOrEmpty(order.minTradeQty),
    formatIntOrEmpty(order.minCompeteSize),
    formatDoubleOrUnset(order.competeAgainstBestOffset),
    formatDoubleOrUnset(order.midOffsetAtWhole),
    formatDoubleOrUnset(order.midOffsetAtHalf),
  );
}
