// Request decoders against frames in ib_async's style (its client.py at v176: "0"/"0.0" for empty
// numbers, "Infinite", 0/1 booleans, explicit leg defaults) and against malformed input.
import { describe, expect, it } from "vitest";
import { decodeRequest } from "./index.js";
import type { DecodedRequest } from "./index.js";

function narrow<T extends DecodedRequest["type"]>(request: DecodedRequest, type: T): Extract<DecodedRequest, { type: T }> {
  if (request.type === "malformed") throw request.error;
  expect(request.type).toBe(type);
  return request as Extract<DecodedRequest, { type: T }>;
}

/** ib_async's placeOrder for a 2-leg BAG LMT what-if order, field by field as its client.py writes them. */
function ibAsyncBagOrder(orderId: number): string[] {
  return [
    "3", String(orderId),
    // contract: conId, symbol, secType, lastTradeDateOrContractMonth, strike, right, multiplier,
    // exchange, primaryExchange, currency, localSymbol, tradingClass; then secIdType, secId
    "0", "AAPL", "BAG", "", "0.0", "", "", "SMART", "", "USD", "", "", "", "",
    // action, totalQuantity, orderType, lmtPrice, auxPrice (UNSET → ""), tif, ocaGroup, account,
    // openClose, origin, orderRef, transmit, parentId, blockOrder, sweepToFill, displaySize,
    // triggerMethod, outsideRth, hidden
    "BUY", "2.0", "LMT", "-1.25", "", "", "", "DU123456", "", "0", "trade-x", "1", "0", "0", "0", "0", "0", "0", "0",
    // 2 legs × (conId, ratio, action, exchange, openClose, shortSaleSlot, designatedLocation, exemptCode)
    "2", "500145", "1", "BUY", "SMART", "0", "0", "", "-1", "500150", "1", "SELL", "SMART", "0", "0", "", "-1",
    // orderComboLegs, smartComboRoutingParams
    "0", "1", "NonGuaranteed", "1",
    // sharesAllocation, discretionaryAmt, goodAfterTime, goodTillDate, faGroup, faMethod, faPercentage,
    // faProfile, modelCode, shortSaleSlot, designatedLocation, exemptCode, ocaType, rule80A,
    // settlingFirm, allOrNone, minQty, percentOffset, eTradeOnly, firmQuoteOnly, nbboPriceCap,
    // auctionStrategy, startingPrice, stockRefPrice, delta, stockRangeLower, stockRangeUpper,
    // overridePercentageConstraints, volatility, volatilityType, deltaNeutralOrderType, deltaNeutralAuxPrice
    "", "0.0", "", "", "", "", "", "", "", "0", "", "-1", "0", "", "", "0", "", "", "0", "0", "", "0", "", "", "", "", "", "0", "", "", "", "",
    // continuousUpdate, referencePriceType, trailStopPrice, trailingPercent, scaleInitLevelSize,
    // scaleSubsLevelSize, scalePriceIncrement, scaleTable, activeStartTime, activeStopTime, hedgeType
    "0", "", "", "", "", "", "", "", "", "", "",
    // optOutSmartRouting, clearingAccount, clearingIntent, notHeld, deltaNeutralContract flag, algoStrategy
    "0", "", "", "0", "0", "",
    // algoId, whatIf, orderMiscOptions, solicited, randomizeSize, randomizePrice, conditions count
    "", "1", "", "0", "0", "0", "0",
    // adjustedOrderType, triggerPrice, lmtPriceOffset, adjustedStopPrice, adjustedStopLimitPrice,
    // adjustedTrailingAmount, adjustableTrailingUnit, extOperator, softDollarTier name/value, cashQty
    "", "", "", "", "", "", "0", "", "", "", "",
    // mifid2 ×4, dontUseAutoPriceForHedge, isOmsContainer, discretionaryUpToLimitPrice, usePriceMgmtAlgo
    "", "", "", "", "0", "0", "0", "",
    // duration, postToAts, autoCancelParent, advancedErrorOverride, manualOrderTime
    "", "", "0", "", "",
  ];
}

