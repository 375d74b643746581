import type { OrderCondition } from "./order-conditions.js";
import type { TagValue } from "./tag-values.js";

/** The limit price of one combo leg (`orderComboLegs`); undefined when the client left it unset. */
export interface OrderComboLeg {
  readonly price: number | undefined;
}

/** The delta-neutral order leg, present when `deltaNeutralOrderType` is not empty. */
export interface DeltaNeutralOrderLeg {
  readonly conId: number | undefined;
  readonly settlingFirm: string;
  readonly clearingAccount: string;
  readonly clearingIntent: string;
  readonly openClose: string;
  readonly shortSale: boolean;
  readonly shortSaleSlot: number | undefined;
  readonly designatedLocation: string;
}

/** Scale-order details, present when `scalePriceIncrement` is positive. */
export interface ScaleOrderParams {
  readonly priceAdjustValue: number | undefined;
  readonly priceAdjustInterval: number | undefined;
  readonly profitOffset: number | undefined;
  readonly autoReset: boolean;
  readonly initPosition: number | undefined;
  readonly initFillQty: number | undefined;
  readonly randomPercent: boolean;
}

/** Pegged-to-benchmark details, present for `PEG BENCH` orders. */
export interface PegBenchParams {
  readonly referenceContractId: number | undefined;
  readonly isPeggedChangeAmountDecrease: boolean;
  readonly peggedChangeAmount: number | undefined;
  readonly referenceChangeAmount: number | undefined;
  readonly referenceExchangeId: string;
}

/** A soft-dollar tier; `displayName` exists only in server messages. */
export interface SoftDollarTier {
  readonly name: string;
  readonly value: string;
  readonly displayName?: string;
}

/**
 * An order as a client sends it in placeOrder (v176 layout), every field decoded.
 *
 * Conventions: a number the client left empty (or set to IB's MAX sentinel) is `undefined`; a
 * boolean left empty is `false`, except `transmit`, which is `true` (trap T7: @stoqey/ib sends
 * `""` for every boolean the user did not set, and an order that is never transmitted would
 * surprise every user who did not know to set it). Strings are as sent.
 */
