// Request decoders against the frames a real @stoqey/ib 1.6.10 client sends at server version 176.
import {
  BarSizeSetting,
  ConjunctionConnection,
  ExecutionCondition,
  Instrument,
  LocationCode,
  MarginCondition,
  MarketDataType,
  OptionType,
  OrderAction,
  OrderType,
  PercentChangeCondition,
  PriceCondition,
  ScanCode,
  SecType,
  TimeCondition,
  TriggerMethod,
  VolumeCondition,
  WhatToShow,
} from "@stoqey/ib";
import type { Contract as StoqeyContract, Order as StoqeyOrder } from "@stoqey/ib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IncomingMessageId as In } from "../message-ids.js";
import { connectStoqeyClient } from "../testing/stoqey-harness.js";
import type { StoqeySession } from "../testing/stoqey-harness.js";
import { decodeRequest } from "./index.js";
import type { DecodedRequest } from "./index.js";

let session: StoqeySession;

beforeAll(async () => {
  session = await connectStoqeyClient({ clientId: 7 });
});

afterAll(async () => {
  await session.close();
});

/** Takes the client's next frame with this id and decodes it, failing on any decode error. */
async function captured(messageId: number): Promise<{ fields: string[]; request: DecodedRequest }> {
  const fields = await session.nextRequest(messageId);
  const request = decodeRequest(fields);
  if (request.type === "malformed") throw request.error;
  return { fields, request };
}

function narrow<T extends DecodedRequest["type"]>(request: DecodedRequest, type: T): Extract<DecodedRequest, { type: T }> {
  expect(request.type).toBe(type);
  return request as Extract<DecodedRequest, { type: T }>;
}

const aapl: StoqeyContract = { symbol: "AAPL", secType: SecType.STK, exchange: "SMART", currency: "USD" };
const call150: StoqeyContract = {
  conId: 500150,
  symbol: "AAPL",
  secType: SecType.OPT,
  lastTradeDateOrContractMonth: "20250117",
  strike: 150,
  right: OptionType.Call,
  multiplier: 100,
  exchange: "SMART",
  currency: "USD",
  tradingClass: "AAPL",
};
const bullPutSpread: StoqeyContract = {
  symbol: "AAPL",
  secType: SecType.BAG,
  exchange: "SMART",
  currency: "USD",
  comboLegs: [
    { conId: 500145, ratio: 1, action: OrderAction.BUY, exchange: "SMART" },
    { conId: 500150, ratio: 1, action: OrderAction.SELL, exchange: "SMART" },
  ],
};

