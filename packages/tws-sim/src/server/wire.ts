/**
 * Conversions from the market's and the broker's vocabulary to the protocol encoders' inputs.
 * Pure functions: no state, no I/O.
 */
import type {
  CommissionReport as BrokerCommission,
  ContractView,
  ExecutionReport,
  OrderSnapshot,
  WhatIfOrderState,
} from "../broker/index.js";
import { UNSET_DOUBLE } from "../broker/index.js";
import type { Bar, Contract, ContractQuery, StockContract } from "../market/index.js";
import { toIbDate } from "../market/index.js";
import type {
  CommissionReport,
  CompletedOrderMessage,
  Contract as RequestContract,
  ContractDetailsMessage,
  ContractInput,
  ExecDetailsMessage,
  HistoricalBar,
  OpenOrderMessage,
  OrderContractInput,
  OrderStatusMessage,
} from "../protocol/index.js";
import { formatTwsDateTime } from "../protocol/index.js";
import type { OrderStatusReport } from "../broker/index.js";

/** Time zone printed in execution times and intraday bar dates (an IANA name ib_async accepts). */
export const WIRE_TIME_ZONE = "US/Eastern";

/** A market contract as the protocol writes it. */
export function contractInput(contract: Contract): ContractInput {
  if (contract.secType === "STK") {
    return {
      conId: contract.conId,
      symbol: contract.symbol,
      secType: "STK",
      exchange: contract.exchange,
      primaryExch: contract.primaryExchange,
      currency: contract.currency,
      localSymbol: contract.localSymbol,
      tradingClass: contract.tradingClass,
    };
  }
  return {
    conId: contract.conId,
    symbol: contract.symbol,
    secType: "OPT",
    lastTradeDateOrContractMonth: toIbDate(contract.expiry),
    strike: contract.strike,
    right: contract.right,
    multiplier: String(contract.multiplier),
    exchange: contract.exchange,
    currency: contract.currency,
    localSymbol: contract.localSymbol,
    tradingClass: contract.tradingClass,
  };
}

/** Market rule ids: one per price-increment table, stable for the process (26 = $0.01 everywhere). */
export function marketRuleId(contract: Contract): number {
  if (contract.secType === "STK") return 26;
  switch (contract.tickRule) {
    case "penny-all":
      return 26;
    case "penny":
      return 110;
    case "nickel":
      return 32;
  }
}

/** contractData for a market contract. */
export function contractDetails(
  reqId: number,
  contract: Contract,
  underlying: StockContract | undefined,
  tradingHours: string,
): ContractDetailsMessage {
  const rule = String(marketRuleId(contract));
  if (contract.secType === "STK") {
    return {
      reqId,
      contract: contractInput(contract),
      marketName: contract.tradingClass,
      minTick: contract.minTick,
      orderTypes: "LMT,MKT",
      validExchanges: `SMART,${contract.primaryExchange}`,
      longName: contract.longName,
      industry: contract.industry,
      category: contract.category,
      subcategory: contract.subcategory,
      timeZoneId: WIRE_TIME_ZONE,
      tradingHours,
      liquidHours: tradingHours,
      marketRuleIds: `${rule},${rule}`,
      stockType: contract.stockType,
    };
  }
  return {
    reqId,
    contract: contractInput(contract),
    marketName: contract.tradingClass,
    minTick: contract.minTick,
    orderTypes: "LMT,MKT",
    validExchanges: "SMART,CBOE",
    underConId: contract.underlyingConId,
    longName: underlying?.longName ?? contract.symbol,
    contractMonth: toIbDate(contract.expiry).slice(0, 6),
    timeZoneId: WIRE_TIME_ZONE,
    tradingHours,
    liquidHours: tradingHours,
    underSymbol: contract.symbol,
    underSecType: "STK",
    marketRuleIds: `${rule},${rule}`,
    realExpirationDate: toIbDate(contract.expiry),
  };
}

/** A request's contract as a market query (empty fields match anything). */
export function contractQuery(contract: RequestContract, includeExpired = false): ContractQuery {
  const secType = contract.secType.toUpperCase();
  const multiplier = Number(contract.multiplier);
  return {
    conId: contract.conId,
    symbol: contract.symbol,
    secType: secType === "STK" || secType === "OPT" ? secType : "",
    expiry: contract.lastTradeDateOrContractMonth,
    strike: contract.strike,
    right: contract.right === "?" ? "" : contract.right,
    exchange: contract.exchange,
    currency: contract.currency,
    tradingClass: contract.tradingClass,
    ...(Number.isFinite(multiplier) && multiplier > 0 ? { multiplier } : {}),
    includeExpired,
  };
}

