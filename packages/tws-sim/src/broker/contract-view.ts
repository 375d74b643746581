/**
 * Building the {@link ContractView}s events carry from catalogue entries and combo legs.
 *
 * @packageDocumentation
 */

import type { ComboLegView, ContractView, OrderContractSpec } from "./order-types.js";
import type { ContractInfo } from "./ports.js";

/**
 * conId TWS reports for BAG contracts in openOrder / execDetails (the value seen in client logs
 * of combo orders; a combo has no conId of its own).
 */
export const BAG_CON_ID = 28812380;

/** The view of a single contract. */
export function contractView(info: ContractInfo): ContractView {
  return {
    conId: info.conId,
    symbol: info.symbol,
    secType: info.secType,
    lastTradeDateOrContractMonth: info.lastTradeDateOrContractMonth ?? "",
    strike: info.strike ?? 0,
    right: info.right ?? "",
    multiplier: info.multiplier,
    exchange: info.exchange,
    primaryExchange: info.primaryExchange ?? "",
    currency: info.currency,
    localSymbol: info.localSymbol ?? "",
    tradingClass: info.tradingClass ?? "",
    comboLegs: [],
  };
}

/** The view of a BAG: symbol and currency of the request, else of the first leg. */
export function bagView(spec: OrderContractSpec, legs: readonly ComboLegView[], first: ContractInfo | undefined): ContractView {
  return {
    conId: BAG_CON_ID,
    symbol: spec.symbol !== undefined && spec.symbol !== "" ? spec.symbol : (first?.symbol ?? ""),
    secType: "BAG",
    lastTradeDateOrContractMonth: "",
    strike: 0,
    right: "",
    multiplier: first?.multiplier ?? 1,
    exchange: spec.exchange !== undefined && spec.exchange !== "" ? spec.exchange : "SMART",
    primaryExchange: "",
    currency: spec.currency !== undefined && spec.currency !== "" ? spec.currency : (first?.currency ?? "USD"),
    localSymbol: "",
    tradingClass: first?.tradingClass ?? "",
    comboLegs: legs,
  };
}

/** Best-effort view of a contract that could not be resolved (for rejected orders). */
export function unresolvedView(spec: OrderContractSpec): ContractView {
  const secType = spec.secType === "STK" || spec.secType === "OPT" || spec.secType === "BAG" ? spec.secType : "STK";
  return {
    conId: spec.conId ?? 0,
    symbol: spec.symbol ?? "",
    secType,
    lastTradeDateOrContractMonth: "",
    strike: 0,
    right: "",
    multiplier: 1,
    exchange: spec.exchange ?? "",
    primaryExchange: "",
    currency: spec.currency ?? "",
    localSymbol: "",
    tradingClass: "",
    comboLegs: (spec.comboLegs ?? []).map((leg) => ({
      conId: leg.conId,
      ratio: leg.ratio,
      action: leg.action === "SELL" ? "SELL" : "BUY",
      exchange: leg.exchange ?? "",
    })),
  };
}
