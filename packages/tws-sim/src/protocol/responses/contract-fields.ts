import type { ContractInput } from "../contract.js";
import { formatDouble, formatInt } from "../field-writer.js";

/**
 * Appends the 11 contract fields most server messages share: conId, symbol, secType,
 * lastTradeDateOrContractMonth, strike, right, multiplier, exchange, currency, localSymbol,
 * tradingClass. updatePortfolio puts primaryExch where the others put exchange.
 */
export function pushContract(out: string[], contract: ContractInput, exchange = contract.exchange ?? ""): void {
  out.push(
    formatInt(contract.conId),
    contract.symbol,
    contract.secType,
    contract.lastTradeDateOrContractMonth ?? "",
    formatDouble(contract.strike ?? 0),
    contract.right ?? "",
    contract.multiplier ?? "",
    exchange,
    contract.currency ?? "",
    contract.localSymbol ?? "",
    contract.tradingClass ?? "",
  );
}
