import type { Contract, MarketSource } from "../../market/index.js";
import type { Contract as RequestContract } from "../../protocol/index.js";
import { contractQuery } from "../wire.js";

/** Error 200's text. */
export const NO_SECURITY_DEFINITION = "No security definition has been found for the request";

/** The contracts a request's description matches (a conId pins one). */
export function matchContracts(market: MarketSource, contract: RequestContract, includeExpired = false): Contract[] {
  if (contract.conId > 0 && contract.symbol === "" && contract.secType === "") {
    const byId = market.contractByConId(contract.conId);
    return byId === undefined ? [] : [byId];
  }
  return market.findContracts(contractQuery(contract, includeExpired));
}

/** Exactly one matching contract, or the error text to send with 200. */
export function resolveOne(
  market: MarketSource,
  contract: RequestContract,
): { readonly ok: true; readonly contract: Contract } | { readonly ok: false; readonly message: string } {
  const found = matchContracts(market, contract);
  const first = found[0];
  if (first === undefined) return { ok: false, message: NO_SECURITY_DEFINITION };
  if (found.length > 1) {
    return { ok: false, message: `The contract description specified for ${contract.symbol} is ambiguous.` };
  }
  return { ok: true, contract: first };
}
