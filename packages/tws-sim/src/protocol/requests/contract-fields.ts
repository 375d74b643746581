import type { ComboLeg, Contract, DeltaNeutralContract } from "../contract.js";
import type { FieldReader } from "../fields.js";

/** Reads the 12 contract fields (C12) every contract-bearing request starts with. */
export function readContract(reader: FieldReader): Contract {
  return {
    conId: reader.readOptionalInt("conId") ?? 0,
    symbol: reader.readString("symbol"),
    secType: reader.readString("secType"),
    lastTradeDateOrContractMonth: reader.readString("lastTradeDateOrContractMonth"),
    strike: reader.readOptionalDouble("strike") ?? 0,
    right: reader.readString("right"),
    multiplier: reader.readString("multiplier"),
    exchange: reader.readString("exchange"),
    primaryExch: reader.readString("primaryExch"),
    currency: reader.readString("currency"),
    localSymbol: reader.readString("localSymbol"),
    tradingClass: reader.readString("tradingClass"),
  };
}

/** Combo legs are on the wire only for BAG contracts; both clients compare case-insensitively. */
export function isBag(contract: Contract): boolean {
  return contract.secType.toUpperCase() === "BAG";
}

/** Reads `legCount` then that many `(conId, ratio, action, exchange)`: market data and history. */
export function readShortComboLegs(reader: FieldReader): ComboLeg[] {
  const count = reader.readOptionalInt("comboLegCount") ?? 0;
  const legs: ComboLeg[] = [];
  for (let i = 0; i < count; i++) {
    legs.push({
      conId: reader.readOptionalInt("comboLeg conId") ?? 0,
      ratio: reader.readOptionalInt("comboLeg ratio") ?? 0,
      action: reader.readString("comboLeg action"),
      exchange: reader.readString("comboLeg exchange"),
    });
  }
  return legs;
}

/** Reads the delta-neutral flag and, when set, its `(conId, delta, price)`. */
export function readDeltaNeutralContract(reader: FieldReader): DeltaNeutralContract | undefined {
  if (!reader.readFlag("deltaNeutralContract present")) return undefined;
  return {
    conId: reader.readOptionalInt("deltaNeutralContract conId") ?? 0,
    delta: reader.readOptionalDouble("deltaNeutralContract delta") ?? 0,
    price: reader.readOptionalDouble("deltaNeutralContract price") ?? 0,
  };
}
