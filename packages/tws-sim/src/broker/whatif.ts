/**
 * Projection of an order onto the account: the what-if order state and the funds check.
 *
 * The order is assumed filled in full at once: a LMT at its limit (combo legs priced from the
 * legs' touch, then moved to add up to the limit), a MKT at the touch; a leg without a quote
 * uses its mark (0 when it has none). Commission is the schedule's charge for the whole order,
 * per leg. "After" is the account with that fill booked, valued at the current marks, so
 * equityWithLoanChange = (mark − fill price) × quantity × multiplier − commission.
 *
 * @packageDocumentation
 */

import { accountSnapshot, type AccountModel, type AccountSnapshot, type MarkLookup } from "./account.js";
import { allocateLegPrices, legSide } from "./combo-pricing.js";
import { estimateCommission, type CommissionRates } from "./commissions.js";
import type { Ledger } from "./ledger.js";
import { roundMoney } from "./numeric.js";
import type { WhatIfOrderState } from "./order-types.js";
import type { QuoteSource } from "./ports.js";
import { askOf, bidOf, markOf } from "./quotes.js";
import type { ResolvedOrder } from "./validation.js";

/** The account before and after a projected fill. */
export interface Projection {
  readonly before: AccountSnapshot;
  readonly after: AccountSnapshot;
  readonly commission: number;
}

/** Leg prices of the projected fill of `quantity` (see the module comment). */
export function projectedLegPrices(order: ResolvedOrder, quotes: QuoteSource): number[] {
  const base = order.legs.map((leg) => {
    const quote = quotes.quote(leg.contract.conId);
    const touch = legSide(leg.action, order.action) === "BUY" ? askOf(quote) : bidOf(quote);
    return touch ?? markOf(quote) ?? 0;
  });
  if (order.orderType === "MKT" || order.lmtPrice === undefined) return base;
  return allocateLegPrices(order.legs, base, order.lmtPrice);
}

/** Books the projected fill of `quantity` combo units/shares of `order` into a copy of `ledger`. */
export function projectOrder(
  order: ResolvedOrder,
  quantity: number,
  ledger: Ledger,
  quotes: QuoteSource,
  mark: MarkLookup,
  model: AccountModel,
  rates: CommissionRates,
): Projection {
  const before = accountSnapshot(ledger, mark, model);
  const copy = ledger.clone();
  const prices = projectedLegPrices(order, quotes);
  let commission = 0;
  order.legs.forEach((leg, i) => {
    const legQuantity = quantity * leg.ratio;
    const price = prices[i] ?? 0;
    const legCommission = estimateCommission(rates, leg.contract.secType, leg.contract.multiplier, legQuantity, price);
    commission += legCommission;
    copy.trade(leg.contract, legSide(leg.action, order.action), legQuantity, price, legCommission);
  });
  return { before, after: accountSnapshot(copy, mark, model), commission: roundMoney(commission) };
}

/**
 * Why the projected order would be refused for funds, or undefined. An order is refused when
 * it raises the initial margin and leaves equity with loan value below it — orders that reduce
 * the requirement (closing trades) always pass. The text is TWS's.
 */
export function insufficientFunds(p: Projection): string | undefined {
  if (p.after.availableFunds >= 0 || p.after.initMarginReq <= p.before.initMarginReq) return undefined;
  const ewl = p.after.equityWithLoanValue.toFixed(2);
  const init = p.after.initMarginReq.toFixed(2);
  const cur = p.after.currency;
  return (
    "YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE " +
    `[${ewl} ${cur}] MUST EXCEED THE INITIAL MARGIN [${init} ${cur}]`
  );
}

/** The what-if order state of a projection. */
export function whatIfState(p: Projection): WhatIfOrderState {
  const { before, after } = p;
  return {
    status: "PreSubmitted",
    initMarginBefore: before.initMarginReq,
    initMarginChange: roundMoney(after.initMarginReq - before.initMarginReq),
    initMarginAfter: after.initMarginReq,
    maintMarginBefore: before.maintMarginReq,
    maintMarginChange: roundMoney(after.maintMarginReq - before.maintMarginReq),
    maintMarginAfter: after.maintMarginReq,
    equityWithLoanBefore: before.equityWithLoanValue,
    equityWithLoanChange: roundMoney(after.equityWithLoanValue - before.equityWithLoanValue),
    equityWithLoanAfter: after.equityWithLoanValue,
    commission: p.commission,
    minCommission: p.commission,
    maxCommission: p.commission,
    commissionCurrency: after.currency,
    warningText: insufficientFunds(p) ?? "",
  };
}