describe("decodeRequest with ib_async-style frames", () => {
  it("decodes the BAG what-if order, reading 0.0 and 0 as empty numbers", () => {
    const fields = ibAsyncBagOrder(1010);
    expect(fields).toHaveLength(115 + 3 + 2 * 8 + 2);
    const r = narrow(decodeRequest(fields), "placeOrder");
    expect(r.contract).toMatchObject({ conId: 0, strike: 0, secType: "BAG" });
    expect(r.contract.comboLegs.map((leg) => [leg.conId, leg.action, leg.exemptCode])).toEqual([
      [500145, "BUY", -1],
      [500150, "SELL", -1],
    ]);
    expect(r.order).toMatchObject({
      totalQuantity: 2,
      lmtPrice: -1.25,
      auxPrice: undefined,
      tif: "",
      transmit: true,
      whatIf: true,
      discretionaryAmt: 0,
      minQty: undefined,
      usePriceMgmtAlgo: undefined,
      smartComboRoutingParams: [{ tag: "NonGuaranteed", value: "1" }],
    });
  });

  it('decodes PEG BEST up to mid, sent as "Infinite", on IBKRATS', () => {
    // Same order on a stock: drop the BAG block and switch exchange and type.
    const fields = ibAsyncBagOrder(1011);
    fields.splice(35, 21); // the BAG block: 1 + 16 + 1 + 3 fields after `hidden`
    fields[4] = "STK";
    fields[9] = "IBKRATS";
    fields[18] = "PEG BEST";
    fields.push("100", "50", "Infinite", "0.02", "0.01"); // minTradeQty, minCompeteSize, offset, mid offsets
    const r = narrow(decodeRequest(fields), "placeOrder");
    expect(r.order).toMatchObject({
      orderType: "PEG BEST",
      minTradeQty: 100,
      minCompeteSize: 50,
      competeAgainstBestOffset: Infinity,
      midOffsetAtWhole: 0.02,
      midOffsetAtHalf: 0.01,
    });
  });

  it("decodes the startup requests ib_async sends", () => {
    expect(decodeRequest(["71", "2", "0", ""])).toEqual({ type: "startApi", clientId: 0, optionalCapabilities: "" });
    expect(decodeRequest(["15", "1", "1"])).toEqual({ type: "reqAutoOpenOrders", autoBind: true });
    expect(decodeRequest(["99", "0"])).toEqual({ type: "reqCompletedOrders", apiOnly: false });
    expect(decodeRequest(["76", "1", "5", "DU123456", "", "0"])).toEqual({
      type: "reqAccountUpdatesMulti",
      reqId: 5,
      account: "DU123456",
      modelCode: "",
      ledgerAndNlv: false,
    });
    expect(narrow(decodeRequest(["7", "3", "9", "0", "", "", "", "", "", ""]), "reqExecutions").filter.clientId).toBe(0);
  });

  it("decodes cancelMktData version 2 and a reqMktData with 0/0.0 contract numbers", () => {
    expect(decodeRequest(["2", "2", "14"])).toEqual({ type: "cancelMktData", tickerId: 14 });
    const r = narrow(
      decodeRequest(["1", "11", "14", "0", "SPY", "STK", "", "0.0", "", "", "SMART", "", "USD", "", "", "0", "", "1", "0", ""]),
      "reqMktData",
    );
    expect(r.contract).toMatchObject({ conId: 0, strike: 0, symbol: "SPY" });
    expect(r.snapshot).toBe(true);
  });
});

describe("decodeRequest with bad input", () => {
  it("returns unknown for an id it does not decode, with the fields", () => {
    expect(decodeRequest(["10", "5", "1"])).toEqual({ type: "unknown", messageId: 10, fields: ["10", "5", "1"] });
  });

  it("returns malformed for a non-numeric message id", () => {
    expect(decodeRequest(["hello"])).toMatchObject({ type: "malformed", messageId: undefined, error: { code: "badField" } });
    expect(decodeRequest([])).toMatchObject({ type: "malformed", messageId: undefined });
  });

  it("returns malformed with the order id for a truncated placeOrder", () => {
    const result = decodeRequest(ibAsyncBagOrder(1012).slice(0, 60));
    expect(result).toMatchObject({ type: "malformed", messageId: 3, requestId: 1012, error: { code: "underrun" } });
  });

  it("returns malformed for one field too many, even where a second reading is tried", () => {
    expect(decodeRequest([...ibAsyncBagOrder(1013), "extra"])).toMatchObject({
      type: "malformed",
      requestId: 1013,
      error: { code: "leftoverFields" },
    });
    expect(decodeRequest(["2", "1", "14", "extra"])).toMatchObject({
      type: "malformed",
      messageId: 2,
      requestId: 14,
      error: { code: "leftoverFields", context: { messageName: "cancelMktData", fieldIndex: 3 } },
    });
  });

  it("returns malformed naming the field for a non-numeric number", () => {
    expect(decodeRequest(["62", "1", "abc", "All", "NetLiquidation"])).toMatchObject({
      type: "malformed",
      requestId: undefined,
      error: { code: "badField", context: { messageName: "reqAccountSummary", field: "reqId", value: "abc" } },
    });
  });

  it("returns malformed for an unknown order-condition type", () => {
    const fields = ibAsyncBagOrder(1014);
    const conditionsAt = fields.length - 25; // 24 fields follow the conditions count
    expect(fields[conditionsAt]).toBe("0");
    fields.splice(conditionsAt, 1, "1", "2", "a");
    expect(decodeRequest(fields)).toMatchObject({ type: "malformed", requestId: 1014, error: { code: "badField" } });
  });
});
