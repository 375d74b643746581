/**
 * Cash and positions of the account, and the bookkeeping of one trade at a time.
 *
 * Conventions (IB's):
 * - Position quantity is signed (short < 0).
 * - avgCost is per contract *including the multiplier and the commissions*: buying 1 option at
 *   1.00 with $1.00 commission gives avgCost 101; selling one at 2.30 with $1.00 commission
 *   opens a short with avgCost 229 (net proceeds per contract). Stock: per share.
 * - Realized P&L is booked on the closing part of a trade, net of the closing commission, and
 *   against an avgCost that already holds the opening commission — the figure IB puts in the
 *   commission report.
 * - Cash moves by the premium/notional (price × multiplier × quantity) and the commission.
 *
 * Daily figures: {@link Ledger.rollDay} stores each position's quantity and the previous close
 * mark; trades after it accumulate per-conId cash flow and realized P&L for the day.
 *
 * @packageDocumentation
 */

import { roundMoney } from "./numeric.js";
import type { OrderAction } from "./order-types.js";
import type { ContractInfo } from "./ports.js";

/** One position's state. */
export interface PositionState {
  readonly contract: ContractInfo;
  /** Signed quantity. */
  quantity: number;
  /** Per contract, multiplier and commissions included; 0 when flat. */
  avgCost: number;
  /** Quantity at the start of the day (last roll). */
  dayStartQuantity: number;
  /** Previous close mark per share, the base of daily P&L. */
  dayStartMark: number;
  /** Cash paid (−) or received (+) for this conId since the roll, commissions included. */
  dayCashFlow: number;
  /** Realized P&L booked since the roll. */
  dayRealized: number;
}

/** The effect of one trade. */
export interface TradeEffect {
  /** Realized P&L of the closing part; undefined when the trade only opened or added. */
  readonly realizedPnL: number | undefined;
  readonly cashDelta: number;
}

/** Cash and positions of one account. */
export class Ledger {
  private readonly byConId = new Map<number, PositionState>();
  private cashBalance: number;

  constructor(startingCash: number) {
    this.cashBalance = startingCash;
  }

  /** Cash balance. */
  get cash(): number {
    return this.cashBalance;
  }

  /** The position of a conId, including one closed since the last roll (quantity 0). */
  position(conId: number): PositionState | undefined {
    return this.byConId.get(conId);
  }

  /** Every position, including those closed since the last roll, in the order they were opened. */
  positions(): PositionState[] {
    return [...this.byConId.values()];
  }

  /**
   * Books a trade of `quantity` (> 0) at `price` per share in direction `side`, paying
   * `commission`.
   */
  trade(contract: ContractInfo, side: OrderAction, quantity: number, price: number, commission: number): TradeEffect {
    const position = this.positionFor(contract);
    const m = contract.multiplier;
    const sign = side === "BUY" ? 1 : -1;
    const cashDelta = roundMoney(-sign * price * m * quantity - commission);

    let realized: number | undefined;
    let opening = quantity;
    let openingCommission = commission;
    if (position.quantity !== 0 && Math.sign(position.quantity) !== sign) {
      const closed = Math.min(quantity, Math.abs(position.quantity));
      const closingCommission = (commission * closed) / quantity;
      // Selling a long gains exit − cost; buying back a short gains cost − exit.
      const perUnit = sign < 0 ? price * m - position.avgCost : position.avgCost - price * m;
      realized = roundMoney(closed * perUnit - closingCommission);
      position.quantity += sign * closed;
      if (position.quantity === 0) position.avgCost = 0;
      opening = quantity - closed;
      openingCommission = commission - closingCommission;
    }
    if (opening > 0) {
      // A long's cost adds the commission; a short's basis (net proceeds) subtracts it.
      const held = Math.abs(position.quantity);
      const basis = held * position.avgCost + opening * price * m + sign * openingCommission;
      position.quantity += sign * opening;
      position.avgCost = roundMoney(basis / Math.abs(position.quantity));
    }

    this.cashBalance = roundMoney(this.cashBalance + cashDelta);
    position.dayCashFlow = roundMoney(position.dayCashFlow + cashDelta);
    if (realized !== undefined) position.dayRealized = roundMoney(position.dayRealized + realized);
    return { realizedPnL: realized, cashDelta };
  }

  /**
   * Closes the whole position of `contract` at `price` without commission (option expiry,
   * cash-settled at intrinsic value). Returns undefined when there is nothing to settle.
   */
  settle(contract: ContractInfo, price: number): TradeEffect | undefined {
    const position = this.byConId.get(contract.conId);
    if (position === undefined || position.quantity === 0) return undefined;
    return this.trade(contract, position.quantity > 0 ? "SELL" : "BUY", Math.abs(position.quantity), price, 0);
  }

  /**
   * Starts a new day: drops positions that are flat, stores every position's quantity and
   * previous-close mark (`closeMark`, per share), and zeroes the day's cash flows and realized
   * P&L.
   */
  rollDay(closeMark: (position: PositionState) => number): void {
    for (const [conId, position] of this.byConId) {
      if (position.quantity === 0) {
        this.byConId.delete(conId);
        continue;
      }
      position.dayStartQuantity = position.quantity;
      position.dayStartMark = closeMark(position);
      position.dayCashFlow = 0;
      position.dayRealized = 0;
    }
  }

  /** An independent copy (for what-if). */
  clone(): Ledger {
    const copy = new Ledger(this.cashBalance);
    for (const [conId, position] of this.byConId) copy.byConId.set(conId, { ...position });
    return copy;
  }

  private positionFor(contract: ContractInfo): PositionState {
    let position = this.byConId.get(contract.conId);
    if (position === undefined) {
      position = {
        contract,
        quantity: 0,
        avgCost: 0,
        dayStartQuantity: 0,
        dayStartMark: 0,
        dayCashFlow: 0,
        dayRealized: 0,
      };
      this.byConId.set(contract.conId, position);
    }
    return position;
  }
}
