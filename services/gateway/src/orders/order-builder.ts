import { OptionRight, OrderType, SecType, TimeInForce } from "@spreadops/api";
import type { ContractSpec, OrderRequest } from "@spreadops/api";
import { OptionType, OrderAction as IbOrderAction, OrderType as IbOrderType, SecType as IbSecType } from "@stoqey/ib";
import type { Contract, Order } from "@stoqey/ib";
import { failedPrecondition, invalidArgument } from "@spreadops/runtime";
import { comboLimitProblem } from "./combo-sign.js";
import type { DescribedLeg } from "./combo-sign.js";
import { ibAction } from "./ib-values.js";
import type { LegFactsSource } from "./leg-facts.js";

/** IB's limit on orderRef (the Trade uid) as SpreadOps uses it. */
export const MAX_ORDER_REF_LENGTH = 40;

/** An order ready for IB's placeOrder. */
export interface IbOrder {
  readonly contract: Contract;
  readonly order: Order;
}

const SEC_TYPE: Readonly<Partial<Record<SecType, IbSecType>>> = {
  [SecType.STOCK]: IbSecType.STK,
  [SecType.OPTION]: IbSecType.OPT,
};

/** The IB contract of a single-contract spec. */
export function singleContract(spec: ContractSpec): Contract {
  const secType = SEC_TYPE[spec.secType] ?? (spec.right === OptionRight.UNSPECIFIED ? IbSecType.STK : IbSecType.OPT);
  const contract: Contract = {
    secType,
    exchange: spec.exchange === "" ? "SMART" : spec.exchange,
    currency: spec.currency === "" ? "USD" : spec.currency,
  };
  if (spec.conId !== 0) contract.conId = spec.conId;
  if (spec.symbol !== "") contract.symbol = spec.symbol;
  if (spec.primaryExchange !== "") contract.primaryExch = spec.primaryExchange;
  if (spec.expiry !== 0) contract.lastTradeDateOrContractMonth = String(spec.expiry);
  if (spec.strike !== undefined) contract.strike = spec.strike;
  if (spec.right !== OptionRight.UNSPECIFIED) contract.right = spec.right === OptionRight.CALL ? OptionType.Call : OptionType.Put;
  if (spec.tradingClass !== "") contract.tradingClass = spec.tradingClass;
  return contract;
}

/**
 * The orderRef and action of a request: the idempotency key.
 * @throws ConnectError `invalid_argument` naming the field.
 */
export function idempotencyKey(request: OrderRequest): { readonly orderRef: string; readonly action: "BUY" | "SELL" } {
  const orderRef = request.orderRef;
  if (orderRef.trim() === "" || orderRef.length > MAX_ORDER_REF_LENGTH) {
    throw invalidArgument("order.order_ref", `1–${MAX_ORDER_REF_LENGTH} characters`, orderRef);
  }
  const action = ibAction(request.action);
  if (action === undefined) throw invalidArgument("order.action", "BUY or SELL", request.action);
  return { orderRef, action };
}

/**
 * Builds IB's contract and order from the API's request, refusing (before anything is sent)
 * what must not reach the broker: a missing orderRef, a market combo, a limit whose sign
 * contradicts the combo's spread kind (legs described through `legs`), a non-positive
 * single-contract limit. `limit_price` is already IB-signed for combos (gateway.proto).
 * @throws ConnectError `invalid_argument` / `failed_precondition` / `unavailable`.
 */
export async function buildIbOrder(request: OrderRequest, legs: LegFactsSource, options: { readonly whatIf: boolean }): Promise<IbOrder> {
  const { orderRef, action } = idempotencyKey(request);
  if (!(request.quantity > 0)) throw invalidArgument("order.quantity", "a positive number of contracts", request.quantity);
  const instrument = request.contract?.instrument;
  if (instrument === undefined || instrument.case === undefined) throw invalidArgument("order.contract", "a single contract or a combo", "nothing");
  const limit = request.limitPrice;
  const isLimit = request.orderType === OrderType.LIMIT;
  if (!isLimit && request.orderType !== OrderType.MARKET) throw invalidArgument("order.order_type", "LIMIT or MARKET", request.orderType);
  if (isLimit && (limit === undefined || !Number.isFinite(limit))) throw invalidArgument("order.limit_price", "a finite price for a LIMIT order", limit);

  let contract: Contract;
  if (instrument.case === "combo") {
    const combo = instrument.value;
    if (!isLimit) throw invalidArgument("order.order_type", "LIMIT for a combo (market combos are refused)", "MARKET");
    if (combo.legs.length < 2) throw invalidArgument("order.contract.combo.legs", "at least two legs", combo.legs.length);
    const described: DescribedLeg[] = [];
    for (const [i, leg] of combo.legs.entries()) {
      const legAction = ibAction(leg.action);
      if (leg.conId <= 0) throw invalidArgument(`order.contract.combo.legs[${i}].con_id`, "a positive IB contract id", leg.conId);
      if (legAction === undefined) throw invalidArgument(`order.contract.combo.legs[${i}].action`, "BUY or SELL", leg.action);
      if (leg.ratio < 1) throw invalidArgument(`order.contract.combo.legs[${i}].ratio`, "a ratio ≥ 1", leg.ratio);
      described.push({ action: legAction, ratio: leg.ratio, facts: await legs.describe(leg.conId) });
    }
    const problem = comboLimitProblem(described, limit ?? Number.NaN);
    if (problem !== undefined) throw failedPrecondition(`order refused before sending: ${problem}`);
    contract = {
      symbol: combo.symbol,
      secType: IbSecType.BAG,
      currency: combo.currency === "" ? "USD" : combo.currency,
      exchange: combo.exchange === "" ? "SMART" : combo.exchange,
      comboLegs: combo.legs.map((leg, i) => ({
        conId: leg.conId,
        ratio: leg.ratio,
        action: described[i]?.action === "SELL" ? IbOrderAction.SELL : IbOrderAction.BUY,
        exchange: leg.exchange === "" ? "SMART" : leg.exchange,
      })),
    };
  } else {
    if (isLimit && !((limit ?? 0) > 0)) throw failedPrecondition(`order refused before sending: a single-contract limit price must be positive, got ${limit}`);
    contract = singleContract(instrument.value);
  }

  const order: Order = {
    action: action === "BUY" ? IbOrderAction.BUY : IbOrderAction.SELL,
    totalQuantity: request.quantity,
    orderType: isLimit ? IbOrderType.LMT : IbOrderType.MKT,
    tif: request.timeInForce === TimeInForce.GTC ? "GTC" : "DAY",
    // IB ignores an unset outsideRth on combos: always explicit (LEAN IB #224).
    outsideRth: request.outsideRth,
    orderRef,
    transmit: true,
    whatIf: options.whatIf,
  };
  if (isLimit) order.lmtPrice = limit;
  if (request.account !== "") order.account = request.account;
  if (instrument.case === "combo" && request.nonGuaranteed) order.smartComboRoutingParams = [{ tag: "NonGuaranteed", value: "1" }];
  return { contract, order };
}