/** A broker contract view as openOrder/execDetails/position write it. */
export function viewInput(view: ContractView): OrderContractInput {
  const legs = view.comboLegs.map((leg) => ({ conId: leg.conId, ratio: leg.ratio, action: leg.action, exchange: leg.exchange }));
  return {
    conId: view.conId,
    symbol: view.symbol,
    secType: view.secType,
    lastTradeDateOrContractMonth: view.lastTradeDateOrContractMonth,
    strike: view.strike,
    right: view.right,
    multiplier: view.secType === "STK" ? "" : String(view.multiplier),
    exchange: view.exchange,
    primaryExch: view.primaryExchange,
    currency: view.currency,
    localSymbol: view.localSymbol,
    tradingClass: view.tradingClass,
    ...(legs.length === 0
      ? {}
      : { comboLegs: legs, comboLegsDescription: legs.map((l) => `${l.conId}|${l.action === "BUY" ? l.ratio : -l.ratio}`).join(",") }),
  };
}

const unsetToUndefined = (value: number): number | undefined => (value === UNSET_DOUBLE ? undefined : value);

/** The order part of an openOrder/completedOrder for a snapshot. */
function orderInput(order: OrderSnapshot, whatIf = false) {
  return {
    action: order.action,
    totalQuantity: order.totalQuantity,
    orderType: order.orderType,
    lmtPrice: order.lmtPrice,
    tif: order.tif,
    account: order.account,
    orderRef: order.orderRef,
    transmit: order.transmit,
    outsideRth: order.outsideRth,
    whatIf,
  };
}

/** openOrder for a broker snapshot (orderState margins unset, commission once charged). */
export function openOrderMessage(order: OrderSnapshot): OpenOrderMessage {
  return {
    orderId: order.orderId,
    clientId: order.clientId,
    permId: order.permId,
    contract: viewInput(order.contract),
    order: orderInput(order),
    orderState: {
      status: order.status,
      ...(order.filled > 0 ? { commission: order.commission, commissionCurrency: order.commissionCurrency } : {}),
    },
  };
}

/** The one openOrder a what-if is answered with: whatIf set and every margin a number (trap T8). */
export function whatIfMessage(order: OrderSnapshot, state: WhatIfOrderState): OpenOrderMessage {
  return {
    orderId: order.orderId,
    clientId: order.clientId,
    permId: 0,
    contract: viewInput(order.contract),
    order: orderInput(order, true),
    orderState: { ...state },
  };
}

/** completedOrder for a finished snapshot. */
export function completedOrderMessage(order: OrderSnapshot): CompletedOrderMessage {
  return {
    contract: viewInput(order.contract),
    order: orderInput(order),
    permId: order.permId,
    status: order.status,
    completedTime: formatTwsDateTime(order.completedAt ?? order.updatedAt, WIRE_TIME_ZONE),
    completedStatus: order.completedStatus,
    filledQuantity: order.filled,
  };
}

/** orderStatus for a broker status report. */
export function orderStatusMessage(status: OrderStatusReport): OrderStatusMessage {
  return {
    orderId: status.orderId,
    status: status.status,
    filled: status.filled,
    remaining: status.remaining,
    avgFillPrice: status.avgFillPrice,
    permId: status.permId,
    parentId: status.parentId,
    lastFillPrice: status.lastFillPrice,
    clientId: status.clientId,
    whyHeld: status.whyHeld,
    mktCapPrice: status.mktCapPrice,
  };
}

/** execDetails for an execution (reqId −1 for live fills). */
export function execDetailsMessage(reqId: number, execution: ExecutionReport): ExecDetailsMessage {
  return {
    reqId,
    contract: viewInput(execution.contract),
    execution: {
      orderId: execution.orderId,
      execId: execution.execId,
      time: formatTwsDateTime(execution.time, WIRE_TIME_ZONE),
      account: execution.account,
      exchange: execution.exchange,
      side: execution.side,
      shares: execution.shares,
      price: execution.price,
      permId: execution.permId,
      clientId: execution.clientId,
      liquidation: execution.liquidation,
      cumQty: execution.cumQty,
      avgPrice: execution.avgPrice,
      orderRef: execution.orderRef,
      evRule: execution.evRule,
      evMultiplier: execution.evMultiplier,
      modelCode: execution.modelCode,
      lastLiquidity: execution.lastLiquidity,
    },
  };
}

/** commissionReport for a broker commission report. */
export function commissionMessage(report: BrokerCommission): CommissionReport {
  const realized = unsetToUndefined(report.realizedPNL);
  return {
    execId: report.execId,
    commission: report.commission,
    currency: report.currency,
    ...(realized === undefined ? {} : { realizedPnl: realized }),
  };
}

/** A bar's date as TWS prints it: epoch seconds (formatDate 2), else `YYYYMMDD` or a wall-clock time intraday. */
function barDate(bar: Bar, intraday: boolean, formatDate: number): string {
  if (formatDate === 2) return String(Math.floor(bar.time / 1000));
  return intraday ? formatTwsDateTime(bar.time, WIRE_TIME_ZONE) : toIbDate(bar.date);
}

/** A market bar as historicalData and historicalDataUpdate write it. */
export function wireBar(bar: Bar, intraday: boolean, formatDate: number): HistoricalBar {
  return {
    date: barDate(bar, intraday, formatDate),
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    wap: bar.wap,
    barCount: bar.count,
  };
}
