/**
 * Commissions, modelled on IBKR Pro "Fixed" pricing for US stocks and options:
 *
 * - Stock: $0.005 per share, minimum $1.00 per order, maximum 1% of the trade value.
 * - Options: $0.65 per contract ($0.50 when the premium is below $0.10, $0.25 below $0.05),
 *   minimum $1.00 per order.
 *
 * The minimum and maximum apply per order (for a combo, per order leg — each leg is its own
 * order at the exchange), not per execution: a {@link CommissionMeter} follows one order leg and
 * charges each execution the increase of the order's total, so partial fills add up to the
 * same commission as one fill. Exchange, regulatory and clearing fees are not modelled.
 *
 * @packageDocumentation
 */

import { roundMoney } from "./numeric.js";
import type { ContractSecType } from "./ports.js";

/** A commission schedule. */
export interface CommissionRates {
  readonly currency: string;
  readonly stock: {
    readonly perShare: number;
    readonly minPerOrder: number;
    /** Cap as a fraction of the trade value (0.01 = 1%). */
    readonly maxFractionOfValue: number;
  };
  readonly option: {
    readonly perContract: number;
    /** Per contract when the premium is below $0.10. */
    readonly perContractBelow10c: number;
    /** Per contract when the premium is below $0.05. */
    readonly perContractBelow5c: number;
    readonly minPerOrder: number;
  };
}

/** IBKR Pro Fixed, US. */
export const IB_FIXED_US_RATES: CommissionRates = {
  currency: "USD",
  stock: { perShare: 0.005, minPerOrder: 1, maxFractionOfValue: 0.01 },
  option: { perContract: 0.65, perContractBelow10c: 0.5, perContractBelow5c: 0.25, minPerOrder: 1 },
};

/** Rate per share / contract at a price. */
export function unitRate(rates: CommissionRates, secType: ContractSecType, price: number): number {
  if (secType === "STK") return rates.stock.perShare;
  if (price < 0.05) return rates.option.perContractBelow5c;
  if (price < 0.1) return rates.option.perContractBelow10c;
  return rates.option.perContract;
}

/** Follows the commission of one order leg across its executions. */
export class CommissionMeter {
  private raw = 0;
  private value = 0;
  private charged = 0;

  constructor(
    private readonly rates: CommissionRates,
    private readonly secType: ContractSecType,
    private readonly multiplier: number,
  ) {}

  /** The order leg's total commission for the quantities accumulated so far. */
  private totalDue(): number {
    if (this.secType === "STK") {
      const { minPerOrder, maxFractionOfValue } = this.rates.stock;
      return Math.min(Math.max(this.raw, minPerOrder), maxFractionOfValue * this.value);
    }
    return Math.max(this.raw, this.rates.option.minPerOrder);
  }

  /** Commission of one execution of `quantity` at `price` (per share). */
  charge(quantity: number, price: number): number {
    this.raw += unitRate(this.rates, this.secType, price) * quantity;
    this.value += Math.abs(price) * this.multiplier * quantity;
    const due = roundMoney(Math.max(0, this.totalDue() - this.charged));
    this.charged = roundMoney(this.charged + due);
    return due;
  }

  /** Commission charged so far. */
  get total(): number {
    return this.charged;
  }
}

/** Commission of an order leg filled at once (what-if estimate). */
export function estimateCommission(
  rates: CommissionRates,
  secType: ContractSecType,
  multiplier: number,
  quantity: number,
  price: number,
): number {
  return new CommissionMeter(rates, secType, multiplier).charge(quantity, price);
}
