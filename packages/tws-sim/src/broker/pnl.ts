/**
 * P&L of positions at given marks, as reqPnL / reqPnLSingle report it.
 *
 * - unrealized = quantity × (mark × multiplier − avgCost)  (avgCost holds the commissions);
 * - daily = value now − value at the previous close + the day's cash flows of the conId
 *   (quantity × mark × m − dayStartQuantity × previousClose × m + cash received − cash paid,
 *   commissions included). Summed over positions it is the change of net liquidation since the
 *   roll, so realized trades, commissions and expiries are all in it;
 * - realized = realized P&L booked since the roll.
 *
 * @packageDocumentation
 */

import type { PositionState } from "./ledger.js";
import { roundMoney } from "./numeric.js";

/** reqPnLSingle's figures. */
export interface PnlSingleReport {
  readonly pos: number;
  readonly dailyPnL: number;
  readonly unrealizedPnL: number;
  readonly realizedPnL: number;
  /** Market value: quantity × mark × multiplier. */
  readonly value: number;
}

/** reqPnL's figures. */
export interface PnlReport {
  readonly dailyPnL: number;
  readonly unrealizedPnL: number;
  readonly realizedPnL: number;
}

/** P&L of one position at `mark` (per share). */
export function positionPnl(position: PositionState, mark: number): PnlSingleReport {
  const m = position.contract.multiplier;
  const value = position.quantity * mark * m;
  return {
    pos: position.quantity,
    dailyPnL: roundMoney(value - position.dayStartQuantity * position.dayStartMark * m + position.dayCashFlow),
    unrealizedPnL: roundMoney(position.quantity === 0 ? 0 : value - position.quantity * position.avgCost),
    realizedPnL: position.dayRealized,
    value: roundMoney(value),
  };
}

/** Sum of the positions' P&L. */
export function totalPnl(reports: readonly PnlSingleReport[]): PnlReport {
  let daily = 0;
  let unrealized = 0;
  let realized = 0;
  for (const r of reports) {
    daily += r.dailyPnL;
    unrealized += r.unrealizedPnL;
    realized += r.realizedPnL;
  }
  return { dailyPnL: roundMoney(daily), unrealizedPnL: roundMoney(unrealized), realizedPnL: roundMoney(realized) };
}
