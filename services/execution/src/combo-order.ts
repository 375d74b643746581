import { create } from "@bufbuild/protobuf";
import type { OrderRequest } from "@spreadops/api";
import { OrderAction, OrderRequestSchema, OrderType, TimeInForce } from "@spreadops/api";
import { checkComboLimit, comboLimitPrice } from "@spreadops/core";
import { invalidArgument } from "@spreadops/runtime";
import type { ValidTrade } from "./trade-spec.js";

/** The legs of a trade as resolved from contract details. */
export interface ResolvedLegs {
  readonly shortConId: number;
  readonly longConId: number;
  /** Contract multiplier from contract details (never assumed). */
  readonly multiplier: number;
  /** Price increment of the combo's limit: the legs' minimum tick (the coarser of the two). */
  readonly tick: number;
}

/**
 * IB-signed combo limit for a premium (positive, USD per share). SpreadOps always defines the
 * combo by its opening legs, so the sign depends only on the kind (credit → negative), for the
 * opening BUY and the closing SELL alike (CONVENTIONS.md). Refuses anything core's
 * `checkComboLimit` refuses, naming `field`, before it can reach the broker.
 */
export function brokerLimit(trade: ValidTrade, premium: number, tick: number, field: string): number {
  const signed = comboLimitPrice(trade.spread, premium);
  const problem = checkComboLimit(trade.spread, signed, tick);
  if (problem !== undefined) throw invalidArgument(field, `a premium > 0, below the width, on the tick ${tick} (${problem})`, premium);
  return signed;
}

/** The BAG limit order of a trade: BUY to open, SELL of the same combo to close. */
export function comboOrder(trade: ValidTrade, legs: ResolvedLegs, action: OrderAction, signedLimit: number, quantity = trade.quantity): OrderRequest {
  return create(OrderRequestSchema, {
    orderRef: trade.tradeId,
    action,
    quantity,
    orderType: OrderType.LIMIT,
    limitPrice: signedLimit,
    timeInForce: TimeInForce.DAY,
    outsideRth: false,
    nonGuaranteed: trade.nonGuaranteed,
    contract: {
      instrument: {
        case: "combo",
        value: {
          symbol: trade.underlying,
          exchange: "SMART",
          legs: [
            { conId: legs.longConId, ratio: 1, action: OrderAction.BUY },
            { conId: legs.shortConId, ratio: 1, action: OrderAction.SELL },
          ],
        },
      },
    },
  });
}
