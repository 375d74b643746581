// Layouts checked against the field tables of the protocol reference (§6), including what
// ib_async needs and @stoqey/ib does not check: fixed field counts, no "" where ib_async calls a
// bare float(), no decimal point in int fields.
import { describe, expect, it } from "vitest";
import { UNSET_DOUBLE_FIELD } from "../field-writer.js";
import { handshakeReplyFields } from "../handshake.js";
import * as r from "./index.js";

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
const plainOrder = { action: "BUY", totalQuantity: 1, orderType: "LMT", lmtPrice: 3.4 };

/** 1-based field access, as the reference numbers fields. */
function field(fields: readonly string[], n: number): string | undefined {
  return fields[n - 1];
}

describe("connection messages", () => {
  it("has the exact field counts ib_async unpacks", () => {
    expect(handshakeReplyFields(176, 0)).toHaveLength(2);
    expect(r.nextValidIdFields(1000)).toEqual(["9", "1", "1000"]);
    expect(r.managedAccountsFields(["DU1", "DU2"])).toEqual(["15", "1", "DU1,DU2"]);
    expect(r.currentTimeFields(1735828200.9)).toEqual(["49", "1", "1735828200"]);
  });

  it("writes error version 2 with 6 fields and JSON @stoqey/ib can parse after its \\u un-escaping", () => {
    expect(r.errorFields({ id: -1, code: 2104, message: "Market data farm connection is OK:usfarm" })).toEqual([
      "4", "2", "-1", "2104", "Market data farm connection is OK:usfarm", "",
    ]);
    const json = field(r.errorFields({ id: 7, code: 201, message: "rejected", advancedOrderReject: { text: "a\u0007b\\u0041" } }), 6) ?? "";
    const unescaped = json.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    expect(JSON.parse(unescaped)).toEqual({ text: "a b\\ u0041" });
  });
});

describe("market data messages", () => {
  it("keeps tickPrice at exactly 7 fields with the attribute mask last", () => {
    const fields = r.tickPriceFields({ tickerId: 5, tickType: 2, price: 1.25, size: 10, attributes: { canAutoExecute: true, pastLimit: true, preOpen: true } });
    expect(fields).toEqual(["1", "6", "5", "2", "1.25", "10", "7"]);
  });

  it("writes tickOptionComputation as 12 fields with sentinels, never empty", () => {
    const fields = r.tickOptionComputationFields({ tickerId: 5, tickType: 13, delta: 0.5 });
    expect(fields).toEqual(["21", "5", "13", "0", "-1", "0.5", "-1", "-1", "-2", "-2", "-2", "-1"]);
    expect(r.tickOptionComputationFields({ tickerId: 5, tickType: 13, gamma: Number.NaN })).not.toContain("");
  });

  it("writes the 5-field tick messages", () => {
    expect(r.tickSizeFields(5, 0, 3)).toEqual(["2", "6", "5", "0", "3"]);
    expect(r.tickGenericFields(5, 49, 0)).toEqual(["45", "6", "5", "49", "0"]);
    expect(r.tickStringFields(5, 45, "1735828200")).toEqual(["46", "6", "5", "45", "1735828200"]);
    expect(r.tickReqParamsFields({ tickerId: 5, minTick: 0.01, bboExchange: "", snapshotPermissions: 3 })).toEqual(["81", "5", "0.01", "", "3"]);
  });
});

describe("contract messages", () => {
  it("writes contractData as 40 fields (+2 per secId) with conId at #13 and no version", () => {
    const base = { reqId: 3, contract: call, marketName: "AAPL", minTick: 0.05, timeZoneId: "US/Eastern" };
    const fields = r.contractDataFields(base);
    expect(fields).toHaveLength(40);
    expect(field(fields, 2)).toBe("3");
    expect(field(fields, 5)).toBe("20250117");
    expect(field(fields, 13)).toBe("500150");
    expect(field(fields, 15)).toBe("100");
    expect(r.contractDataFields({ ...base, secIdList: [{ tag: "ISIN", value: "x" }] })).toHaveLength(42);
  });

  it("ends securityDefinitionOptionParameter with the last strike (T17)", () => {
    const fields = r.securityDefinitionOptionParameterFields({
      reqId: 4, exchange: "SMART", underlyingConId: 265598, tradingClass: "AAPL", multiplier: "100",
      expirations: ["20250117"], strikes: [145, 150],
    });
    expect(fields).toEqual(["75", "4", "SMART", "265598", "AAPL", "100", "1", "20250117", "2", "145", "150"]);
  });
});

describe("historical messages", () => {
  const bar = { date: "20250102", open: 1, high: 4, low: 0.5, close: 2, volume: 100, wap: 1.5, barCount: 9 };

  it("writes 8 fields per bar after the start/end header", () => {
    const fields = r.historicalDataFields({ reqId: 8, start: "s", end: "e", bars: [bar, bar] });
    expect(fields).toHaveLength(5 + 2 * 8);
    expect(fields.slice(5, 13)).toEqual(["20250102", "1", "4", "0.5", "2", "100", "1.5", "9"]);
  });

  it("writes historicalDataUpdate with close before high and low (T13)", () => {
    expect(r.historicalDataUpdateFields(8, bar)).toEqual(["90", "8", "9", "20250102", "1", "2", "4", "0.5", "1.5", "100"]);
  });
});

