/**
 * Executions and commission reports, and the store reqExecutions reads.
 *
 * A fill of a STK/OPT order is one execution with one commission report. A fill of a BAG order
 * is one combo-level execution (secType BAG, signed combo price, no commission report) plus one
 * execution per leg, each with its commission report — as TWS reports combos.
 *
 * @packageDocumentation
 */

import type { ContractView } from "./order-types.js";

/** Execution side as execDetails spells it. */
export type ExecutionSide = "BOT" | "SLD";

/** One execDetails. */
export interface ExecutionReport {
  readonly execId: string;
  readonly orderId: number;
  readonly clientId: number;
  readonly permId: number;
  readonly account: string;
  readonly contract: ContractView;
  /** Epoch ms; the server formats it as `YYYYMMDD HH:MM:SS <tz>`. */
  readonly time: number;
  /** Where it executed (never SMART). */
  readonly exchange: string;
  readonly side: ExecutionSide;
  readonly shares: number;
  /** Per share; the signed combo price for the BAG execution. */
  readonly price: number;
  /** Quantity of this contract executed for the order so far, this execution included. */
  readonly cumQty: number;
  /** Volume-weighted mean price of those executions. */
  readonly avgPrice: number;
  readonly orderRef: string;
  /** Always 0 (not a liquidation). */
  readonly liquidation: number;
  /** 1 added liquidity (resting order hit), 2 removed liquidity (crossed the spread). */
  readonly lastLiquidity: 1 | 2;
  readonly evRule: string;
  readonly evMultiplier: number;
  readonly modelCode: string;
  /** True for the combo-level execution of a BAG order. */
  readonly comboLevel: boolean;
}

/** One commissionReport; `execId` matches its execution. */
export interface CommissionReport {
  readonly execId: string;
  readonly commission: number;
  readonly currency: string;
  /** Realized P&L of the closing part, net of commissions; UNSET_DOUBLE on an opening trade. */
  readonly realizedPNL: number;
  /** Always UNSET_DOUBLE (no bonds). */
  readonly yield: number;
  /** Always 0 (no bonds; the server sends it as empty). */
  readonly yieldRedemptionDate: number;
}

/** An execution with its commission report (none for the combo-level one). */
export interface ExecutionRecord {
  readonly execution: ExecutionReport;
  readonly commissionReport: CommissionReport | undefined;
}

/**
 * reqExecutions' filter. Unset, empty or 0 fields match everything (TWS's defaults), so the
 * server can pass the decoded filter as is. `since` is epoch ms (the server parses the
 * `yyyymmdd hh:mm:ss` string); `side` accepts BUY/SELL or BOT/SLD.
 */
export interface ExecutionFilter {
  readonly clientId?: number;
  readonly account?: string;
  readonly since?: number;
  readonly symbol?: string;
  readonly secType?: string;
  readonly exchange?: string;
  readonly side?: string;
}

function sideMatches(filter: string, side: ExecutionSide): boolean {
  const wanted = filter.toUpperCase();
  if (wanted === "BUY" || wanted === "BOT") return side === "BOT";
  if (wanted === "SELL" || wanted === "SLD") return side === "SLD";
  return false;
}

const given = (value: string | undefined): value is string => value !== undefined && value !== "";

/** Whether an execution passes a filter. */
export function matchesFilter(e: ExecutionReport, f: ExecutionFilter): boolean {
  if (f.clientId !== undefined && f.clientId !== 0 && e.clientId !== f.clientId) return false;
  if (given(f.account) && e.account !== f.account) return false;
  if (f.since !== undefined && e.time < f.since) return false;
  if (given(f.symbol) && e.contract.symbol.toUpperCase() !== f.symbol.toUpperCase()) return false;
  if (given(f.secType) && e.contract.secType !== f.secType.toUpperCase()) return false;
  if (given(f.exchange) && e.exchange.toUpperCase() !== f.exchange.toUpperCase()) return false;
  if (given(f.side) && !sideMatches(f.side, e.side)) return false;
  return true;
}

/** Every execution of the account, in execution order. */
export class ExecutionStore {
  private readonly records: ExecutionRecord[] = [];

  add(record: ExecutionRecord): void {
    this.records.push(record);
  }

  /** Executions passing `filter`, oldest first. */
  list(filter: ExecutionFilter = {}): ExecutionRecord[] {
    return this.records.filter((r) => matchesFilter(r.execution, filter));
  }
}
