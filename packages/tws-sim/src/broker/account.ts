/**
 * Account figures from the ledger and the marks: the numbers behind updateAccountValue,
 * accountSummary, updatePortfolio, position, pnl and pnlSingle.
 *
 * Identities (one currency, no loan value haircuts, no settlement lag):
 * - NetLiquidation = TotalCashValue + Σ market values (stock and options, short ones negative);
 * - EquityWithLoanValue = NetLiquidation (see margin.ts for why options are included);
 * - AvailableFunds = EquityWithLoanValue − InitMarginReq;
 * - ExcessLiquidity = EquityWithLoanValue − MaintMarginReq;
 * - BuyingPower = 4 × max(0, AvailableFunds) (IB's Reg-T margin-account rule);
 * - Cushion = ExcessLiquidity / NetLiquidation;
 * - GrossPositionValue = Σ |market value|; SettledCash = TotalCashValue.
 * A position without any mark is valued at its average cost.
 *
 * @packageDocumentation
 */

import { contractView } from "./contract-view.js";
import type { Ledger, PositionState } from "./ledger.js";
import { marginRequirement, type MarginParams, type MarginPosition } from "./margin.js";
import { roundMoney } from "./numeric.js";
import type { ContractView } from "./order-types.js";
import { positionPnl, totalPnl, type PnlSingleReport } from "./pnl.js";

/** Per-share mark of a conId, when the market has one. */
export type MarkLookup = (conId: number) => number | undefined;

/** What shapes the account figures. */
export interface AccountModel {
  readonly account: string;
  readonly currency: string;
  /** BuyingPower = multiplier × AvailableFunds. */
  readonly buyingPowerMultiplier: number;
  readonly margin: MarginParams;
}

/** Numeric account state (all money in the account currency). */
export interface AccountSnapshot {
  readonly account: string;
  readonly currency: string;
  readonly totalCashValue: number;
  readonly settledCash: number;
  readonly stockMarketValue: number;
  readonly optionMarketValue: number;
  readonly netLiquidation: number;
  readonly equityWithLoanValue: number;
  readonly grossPositionValue: number;
  readonly initMarginReq: number;
  readonly maintMarginReq: number;
  readonly availableFunds: number;
  readonly excessLiquidity: number;
  readonly buyingPower: number;
  readonly cushion: number;
  /** Realized since the last day roll. */
  readonly realizedPnL: number;
  readonly unrealizedPnL: number;
  readonly dailyPnL: number;
}

/** One updateAccountValue / accountSummary row. */
export interface AccountValue {
  readonly key: string;
  readonly value: string;
  /** Currency code, `BASE`, or empty for non-money values. */
  readonly currency: string;
  readonly account: string;
}

/** One updatePortfolio entry. */
export interface PortfolioEntry {
  readonly account: string;
  readonly contract: ContractView;
  readonly position: number;
  /** Mark per share. */
  readonly marketPrice: number;
  readonly marketValue: number;
  readonly averageCost: number;
  readonly unrealizedPNL: number;
  /** Realized since the last day roll. */
  readonly realizedPNL: number;
}

/** One position message (reqPositions). */
export interface PositionReport {
  readonly account: string;
  readonly contract: ContractView;
  readonly position: number;
  readonly avgCost: number;
}

/** A position with its resolved mark and P&L. */
export interface ValuedPosition {
  readonly state: PositionState;
  readonly mark: number;
  readonly pnl: PnlSingleReport;
}

/** The mark of a position: the market's, else its average cost per share. */
export function resolveMark(position: PositionState, mark: MarkLookup): number {
  const m = mark(position.contract.conId);
  if (m !== undefined) return m;
  if (position.quantity !== 0) return position.avgCost / position.contract.multiplier;
  return position.dayStartMark;
}

/** Every ledger position at its mark. */
export function valuePositions(ledger: Ledger, mark: MarkLookup): ValuedPosition[] {
  return ledger.positions().map((state) => {
    const m = resolveMark(state, mark);
    return { state, mark: m, pnl: positionPnl(state, m) };
  });
}