describe("order messages", () => {
  const orderState = { status: "PreSubmitted", initMarginChange: 340, commission: 1.05 };

  it("writes openOrder as 128 fields with clientId at #25, status at #87, initMarginChange at #91", () => {
    const fields = r.openOrderFields({ orderId: 9, clientId: 3, permId: 77, contract: call, order: plainOrder, orderState });
    expect(fields).toHaveLength(128);
    expect(field(fields, 25)).toBe("3");
    expect(field(fields, 26)).toBe("77");
    expect(field(fields, 87)).toBe("PreSubmitted");
    expect(field(fields, 88)).toBe(UNSET_DOUBLE_FIELD);
    expect(field(fields, 91)).toBe("340");
    expect(field(fields, 97)).toBe("1.05");
  });

  it("adds 8 fields per combo leg (144 for 2 legs) and each conditional block only when its rule says so", () => {
    const legs = [
      { conId: 1, ratio: 1, action: "BUY", exchange: "SMART" },
      { conId: 2, ratio: 1, action: "SELL", exchange: "SMART" },
    ];
    const bag = { ...call, secType: "BAG", comboLegs: legs };
    expect(r.openOrderFields({ orderId: 9, clientId: 3, permId: 77, contract: bag, order: plainOrder, orderState })).toHaveLength(144);
    const withBlocks = r.openOrderFields({
      orderId: 9,
      clientId: 3,
      permId: 77,
      contract: { ...call, deltaNeutralContract: { conId: 1, delta: 0.5, price: 10 } },
      order: {
        ...plainOrder,
        deltaNeutralOrderType: "MKT", // +8
        scalePriceIncrement: 0.05, // +7
        hedgeType: "D", // +1
        algoStrategy: "Adaptive", // +1 count +2 pair
        algoParams: [{ tag: "adaptivePriority", value: "Normal" }],
        conditions: [{ type: "time", conjunction: "and", isMore: true, time: "20250102 10:00:00 US/Eastern" }], // +4 +2
      },
      orderState,
    });
    expect(withBlocks).toHaveLength(128 + 8 + 7 + 1 + 3 + 3 + 6);
    // A zero or unset increment carries no scale block, as both clients decode it.
    expect(r.openOrderFields({ orderId: 9, clientId: 3, permId: 77, contract: call, order: { ...plainOrder, scalePriceIncrement: 0 }, orderState })).toHaveLength(128);
  });

  it("writes orderStatus as 12 fields and completedOrder as 97 (tws) or 96 (stoqey)", () => {
    expect(r.orderStatusFields({ orderId: 9, status: "Filled", filled: 1, remaining: 0, avgFillPrice: 3.4, permId: 77, lastFillPrice: 3.4, clientId: 3 })).toEqual([
      "3", "9", "Filled", "1", "0", "3.4", "77", "0", "3.4", "3", "", "0",
    ]);
    const completed = { contract: call, order: plainOrder, permId: 77, status: "Filled", completedTime: "t", completedStatus: "Filled Size: 1" };
    expect(r.completedOrderFields(completed)).toHaveLength(97);
    expect(r.completedOrderFields(completed, "stoqey")).toHaveLength(96);
    expect(r.completedOrdersEndFields()).toEqual(["102"]);
  });

  it("writes execDetails as 31 fields and commissionReport as 8", () => {
    const exec = r.execDetailsFields({
      reqId: -1,
      contract: call,
      execution: { orderId: 9, execId: "e1", time: "20250102 10:00:00 US/Eastern", account: "DU1", exchange: "CBOE", side: "BOT", shares: 1, price: 3.4, permId: 77, clientId: 3, cumQty: 1, avgPrice: 3.4 },
    });
    expect(exec).toHaveLength(31);
    expect(field(exec, 15)).toBe("e1");
    expect(r.commissionReportFields({ execId: "e1", commission: 1.05, currency: "USD" })).toEqual([
      "59", "1", "e1", "1.05", "USD", UNSET_DOUBLE_FIELD, UNSET_DOUBLE_FIELD, "",
    ]);
  });
});

describe("account messages", () => {
  it("writes position (16, version 3) and updatePortfolio (20, version 8) with every number present", () => {
    const position = r.positionFields({ account: "DU1", contract: call, position: -2, avgCost: 345.5 });
    expect(position).toHaveLength(16);
    expect(position.slice(0, 3)).toEqual(["61", "3", "DU1"]);
    const portfolio = r.updatePortfolioFields({
      contract: { ...call, primaryExch: "CBOE" },
      position: -2,
      marketPrice: 3.5,
      marketValue: -700,
      averageCost: 345.5,
      unrealizedPnl: -9,
      realizedPnl: 0,
      account: "DU1",
    });
    expect(portfolio).toHaveLength(20);
    expect(field(portfolio, 2)).toBe("8");
    expect(field(portfolio, 10)).toBe("CBOE");
    expect(portfolio.slice(13, 19)).not.toContain("");
  });

  it("writes the remaining account messages", () => {
    expect(r.updateAccountValueFields({ key: "NetLiquidation", value: "1", currency: "USD", account: "DU1" })).toEqual(["6", "2", "NetLiquidation", "1", "USD", "DU1"]);
    expect(r.accountDownloadEndFields("DU1")).toEqual(["54", "1", "DU1"]);
    expect(r.accountUpdateMultiEndFields(5)).toEqual(["74", "1", "5"]);
    expect(r.positionMultiFields({ reqId: 5, account: "DU1", modelCode: "", contract: call, position: 1, avgCost: 2 })).toHaveLength(18);
    expect(r.pnlSingleFields({ reqId: 5, position: 1, dailyPnl: 2 })).toEqual(["95", "5", "1", "2", UNSET_DOUBLE_FIELD, UNSET_DOUBLE_FIELD, UNSET_DOUBLE_FIELD]);
  });
});
