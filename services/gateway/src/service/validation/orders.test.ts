import { create } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  CancelOrderRequestSchema,
  GetPositionsRequestSchema,
  ListOrdersRequestSchema,
  ModifyOrderRequestSchema,
  OrderAction,
  OrderRequestSchema,
  OrderType,
  PlaceOrderRequestSchema,
  StreamOrderEventsRequestSchema,
  WhatIfOrderRequestSchema,
} from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { expectInvalid, withRawEnum } from "../testing/expect-invalid.js";
import {
  validateCancelOrder,
  validateGetPositions,
  validateListOrders,
  validateModifyOrder,
  validateOrderRequest,
  validatePlaceOrder,
  validateStreamOrderEvents,
  validateWhatIfOrder,
} from "./orders.js";

type OrderInit = MessageInitShape<typeof OrderRequestSchema>;
const comboContract = {
  instrument: {
    case: "combo" as const,
    value: { symbol: "SPY", legs: [{ conId: 11, ratio: 1, action: OrderAction.BUY }, { conId: 12, ratio: 1, action: OrderAction.SELL }] },
  },
};
const good: OrderInit = { orderRef: "trade-1", contract: comboContract, action: OrderAction.BUY, quantity: 2, orderType: OrderType.LIMIT, limitPrice: -1.25 };
const order = (init: OrderInit) => create(OrderRequestSchema, init);
const without = (key: keyof OrderInit): OrderInit => Object.fromEntries(Object.entries(good).filter(([k]) => k !== key));

describe("validateOrderRequest", () => {
  it("accepts a combo limit order with a signed price and a single market order", () => {
    expect(() => { validateOrderRequest(order(good), "order"); }).not.toThrow();
    expect(() => { validateOrderRequest(
        order({ orderRef: "x".repeat(40), contract: { instrument: { case: "single", value: { conId: 9 } } }, action: OrderAction.SELL, quantity: 1, orderType: OrderType.MARKET }),
        "order",
      ); },
    ).not.toThrow();
  });

  it.each([
    ["missing order", undefined, "order"],
    ["empty order_ref", order(without("orderRef")), "order.order_ref"],
    ["blank order_ref", order({ ...good, orderRef: "   " }), "order.order_ref"],
    ["41-character order_ref", order({ ...good, orderRef: "r".repeat(41) }), "order.order_ref"],
    ["missing contract", order(without("contract")), "order.contract"],
    ["empty contract", order({ ...good, contract: {} }), "order.contract"],
    ["combo with one leg", order({ ...good, contract: { instrument: { case: "combo", value: { symbol: "SPY", legs: [{ conId: 1, ratio: 1, action: OrderAction.BUY }] } } } }), "order.contract.combo.legs"],
    ["unspecified action", order(without("action")), "order.action"],
    ["zero quantity", order({ ...good, quantity: 0 }), "order.quantity"],
    ["huge quantity", order({ ...good, quantity: 10_001 }), "order.quantity"],
    ["unspecified order type", order(without("orderType")), "order.order_type"],
    ["limit without price", order(without("limitPrice")), "order.limit_price"],
    ["NaN limit price", order({ ...good, limitPrice: Number.NaN }), "order.limit_price"],
    ["infinite limit price", order({ ...good, limitPrice: Number.NEGATIVE_INFINITY }), "order.limit_price"],
    ["negative single limit price", order({ ...good, contract: { instrument: { case: "single", value: { conId: 9 } } }, limitPrice: -1 }), "order.limit_price"],
    ["market combo", order({ ...good, orderType: OrderType.MARKET, limitPrice: undefined }), "order.order_type"],
    ["market order with a price", order({ ...good, contract: { instrument: { case: "single", value: { conId: 9 } } }, orderType: OrderType.MARKET }), "order.limit_price"],
    ["unknown time in force", withRawEnum(order(good), "timeInForce", 5), "order.time_in_force"],
    ["malformed account", order({ ...good, account: "DU 123" }), "order.account"],
  ])("refuses %s", (_name, value, field) => { expectInvalid(() => { validateOrderRequest(value, "order"); }, field); });

  it("never echoes the account it refuses", () => {
    try {
      validateOrderRequest(order({ ...good, account: "DU1234567!" }), "order");
    } catch (error) {
      expect(String(error)).not.toContain("1234567");
    }
  });

  it("WhatIf and Place validate their order", () => {
    expectInvalid(() => { validateWhatIfOrder(create(WhatIfOrderRequestSchema, {})); }, "order");
    expectInvalid(() => { validatePlaceOrder(create(PlaceOrderRequestSchema, { order: { ...good, quantity: 0 } })); }, "order.quantity");
    expect(() => { validatePlaceOrder(create(PlaceOrderRequestSchema, { order: good })); }).not.toThrow();
  });
});

