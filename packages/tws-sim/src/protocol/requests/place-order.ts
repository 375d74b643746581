import type { ComboLeg, OrderContract } from "../contract.js";
import { ProtocolError } from "../errors.js";
import type { FieldReader } from "../fields.js";
import type { Order, OrderComboLeg } from "../order.js";
import { readOrderCondition } from "../order-conditions.js";
import type { OrderCondition } from "../order-conditions.js";
import { parseTagValueList } from "../tag-values.js";
import type { TagValue } from "../tag-values.js";
import { isBag, readContract, readDeltaNeutralContract } from "./contract-fields.js";

/**
 * `placeOrder` (3): a new order, or a modification when `orderId` is already open. With
 * `order.whatIf` it is a preview: answer with one openOrder carrying margins and store nothing.
 */
export interface PlaceOrderRequest {
  readonly type: "placeOrder";
  readonly orderId: number;
  readonly contract: OrderContract;
  readonly order: Order;
}

/**
 * How to read the 7 scale fields after `scalePriceIncrement`. The official clients (ib_async)
 * send them only for an increment > 0 that is not MAX; @stoqey/ib sends them whenever the user
 * set the increment at all, even to 0, MAX (sent as `""`) or a negative value.
 */
type ScaleRule = "official" | "always";

/**
 * Decodes placeOrder (v176 layout, no version field; trap T6). When the official scale rule
 * leaves the message misaligned, the @stoqey/ib rule is tried before giving up.
 *
 * @throws ProtocolError with the first attempt's error when neither reading consumes exactly all fields
 */
export function decodePlaceOrder(reader: FieldReader): PlaceOrderRequest {
  const start = reader.position;
  try {
    return readPlaceOrder(reader, "official");
  } catch (first) {
    if (!(first instanceof ProtocolError)) throw first;
    const requestId = reader.requestId;
    reader.rewind(start);
    try {
      return readPlaceOrder(reader, "always");
    } catch {
      reader.requestId = requestId;
      throw first;
    }
  }
}