export interface Order {
  /** `BUY` or `SELL` (`SSHORT` for institutions). */
  readonly action: string;
  /** Decimal quantity; 0 when empty. */
  readonly totalQuantity: number;
  /** `LMT`, `MKT`, `STP`, `PEG MID`, … as sent. */
  readonly orderType: string;
  /** Limit price. Negative is legal for combos (a credit). */
  readonly lmtPrice: number | undefined;
  readonly auxPrice: number | undefined;
  /** `DAY`, `GTC`, `IOC`, …; `""` means the TWS default (DAY). */
  readonly tif: string;
  readonly ocaGroup: string;
  readonly account: string;
  readonly openClose: string;
  /** 0 customer, 1 firm. */
  readonly origin: number;
  readonly orderRef: string;
  /** `""` reads as true (see above). */
  readonly transmit: boolean;
  /** 0 when the order has no parent. */
  readonly parentId: number;
  readonly blockOrder: boolean;
  readonly sweepToFill: boolean;
  readonly displaySize: number | undefined;
  readonly triggerMethod: number;
  readonly outsideRth: boolean;
  readonly hidden: boolean;
  /** Per-leg prices, BAG orders only. */
  readonly orderComboLegs: readonly OrderComboLeg[];
  /** e.g. `NonGuaranteed=1`, BAG orders only. */
  readonly smartComboRoutingParams: readonly TagValue[];
  readonly discretionaryAmt: number | undefined;
  readonly goodAfterTime: string;
  readonly goodTillDate: string;
  readonly faGroup: string;
  readonly faMethod: string;
  readonly faPercentage: string;
  /** Deprecated; still on the wire below server version 177. */
  readonly faProfile: string;
  readonly modelCode: string;
  readonly shortSaleSlot: number | undefined;
  readonly designatedLocation: string;
  readonly exemptCode: number | undefined;
  readonly ocaType: number | undefined;
  readonly rule80A: string;
  readonly settlingFirm: string;
  readonly allOrNone: boolean;
  readonly minQty: number | undefined;
  readonly percentOffset: number | undefined;
  readonly eTradeOnly: boolean;
  readonly firmQuoteOnly: boolean;
  readonly nbboPriceCap: number | undefined;
  readonly auctionStrategy: number | undefined;
  readonly startingPrice: number | undefined;
  readonly stockRefPrice: number | undefined;
  readonly delta: number | undefined;
  readonly stockRangeLower: number | undefined;
  readonly stockRangeUpper: number | undefined;
  readonly overridePercentageConstraints: boolean;
  readonly volatility: number | undefined;
  readonly volatilityType: number | undefined;
  readonly deltaNeutralOrderType: string;
  readonly deltaNeutralAuxPrice: number | undefined;
  readonly deltaNeutral: DeltaNeutralOrderLeg | undefined;
  readonly continuousUpdate: boolean;
  readonly referencePriceType: number | undefined;
  readonly trailStopPrice: number | undefined;
  readonly trailingPercent: number | undefined;
  readonly scaleInitLevelSize: number | undefined;
  readonly scaleSubsLevelSize: number | undefined;
  readonly scalePriceIncrement: number | undefined;
  readonly scale: ScaleOrderParams | undefined;
  readonly scaleTable: string;
  readonly activeStartTime: string;
  readonly activeStopTime: string;
  readonly hedgeType: string;
  readonly hedgeParam: string;
  readonly optOutSmartRouting: boolean;
  readonly clearingAccount: string;
  readonly clearingIntent: string;
  readonly notHeld: boolean;
  readonly algoStrategy: string;
  readonly algoParams: readonly TagValue[];
  readonly algoId: string;
  /** Preview only: answer with one openOrder carrying margins, create nothing (trap T8). */
  readonly whatIf: boolean;
  readonly orderMiscOptions: readonly TagValue[];
  readonly solicited: boolean;
  readonly randomizeSize: boolean;
  readonly randomizePrice: boolean;
  readonly pegBench: PegBenchParams | undefined;
  readonly conditions: readonly OrderCondition[];
  readonly conditionsIgnoreRth: boolean;
  readonly conditionsCancelOrder: boolean;
  readonly adjustedOrderType: string;
  readonly triggerPrice: number | undefined;
  readonly lmtPriceOffset: number | undefined;
  readonly adjustedStopPrice: number | undefined;
  readonly adjustedStopLimitPrice: number | undefined;
  readonly adjustedTrailingAmount: number | undefined;
  readonly adjustableTrailingUnit: number | undefined;
  readonly extOperator: string;
  readonly softDollarTier: SoftDollarTier;
  readonly cashQty: number | undefined;
  readonly mifid2DecisionMaker: string;
  readonly mifid2DecisionAlgo: string;
  readonly mifid2ExecutionTrader: string;
  readonly mifid2ExecutionAlgo: string;
  readonly dontUseAutoPriceForHedge: boolean;
  readonly isOmsContainer: boolean;
  readonly discretionaryUpToLimitPrice: boolean;
  /** Tri-state: undefined lets TWS decide. */
  readonly usePriceMgmtAlgo: boolean | undefined;
  readonly duration: number | undefined;
  readonly postToAts: number | undefined;
  readonly autoCancelParent: boolean;
  readonly advancedErrorOverride: string;
  readonly manualOrderTime: string;
  /** Only sent for exchange IBKRATS. */
  readonly minTradeQty: number | undefined;
  /** PEG BEST only. */
  readonly minCompeteSize: number | undefined;
  /** PEG BEST only; `Infinity` means "up to mid". */
  readonly competeAgainstBestOffset: number | undefined;
  /** PEG MID, or PEG BEST up to mid. */
  readonly midOffsetAtWhole: number | undefined;
  readonly midOffsetAtHalf: number | undefined;
}

/**
 * An order as the server writes it (openOrder, completedOrder). Only action, quantity and type
 * are required; every other field falls back to what TWS shows for a plain order (unset numbers,
 * empty strings, false, `DAY`). A decoded {@link Order} can be passed as is.
 */
export type OrderInput = Partial<Order> &
  Pick<Order, "action" | "totalQuantity" | "orderType"> & {
    /** openOrder only. */
    readonly basisPoints?: number;
    /** openOrder only. */
    readonly basisPointsType?: number;
  };

/**
 * The order state of an openOrder. For a what-if reply the margin fields must be numbers:
 * ib_async resolves `whatIfOrder()` only when `initMarginChange` is a real number (trap T8).
 * Unset numbers are written as IB's MAX sentinel, which both clients read as "no value".
 */
export interface OrderStateInput {
  /** `PreSubmitted`, `Submitted`, `Filled`, `Cancelled`, … */
  readonly status: string;
  readonly initMarginBefore?: number;
  readonly maintMarginBefore?: number;
  readonly equityWithLoanBefore?: number;
  readonly initMarginChange?: number;
  readonly maintMarginChange?: number;
  readonly equityWithLoanChange?: number;
  readonly initMarginAfter?: number;
  readonly maintMarginAfter?: number;
  readonly equityWithLoanAfter?: number;
  readonly commission?: number;
  readonly minCommission?: number;
  readonly maxCommission?: number;
  readonly commissionCurrency?: string;
  readonly warningText?: string;
}
