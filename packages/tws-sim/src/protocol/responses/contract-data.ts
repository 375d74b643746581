import type { ContractInput } from "../contract.js";
import { formatDecimal, formatDouble, formatInt } from "../field-writer.js";
import { OutgoingMessageId as Out } from "../message-ids.js";
import type { TagValue } from "../tag-values.js";

/**
 * One contractData message. Identifying fields come from `contract`; the rest describe how the
 * contract trades. Unset optional fields get the values TWS sends for a plain US stock/option.
 */
export interface ContractDetailsMessage {
  readonly reqId: number;
  /** `lastTradeDateOrContractMonth` must be plain `YYYYMMDD` (trap T16); `right` `C`/`P` or `""`. */
  readonly contract: ContractInput;
  /** e.g. `NMS` for a stock, the trading class for an option. */
  readonly marketName: string;
  readonly minTick: number;
  /** CSV, e.g. `LMT,MKT,STP,…`. */
  readonly orderTypes?: string;
  /** CSV, e.g. `SMART,CBOE,ISE`. */
  readonly validExchanges?: string;
  /** Default 1. */
  readonly priceMagnifier?: number;
  /** The underlying's conId for derivatives; 0 (the default) for a stock. */
  readonly underConId?: number;
  readonly longName?: string;
  readonly contractMonth?: string;
  readonly industry?: string;
  readonly category?: string;
  readonly subcategory?: string;
  /** IANA name, e.g. `US/Eastern`. */
  readonly timeZoneId: string;
  /** `20250102:0930-20250102:1600;20250103:CLOSED;…` */
  readonly tradingHours?: string;
  readonly liquidHours?: string;
  readonly evRule?: string;
  readonly evMultiplier?: number;
  readonly secIdList?: readonly TagValue[];
  /** Default 1. */
  readonly aggGroup?: number;
  readonly underSymbol?: string;
  readonly underSecType?: string;
  /** CSV, one rule id per valid exchange, e.g. `26,26`. */
  readonly marketRuleIds?: string;
  readonly realExpirationDate?: string;
  /** e.g. `COMMON` for stocks; `""` for options. */
  readonly stockType?: string;
  /** Default 1 (also for the two below). */
  readonly minSize?: number;
  readonly sizeIncrement?: number;
  readonly suggestedSizeIncrement?: number;
}

/**
 * `contractData` at v176: no version field, conId at #13, 40 fields plus 2 per secId
 * (lastTradeDate and the fund/ineligibility fields only exist from v182).
 */
export function contractDataFields(details: ContractDetailsMessage): string[] {
  const c = details.contract;
  const out = [
    formatInt(Out.contractData),
    formatInt(details.reqId),
    c.symbol,
    c.secType,
    c.lastTradeDateOrContractMonth ?? "",
    formatDouble(c.strike ?? 0),
    c.right ?? "",
    c.exchange ?? "",
    c.currency ?? "",
    c.localSymbol ?? "",
    details.marketName,
    c.tradingClass ?? "",
    formatInt(c.conId),
    formatDouble(details.minTick),
    c.multiplier ?? "",
    details.orderTypes ?? "",
    details.validExchanges ?? "",
    formatInt(details.priceMagnifier ?? 1),
    formatInt(details.underConId ?? 0),
    details.longName ?? "",
    c.primaryExch ?? "",
    details.contractMonth ?? "",
    details.industry ?? "",
    details.category ?? "",
    details.subcategory ?? "",
    details.timeZoneId,
    details.tradingHours ?? "",
    details.liquidHours ?? "",
    details.evRule ?? "",
    formatDouble(details.evMultiplier ?? 0),
  ];
  const secIds = details.secIdList ?? [];
  out.push(formatInt(secIds.length));
  for (const { tag, value } of secIds) out.push(tag, value);
  out.push(
    formatInt(details.aggGroup ?? 1),
    details.underSymbol ?? "",
    details.underSecType ?? "",
    details.marketRuleIds ?? "",
    details.realExpirationDate ?? "",
    details.stockType ?? "",
    formatDecimal(details.minSize ?? 1),
    formatDecimal(details.sizeIncrement ?? 1),
    formatDecimal(details.suggestedSizeIncrement ?? 1),
  );
  return out;
}

/** `contractDataEnd`: `[52, 1, reqId]`. Not needed after error 200 (both clients end on it). */
export function contractDataEndFields(reqId: number): string[] {
  return [formatInt(Out.contractDataEnd), "1", formatInt(reqId)];
}

/** One exchange's option chain for reqSecDefOptParams. */
export interface SecurityDefinitionOptionParameterMessage {
  readonly reqId: number;
  readonly exchange: string;
  readonly underlyingConId: number;
  readonly tradingClass: string;
  /** e.g. `100`. */
  readonly multiplier: string;
  /** `YYYYMMDD` each. */
  readonly expirations: readonly string[];
  readonly strikes: readonly number[];
}

/**
 * `securityDefinitionOptionParameter`: no version; both lists count-prefixed and nothing after
 * the strikes, because ib_async takes every remaining field as a strike (trap T17).
 */
export function securityDefinitionOptionParameterFields(chain: SecurityDefinitionOptionParameterMessage): string[] {
  const out = [
    formatInt(Out.securityDefinitionOptionParameter),
    formatInt(chain.reqId),
    chain.exchange,
    formatInt(chain.underlyingConId),
    chain.tradingClass,
    chain.multiplier,
    formatInt(chain.expirations.length),
    ...chain.expirations,
    formatInt(chain.strikes.length),
  ];
  for (const strike of chain.strikes) out.push(formatDouble(strike));
  return out;
}

/** `securityDefinitionOptionParameterEnd`: `[76, reqId]` (no version). */
export function securityDefinitionOptionParameterEndFields(reqId: number): string[] {
  return [formatInt(Out.securityDefinitionOptionParameterEnd), formatInt(reqId)];
}

/** A price band of a market rule: from `lowEdge` up, prices move in steps of `increment`. */
export interface PriceIncrement {
  readonly lowEdge: number;
  readonly increment: number;
}

/** `marketRule`: `[93, marketRuleId, count, (lowEdge, increment)…]` (no version). */
export function marketRuleFields(marketRuleId: number, increments: readonly PriceIncrement[]): string[] {
  const out = [formatInt(Out.marketRule), formatInt(marketRuleId), formatInt(increments.length)];
  for (const { lowEdge, increment } of increments) out.push(formatDouble(lowEdge), formatDouble(increment));
  return out;
}