/** Numeric account state of `ledger` at the marks. */
export function accountSnapshot(ledger: Ledger, mark: MarkLookup, model: AccountModel): AccountSnapshot {
  const valued = valuePositions(ledger, mark);
  let stockValue = 0;
  let optionValue = 0;
  let gross = 0;
  const marginPositions: MarginPosition[] = [];
  for (const v of valued) {
    const c = v.state.contract;
    const value = v.pnl.value;
    if (c.secType === "STK") stockValue += value;
    else optionValue += value;
    gross += Math.abs(value);
    if (v.state.quantity !== 0) {
      const underlyingPrice = c.underlyingConId === undefined ? undefined : mark(c.underlyingConId);
      marginPositions.push({ contract: c, quantity: v.state.quantity, mark: v.mark, underlyingPrice });
    }
  }
  const margin = marginRequirement(marginPositions, model.margin);
  const cash = ledger.cash;
  const netLiquidation = roundMoney(cash + stockValue + optionValue);
  const initMarginReq = roundMoney(margin.initial);
  const maintMarginReq = roundMoney(margin.maintenance);
  const availableFunds = roundMoney(netLiquidation - initMarginReq);
  const excessLiquidity = roundMoney(netLiquidation - maintMarginReq);
  const pnl = totalPnl(valued.map((v) => v.pnl));
  return {
    account: model.account,
    currency: model.currency,
    totalCashValue: cash,
    settledCash: cash,
    stockMarketValue: roundMoney(stockValue),
    optionMarketValue: roundMoney(optionValue),
    netLiquidation,
    equityWithLoanValue: netLiquidation,
    grossPositionValue: roundMoney(gross),
    initMarginReq,
    maintMarginReq,
    availableFunds,
    excessLiquidity,
    buyingPower: roundMoney(model.buyingPowerMultiplier * Math.max(0, availableFunds)),
    cushion: netLiquidation > 0 ? excessLiquidity / netLiquidation : 0,
    realizedPnL: pnl.realizedPnL,
    unrealizedPnL: pnl.unrealizedPnL,
    dailyPnL: pnl.dailyPnL,
  };
}

/** Two decimals, never "-0.00". */
const money = (value: number): string => (Math.round(value * 100) / 100 + 0).toFixed(2);

/**
 * The account as updateAccountValue rows, with TWS's keys. Money keys carry the account
 * currency; `BASE` rows repeat the cash/NLV figures in the base currency (the same here).
 */
export function accountValues(s: AccountSnapshot): AccountValue[] {
  const cur = s.currency;
  const rows: [string, string, string][] = [
    ["AccountCode", s.account, ""],
    ["AccountType", "INDIVIDUAL", ""],
    ["AccountReady", "true", ""],
    ["Currency", cur, cur],
    ["ExchangeRate", "1.00", cur],
    ["NetLiquidation", money(s.netLiquidation), cur],
    ["NetLiquidationByCurrency", money(s.netLiquidation), "BASE"],
    ["TotalCashValue", money(s.totalCashValue), cur],
    ["TotalCashBalance", money(s.totalCashValue), "BASE"],
    ["CashBalance", money(s.totalCashValue), cur],
    ["SettledCash", money(s.settledCash), cur],
    ["AccruedCash", money(0), cur],
    ["StockMarketValue", money(s.stockMarketValue), cur],
    ["OptionMarketValue", money(s.optionMarketValue), cur],
    ["GrossPositionValue", money(s.grossPositionValue), cur],
    ["EquityWithLoanValue", money(s.equityWithLoanValue), cur],
    ["InitMarginReq", money(s.initMarginReq), cur],
    ["MaintMarginReq", money(s.maintMarginReq), cur],
    ["FullInitMarginReq", money(s.initMarginReq), cur],
    ["FullMaintMarginReq", money(s.maintMarginReq), cur],
    ["LookAheadInitMarginReq", money(s.initMarginReq), cur],
    ["LookAheadMaintMarginReq", money(s.maintMarginReq), cur],
    ["AvailableFunds", money(s.availableFunds), cur],
    ["FullAvailableFunds", money(s.availableFunds), cur],
    ["LookAheadAvailableFunds", money(s.availableFunds), cur],
    ["ExcessLiquidity", money(s.excessLiquidity), cur],
    ["FullExcessLiquidity", money(s.excessLiquidity), cur],
    ["LookAheadExcessLiquidity", money(s.excessLiquidity), cur],
    ["BuyingPower", money(s.buyingPower), cur],
    ["Cushion", s.cushion.toFixed(6), ""],
    ["DayTradesRemaining", "-1", ""],
    ["RealizedPnL", money(s.realizedPnL), cur],
    ["UnrealizedPnL", money(s.unrealizedPnL), cur],
  ];
  return rows.map(([key, value, currency]) => ({ key, value, currency, account: s.account }));
}

/** updatePortfolio entry of a valued position. */
export function portfolioEntry(account: string, v: ValuedPosition): PortfolioEntry {
  return {
    account,
    contract: contractView(v.state.contract),
    position: v.state.quantity,
    marketPrice: v.mark,
    marketValue: v.pnl.value,
    averageCost: v.state.avgCost,
    unrealizedPNL: v.pnl.unrealizedPnL,
    realizedPNL: v.pnl.realizedPnL,
  };
}

/** position message of a ledger position. */
export function positionReport(account: string, state: PositionState): PositionReport {
  return { account, contract: contractView(state.contract), position: state.quantity, avgCost: state.avgCost };
}
