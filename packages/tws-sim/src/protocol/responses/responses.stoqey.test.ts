// Response encoders against what a real @stoqey/ib 1.6.10 client decodes at server version 176:
// every frame must produce the expected event with the values sent, and never a 505 (underrun,
// unprocessed data left on the queue, unknown message).
import { EventName, OrderAction, OrderType, PriceCondition, SecType, ConjunctionConnection, TriggerMethod } from "@stoqey/ib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UNSET_DOUBLE_FIELD } from "../field-writer.js";
import { IncomingMessageId as In } from "../message-ids.js";
import { decodeRequest } from "../requests/index.js";
import { connectStoqeyClient } from "../testing/stoqey-harness.js";
import type { ClientEvent, StoqeySession } from "../testing/stoqey-harness.js";
import * as r from "./index.js";

let session: StoqeySession;

beforeAll(async () => {
  session = await connectStoqeyClient({ clientId: 9, nextValidId: 4242 });
});

afterEach(() => {
  const errors = session.decodingErrors();
  session.clearEvents();
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await session.close();
});

function eventsNamed(name: string): (readonly unknown[])[] {
  return session.events.filter((e: ClientEvent) => e.name === name).map((e) => e.args);
}

/** The arguments of the only event with this name. */
function only(name: string): readonly unknown[] {
  const found = eventsNamed(name);
  expect(found, `${name} events`).toHaveLength(1);
  return found[0] ?? [];
}

const stock = { conId: 265598, symbol: "AAPL", secType: "STK", exchange: "SMART", primaryExch: "NASDAQ", currency: "USD", localSymbol: "AAPL", tradingClass: "NMS" };
const call = {
  conId: 500150,
  symbol: "AAPL",
  secType: "OPT",
  lastTradeDateOrContractMonth: "20250117",
  strike: 150,
  right: "C",
  multiplier: "100",
  exchange: "SMART",
  currency: "USD",
  localSymbol: "AAPL  250117C00150000",
  tradingClass: "AAPL",
};

