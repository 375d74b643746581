import type { ContractInput } from "../contract.js";
import { formatDecimal, formatDecimalOrEmpty, formatDouble, formatDoubleOrUnset, formatInt } from "../field-writer.js";
import { OutgoingMessageId as Out } from "../message-ids.js";
import { pushContract } from "./contract-fields.js";

/** One position of an account. */
export interface PositionMessage {
  readonly account: string;
  readonly contract: ContractInput;
  /** Signed: negative for short. */
  readonly position: number;
  /** Per unit including the multiplier, e.g. 250 for a 2.50 option. */
  readonly avgCost: number;
}

/** `position`: 16 fields with version 3 (@stoqey/ib reads avgCost only from version 3). */
export function positionFields(position: PositionMessage): string[] {
  const out = [formatInt(Out.position), "3", position.account];
  pushContract(out, position.contract);
  out.push(formatDecimal(position.position), formatDouble(position.avgCost));
  return out;
}

/** `positionEnd`: `[62, 1]`. */
export function positionEndFields(): string[] {
  return [formatInt(Out.positionEnd), "1"];
}

/** One positionMulti message. */
export interface PositionMultiMessage extends PositionMessage {
  readonly reqId: number;
  readonly modelCode: string;
}

/** `positionMulti`: `[71, 1, reqId, account, 11 contract fields, position, avgCost, modelCode]`. */
export function positionMultiFields(position: PositionMultiMessage): string[] {
  const out = [formatInt(Out.positionMulti), "1", formatInt(position.reqId), position.account];
  pushContract(out, position.contract);
  out.push(formatDecimal(position.position), formatDouble(position.avgCost), position.modelCode);
  return out;
}

/** `positionMultiEnd`: `[72, 1, reqId]`. */
export function positionMultiEndFields(reqId: number): string[] {
  return [formatInt(Out.positionMultiEnd), "1", formatInt(reqId)];
}

/** One account value (key/value/currency), for reqAccountUpdates. */
export interface AccountValueMessage {
  /** e.g. `NetLiquidation`, `BuyingPower`, `TotalCashValue`. */
  readonly key: string;
  readonly value: string;
  /** e.g. `USD`; `BASE` for the base-currency aggregate; `""` for non-monetary keys. */
  readonly currency: string;
  readonly account: string;
}

/** `updateAccountValue`: `[6, 2, key, value, currency, account]`. */
export function updateAccountValueFields(value: AccountValueMessage): string[] {
  return [formatInt(Out.updateAccountValue), "2", value.key, value.value, value.currency, value.account];
}

/** One portfolio line, for reqAccountUpdates. Every number is required (ib_async uses a bare `float()`). */
export interface PortfolioValueMessage {
  /** Its `primaryExch` is written where other messages put the exchange. */
  readonly contract: ContractInput;
  readonly position: number;
  readonly marketPrice: number;
  readonly marketValue: number;
  readonly averageCost: number;
  readonly unrealizedPnl: number;
  readonly realizedPnl: number;
  readonly account: string;
}

/** `updatePortfolio`: 20 fields with version 8 (@stoqey/ib's layout depends on it). */
export function updatePortfolioFields(portfolio: PortfolioValueMessage): string[] {
  const out = [formatInt(Out.updatePortfolio), "8"];
  pushContract(out, portfolio.contract, portfolio.contract.primaryExch ?? "");
  out.push(
    formatDecimal(portfolio.position),
    formatDouble(portfolio.marketPrice),
    formatDouble(portfolio.marketValue),
    formatDouble(portfolio.averageCost),
    formatDouble(portfolio.unrealizedPnl),
    formatDouble(portfolio.realizedPnl),
    portfolio.account,
  );
  return out;
}

/** `updateAccountTime`: `[8, 1, "HH:mm"]` (see `formatTwsClock`). */
export function updateAccountTimeFields(time: string): string[] {
  return [formatInt(Out.updateAccountTime), "1", time];
}

/** `accountDownloadEnd`: `[54, 1, account]`, after the first full account snapshot. */
export function accountDownloadEndFields(account: string): string[] {
  return [formatInt(Out.accountDownloadEnd), "1", account];
}

/** One account summary value. */
export interface AccountSummaryMessage {
  readonly reqId: number;
  readonly account: string;
  readonly tag: string;
  readonly value: string;
  readonly currency: string;
}

/** `accountSummary`: `[63, 1, reqId, account, tag, value, currency]`. */
export function accountSummaryFields(summary: AccountSummaryMessage): string[] {
  return [
    formatInt(Out.accountSummary),
    "1",
    formatInt(summary.reqId),
    summary.account,
    summary.tag,
    summary.value,
    summary.currency,
  ];
}

/** `accountSummaryEnd`: `[64, 1, reqId]`. */
export function accountSummaryEndFields(reqId: number): string[] {
  return [formatInt(Out.accountSummaryEnd), "1", formatInt(reqId)];
}

/** One account value for reqAccountUpdatesMulti. */
export interface AccountUpdateMultiMessage extends AccountValueMessage {
  readonly reqId: number;
  readonly modelCode: string;
}

/** `accountUpdateMulti`: `[73, 1, reqId, account, modelCode, key, value, currency]`. */
export function accountUpdateMultiFields(update: AccountUpdateMultiMessage): string[] {
  return [
    formatInt(Out.accountUpdateMulti),
    "1",
    formatInt(update.reqId),
    update.account,
    update.modelCode,
    update.key,
    update.value,
    update.currency,
  ];
}

/** `accountUpdateMultiEnd`: `[74, 1, reqId]`. */
export function accountUpdateMultiEndFields(reqId: number): string[] {
  return [formatInt(Out.accountUpdateMultiEnd), "1", formatInt(reqId)];
}

/** Account-level P&L; undefined values are written as unset (MAX). */
export interface PnlMessage {
  readonly reqId: number;
  readonly dailyPnl?: number;
  readonly unrealizedPnl?: number;
  readonly realizedPnl?: number;
}

/** `pnl`: `[94, reqId, dailyPnL, unrealizedPnL, realizedPnL]` (no version). */
export function pnlFields(pnl: PnlMessage): string[] {
  return [
    formatInt(Out.pnl),
    formatInt(pnl.reqId),
    formatDoubleOrUnset(pnl.dailyPnl),
    formatDoubleOrUnset(pnl.unrealizedPnl),
    formatDoubleOrUnset(pnl.realizedPnl),
  ];
}

/** One position's P&L. */
export interface PnlSingleMessage extends PnlMessage {
  readonly position?: number;
  /** Market value of the position. */
  readonly value?: number;
}

/** `pnlSingle`: `[95, reqId, pos, dailyPnL, unrealizedPnL, realizedPnL, value]` (no version). */
export function pnlSingleFields(pnl: PnlSingleMessage): string[] {
  return [
    formatInt(Out.pnlSingle),
    formatInt(pnl.reqId),
    formatDecimalOrEmpty(pnl.position),
    formatDoubleOrUnset(pnl.dailyPnl),
    formatDoubleOrUnset(pnl.unrealizedPnl),
    formatDoubleOrUnset(pnl.realizedPnl),
    formatDoubleOrUnset(pnl.value),
  ];
}
