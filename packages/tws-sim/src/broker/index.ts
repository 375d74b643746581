/**
 * The simulator's order and account engine: orders (STK, OPT, BAG; LMT/MKT; DAY/GTC), matching
 * against a quote port, fills, commissions, positions, margin, account values and P&L.
 * Pure domain logic; the server adapts the market to the ports and encodes the events.
 *
 * @packageDocumentation
 */

export {
  Broker,
  DEFAULT_BROKER_CONFIG,
  type BrokerConfig,
  type BrokerPorts,
  type CancelResult,
  type PlaceOrderResult,
  type SettlementResult,
} from "./broker.js";
export type { Clock, ContractInfo, ContractLookup, ContractSecType, Quote, QuoteSource, TradingCalendar } from "./ports.js";
export type {
  ComboLegSpec,
  ComboLegView,
  ContractView,
  OrderAction,
  OrderContractSpec,
  OrderRequest,
  OrderSecType,
  OrderSnapshot,
  OrderStatus,
  OrderType,
  TimeInForce,
  WhatIfOrderState,
} from "./order-types.js";
export type { BrokerEvent, BrokerListener, OrderStatusReport } from "./events.js";
export type {
  CommissionReport,
  ExecutionFilter,
  ExecutionRecord,
  ExecutionReport,
  ExecutionSide,
} from "./executions.js";
export type { AccountSnapshot, AccountValue, PortfolioEntry, PositionReport } from "./account.js";
export type { PnlReport, PnlSingleReport } from "./pnl.js";
export { IB_FIXED_US_RATES, type CommissionRates } from "./commissions.js";
export { REG_T_MARGIN, type MarginParams } from "./margin.js";
export { weekdayCloseCalendar, type WeekdayCloseOptions } from "./calendar.js";
export { comboPrice, comboQuote, comboTouch, type ComboQuote, type ComboTouch, type PricingLeg } from "./combo-pricing.js";
export { BAG_CON_ID } from "./contract-view.js";
export { ErrorCode } from "./error-codes.js";
export { UNSET_DOUBLE } from "./numeric.js";
