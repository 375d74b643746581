import type {
  CommissionReport,
  Contract,
  ContractDetails,
  ErrorCode,
  EventName,
  Execution,
  Order,
  OrderState,
  OrderStatus,
  TickType,
} from "@stoqey/ib";

/**
 * Arguments of the @stoqey/ib events the data layer may subscribe to through
 * `TwsConnection.on`, copied from IBApi's `on` overloads (which cannot be indexed by event name).
 * Add an entry here when a handler needs another event.
 */
export interface TwsEventArgs {
  [EventName.error]: [error: Error, code: ErrorCode, reqId: number, advancedOrderReject?: unknown];
  [EventName.currentTime]: [time: number];
  [EventName.nextValidId]: [orderId: number];
  [EventName.managedAccounts]: [accountsList: string];
  [EventName.openOrder]: [orderId: number, contract: Contract, order: Order, orderState: OrderState];
  [EventName.openOrderEnd]: [];
  [EventName.orderStatus]: [
    orderId: number,
    status: OrderStatus,
    filled: number,
    remaining: number,
    avgFillPrice: number,
    permId?: number,
    parentId?: number,
    lastFillPrice?: number,
    clientId?: number,
    whyHeld?: string,
    mktCapPrice?: number,
  ];
  [EventName.completedOrder]: [contract: Contract, order: Order, orderState: OrderState];
  [EventName.completedOrdersEnd]: [];
  [EventName.execDetails]: [reqId: number, contract: Contract, execution: Execution];
  [EventName.execDetailsEnd]: [reqId: number];
  [EventName.commissionReport]: [commissionReport: CommissionReport];
  [EventName.position]: [account: string, contract: Contract, pos: number, avgCost?: number];
  [EventName.positionEnd]: [];
  [EventName.accountSummary]: [reqId: number, account: string, tag: string, value: string, currency: string];
  [EventName.accountSummaryEnd]: [reqId: number];
  [EventName.pnl]: [reqId: number, dailyPnL: number, unrealizedPnL?: number, realizedPnL?: number];
  [EventName.pnlSingle]: [
    reqId: number,
    pos: number,
    dailyPnL: number,
    unrealizedPnL: number | undefined,
    realizedPnL: number | undefined,
    value: number,
  ];
  [EventName.contractDetails]: [reqId: number, contractDetails: ContractDetails];
  [EventName.contractDetailsEnd]: [reqId: number];
  [EventName.securityDefinitionOptionParameter]: [
    reqId: number,
    exchange: string,
    underlyingConId: number,
    tradingClass: string,
    multiplier: string,
    expirations: string[],
    strikes: number[],
  ];
  [EventName.securityDefinitionOptionParameterEnd]: [reqId: number];
  [EventName.marketDataType]: [reqId: number, marketDataType: number];
  [EventName.tickReqParams]: [reqId: number, minTick: number, bboExchange: string, snapshotPermissions: number];
  [EventName.tickPrice]: [reqId: number, field: TickType, value: number, attribs?: unknown];
  [EventName.tickSize]: [reqId: number, field?: TickType, value?: number];
  [EventName.tickGeneric]: [reqId: number, field: TickType, value: number];
  [EventName.tickOptionComputation]: [
    reqId: number,
    field: TickType,
    tickAttrib: number | undefined,
    impliedVolatility?: number,
    delta?: number,
    optPrice?: number,
    pvDividend?: number,
    gamma?: number,
    vega?: number,
    theta?: number,
    undPrice?: number,
  ];
  [EventName.tickSnapshotEnd]: [reqId: number];
  [EventName.historicalData]: [
    reqId: number,
    time: string,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    count: number | undefined,
    WAP: number,
  ];
  [EventName.historicalDataUpdate]: [
    reqId: number,
    time: string,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    count: number,
    WAP: number,
  ];
}

/** An event the data layer may subscribe to. */
export type TwsEvent = keyof TwsEventArgs;