describe("response encoders against @stoqey/ib", () => {
  it("completes the handshake and startup with managedAccounts and nextValidId", () => {
    expect(only(EventName.server)[0]).toBe(176);
    expect(only(EventName.managedAccounts)).toEqual(["DU123456"]);
    expect(only(EventName.nextValidId)).toEqual([4242]);
  });

  it("encodes errors: a reqId error with valid advancedOrderReject JSON, a notice with id -1, currentTime", async () => {
    await session.sendAndSync(
      r.errorFields({ id: 1001, code: 201, message: "Order rejected - reason:price out of range", advancedOrderReject: { rejectReason: "x\u0001\\u0041y" } }),
      r.errorFields({ id: 12, code: 200, message: "No security definition has been found for the request" }),
      r.errorFields({ id: -1, code: 2104, message: "Market data farm connection is OK:usfarm" }),
      r.currentTimeFields(1735828200),
    );
    const [first, second] = eventsNamed(EventName.error);
    expect(first?.slice(1)).toEqual([201, 1001, { rejectReason: "x \\ u0041y" }]);
    expect((first?.[0] as Error).message).toBe("Order rejected - reason:price out of range");
    expect(second?.slice(1)).toEqual([200, 12, undefined]);
    expect(only(EventName.info)).toEqual(["Market data farm connection is OK:usfarm", 2104]);
    expect(only(EventName.currentTime)).toEqual([1735828200]);
  });

  it("encodes contractData for a stock and an option, then contractDataEnd", async () => {
    await session.sendAndSync(
      r.contractDataFields({
        reqId: 31,
        contract: stock,
        marketName: "NMS",
        minTick: 0.01,
        orderTypes: "LMT,MKT",
        validExchanges: "SMART,NASDAQ",
        longName: "APPLE INC",
        timeZoneId: "US/Eastern",
        tradingHours: "20250102:0400-20250102:2000",
        liquidHours: "20250102:0930-20250102:1600",
        secIdList: [{ tag: "ISIN", value: "US0378331005" }],
        marketRuleIds: "26,26",
        stockType: "COMMON",
      }),
      r.contractDataFields({
        reqId: 31,
        contract: call,
        marketName: "AAPL",
        minTick: 0.05,
        timeZoneId: "US/Eastern",
        underConId: 265598,
        underSymbol: "AAPL",
        underSecType: "STK",
        realExpirationDate: "20250117",
        marketRuleIds: "32,32",
      }),
      r.contractDataEndFields(31),
    );
    const [stockDetails, optionDetails] = eventsNamed(EventName.contractDetails);
    expect(stockDetails?.[0]).toBe(31);
    expect(stockDetails?.[1]).toMatchObject({
      contract: { conId: 265598, symbol: "AAPL", secType: "STK", right: undefined, primaryExch: "NASDAQ", tradingClass: "NMS" },
      marketName: "NMS",
      minTick: 0.01,
      longName: "APPLE INC",
      timeZoneId: "US/Eastern",
      secIdList: [{ tag: "ISIN", value: "US0378331005" }],
      marketRuleIds: "26,26",
      stockType: "COMMON",
      minSize: 1,
      sizeIncrement: 1,
      underConId: 0,
    });
    expect(optionDetails?.[1]).toMatchObject({
      contract: { conId: 500150, lastTradeDateOrContractMonth: "20250117", strike: 150, right: "C", multiplier: 100 },
      underConId: 265598,
      underSymbol: "AAPL",
      realExpirationDate: "20250117",
    });
    expect(only(EventName.contractDetailsEnd)).toEqual([31]);
  });

  it("encodes an option chain (securityDefinitionOptionParameter + End) and a market rule", async () => {
    await session.sendAndSync(
      r.securityDefinitionOptionParameterFields({
        reqId: 32,
        exchange: "SMART",
        underlyingConId: 265598,
        tradingClass: "AAPL",
        multiplier: "100",
        expirations: ["20250117", "20250221"],
        strikes: [145, 147.5, 150],
      }),
      r.securityDefinitionOptionParameterEndFields(32),
      r.marketRuleFields(26, [{ lowEdge: 0, increment: 0.01 }]),
    );
    expect(only(EventName.securityDefinitionOptionParameter)).toEqual([32, "SMART", 265598, "AAPL", 100, ["20250117", "20250221"], [145, 147.5, 150]]);
    expect(only(EventName.securityDefinitionOptionParameterEnd)).toEqual([32]);
    expect(only(EventName.marketRule)).toEqual([26, [{ lowEdge: 0, increment: 0.01 }]]);
  });

  it("encodes the market-data ticks", async () => {
    await session.sendAndSync(
      r.tickReqParamsFields({ tickerId: 11, minTick: 0.01, bboExchange: "9c0001", snapshotPermissions: 3 }),
      r.marketDataTypeFields(11, 1),
      r.tickPriceFields({ tickerId: 11, tickType: 1, price: 150.25, size: 3 }),
      r.tickSizeFields(11, 0, 3),
      r.tickPriceFields({ tickerId: 11, tickType: 2, price: 150.3, size: 5, attributes: { canAutoExecute: true, pastLimit: true } }),
      r.tickGenericFields(11, 24, 0.2534),
      r.tickStringFields(11, 45, "1735828200"),
      r.tickSnapshotEndFields(11),
    );
    expect(only(EventName.tickReqParams)).toEqual([11, 0, "9c0001", 3]); // @stoqey parses minTick with parseInt
    expect(only(EventName.marketDataType)).toEqual([11, 1]);
    expect(eventsNamed(EventName.tickPrice)).toEqual([
      [11, 1, 150.25, false],
      [11, 2, 150.3, true],
    ]);
    // The bid size comes only from the explicit tickSize (trap T11); the ask size from tickPrice.
    expect(eventsNamed(EventName.tickSize)).toEqual([
      [11, 0, 3],
      [11, 3, 5],
    ]);
    expect(only(EventName.tickGeneric)).toEqual([11, 24, 0.2534]);
    expect(only(EventName.tickString)).toEqual([11, 45, "1735828200"]);
    expect(only(EventName.tickSnapshotEnd)).toEqual([11]);
  });

  it("encodes tickOptionComputation with values and with the not-computed sentinels", async () => {
    await session.sendAndSync(
      r.tickOptionComputationFields({
        tickerId: 12,
        tickType: 13,
        tickAttrib: 1,
        impliedVol: 0.25,
        delta: 0.52,
        optPrice: 3.45,
        pvDividend: 0,
        gamma: 0.04,
        vega: 0.18,
        theta: -0.06,
        undPrice: 150.25,
      }),
      r.tickOptionComputationFields({ tickerId: 12, tickType: 10 }),
    );
    expect(eventsNamed(EventName.tickOptionComputation)).toEqual([
      [12, 13, 1, 0.25, 0.52, 3.45, 0, 0.04, 0.18, -0.06, 150.25],
      [12, 10, 0, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined],
    ]);
  });

  it("encodes historicalData (8 fields per bar, start/end marker) and historicalDataUpdate (close before high/low)", async () => {
    const bar = { date: "20250102 09:30:00 US/Eastern", open: 150, high: 151.5, low: 149.75, close: 151, volume: 1200, wap: 150.6, barCount: 87 };
    await session.sendAndSync(
      r.historicalDataFields({ reqId: 21, start: "20250101 09:30:00 US/Eastern", end: "20250102 16:00:00 US/Eastern", bars: [bar, { ...bar, date: "20250102 09:35:00 US/Eastern", volume: 0.5 }] }),
      r.historicalDataUpdateFields(21, { ...bar, date: "20250102 09:40:00 US/Eastern", open: 151, high: 152, low: 150.5, close: 151.75 }),
      r.headTimestampFields(23, "20040102 14:30:00 US/Eastern"),
    );
    expect(eventsNamed(EventName.historicalData)).toEqual([
      [21, "20250102 09:30:00 US/Eastern", 150, 151.5, 149.75, 151, 1200, 87, 150.6, undefined],
      [21, "20250102 09:35:00 US/Eastern", 150, 151.5, 149.75, 151, 0.5, 87, 150.6, undefined],
      [21, "finished-20250101 09:30:00 US/Eastern-20250102 16:00:00 US/Eastern", -1, -1, -1, -1, -1, -1, -1, false],
    ]);
    expect(only(EventName.historicalDataUpdate)).toEqual([21, "20250102 09:40:00 US/Eastern", 151, 152, 150.5, 151.75, 1200, 87, 150.6]);
    expect(only(EventName.headTimestamp)).toEqual([23, "20040102 14:30:00 US/Eastern"]);
  });

  it("encodes scannerParameters and scannerData", async () => {
    await session.sendAndSync(
      r.scannerParametersFields("<ScanParameterResponse/>"),
      r.scannerDataFields(41, [
        { rank: 0, contract: stock, marketName: "NMS" },
        { rank: 1, contract: { conId: 272093, symbol: "MSFT", secType: "STK", exchange: "SMART", currency: "USD" }, distance: "1.5" },
      ]),
    );
    expect(only(EventName.scannerParameters)).toEqual(["<ScanParameterResponse/>"]);
    const rows = eventsNamed(EventName.scannerData);
    expect(rows.map((row) => [row[0], row[1], (row[2] as { contract: { symbol: string } }).contract.symbol, row[3]])).toEqual([
      [41, 0, "AAPL", ""],
      [41, 1, "MSFT", "1.5"],
    ]);
    expect(rows[0]?.[2]).toMatchObject({ marketName: "NMS", contract: { conId: 265598, tradingClass: "NMS" } });
    expect(only(EventName.scannerDataEnd)).toEqual([41]);
  });

  it("encodes a what-if openOrder whose margins arrive as numbers", async () => {
    await session.sendAndSync(
      r.openOrderFields({
        orderId: 1001,
        clientId: 9,
        permId: 0,
        contract: call,
        order: { action: "BUY", totalQuantity: 1, orderType: "LMT", lmtPrice: 3.4, whatIf: true, account: "DU123456" },
        orderState: {
          status: "PreSubmitted",
          initMarginBefore: 10000,
          maintMarginBefore: 9000,
          equityWithLoanBefore: 100000,
          initMarginChange: 340,
          maintMarginChange: 340,
          equityWithLoanChange: -1.05,
          initMarginAfter: 10340,
          maintMarginAfter: 9340,
          equityWithLoanAfter: 99998.95,
          commission: 1.05,
          commissionCurrency: "USD",
        },
      }),
    );
    const [orderId, contract, order, state] = only(EventName.openOrder);
    expect(orderId).toBe(1001);
    expect(contract).toMatchObject({ conId: 500150, right: "C", strike: 150, multiplier: 100 });
    expect(order).toMatchObject({ orderId: 1001, clientId: 9, action: "BUY", totalQuantity: 1, lmtPrice: 3.4, auxPrice: undefined, whatIf: true, tif: "DAY" });
    expect(state).toEqual({
      status: "PreSubmitted",
      initMarginBefore: 10000,
      maintMarginBefore: 9000,
      equityWithLoanBefore: 100000,
      initMarginChange: 340,
      maintMarginChange: 340,
      equityWithLoanChange: -1.05,
      initMarginAfter: 10340,
      maintMarginAfter: 9340,
      equityWithLoanAfter: 99998.95,
      commission: 1.05,
      minCommission: undefined,
      maxCommission: undefined,
      commissionCurrency: "USD",
      warningText: "",
    });
  });

  it("echoes a decoded placeOrder back as openOrder through every conditional block", async () => {
    session.ib.placeOrder(
      1002,
      {
        symbol: "AAPL",
        secType: SecType.BAG,
        exchange: "SMART",
        currency: "USD",
        comboLegs: [
          { conId: 500145, ratio: 1, action: OrderAction.BUY, exchange: "SMART" },
          { conId: 500150, ratio: 1, action: OrderAction.SELL, exchange: "SMART" },
        ],
        deltaNeutralContract: { conId: 265598, delta: 0.5, price: 150 },
      },
      {
        action: OrderAction.BUY,
        totalQuantity: 2,
        orderType: OrderType.PEG_BENCH,
        lmtPrice: -1.25,
        orderRef: "trade-1",
        smartComboRoutingParams: [{ tag: "NonGuaranteed", value: "1" }],
        orderComboLegs: [{ price: 1.1 }, { price: 2.35 }],
        deltaNeutralOrderType: "MKT",
        deltaNeutralConId: 265598,
        scalePriceIncrement: 0.05,
        scaleInitLevelSize: 1,
        hedgeType: "D",
        hedgeParam: "0.5",
        algoStrategy: "Adaptive",
        algoParams: [{ tag: "adaptivePriority", value: "Urgent" }],
        referenceContractId: 756733,
        peggedChangeAmount: 0.2,
        referenceChangeAmount: 0.5,
        referenceExchangeId: "ARCA",
        conditions: [new PriceCondition(151.5, TriggerMethod.Last, 265598, "SMART", true, ConjunctionConnection.AND)],
        conditionsCancelOrder: true,
      },
    );
    const placed = decodeRequest(await session.nextRequest(In.placeOrder));
    if (placed.type !== "placeOrder") throw new Error(`unexpected ${placed.type}`);
    const fields = r.openOrderFields({
      orderId: placed.orderId,
      clientId: 9,
      permId: 555001,
      contract: { ...placed.contract, comboLegsDescription: "500145|1,500150|-1" },
      order: placed.order,
      orderState: { status: "Submitted" },
    });
    await session.sendAndSync(fields, r.orderStatusFields({ orderId: 1002, status: "Submitted", filled: 0, remaining: 2, avgFillPrice: 0, permId: 555001, lastFillPrice: 0, clientId: 9 }));
    const [, contract, order, state] = only(EventName.openOrder);
    expect(contract).toMatchObject({
      secType: "BAG",
      comboLegsDescription: "500145|1,500150|-1",
      comboLegs: [
        { conId: 500145, ratio: 1, action: "BUY", exchange: "SMART", exemptCode: -1 },
        { conId: 500150, ratio: 1, action: "SELL", exchange: "SMART", exemptCode: -1 },
      ],
      deltaNeutralContract: { conId: 265598, delta: 0.5, price: 150 },
    });
    expect(order).toMatchObject({
      orderId: 1002,
      clientId: 9,
      permId: 555001,
      orderRef: "trade-1",
      lmtPrice: -1.25,
      orderComboLegs: [{ price: 1.1 }, { price: 2.35 }],
      smartComboRoutingParams: [{ tag: "NonGuaranteed", value: "1" }],
      deltaNeutralOrderType: "MKT",
      deltaNeutralConId: 265598,
      scalePriceIncrement: 0.05,
      hedgeType: "D",
      hedgeParam: "0.5",
      algoStrategy: "Adaptive",
      algoParams: [{ tag: "adaptivePriority", value: "Urgent" }],
      referenceContractId: 756733,
      referenceExchangeId: "ARCA",
      conditionsCancelOrder: true,
    });
    expect((order as { conditions: { price: number }[] }).conditions[0]?.price).toBe(151.5);
    expect(state).toMatchObject({ status: "Submitted", initMarginChange: undefined, commission: undefined });
    expect(only(EventName.orderStatus)).toEqual([1002, "Submitted", 0, 2, 0, 555001, 0, 0, 9, "", 0]);
  });

  it("encodes openOrderEnd, execDetails, commissionReport and execDetailsEnd", async () => {
    await session.sendAndSync(
      r.openOrderEndFields(),
      r.execDetailsFields({
        reqId: -1,
        contract: call,
        execution: {
          orderId: 1002,
          execId: "0000e0d5.67a1b2c3.01.01",
          time: "20250102 10:15:01 US/Eastern",
          account: "DU123456",
          exchange: "CBOE",
          side: "BOT",
          shares: 2,
          price: 3.4,
          permId: 555001,
          clientId: 9,
          cumQty: 2,
          avgPrice: 3.4,
          orderRef: "trade-1",
          lastLiquidity: 2,
        },
      }),
      r.commissionReportFields({ execId: "0000e0d5.67a1b2c3.01.01", commission: 1.3, currency: "USD" }),
      r.execDetailsEndFields(51),
    );
    expect(only(EventName.openOrderEnd)).toEqual([]);
    const [reqId, contract, execution] = only(EventName.execDetails);
    expect(reqId).toBe(-1);
    expect(contract).toMatchObject({ conId: 500150, strike: 150, right: "C", multiplier: 100, exchange: "SMART" });
    expect(execution).toMatchObject({
      orderId: 1002,
      execId: "0000e0d5.67a1b2c3.01.01",
      time: "20250102 10:15:01 US/Eastern",
      acctNumber: "DU123456",
      exchange: "CBOE",
      side: "BOT",
      shares: 2,
      price: 3.4,
      permId: 555001,
      clientId: 9,
      liquidation: 0,
      cumQty: 2,
      avgPrice: 3.4,
      orderRef: "trade-1",
      evMultiplier: undefined,
      lastLiquidity: 2,
    });
    expect(only(EventName.commissionReport)).toEqual([
      { execId: "0000e0d5.67a1b2c3.01.01", commission: 1.3, currency: "USD", realizedPNL: undefined, yield: undefined, yieldRedemptionDate: 0 },
    ]);
    expect(only(EventName.execDetailsEnd)).toEqual([51]);
  });

  it("encodes completedOrder in the layout @stoqey/ib reads, and completedOrdersEnd", async () => {
    const message: r.CompletedOrderMessage = {
      contract: call,
      order: { action: "SELL", totalQuantity: 1, orderType: "LMT", lmtPrice: 3.6, account: "DU123456", orderRef: "trade-2" },
      permId: 555002,
      status: "Filled",
      completedTime: "20250102 11:00:00 US/Eastern",
      completedStatus: "Filled Size: 1",
      filledQuantity: 1,
    };
    expect(r.completedOrderFields(message, "tws")).toHaveLength(97);
    expect(r.completedOrderFields(message, "stoqey")).toHaveLength(96);
    await session.sendAndSync(r.completedOrderFields(message, "stoqey"), r.completedOrdersEndFields());
    const [contract, order, state] = only(EventName.completedOrder);
    expect(contract).toMatchObject({ conId: 500150, symbol: "AAPL" });
    expect(order).toMatchObject({ action: "SELL", totalQuantity: 1, lmtPrice: 3.6, permId: 555002, orderRef: "trade-2", filledQuantity: 1 });
    expect(state).toMatchObject({ status: "Filled", completedTime: "20250102 11:00:00 US/Eastern", completedStatus: "Filled Size: 1" });
    expect(only(EventName.completedOrdersEnd)).toEqual([]);
  });

  it("encodes positions (version 3) and positionMulti", async () => {
    await session.sendAndSync(
      r.positionFields({ account: "DU123456", contract: call, position: -2, avgCost: 345.5 }),
      r.positionEndFields(),
      r.positionMultiFields({ reqId: 63, account: "DU123456", modelCode: "", contract: stock, position: 10, avgCost: 150.1 }),
      r.positionMultiEndFields(63),
    );
    const [account, contract, pos, avgCost] = only(EventName.position);
    expect([account, pos, avgCost]).toEqual(["DU123456", -2, 345.5]);
    expect(contract).toMatchObject({ conId: 500150, right: "C", multiplier: 100, tradingClass: "AAPL" });
    expect(only(EventName.positionEnd)).toEqual([]);
    const [reqId, multiAccount, modelCode, , multiPos, multiCost] = only(EventName.positionMulti);
    expect([reqId, multiAccount, modelCode, multiPos, multiCost]).toEqual([63, "DU123456", "", 10, 150.1]);
    expect(only(EventName.positionMultiEnd)).toEqual([63]);
  });

  it("encodes the reqAccountUpdates sequence (updatePortfolio version 8)", async () => {
    await session.sendAndSync(
      r.updateAccountValueFields({ key: "NetLiquidation", value: "100000.00", currency: "USD", account: "DU123456" }),
      r.updatePortfolioFields({
        contract: { ...call, primaryExch: "CBOE" },
        position: -2,
        marketPrice: 3.5,
        marketValue: -700,
        averageCost: 345.5,
        unrealizedPnl: -9,
        realizedPnl: 0,
        account: "DU123456",
      }),
      r.updateAccountTimeFields("10:15"),
      r.accountDownloadEndFields("DU123456"),
    );
    expect(only(EventName.updateAccountValue)).toEqual(["NetLiquidation", "100000.00", "USD", "DU123456"]);
    const [contract, ...numbers] = only(EventName.updatePortfolio);
    expect(contract).toMatchObject({ conId: 500150, primaryExch: "CBOE", multiplier: 100, right: "C" });
    expect(numbers).toEqual([-2, 3.5, -700, 345.5, -9, 0, "DU123456"]);
    expect(only(EventName.updateAccountTime)).toEqual(["10:15"]);
    expect(only(EventName.accountDownloadEnd)).toEqual(["DU123456"]);
  });

  it("encodes accountSummary and accountUpdateMulti with their ends", async () => {
    await session.sendAndSync(
      r.accountSummaryFields({ reqId: 61, account: "DU123456", tag: "NetLiquidation", value: "100000.00", currency: "USD" }),
      r.accountSummaryEndFields(61),
      r.accountUpdateMultiFields({ reqId: 62, account: "DU123456", modelCode: "", key: "BuyingPower", value: "400000", currency: "USD" }),
      r.accountUpdateMultiEndFields(62),
    );
    expect(only(EventName.accountSummary)).toEqual([61, "DU123456", "NetLiquidation", "100000.00", "USD"]);
    expect(only(EventName.accountSummaryEnd)).toEqual([61]);
    expect(only(EventName.accountUpdateMulti)).toEqual([62, "DU123456", "", "BuyingPower", "400000", "USD"]);
    expect(eventsNamed(EventName.accountUpdateMultiEnd)).toHaveLength(1);
  });

  it("encodes pnl and pnlSingle, unset values reading back as undefined", async () => {
    await session.sendAndSync(
      r.pnlFields({ reqId: 71, dailyPnl: 125.5, unrealizedPnl: -40.25, realizedPnl: 0 }),
      r.pnlSingleFields({ reqId: 72, position: -2, dailyPnl: 12, unrealizedPnl: -9, value: -700 }),
    );
    expect(only(EventName.pnl)).toEqual([71, 125.5, -40.25, 0]);
    expect(only(EventName.pnlSingle)).toEqual([72, -2, 12, -9, undefined, -700]);
  });

  it("writes unset doubles as Java's MAX_VALUE", () => {
    expect(r.pnlFields({ reqId: 1 })).toEqual(["94", "1", UNSET_DOUBLE_FIELD, UNSET_DOUBLE_FIELD, UNSET_DOUBLE_FIELD]);
  });
});