describe("request decoders against @stoqey/ib", () => {
  it("decodes startApi with the client id and the v100..193 handshake", async () => {
    const { fields, request } = await captured(In.startApi);
    expect(fields).toEqual(["71", "2", "7", ""]);
    expect(request).toEqual({ type: "startApi", clientId: 7, optionalCapabilities: "" });
    expect(session.versionString).toBe("v100..193");
  });

  it("decodes reqMktData for a stock with a generic tick list", async () => {
    session.ib.reqMktData(11, aapl, "100,101,106", false, false);
    const { request } = await captured(In.reqMktData);
    const r = narrow(request, "reqMktData");
    expect(r.tickerId).toBe(11);
    expect(r.contract).toMatchObject({ conId: 0, symbol: "AAPL", secType: "STK", strike: 0, exchange: "SMART", currency: "USD" });
    expect(r.contract.comboLegs).toEqual([]);
    expect(r.contract.deltaNeutralContract).toBeUndefined();
    expect(r.genericTicks).toEqual(["100", "101", "106"]);
    expect(r.snapshot).toBe(false);
    expect(r.regulatorySnapshot).toBe(false);
  });

  it("decodes reqMktData for an option snapshot", async () => {
    session.ib.reqMktData(12, call150, null, true, false);
    const r = narrow((await captured(In.reqMktData)).request, "reqMktData");
    expect(r.contract).toMatchObject({
      conId: 500150,
      secType: "OPT",
      lastTradeDateOrContractMonth: "20250117",
      strike: 150,
      right: "C",
      multiplier: "100",
      tradingClass: "AAPL",
    });
    expect(r.genericTicks).toEqual([]);
    expect(r.snapshot).toBe(true);
  });

  it("decodes reqMktData for a BAG with its legs and a delta-neutral contract", async () => {
    session.ib.reqMktData(13, { ...bullPutSpread, deltaNeutralContract: { conId: 265598, delta: 0.3, price: 151.25 } }, "", false, false);
    const { fields, request } = await captured(In.reqMktData);
    const r = narrow(request, "reqMktData");
    expect(fields).toHaveLength(20 + 1 + 2 * 4 + 3);
    expect(r.contract.comboLegs).toEqual([
      { conId: 500145, ratio: 1, action: "BUY", exchange: "SMART" },
      { conId: 500150, ratio: 1, action: "SELL", exchange: "SMART" },
    ]);
    expect(r.contract.deltaNeutralContract).toEqual({ conId: 265598, delta: 0.3, price: 151.25 });
  });

  it("decodes cancelMktData", async () => {
    session.ib.cancelMktData(13);
    expect((await captured(In.cancelMktData)).request).toEqual({ type: "cancelMktData", tickerId: 13 });
  });

  it("decodes reqMarketDataType, reqCurrentTime, reqIds and reqManagedAccts", async () => {
    session.ib.reqMarketDataType(MarketDataType.DELAYED);
    session.ib.reqCurrentTime();
    session.ib.reqIds();
    session.ib.reqManagedAccts();
    expect((await captured(In.reqMarketDataType)).request).toEqual({ type: "reqMarketDataType", marketDataType: 3 });
    expect((await captured(In.reqCurrentTime)).request).toEqual({ type: "reqCurrentTime" });
    expect((await captured(In.reqIds)).request).toEqual({ type: "reqIds", numIds: 0 });
    expect((await captured(In.reqManagedAccts)).request).toEqual({ type: "reqManagedAccts" });
  });

  it("decodes reqHistoricalData with the bar size before the duration", async () => {
    session.ib.reqHistoricalData(21, aapl, "", "2 D", BarSizeSetting.MINUTES_FIVE, WhatToShow.TRADES, 1, 1, true);
    const { fields, request } = await captured(In.reqHistoricalData);
    expect(fields).toHaveLength(23);
    const r = narrow(request, "reqHistoricalData");
    expect(r).toMatchObject({
      reqId: 21,
      endDateTime: "",
      barSizeSetting: "5 mins",
      durationStr: "2 D",
      useRth: true,
      whatToShow: "TRADES",
      formatDate: 1,
      keepUpToDate: true,
      includeExpired: false,
      chartOptions: [],
    });
  });

  it("decodes reqHistoricalData for a BAG", async () => {
    session.ib.reqHistoricalData(22, bullPutSpread, "20250102 16:00:00 US/Eastern", "1 W", BarSizeSetting.HOURS_ONE, WhatToShow.MIDPOINT, false, 2, false);
    const r = narrow((await captured(In.reqHistoricalData)).request, "reqHistoricalData");
    expect(r.contract.comboLegs.map((leg) => leg.conId)).toEqual([500145, 500150]);
    expect(r).toMatchObject({ endDateTime: "20250102 16:00:00 US/Eastern", useRth: false, formatDate: 2, keepUpToDate: false });
  });

  it("decodes cancelHistoricalData, reqHeadTimestamp and reqMarketRule", async () => {
    session.ib.cancelHistoricalData(22);
    session.ib.reqHeadTimestamp(23, call150, WhatToShow.BID, true, 2);
    session.ib.reqMarketRule(26);
    expect((await captured(In.cancelHistoricalData)).request).toEqual({ type: "cancelHistoricalData", reqId: 22 });
    const head = narrow((await captured(In.reqHeadTimestamp)).request, "reqHeadTimestamp");
    expect(head).toMatchObject({ reqId: 23, useRth: true, whatToShow: "BID", formatDate: 2 });
    expect(head.contract.conId).toBe(500150);
    expect((await captured(In.reqMarketRule)).request).toEqual({ type: "reqMarketRule", marketRuleId: 26 });
  });

  it("decodes reqContractDetails (19 fields)", async () => {
    session.ib.reqContractDetails(31, { ...call150, conId: undefined });
    const { fields, request } = await captured(In.reqContractDetails);
    expect(fields).toHaveLength(19);
    const r = narrow(request, "reqContractDetails");
    expect(r.reqId).toBe(31);
    expect(r.contract).toMatchObject({ conId: 0, symbol: "AAPL", secType: "OPT", strike: 150, right: "C" });
    expect(r).toMatchObject({ includeExpired: false, secIdType: "", secId: "", issuerId: "" });
  });

  it("decodes reqSecDefOptParams", async () => {
    session.ib.reqSecDefOptParams(32, "AAPL", "", "STK", 265598);
    expect((await captured(In.reqSecDefOptParams)).request).toEqual({
      type: "reqSecDefOptParams",
      reqId: 32,
      underlyingSymbol: "AAPL",
      futFopExchange: "",
      underlyingSecType: "STK",
      underlyingConId: 265598,
    });
  });

  it("decodes reqScannerSubscription with its filter tag-value list", async () => {
    session.ib.reqScannerSubscription(
      41,
      {
        scanCode: ScanCode.HIGH_OPT_IMP_VOLAT,
        instrument: Instrument.STK,
        locationCode: LocationCode.STK_US_MAJOR,
        numberOfRows: 25,
        abovePrice: 5,
      },
      [],
      [
        { tag: "optVolumeAbove", value: "1000" },
        { tag: "marketCapAbove1e6", value: "10000" },
      ],
    );
    const { fields, request } = await captured(In.reqScannerSubscription);
    expect(fields).toHaveLength(25);
    const r = narrow(request, "reqScannerSubscription");
    expect(r.reqId).toBe(41);
    expect(r.subscription).toMatchObject({
      numberOfRows: 25,
      instrument: "STK",
      locationCode: "STK.US.MAJOR",
      scanCode: "HIGH_OPT_IMP_VOLAT",
      abovePrice: 5,
      belowPrice: undefined,
      excludeConvertible: false,
    });
    expect(r.filterOptions).toEqual([
      { tag: "optVolumeAbove", value: "1000" },
      { tag: "marketCapAbove1e6", value: "10000" },
    ]);
    expect(r.subscriptionOptions).toEqual([]);
  });

  it("decodes cancelScannerSubscription and reqScannerParameters", async () => {
    session.ib.cancelScannerSubscription(41);
    session.ib.reqScannerParameters();
    expect((await captured(In.cancelScannerSubscription)).request).toEqual({ type: "cancelScannerSubscription", reqId: 41 });
    expect((await captured(In.reqScannerParameters)).request).toEqual({ type: "reqScannerParameters" });
  });

  it("decodes a BAG combo limit what-if order (134 fields) with empty booleans read as documented", async () => {
    const order: StoqeyOrder = {
      action: OrderAction.BUY,
      totalQuantity: 2,
      orderType: OrderType.LMT,
      lmtPrice: -1.25,
      tif: "DAY",
      account: "DU123456",
      orderRef: "trade-7f3a",
      whatIf: true,
      smartComboRoutingParams: [{ tag: "NonGuaranteed", value: "1" }],
      orderComboLegs: [{ price: 1.1 }, { price: 2.35 }],
    };
    session.ib.placeOrder(1001, bullPutSpread, order);
    const { fields, request } = await captured(In.placeOrder);
    expect(fields).toHaveLength(115 + 3 + 8 * 2 + 2 + 2);
    const r = narrow(request, "placeOrder");
    expect(r.orderId).toBe(1001);
    expect(r.contract.comboLegs).toEqual([
      { conId: 500145, ratio: 1, action: "BUY", exchange: "SMART", openClose: 0, shortSaleSlot: 0, designatedLocation: "", exemptCode: -1 },
      { conId: 500150, ratio: 1, action: "SELL", exchange: "SMART", openClose: 0, shortSaleSlot: 0, designatedLocation: "", exemptCode: -1 },
    ]);
    expect(r.order).toMatchObject({
      action: "BUY",
      totalQuantity: 2,
      orderType: "LMT",
      lmtPrice: -1.25,
      auxPrice: undefined,
      tif: "DAY",
      account: "DU123456",
      orderRef: "trade-7f3a",
      whatIf: true,
      transmit: true, // "" on the wire
      outsideRth: false, // "" on the wire
      hidden: false,
      parentId: 0,
      ocaGroup: "",
      smartComboRoutingParams: [{ tag: "NonGuaranteed", value: "1" }],
      orderComboLegs: [{ price: 1.1 }, { price: 2.35 }],
      conditions: [],
      scale: undefined,
      deltaNeutral: undefined,
    });
  });

  it("decodes a plain stock order (115 fields) with explicit booleans and an OCA group", async () => {
    session.ib.placeOrder(1002, aapl, {
      action: OrderAction.SELL,
      totalQuantity: 10.5,
      orderType: OrderType.STP_LMT,
      lmtPrice: 149.5,
      auxPrice: 150,
      tif: "GTC",
      transmit: false,
      outsideRth: true,
      ocaGroup: "oca-1",
      parentId: 1001,
    });
    const { fields, request } = await captured(In.placeOrder);
    expect(fields).toHaveLength(115);
    const r = narrow(request, "placeOrder");
    expect(r.order).toMatchObject({
      action: "SELL",
      totalQuantity: 10.5,
      orderType: "STP LMT",
      lmtPrice: 149.5,
      auxPrice: 150,
      tif: "GTC",
      transmit: false,
      outsideRth: true,
      ocaGroup: "oca-1",
      parentId: 1001,
      whatIf: false,
    });
  });

  it("walks every conditional placeOrder block: delta-neutral, scale, hedge, algo, conditions, PEG MID", async () => {
    session.ib.placeOrder(
      1003,
      { ...call150, deltaNeutralContract: { conId: 265598, delta: 0.5, price: 150 } },
      {
        action: OrderAction.BUY,
        totalQuantity: 1,
        orderType: OrderType.PEG_MID,
        deltaNeutralOrderType: "MKT",
        deltaNeutralConId: 265598,
        deltaNeutralShortSale: true,
        scaleInitLevelSize: 2,
        scaleSubsLevelSize: 1,
        scalePriceIncrement: 0.05,
        scaleAutoReset: true,
        scaleProfitOffset: 0.1,
        hedgeType: "D",
        hedgeParam: "0.5",
        algoStrategy: "Adaptive",
        algoParams: [{ tag: "adaptivePriority", value: "Normal" }],
        conditions: [
          new PriceCondition(151.5, TriggerMethod.Last, 265598, "SMART", true, ConjunctionConnection.AND),
          new TimeCondition("20250102 10:00:00 US/Eastern", true, ConjunctionConnection.OR),
          new MarginCondition(30, false, ConjunctionConnection.AND),
          new ExecutionCondition("SMART", SecType.STK, "MSFT", ConjunctionConnection.AND),
          new VolumeCondition(100000, 265598, "SMART", true, ConjunctionConnection.AND),
          new PercentChangeCondition(2.5, 265598, "SMART", false, ConjunctionConnection.AND),
        ],
        conditionsIgnoreRth: true,
        midOffsetAtWhole: 0.01,
        midOffsetAtHalf: 0.005,
        usePriceMgmtAlgo: true,
        cashQty: 1500,
      },
    );
    const r = narrow((await captured(In.placeOrder)).request, "placeOrder");
    expect(r.contract.deltaNeutralContract).toEqual({ conId: 265598, delta: 0.5, price: 150 });
    expect(r.order.deltaNeutral).toMatchObject({ conId: 265598, shortSale: true });
    expect(r.order.scale).toMatchObject({ autoReset: true, profitOffset: 0.1, randomPercent: false });
    expect(r.order).toMatchObject({
      scaleInitLevelSize: 2,
      scalePriceIncrement: 0.05,
      hedgeType: "D",
      hedgeParam: "0.5",
      algoStrategy: "Adaptive",
      algoParams: [{ tag: "adaptivePriority", value: "Normal" }],
      conditionsIgnoreRth: true,
      conditionsCancelOrder: false,
      midOffsetAtWhole: 0.01,
      midOffsetAtHalf: 0.005,
      usePriceMgmtAlgo: true,
      cashQty: 1500,
    });
    expect(r.order.conditions).toEqual([
      { type: "price", conjunction: "and", isMore: true, price: 151.5, conId: 265598, exchange: "SMART", triggerMethod: 2 },
      { type: "time", conjunction: "or", isMore: true, time: "20250102 10:00:00 US/Eastern" },
      { type: "margin", conjunction: "and", isMore: false, percent: 30 },
      { type: "execution", conjunction: "and", secType: "STK", exchange: "SMART", symbol: "MSFT" },
      { type: "volume", conjunction: "and", isMore: true, volume: 100000, conId: 265598, exchange: "SMART" },
      { type: "percentChange", conjunction: "and", isMore: false, changePercent: 2.5, conId: 265598, exchange: "SMART" },
    ]);
  });

  it("decodes PEG BEST up to mid on IBKRATS and PEG BENCH tails", async () => {
    session.ib.placeOrder(1004, { ...aapl, exchange: "IBKRATS" }, {
      action: OrderAction.BUY,
      totalQuantity: 100,
      orderType: OrderType.PEG_BEST,
      minTradeQty: 10,
      minCompeteSize: 100,
      competeAgainstBestOffset: Infinity,
      midOffsetAtWhole: 0.02,
      midOffsetAtHalf: 0.01,
    });
    const best = narrow((await captured(In.placeOrder)).request, "placeOrder");
    expect(best.order).toMatchObject({ minTradeQty: 10, minCompeteSize: 100, competeAgainstBestOffset: Infinity, midOffsetAtWhole: 0.02 });

    session.ib.placeOrder(1005, aapl, {
      action: OrderAction.BUY,
      totalQuantity: 100,
      orderType: OrderType.PEG_BENCH,
      referenceContractId: 756733,
      isPeggedChangeAmountDecrease: false,
      peggedChangeAmount: 0.2,
      referenceChangeAmount: 0.5,
      referenceExchangeId: "ARCA",
    });
    const bench = narrow((await captured(In.placeOrder)).request, "placeOrder");
    expect(bench.order.pegBench).toEqual({
      referenceContractId: 756733,
      isPeggedChangeAmountDecrease: false,
      peggedChangeAmount: 0.2,
      referenceChangeAmount: 0.5,
      referenceExchangeId: "ARCA",
    });
  });

  it("decodes an order whose scale increment is 0, which @stoqey/ib follows with the 7 scale fields", async () => {
    session.ib.placeOrder(1006, aapl, { action: OrderAction.BUY, totalQuantity: 1, orderType: OrderType.MKT, scalePriceIncrement: 0 });
    const { fields, request } = await captured(In.placeOrder);
    expect(fields).toHaveLength(115 + 7);
    const r = narrow(request, "placeOrder");
    expect(r.order.scalePriceIncrement).toBe(0);
    expect(r.order.scale).toBeDefined();
  });

  it("decodes cancelOrder (v176: version field, then orderId) and reqGlobalCancel", async () => {
    session.ib.cancelOrder(1002);
    session.ib.cancelOrder(1003, "20250102 10:00:00");
    session.ib.reqGlobalCancel();
    expect((await captured(In.cancelOrder)).request).toEqual({ type: "cancelOrder", orderId: 1002, manualOrderCancelTime: "" });
    expect((await captured(In.cancelOrder)).request).toEqual({
      type: "cancelOrder",
      orderId: 1003,
      manualOrderCancelTime: "20250102 10:00:00",
    });
    expect((await captured(In.reqGlobalCancel)).request).toEqual({ type: "reqGlobalCancel" });
  });

  it("decodes the open/completed order requests", async () => {
    session.ib.reqOpenOrders();
    session.ib.reqAllOpenOrders();
    session.ib.reqAutoOpenOrders(true);
    session.ib.reqCompletedOrders(false);
    expect((await captured(In.reqOpenOrders)).request).toEqual({ type: "reqOpenOrders" });
    expect((await captured(In.reqAllOpenOrders)).request).toEqual({ type: "reqAllOpenOrders" });
    expect((await captured(In.reqAutoOpenOrders)).request).toEqual({ type: "reqAutoOpenOrders", autoBind: true });
    expect((await captured(In.reqCompletedOrders)).request).toEqual({ type: "reqCompletedOrders", apiOnly: false });
  });

  it("decodes reqExecutions with an empty filter and with a full one", async () => {
    session.ib.reqExecutions(51, {});
    session.ib.reqExecutions(52, { clientId: "7", acctCode: "DU123456", time: "20250102-09:30:00", symbol: "AAPL", secType: SecType.OPT, exchange: "SMART", side: "BUY" });
    expect((await captured(In.reqExecutions)).request).toEqual({
      type: "reqExecutions",
      reqId: 51,
      filter: { clientId: undefined, account: "", time: "", symbol: "", secType: "", exchange: "", side: "" },
    });
    expect((await captured(In.reqExecutions)).request).toEqual({
      type: "reqExecutions",
      reqId: 52,
      filter: { clientId: 7, account: "DU123456", time: "20250102-09:30:00", symbol: "AAPL", secType: "OPT", exchange: "SMART", side: "BUY" },
    });
  });

  it("decodes the position and account requests", async () => {
    session.ib.reqPositions();
    session.ib.cancelPositions();
    session.ib.reqAccountUpdates(true, "DU123456");
    session.ib.reqAccountSummary(61, "All", "NetLiquidation,BuyingPower,$LEDGER:USD");
    session.ib.cancelAccountSummary(61);
    session.ib.reqAccountUpdatesMulti(62, "DU123456", "", true);
    session.ib.cancelAccountUpdatesMulti(62);
    session.ib.reqPositionsMulti(63, "DU123456", "");
    session.ib.cancelPositionsMulti(63);
    expect((await captured(In.reqPositions)).request).toEqual({ type: "reqPositions" });
    expect((await captured(In.cancelPositions)).request).toEqual({ type: "cancelPositions" });
    expect((await captured(In.reqAccountUpdates)).request).toEqual({ type: "reqAccountUpdates", subscribe: true, account: "DU123456" });
    expect((await captured(In.reqAccountSummary)).request).toEqual({
      type: "reqAccountSummary",
      reqId: 61,
      group: "All",
      tags: ["NetLiquidation", "BuyingPower", "$LEDGER:USD"],
    });
    expect((await captured(In.cancelAccountSummary)).request).toEqual({ type: "cancelAccountSummary", reqId: 61 });
    expect((await captured(In.reqAccountUpdatesMulti)).request).toEqual({
      type: "reqAccountUpdatesMulti",
      reqId: 62,
      account: "DU123456",
      modelCode: "",
      ledgerAndNlv: true,
    });
    expect((await captured(In.cancelAccountUpdatesMulti)).request).toEqual({ type: "cancelAccountUpdatesMulti", reqId: 62 });
    expect((await captured(In.reqPositionsMulti)).request).toEqual({ type: "reqPositionsMulti", reqId: 63, account: "DU123456", modelCode: "" });
    expect((await captured(In.cancelPositionsMulti)).request).toEqual({ type: "cancelPositionsMulti", reqId: 63 });
  });

  it("decodes the PnL requests", async () => {
    session.ib.reqPnL(71, "DU123456");
    session.ib.reqPnLSingle(72, "DU123456", null, 500150);
    session.ib.cancelPnL(71);
    session.ib.cancelPnLSingle(72);
    expect((await captured(In.reqPnL)).request).toEqual({ type: "reqPnL", reqId: 71, account: "DU123456", modelCode: "" });
    expect((await captured(In.reqPnLSingle)).request).toEqual({
      type: "reqPnLSingle",
      reqId: 72,
      account: "DU123456",
      modelCode: "",
      conId: 500150,
    });
    expect((await captured(In.cancelPnL)).request).toEqual({ type: "cancelPnL", reqId: 71 });
    expect((await captured(In.cancelPnLSingle)).request).toEqual({ type: "cancelPnLSingle", reqId: 72 });
  });
});