function readPlaceOrder(r: FieldReader, scaleRule: ScaleRule): PlaceOrderRequest {
  const orderId = r.readInt("orderId");
  r.requestId = orderId;
  const base = readContract(r);
  const secIdType = r.readString("secIdType");
  const secId = r.readString("secId");

  const action = r.readString("action");
  const totalQuantity = r.readOptionalDecimal("totalQuantity") ?? 0;
  const orderType = r.readString("orderType");
  const lmtPrice = r.readOptionalDouble("lmtPrice");
  const auxPrice = r.readOptionalDouble("auxPrice");
  const tif = r.readString("tif");
  const ocaGroup = r.readString("ocaGroup");
  const account = r.readString("account");
  const openClose = r.readString("openClose");
  const origin = r.readOptionalInt("origin") ?? 0;
  const orderRef = r.readString("orderRef");
  const transmit = r.readFlag("transmit", true);
  const parentId = r.readOptionalInt("parentId") ?? 0;
  const blockOrder = r.readFlag("blockOrder");
  const sweepToFill = r.readFlag("sweepToFill");
  const displaySize = r.readOptionalInt("displaySize");
  const triggerMethod = r.readOptionalInt("triggerMethod") ?? 0;
  const outsideRth = r.readFlag("outsideRth");
  const hidden = r.readFlag("hidden");

  let comboLegs: ComboLeg[] = [];
  let orderComboLegs: OrderComboLeg[] = [];
  let smartComboRoutingParams: TagValue[] = [];
  if (isBag(base)) {
    comboLegs = readOrderComboLegs(r);
    orderComboLegs = readOrderComboLegPrices(r);
    smartComboRoutingParams = readTagValuePairs(r, "smartComboRoutingParams");
  }

  r.skip("sharesAllocation");
  const discretionaryAmt = r.readOptionalDouble("discretionaryAmt");
  const goodAfterTime = r.readString("goodAfterTime");
  const goodTillDate = r.readString("goodTillDate");
  const faGroup = r.readString("faGroup");
  const faMethod = r.readString("faMethod");
  const faPercentage = r.readString("faPercentage");
  const faProfile = r.readString("faProfile");
  const modelCode = r.readString("modelCode");
  const shortSaleSlot = r.readOptionalInt("shortSaleSlot");
  const designatedLocation = r.readString("designatedLocation");
  const exemptCode = r.readOptionalInt("exemptCode");
  const ocaType = r.readOptionalInt("ocaType");
  const rule80A = r.readString("rule80A");
  const settlingFirm = r.readString("settlingFirm");
  const allOrNone = r.readFlag("allOrNone");
  const minQty = r.readOptionalInt("minQty");
  const percentOffset = r.readOptionalDouble("percentOffset");
  const eTradeOnly = r.readFlag("eTradeOnly");
  const firmQuoteOnly = r.readFlag("firmQuoteOnly");
  const nbboPriceCap = r.readOptionalDouble("nbboPriceCap");
  const auctionStrategy = r.readOptionalInt("auctionStrategy");
  const startingPrice = r.readOptionalDouble("startingPrice");
  const stockRefPrice = r.readOptionalDouble("stockRefPrice");
  const delta = r.readOptionalDouble("delta");
  const stockRangeLower = r.readOptionalDouble("stockRangeLower");
  const stockRangeUpper = r.readOptionalDouble("stockRangeUpper");
  const overridePercentageConstraints = r.readFlag("overridePercentageConstraints");
  const volatility = r.readOptionalDouble("volatility");
  const volatilityType = r.readOptionalInt("volatilityType");
  const deltaNeutralOrderType = r.readString("deltaNeutralOrderType");
  const deltaNeutralAuxPrice = r.readOptionalDouble("deltaNeutralAuxPrice");
  const deltaNeutral =
    deltaNeutralOrderType === ""
      ? undefined
      : {
          conId: r.readOptionalInt("deltaNeutralConId"),
          settlingFirm: r.readString("deltaNeutralSettlingFirm"),
          clearingAccount: r.readString("deltaNeutralClearingAccount"),
          clearingIntent: r.readString("deltaNeutralClearingIntent"),
          openClose: r.readString("deltaNeutralOpenClose"),
          shortSale: r.readFlag("deltaNeutralShortSale"),
          shortSaleSlot: r.readOptionalInt("deltaNeutralShortSaleSlot"),
          designatedLocation: r.readString("deltaNeutralDesignatedLocation"),
        };
  const continuousUpdate = r.readFlag("continuousUpdate");
  const referencePriceType = r.readOptionalInt("referencePriceType");
  const trailStopPrice = r.readOptionalDouble("trailStopPrice");
  const trailingPercent = r.readOptionalDouble("trailingPercent");
  const scaleInitLevelSize = r.readOptionalInt("scaleInitLevelSize");
  const scaleSubsLevelSize = r.readOptionalInt("scaleSubsLevelSize");
  const scalePriceIncrement = r.readOptionalDouble("scalePriceIncrement");
  const hasScaleParams =
    scaleRule === "always" || (scalePriceIncrement !== undefined && scalePriceIncrement > 0);
  const scale = hasScaleParams
    ? {
        priceAdjustValue: r.readOptionalDouble("scalePriceAdjustValue"),
        priceAdjustInterval: r.readOptionalInt("scalePriceAdjustInterval"),
        profitOffset: r.readOptionalDouble("scaleProfitOffset"),
        autoReset: r.readFlag("scaleAutoReset"),
        initPosition: r.readOptionalInt("scaleInitPosition"),
        initFillQty: r.readOptionalInt("scaleInitFillQty"),
        randomPercent: r.readFlag("scaleRandomPercent"),
      }
    : undefined;
  const scaleTable = r.readString("scaleTable");
  const activeStartTime = r.readString("activeStartTime");
  const activeStopTime = r.readString("activeStopTime");
  const hedgeType = r.readString("hedgeType");
  const hedgeParam = hedgeType === "" ? "" : r.readString("hedgeParam");
  const optOutSmartRouting = r.readFlag("optOutSmartRouting");
  const clearingAccount = r.readString("clearingAccount");
  const clearingIntent = r.readString("clearingIntent");
  const notHeld = r.readFlag("notHeld");
  const deltaNeutralContract = readDeltaNeutralContract(r);
  const algoStrategy = r.readString("algoStrategy");
  const algoParams = algoStrategy === "" ? [] : readTagValuePairs(r, "algoParams");
  const algoId = r.readString("algoId");
  const whatIf = r.readFlag("whatIf");
  const orderMiscOptions = parseTagValueList(r.readString("orderMiscOptions"));
  const solicited = r.readFlag("solicited");
  const randomizeSize = r.readFlag("randomizeSize");
  const randomizePrice = r.readFlag("randomizePrice");
  const pegBench = isPegBench(orderType)
    ? {
        referenceContractId: r.readOptionalInt("referenceContractId"),
        isPeggedChangeAmountDecrease: r.readFlag("isPeggedChangeAmountDecrease"),
        peggedChangeAmount: r.readOptionalDouble("peggedChangeAmount"),
        referenceChangeAmount: r.readOptionalDouble("referenceChangeAmount"),
        referenceExchangeId: r.readString("referenceExchangeId"),
      }
    : undefined;
  const conditionCount = r.readOptionalInt("conditionsCount") ?? 0;
  const conditions: OrderCondition[] = [];
  for (let i = 0; i < conditionCount; i++) conditions.push(readOrderCondition(r));
  const conditionsIgnoreRth = conditionCount > 0 && r.readFlag("conditionsIgnoreRth");
  const conditionsCancelOrder = conditionCount > 0 && r.readFlag("conditionsCancelOrder");
  const adjustedOrderType = r.readString("adjustedOrderType");
  const triggerPrice = r.readOptionalDouble("triggerPrice");
  const lmtPriceOffset = r.readOptionalDouble("lmtPriceOffset");
  const adjustedStopPrice = r.readOptionalDouble("adjustedStopPrice");
  const adjustedStopLimitPrice = r.readOptionalDouble("adjustedStopLimitPrice");
  const adjustedTrailingAmount = r.readOptionalDouble("adjustedTrailingAmount");
  const adjustableTrailingUnit = r.readOptionalInt("adjustableTrailingUnit");
  const extOperator = r.readString("extOperator");
  const softDollarTier = { name: r.readString("softDollarTier name"), value: r.readString("softDollarTier value") };
  const cashQty = r.readOptionalDouble("cashQty");
  const mifid2DecisionMaker = r.readString("mifid2DecisionMaker");
  const mifid2DecisionAlgo = r.readString("mifid2DecisionAlgo");
  const mifid2ExecutionTrader = r.readString("mifid2ExecutionTrader");
  const mifid2ExecutionAlgo = r.readString("mifid2ExecutionAlgo");
  const dontUseAutoPriceForHedge = r.readFlag("dontUseAutoPriceForHedge");
  const isOmsContainer = r.readFlag("isOmsContainer");
  const discretionaryUpToLimitPrice = r.readFlag("discretionaryUpToLimitPrice");
  const usePriceMgmtAlgo = r.readOptionalBool("usePriceMgmtAlgo");
  const duration = r.readOptionalInt("duration");
  const postToAts = r.readOptionalInt("postToAts");
  const autoCancelParent = r.readFlag("autoCancelParent");
  const advancedErrorOverride = r.readString("advancedErrorOverride");
  const manualOrderTime = r.readString("manualOrderTime");

  const minTradeQty = base.exchange === "IBKRATS" ? r.readOptionalInt("minTradeQty") : undefined;
  let minCompeteSize: number | undefined;
  let competeAgainstBestOffset: number | undefined;
  let midOffsetAtWhole: number | undefined;
  let midOffsetAtHalf: number | undefined;
  let sendsMidOffsets = isPegMid(orderType);
  if (isPegBest(orderType)) {
    minCompeteSize = r.readOptionalInt("minCompeteSize");
    competeAgainstBestOffset = r.readOptionalDouble("competeAgainstBestOffset");
    sendsMidOffsets = competeAgainstBestOffset === Infinity;
  }
  if (sendsMidOffsets) {
    midOffsetAtWhole = r.readOptionalDouble("midOffsetAtWhole");
    midOffsetAtHalf = r.readOptionalDouble("midOffsetAtHalf");
  }
  r.end();

  const contract: OrderContract =
    deltaNeutralContract === undefined
      ? { ...base, secIdType, secId, comboLegs }
      : { ...base, secIdType, secId, comboLegs, deltaNeutralContract };
  const order: Order = {
    action,
    totalQuantity,
    orderType,
    lmtPrice,
    auxPrice,
    tif,
    ocaGroup,
    account,
    openClose,
    origin,
    orderRef,
    transmit,
    parentId,
    blockOrder,
    sweepToFill,
    displaySize,
    triggerMethod,
    outsideRth,
    hidden,
    orderComboLegs,
    smartComboRoutingParams,
    discretionaryAmt,
    goodAfterTime,
    goodTillDate,
    faGroup,
    faMethod,
    faPercentage,
    faProfile,
    modelCode,
    shortSaleSlot,
    designatedLocation,
    exemptCode,
    ocaType,
    rule80A,
    settlingFirm,
    allOrNone,
    minQty,
    percentOffset,
    eTradeOnly,
    firmQuoteOnly,
    nbboPriceCap,
    auctionStrategy,
    startingPrice,
    stockRefPrice,
    delta,
    stockRangeLower,
    stockRangeUpper,
    overridePercentageConstraints,
    volatility,
    volatilityType,
    deltaNeutralOrderType,
    deltaNeutralAuxPrice,
    deltaNeutral,
    continuousUpdate,
    referencePriceType,
    trailStopPrice,
    trailingPercent,
    scaleInitLevelSize,
    scaleSubsLevelSize,
    scalePriceIncrement,
    scale,
    scaleTable,
    activeStartTime,
    activeStopTime,
    hedgeType,
    hedgeParam,
    optOutSmartRouting,
    clearingAccount,
    clearingIntent,
    notHeld,
    algoStrategy,
    algoParams,
    algoId,
    whatIf,
    orderMiscOptions,
    solicited,
    randomizeSize,
    randomizePrice,
    pegBench,
    conditions,
    conditionsIgnoreRth,
    conditionsCancelOrder,
    adjustedOrderType,
    triggerPrice,
    lmtPriceOffset,
    adjustedStopPrice,
    adjustedStopLimitPrice,
    adjustedTrailingAmount,
    adjustableTrailingUnit,
    extOperator,
    softDollarTier,
    cashQty,
    mifid2DecisionMaker,
    mifid2DecisionAlgo,
    mifid2ExecutionTrader,
    mifid2ExecutionAlgo,
    dontUseAutoPriceForHedge,
    isOmsContainer,
    discretionaryUpToLimitPrice,
    usePriceMgmtAlgo,
    duration,
    postToAts,
    autoCancelParent,
    advancedErrorOverride,
    manualOrderTime,
    minTradeQty,
    minCompeteSize,
    competeAgainstBestOffset,
    midOffsetAtWhole,
    midOffsetAtHalf,
  };
  return { type: "placeOrder", orderId, contract, order };
}

