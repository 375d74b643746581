import type { ContractInput } from "../contract.js";
import { formatDecimal, formatDouble, formatDoubleOrUnset, formatInt, formatIntOrEmpty } from "../field-writer.js";
import { OutgoingMessageId as Out } from "../message-ids.js";

/** One fill. */
export interface Execution {
  readonly orderId: number;
  /** Unique per fill; the commissionReport for it repeats it. */
  readonly execId: string;
  /** `yyyyMMdd HH:mm:ss <IANA tz>` (ib_async parses the zone with ZoneInfo). */
  readonly time: string;
  readonly account: string;
  readonly exchange: string;
  /** `BOT` or `SLD`. */
  readonly side: string;
  readonly shares: number;
  readonly price: number;
  readonly permId: number;
  /** The placing connection's clientId (trap T9). */
  readonly clientId: number;
  /** 1 for a liquidation. */
  readonly liquidation?: number;
  readonly cumQty: number;
  readonly avgPrice: number;
  readonly orderRef?: string;
  readonly evRule?: string;
  readonly evMultiplier?: number;
  readonly modelCode?: string;
  /** 1 added liquidity, 2 removed, 3 routed out. */
  readonly lastLiquidity?: number;
}

/** An execDetails message. */
export interface ExecDetailsMessage {
  /** −1 for a live fill; the reqExecutions reqId when answering one. */
  readonly reqId: number;
  readonly contract: ContractInput;
  readonly execution: Execution;
}

/** `execDetails` at v176: 31 fields, no version (pendingPriceRevision only from v178). */
export function execDetailsFields(message: ExecDetailsMessage): string[] {
  const { contract: c, execution: e } = message;
  return [
    formatInt(Out.execDetails),
    formatInt(message.reqId),
    formatInt(e.orderId),
    formatInt(c.conId),
    c.symbol,
    c.secType,
    c.lastTradeDateOrContractMonth ?? "",
    formatDouble(c.strike ?? 0),
    c.right ?? "",
    c.multiplier ?? "",
    c.exchange ?? "",
    c.currency ?? "",
    c.localSymbol ?? "",
    c.tradingClass ?? "",
    e.execId,
    e.time,
    e.account,
    e.exchange,
    e.side,
    formatDecimal(e.shares),
    formatDouble(e.price),
    formatInt(e.permId),
    formatInt(e.clientId),
    formatInt(e.liquidation ?? 0),
    formatDecimal(e.cumQty),
    formatDouble(e.avgPrice),
    e.orderRef ?? "",
    e.evRule ?? "",
    formatDoubleOrUnset(e.evMultiplier),
    e.modelCode ?? "",
    formatIntOrEmpty(e.lastLiquidity),
  ];
}

/** `execDetailsEnd`: `[55, 1, reqId]`. */
export function execDetailsEndFields(reqId: number): string[] {
  return [formatInt(Out.execDetailsEnd), "1", formatInt(reqId)];
}

/** The commission of one fill. Comes after its execDetails; combo fills carry it on the legs. */
export interface CommissionReport {
  /** Must equal the execution's execId. */
  readonly execId: string;
  readonly commission: number;
  readonly currency: string;
  /** Unset (MAX) when the fill opened a position. */
  readonly realizedPnl?: number;
  readonly yield?: number;
  /** `yyyyMMdd` as an int; unset when not a bond. */
  readonly yieldRedemptionDate?: number;
}

/** `commissionReport`: exactly 8 fields, `[59, 1, execId, commission, currency, realizedPNL, yield, yieldRedemptionDate]`. */
export function commissionReportFields(report: CommissionReport): string[] {
  return [
    formatInt(Out.commissionReport),
    "1",
    report.execId,
    formatDouble(report.commission),
    report.currency,
    formatDoubleOrUnset(report.realizedPnl),
    formatDoubleOrUnset(report.yield),
    formatIntOrEmpty(report.yieldRedemptionDate),
  ];
}
