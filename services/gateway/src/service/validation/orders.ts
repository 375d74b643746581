import type {
  CancelOrderRequest,
  GetPositionsRequest,
  ListOrdersRequest,
  ModifyOrderRequest,
  OrderRequest,
  PlaceOrderRequest,
  StreamOrderEventsRequest,
  WhatIfOrderRequest,
} from "@spreadops/api";
import { OrderAction, OrderType, TimeInForce } from "@spreadops/api";
import { invalidArgument } from "@spreadops/runtime";
import {
  checkOptionalText,
  enumValues,
  requireEnum,
  requireFinite,
  requireIntIn,
  requireOrderRef,
  requirePresent,
} from "./checks.js";
import { validateOrderContract } from "./contract.js";

/** Order and account requests: what-if, place, modify, cancel, list, events, positions. */

/** orderRefs in one list or filter. */
export const MAX_ORDER_REFS = 1000;
/** An order bigger than this is a fat finger, not a spread. */
export const MAX_ORDER_QUANTITY = 10_000;

const INT32_MAX = 2_147_483_647;
const ACTIONS = enumValues(OrderAction, false);
const ORDER_TYPES = enumValues(OrderType, false);
const TIME_IN_FORCE = enumValues(TimeInForce, true);

/**
 * An order: orderRef 1–40 characters, a contract, BUY/SELL, 1–10,000 units, a type; LIMIT needs
 * a finite limit price (positive for a single contract, IB-signed for a combo), MARKET has none
 * and is refused for combos.
 */
export function validateOrderRequest(value: OrderRequest | undefined, field: string): void {
  const order = requirePresent(value, field, "an order");
  requireOrderRef(order.orderRef, `${field}.order_ref`);
  validateOrderContract(order.contract, `${field}.contract`);
  requireEnum(order.action, ACTIONS, `${field}.action`, "BUY or SELL");
  requireIntIn(order.quantity, 1, MAX_ORDER_QUANTITY, `${field}.quantity`);
  requireEnum(order.orderType, ORDER_TYPES, `${field}.order_type`, "LIMIT or MARKET");
  const combo = order.contract?.instrument.case === "combo";
  if (order.orderType === OrderType.LIMIT) {
    const price = requirePresent(order.limitPrice, `${field}.limit_price`, "a limit price for a LIMIT order");
    if (combo) requireFinite(price, `${field}.limit_price`, "a finite, IB-signed combo price");
    else if (!(Number.isFinite(price) && price > 0)) throw invalidArgument(`${field}.limit_price`, "a finite price above 0", price);
  } else {
    if (combo) throw invalidArgument(`${field}.order_type`, "LIMIT for a combo (MARKET is refused for combos)", "ORDER_TYPE_MARKET");
    if (order.limitPrice !== undefined) throw invalidArgument(`${field}.limit_price`, "unset for a MARKET order", order.limitPrice);
  }
  requireEnum(order.timeInForce, TIME_IN_FORCE, `${field}.time_in_force`, "DAY, GTC or unspecified (DAY)");
  // Never echo an account number back in full: say only that it is malformed.
  if (order.account !== "" && !/^[A-Za-z0-9]{1,32}$/.test(order.account)) {
    throw invalidArgument(`${field}.account`, "empty or an IB account id", "a malformed account id");
  }
}

/** WhatIfOrder: an order (its order_ref too, although nothing is placed). */
export function validateWhatIfOrder(request: WhatIfOrderRequest): void {
  validateOrderRequest(request.order, "order");
}

/** PlaceOrder: an order. */
export function validatePlaceOrder(request: PlaceOrderRequest): void {
  validateOrderRequest(request.order, "order");
}

/** ModifyOrder: a positive order id and at least one change (a finite price, a quantity ≥ 1). */
export function validateModifyOrder(request: ModifyOrderRequest): void {
  requireIntIn(request.orderId, 1, INT32_MAX, "order_id");
  if (request.limitPrice === undefined && request.quantity === undefined) {
    throw invalidArgument("limit_price", "a new limit price or quantity (neither was set)", undefined);
  }
  if (request.limitPrice !== undefined) requireFinite(request.limitPrice, "limit_price", "a finite, IB-signed price");
  if (request.quantity !== undefined) requireIntIn(request.quantity, 1, MAX_ORDER_QUANTITY, "quantity");
}

/** CancelOrder: a positive order id or an orderRef. */
export function validateCancelOrder(request: CancelOrderRequest): void {
  const target = request.target;
  switch (target.case) {
    case "orderId":
      requireIntIn(target.value, 1, INT32_MAX, "order_id");
      return;
    case "orderRef":
      requireOrderRef(target.value, "order_ref");
      return;
    default:
      throw invalidArgument("target", "order_id or order_ref", undefined);
  }
}

/** ListOrders: each orderRef valid. */
export function validateListOrders(request: ListOrdersRequest): void {
  validateOrderRefs(request.orderRefs, "order_refs");
}

/** StreamOrderEvents: each orderRef valid. */
export function validateStreamOrderEvents(request: StreamOrderEventsRequest): void {
  validateOrderRefs(request.orderRefs, "order_refs");
}

/** GetPositions: an optional symbol filter. */
export function validateGetPositions(request: GetPositionsRequest): void {
  checkOptionalText(request.symbol, "symbol");
}

function validateOrderRefs(refs: readonly string[], field: string): void {
  if (refs.length > MAX_ORDER_REFS) throw invalidArgument(field, `at most ${MAX_ORDER_REFS} orderRefs`, `${refs.length} orderRefs`);
  refs.forEach((ref, i) => { requireOrderRef(ref, `${field}[${i}]`); });
}
