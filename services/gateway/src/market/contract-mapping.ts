/**
 * Pure conversions between the API's contract messages and @stoqey/ib's contracts.
 *
 * @packageDocumentation
 */
import { create } from "@bufbuild/protobuf";
import {
  ContractDetailsSchema,
  OptionRight,
  PriceIncrementSchema,
  SecType,
  type ContractDetails,
  type ContractSpec,
  type PriceIncrement,
} from "@spreadops/api";
import { OptionType, SecType as IbSecType, type Contract as IbContract, type ContractDetails as IbContractDetails } from "@stoqey/ib";

/** The IB security type of a spec: unspecified means stock unless a right is given. */
export function ibSecType(spec: Pick<ContractSpec, "secType" | "right">): IbSecType {
  switch (spec.secType) {
    case SecType.OPTION:
      return IbSecType.OPT;
    case SecType.INDEX:
      return IbSecType.IND;
    case SecType.COMBO:
      return IbSecType.BAG;
    case SecType.STOCK:
      return IbSecType.STK;
    default:
      return spec.right === OptionRight.UNSPECIFIED ? IbSecType.STK : IbSecType.OPT;
  }
}

/** The @stoqey contract to send for a spec (defaults: SMART, USD). */
export function ibContractOf(spec: ContractSpec): IbContract {
  // A bare conId pins the contract: TWS looks it up by id only when nothing else is given.
  if (spec.conId !== 0 && spec.symbol === "" && spec.secType === SecType.UNSPECIFIED && spec.right === OptionRight.UNSPECIFIED) {
    return { conId: spec.conId, exchange: spec.exchange === "" ? "SMART" : spec.exchange };
  }
  const secType = ibSecType(spec);
  const contract: IbContract = {
    secType,
    exchange: spec.exchange === "" ? "SMART" : spec.exchange,
    currency: spec.currency === "" ? "USD" : spec.currency,
  };
  if (spec.conId !== 0) contract.conId = spec.conId;
  if (spec.symbol !== "") contract.symbol = spec.symbol;
  if (spec.primaryExchange !== "") contract.primaryExch = spec.primaryExchange;
  if (spec.tradingClass !== "") contract.tradingClass = spec.tradingClass;
  if (spec.expiry !== 0) contract.lastTradeDateOrContractMonth = String(spec.expiry);
  if (spec.strike !== undefined) contract.strike = spec.strike;
  if (spec.right === OptionRight.CALL) contract.right = OptionType.Call;
  if (spec.right === OptionRight.PUT) contract.right = OptionType.Put;
  return contract;
}

/** A stable cache key of a spec (conId alone when given: it pins the contract). */
export function specKey(spec: ContractSpec): string {
  if (spec.conId !== 0) return `id:${spec.conId}`;
  const c = ibContractOf(spec);
  return [c.secType, c.symbol, c.exchange, c.primaryExch ?? "", c.currency, c.tradingClass ?? "", c.lastTradeDateOrContractMonth ?? "", c.strike ?? "", c.right ?? ""].join("|");
}

/** "Describe the contract" for error messages: `SPY OPT 20260320 600 C @SMART`. */
export function describeSpec(spec: ContractSpec): string {
  if (spec.conId !== 0 && spec.symbol === "") return `conId ${spec.conId}`;
  const c = ibContractOf(spec);
  const parts = [c.symbol ?? "?", c.secType ?? "", c.lastTradeDateOrContractMonth ?? "", c.strike === undefined ? "" : String(c.strike), c.right ?? ""];
  const where = c.primaryExch === undefined ? c.exchange : `${c.exchange}/${c.primaryExch}`;
  return `${parts.filter((p) => p !== "").join(" ")} @${where ?? "SMART"}${spec.conId !== 0 ? ` (conId ${spec.conId})` : ""}`;
}

function apiSecType(secType: string | undefined): SecType {
  switch (secType) {
    case "STK":
      return SecType.STOCK;
    case "OPT":
      return SecType.OPTION;
    case "IND":
      return SecType.INDEX;
    case "BAG":
      return SecType.COMBO;
    default:
      return SecType.UNSPECIFIED;
  }
}

/** IB's right ("C", "CALL", "P", "PUT") as the API enum. */
export function apiRight(right: string | undefined): OptionRight {
  const r = (right ?? "").toUpperCase();
  if (r === "C" || r === "CALL") return OptionRight.CALL;
  if (r === "P" || r === "PUT") return OptionRight.PUT;
  return OptionRight.UNSPECIFIED;
}

/** IB's expiry string ("20260320" or "20260320 16:00 US/Eastern") as YYYYMMDD, 0 when absent. */
export function expiryOf(raw: string | undefined): number {
  const m = /^(\d{8})/.exec(raw ?? "");
  return m?.[1] === undefined ? 0 : Number(m[1]);
}

/** First market rule id of the details (IB lists one per valid exchange, usually all equal). */
export function firstMarketRuleId(details: IbContractDetails): number | undefined {
  const first = (details.marketRuleIds ?? "").split(",")[0]?.trim() ?? "";
  const id = Number(first);
  return first !== "" && Number.isInteger(id) ? id : undefined;
}

/** IB market-rule increments (`{lowEdge, increment}` objects) as API messages, ascending. */
export function priceIncrementsOf(raw: readonly unknown[]): PriceIncrement[] {
  const out: PriceIncrement[] = [];
  for (const item of raw) {
    if (typeof item !== "object" || item === null) continue;
    const { lowEdge, increment } = item as { lowEdge?: unknown; increment?: unknown };
    if (typeof lowEdge === "number" && typeof increment === "number") out.push(create(PriceIncrementSchema, { lowEdge, increment }));
  }
  return out.sort((a, b) => a.lowEdge - b.lowEdge);
}

/**
 * TWS contract details as the API message. The multiplier defaults to 1 (IB sends "" for
 * stocks); the exchange is the one asked for.
 */
export function apiContractDetails(details: IbContractDetails, priceIncrements: readonly PriceIncrement[] = []): ContractDetails {
  const c = details.contract;
  const multiplier = Number(c.multiplier);
  return create(ContractDetailsSchema, {
    conId: c.conId ?? 0,
    symbol: c.symbol ?? "",
    secType: apiSecType(c.secType),
    exchange: c.exchange ?? "",
    primaryExchange: c.primaryExch ?? "",
    currency: c.currency ?? "",
    localSymbol: c.localSymbol ?? "",
    tradingClass: c.tradingClass ?? "",
    multiplier: Number.isFinite(multiplier) && multiplier > 0 ? multiplier : 1,
    minTick: details.minTick ?? 0,
    priceIncrements: [...priceIncrements],
    expiry: expiryOf(c.lastTradeDateOrContractMonth),
    strike: c.secType === IbSecType.OPT ? (c.strike ?? 0) : 0,
    right: apiRight(c.right),
    underConId: details.underConId ?? 0,
    longName: details.longName ?? "",
    timeZoneId: details.timeZoneId ?? "",
    tradingHours: details.tradingHours ?? "",
    liquidHours: details.liquidHours ?? "",
    marketRuleIds: details.marketRuleIds ?? "",
    validExchanges: details.validExchanges ?? "",
  });
}
