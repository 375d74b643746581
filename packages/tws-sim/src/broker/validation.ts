/**
 * Turns a decoded placeOrder request into a validated order, or the reason TWS would reject it
 * with (error 201 "Order rejected - reason:<reason>"). Funds are checked separately (they need
 * the account); everything here depends only on the request and the contract catalogue.
 *
 * IB accepts any sign of combo price and combos of unrelated legs, so those are not checked;
 * legs must exist and have positive integer ratios.
 *
 * @packageDocumentation
 */

import { bagView, contractView } from "./contract-view.js";
import { isSet } from "./numeric.js";
import type { ContractView, OrderAction, OrderRequest, OrderType, TimeInForce } from "./order-types.js";
import type { ContractInfo, ContractLookup } from "./ports.js";

/** A leg of a validated order; a STK/OPT order is one leg with ratio 1 and action BUY. */
export interface ResolvedLeg {
  readonly contract: ContractInfo;
  readonly ratio: number;
  readonly action: OrderAction;
  readonly exchange: string;
}

/** A validated order. */
export interface ResolvedOrder {
  readonly combo: boolean;
  readonly legs: readonly ResolvedLeg[];
  readonly contract: ContractView;
  readonly action: OrderAction;
  readonly totalQuantity: number;
  readonly orderType: OrderType;
  readonly lmtPrice: number | undefined;
  readonly tif: TimeInForce;
  readonly orderRef: string;
  readonly transmit: boolean;
  readonly outsideRth: boolean;
  readonly account: string;
}

/** The outcome of validation. */
export type Resolution = { readonly ok: true; readonly order: ResolvedOrder } | { readonly ok: false; readonly reason: string };

const fail = (reason: string): Resolution => ({ ok: false, reason });

function parseAction(value: string): OrderAction | undefined {
  const upper = value.toUpperCase();
  return upper === "BUY" || upper === "SELL" ? upper : undefined;
}

/** Validates `request` for the simulator's single account `account`. */
export function resolveOrder(request: OrderRequest, contracts: ContractLookup, account: string): Resolution {
  if (request.account !== undefined && request.account !== "" && request.account !== account) {
    return fail(`Account ${request.account} is not a valid account for this login`);
  }
  const action = parseAction(request.action);
  if (action === undefined) return fail(`Invalid action '${request.action}'`);

  const orderType = request.orderType.toUpperCase();
  if (orderType !== "LMT" && orderType !== "MKT") return fail(`Unsupported order type '${request.orderType}'`);

  const tifText = (request.tif ?? "").toUpperCase();
  const tif = tifText === "" ? "DAY" : tifText;
  if (tif !== "DAY" && tif !== "GTC") return fail(`Unsupported time in force '${request.tif ?? ""}'`);

  const quantity = request.totalQuantity;
  if (!isSet(quantity) || quantity <= 0) return fail("Order quantity must be positive");

  const secType = request.contract.secType.toUpperCase();
  let legs: ResolvedLeg[];
  let view: ContractView;
  if (secType === "BAG") {
    const specs = request.contract.comboLegs ?? [];
    if (specs.length === 0) return fail("Security type 'BAG' requires combo leg details");
    legs = [];
    for (const spec of specs) {
      const contract = contracts.contract(spec.conId);
      if (contract === undefined) return fail(`Unknown combo leg contract: conId ${spec.conId}`);
      if (!Number.isInteger(spec.ratio) || spec.ratio <= 0) return fail(`Invalid combo leg ratio ${spec.ratio} for conId ${spec.conId}`);
      const legAction = parseAction(spec.action);
      if (legAction === undefined) return fail(`Invalid combo leg action '${spec.action}' for conId ${spec.conId}`);
      const exchange = spec.exchange !== undefined && spec.exchange !== "" ? spec.exchange : contract.exchange;
      legs.push({ contract, ratio: spec.ratio, action: legAction, exchange });
    }
    view = bagView(
      request.contract,
      legs.map((l) => ({ conId: l.contract.conId, ratio: l.ratio, action: l.action, exchange: l.exchange })),
      legs[0]?.contract,
    );
  } else if (secType === "STK" || secType === "OPT") {
    const conId = request.contract.conId ?? 0;
    const contract = conId > 0 ? contracts.contract(conId) : undefined;
    if (contract === undefined) return fail(`Unknown contract: conId ${conId}`);
    if (contract.secType !== secType) return fail(`Contract ${conId} is ${contract.secType}, not ${secType}`);
    const exchange = request.contract.exchange !== undefined && request.contract.exchange !== "" ? request.contract.exchange : contract.exchange;
    legs = [{ contract, ratio: 1, action: "BUY", exchange }];
    view = { ...contractView(contract), exchange };
  } else {
    return fail(`Unsupported security type '${request.contract.secType}'`);
  }

  if (legs.some((l) => l.contract.secType === "OPT") && !Number.isInteger(quantity)) {
    return fail("Fractional quantities are not allowed for options or combos");
  }
  if (secType === "BAG" && !Number.isInteger(quantity)) return fail("Fractional quantities are not allowed for options or combos");

  let lmtPrice: number | undefined;
  if (orderType === "LMT") {
    if (!isSet(request.lmtPrice)) return fail("Limit price is required for a LMT order");
    // Only combos may carry zero or negative prices (IB's sign rule for credits).
    if (secType !== "BAG" && request.lmtPrice <= 0) return fail("Limit price must be positive");
    lmtPrice = request.lmtPrice;
  }

  return {
    ok: true,
    order: {
      combo: secType === "BAG",
      legs,
      contract: view,
      action,
      totalQuantity: quantity,
      orderType,
      lmtPrice,
      tif,
      orderRef: request.orderRef ?? "",
      transmit: request.transmit ?? true,
      outsideRth: request.outsideRth ?? false,
      account,
    },
  };
}

/**
 * A best-effort order built from a request that failed validation, so a rejected order can
 * still be stored and reported (completed orders, openOrder with status Inactive).
 */
export function unresolvedOrder(request: OrderRequest, account: string, view: ContractView): ResolvedOrder {
  const orderType: OrderType = request.orderType.toUpperCase() === "MKT" ? "MKT" : "LMT";
  const tif: TimeInForce = (request.tif ?? "").toUpperCase() === "GTC" ? "GTC" : "DAY";
  return {
    combo: view.secType === "BAG",
    legs: [],
    contract: view,
    action: parseAction(request.action) ?? "BUY",
    totalQuantity: isSet(request.totalQuantity) ? request.totalQuantity : 0,
    orderType,
    lmtPrice: orderType === "LMT" && isSet(request.lmtPrice) ? request.lmtPrice : undefined,
    tif,
    orderRef: request.orderRef ?? "",
    transmit: request.transmit ?? true,
    outsideRth: request.outsideRth ?? false,
    account,
  };
}
