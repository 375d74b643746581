import type { ComboContract, ContractSpec, OrderContract } from "@spreadops/api";
import { OptionRight, OrderAction, SecType } from "@spreadops/api";
import { invalidArgument } from "@spreadops/runtime";
import {
  checkOptionalText,
  enumValues,
  isYyyymmdd,
  requireAtLeast,
  requireEnum,
  requireIntIn,
  requirePresent,
  requireText,
} from "./checks.js";

/** Contract descriptions: the ContractSpec every market RPC takes, and an order's single or combo instrument. */

const SEC_TYPES = enumValues(SecType, true);
const RIGHTS = enumValues(OptionRight, true);
const ACTIONS = enumValues(OrderAction, false);
const INT32_MAX = 2_147_483_647;
/** IB has no combo with more legs than this; a bigger list is a caller bug. */
export const MAX_COMBO_LEGS = 8;

/** A ContractSpec: `con_id`, or a symbol to search by; the other fields only when meaningful. */
export function validateContractSpec(spec: ContractSpec | undefined, field: string): ContractSpec {
  const contract = requirePresent(spec, field, "a contract (con_id or symbol)");
  requireIntIn(contract.conId, 0, INT32_MAX, `${field}.con_id`);
  if (contract.conId === 0) requireText(contract.symbol, `${field}.symbol`);
  else checkOptionalText(contract.symbol, `${field}.symbol`);
  requireEnum(contract.secType, SEC_TYPES, `${field}.sec_type`, "a known SecType");
  if (contract.secType === SecType.COMBO) {
    // A BAG cannot be looked up or quoted by a ContractSpec; orders describe it as a ComboContract.
    throw invalidArgument(`${field}.sec_type`, "STOCK, OPTION or INDEX (combos are order contracts)", "SEC_TYPE_COMBO");
  }
  checkOptionalText(contract.exchange, `${field}.exchange`);
  checkOptionalText(contract.primaryExchange, `${field}.primary_exchange`);
  checkCurrency(contract.currency, `${field}.currency`);
  if (contract.expiry !== 0 && !isYyyymmdd(contract.expiry)) {
    throw invalidArgument(`${field}.expiry`, "0 or a date as YYYYMMDD", contract.expiry);
  }
  if (contract.strike !== undefined) requireAtLeast(contract.strike, 0, `${field}.strike`, true);
  requireEnum(contract.right, RIGHTS, `${field}.right`, "a known OptionRight");
  checkOptionalText(contract.tradingClass, `${field}.trading_class`);
  return contract;
}

/** Currency: empty (USD) or an ISO 4217 code. */
export function checkCurrency(value: string, field: string): void {
  if (value !== "" && !/^[A-Z]{3}$/.test(value)) throw invalidArgument(field, "empty (USD) or a three-letter currency code", value);
}

/** What an order trades: exactly one of a single contract or a combo. */
export function validateOrderContract(value: OrderContract | undefined, field: string): void {
  const contract = requirePresent(value, field, "an order contract (single or combo)");
  switch (contract.instrument.case) {
    case "single":
      validateContractSpec(contract.instrument.value, `${field}.single`);
      return;
    case "combo":
      validateCombo(contract.instrument.value, `${field}.combo`);
      return;
    default:
      throw invalidArgument(field, "single or combo set", undefined);
  }
}

/** A combo: underlying symbol and 2–8 legs, each a distinct positive con_id with a side and ratio. */
export function validateCombo(combo: ComboContract, field: string): void {
  requireText(combo.symbol, `${field}.symbol`);
  checkCurrency(combo.currency, `${field}.currency`);
  checkOptionalText(combo.exchange, `${field}.exchange`);
  if (combo.legs.length < 2 || combo.legs.length > MAX_COMBO_LEGS) {
    throw invalidArgument(`${field}.legs`, `2 to ${MAX_COMBO_LEGS} legs`, `${combo.legs.length} legs`);
  }
  const seen = new Set<number>();
  combo.legs.forEach((leg, i) => {
    const legField = `${field}.legs[${i}]`;
    requireIntIn(leg.conId, 1, INT32_MAX, `${legField}.con_id`);
    if (seen.has(leg.conId)) throw invalidArgument(`${legField}.con_id`, "a con_id not used by another leg", leg.conId);
    seen.add(leg.conId);
    requireIntIn(leg.ratio, 1, 1000, `${legField}.ratio`);
    requireEnum(leg.action, ACTIONS, `${legField}.action`, "BUY or SELL");
    checkOptionalText(leg.exchange, `${legField}.exchange`);
  });
}