describe("ModifyOrder / CancelOrder / ListOrders / StreamOrderEvents / GetPositions", () => {
  it.each([
    ["no order id", create(ModifyOrderRequestSchema, { limitPrice: 1 }), "order_id"],
    ["negative order id", create(ModifyOrderRequestSchema, { orderId: -3, limitPrice: 1 }), "order_id"],
    ["no change", create(ModifyOrderRequestSchema, { orderId: 3 }), "limit_price"],
    ["NaN price", create(ModifyOrderRequestSchema, { orderId: 3, limitPrice: Number.NaN }), "limit_price"],
    ["zero quantity", create(ModifyOrderRequestSchema, { orderId: 3, quantity: 0 }), "quantity"],
  ])("ModifyOrder refuses %s", (_name, request, field) => { expectInvalid(() => { validateModifyOrder(request); }, field); });

  it("ModifyOrder accepts a price or a quantity", () => {
    expect(() => { validateModifyOrder(create(ModifyOrderRequestSchema, { orderId: 3, limitPrice: -0.5 })); }).not.toThrow();
    expect(() => { validateModifyOrder(create(ModifyOrderRequestSchema, { orderId: 3, quantity: 2 })); }).not.toThrow();
  });

  it.each([
    ["no target", create(CancelOrderRequestSchema, {}), "target"],
    ["zero order id", create(CancelOrderRequestSchema, { target: { case: "orderId", value: 0 } }), "order_id"],
    ["empty order_ref", create(CancelOrderRequestSchema, { target: { case: "orderRef", value: "" } }), "order_ref"],
    ["long order_ref", create(CancelOrderRequestSchema, { target: { case: "orderRef", value: "z".repeat(41) } }), "order_ref"],
  ])("CancelOrder refuses %s", (_name, request, field) => { expectInvalid(() => { validateCancelOrder(request); }, field); });

  it("CancelOrder accepts an id or a ref", () => {
    expect(() => { validateCancelOrder(create(CancelOrderRequestSchema, { target: { case: "orderId", value: 4 } })); }).not.toThrow();
    expect(() => { validateCancelOrder(create(CancelOrderRequestSchema, { target: { case: "orderRef", value: "t-1" } })); }).not.toThrow();
  });

  it("ListOrders and StreamOrderEvents check each orderRef", () => {
    expect(() => { validateListOrders(create(ListOrdersRequestSchema, {})); }).not.toThrow();
    expectInvalid(() => { validateListOrders(create(ListOrdersRequestSchema, { orderRefs: ["a", ""] })); }, "order_refs[1]");
    expectInvalid(() => { validateListOrders(create(ListOrdersRequestSchema, { orderRefs: Array.from({ length: 1001 }, () => "a") })); }, "order_refs");
    expectInvalid(() => { validateStreamOrderEvents(create(StreamOrderEventsRequestSchema, { orderRefs: ["q".repeat(41)] })); }, "order_refs[0]");
  });

  it("GetPositions accepts an empty symbol and refuses a blank one", () => {
    expect(() => { validateGetPositions(create(GetPositionsRequestSchema, {})); }).not.toThrow();
    expectInvalid(() => { validateGetPositions(create(GetPositionsRequestSchema, { symbol: " " })); }, "symbol");
  });
});