/**
 * BAG legs with all 8 fields. @stoqey/ib sends `""` for unset leg attributes where ib_async
 * sends `0, 0, "", -1`; both read as those defaults.
 */
function readOrderComboLegs(r: FieldReader): ComboLeg[] {
  const count = r.readOptionalInt("comboLegCount") ?? 0;
  const legs: ComboLeg[] = [];
  for (let i = 0; i < count; i++) {
    legs.push({
      conId: r.readOptionalInt("comboLeg conId") ?? 0,
      ratio: r.readOptionalInt("comboLeg ratio") ?? 0,
      action: r.readString("comboLeg action"),
      exchange: r.readString("comboLeg exchange"),
      openClose: r.readOptionalInt("comboLeg openClose") ?? 0,
      shortSaleSlot: r.readOptionalInt("comboLeg shortSaleSlot") ?? 0,
      designatedLocation: r.readString("comboLeg designatedLocation"),
      exemptCode: r.readOptionalInt("comboLeg exemptCode") ?? -1,
    });
  }
  return legs;
}

function readOrderComboLegPrices(r: FieldReader): OrderComboLeg[] {
  const count = r.readOptionalInt("orderComboLegCount") ?? 0;
  const legs: OrderComboLeg[] = [];
  for (let i = 0; i < count; i++) legs.push({ price: r.readOptionalDouble("orderComboLeg price") });
  return legs;
}

/** A count followed by that many (tag, value) field pairs. */
function readTagValuePairs(r: FieldReader, name: string): TagValue[] {
  const count = r.readOptionalInt(`${name} count`) ?? 0;
  const pairs: TagValue[] = [];
  for (let i = 0; i < count; i++) pairs.push({ tag: r.readString(`${name} tag`), value: r.readString(`${name} value`) });
  return pairs;
}

function isPegBench(orderType: string): boolean {
  return orderType === "PEG BENCH" || orderType === "PEGBENCH";
}

function isPegBest(orderType: string): boolean {
  return orderType === "PEG BEST" || orderType === "PEGBEST";
}

function isPegMid(orderType: string): boolean {
  return orderType === "PEG MID" || orderType === "PEGMID";
}
