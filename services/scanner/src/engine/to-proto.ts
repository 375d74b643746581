import { create } from "@bufbuild/protobuf";
import {
  OptionRight,
  OrderAction,
  PriceEffect,
  SpreadCandidateSchema,
  SpreadLegSchema,
  type OptionChain,
  type SpreadCandidate,
  SpreadFilterId,
  type SpreadLeg,
} from "@spreadops/api";
import { SPREAD_KINDS, type ScanCandidate } from "@spreadops/core";
import { PROTO_KIND } from "./kind-choice.js";

/** Core ScanFilterId value (index) → proto SpreadFilterId; same numbering, spelled out. */
const FILTER_IDS: readonly SpreadFilterId[] = [
  SpreadFilterId.UNSPECIFIED,
  SpreadFilterId.MIN_IV_PERCENTILE,
  SpreadFilterId.MIN_IV_RANK,
  SpreadFilterId.QUOTES_PRESENT,
  SpreadFilterId.DTE,
  SpreadFilterId.SHORT_DELTA,
  SpreadFilterId.LONG_DELTA,
  SpreadFilterId.MIN_VOLUME,
  SpreadFilterId.MIN_OPEN_INTEREST,
  SpreadFilterId.MAX_BID_ASK_SPREAD,
  SpreadFilterId.MAX_BID_ASK_SPREAD_PERCENT,
  SpreadFilterId.WIDTH,
  SpreadFilterId.PRICE_VALID,
  SpreadFilterId.MIN_CREDIT_TO_WIDTH,
  SpreadFilterId.MAX_DEBIT_TO_WIDTH,
  SpreadFilterId.MIN_RETURN_ON_RISK,
  SpreadFilterId.THETA_ABOVE,
  SpreadFilterId.MAX_GAMMA,
  SpreadFilterId.VEGA,
  SpreadFilterId.MIN_PROBABILITY_OF_PROFIT,
  SpreadFilterId.MIN_EXPECTED_VALUE,
];

/** A core filter id as the proto enum. */
export function filterIdToProto(id: number): SpreadFilterId {
  return FILTER_IDS[id] ?? SpreadFilterId.UNSPECIFIED;
}

/** NaN (unknown) → unset. */
function known(value: number | undefined): number | undefined {
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

/** One leg with its quote and greeks from the chain row. */
function legOf(chain: OptionChain, row: number, action: OrderAction): SpreadLeg {
  const at = (col: readonly number[]): number | undefined => known(col[row]);
  const bid = at(chain.bid);
  const ask = at(chain.ask);
  const mid = bid !== undefined && ask !== undefined ? 0.5 * (bid + ask) : undefined;
  const spread = bid !== undefined && ask !== undefined ? ask - bid : undefined;
  return create(SpreadLegSchema, {
    conId: chain.conId[row] ?? 0,
    action,
    right: chain.right[row] ?? OptionRight.UNSPECIFIED,
    expiry: chain.expiry[row] ?? 0,
    strike: chain.strike[row] ?? 0,
    ratio: 1,
    bid,
    ask,
    mid,
    last: at(chain.last),
    impliedVol: at(chain.impliedVol),
    delta: at(chain.delta),
    gamma: at(chain.gamma),
    theta: at(chain.theta),
    vega: at(chain.vega),
    volume: at(chain.volume),
    openInterest: at(chain.openInterest),
    bidAskSpread: spread,
    bidAskSpreadPercent: spread !== undefined && mid !== undefined && mid > 0 ? (spread / mid) * 100 : undefined,
    quoteFlags: chain.flags[row] ?? 0,
  });
}

/** Key "<symbol> <YYYYMMDD> <C|P> <short strike>/<long strike>" (scanner contract). */
export function candidateKey(symbol: string, expiry: number, right: "call" | "put", shortStrike: number, longStrike: number): string {
  return `${symbol} ${expiry} ${right === "call" ? "C" : "P"} ${shortStrike}/${longStrike}`;
}

/** A core candidate as a proto SpreadCandidate (every field the engine knows). */
export function candidateToProto(chain: OptionChain, c: ScanCandidate): SpreadCandidate {
  const info = SPREAD_KINDS[c.kind];
  const multiplier = chain.multiplier;
  return create(SpreadCandidateSchema, {
    key: candidateKey(chain.underlyingSymbol, c.expiry, info.right, c.shortStrike, c.longStrike),
    underlyingSymbol: chain.underlyingSymbol,
    underlyingConId: chain.underlyingConId,
    kind: PROTO_KIND[c.kind],
    priceEffect: info.cashFlow === "credit" ? PriceEffect.CREDIT : PriceEffect.DEBIT,
    expiry: c.expiry,
    dte: c.dte,
    right: info.right === "call" ? OptionRight.CALL : OptionRight.PUT,
    shortLeg: legOf(chain, c.shortRow, OrderAction.SELL),
    longLeg: legOf(chain, c.longRow, OrderAction.BUY),
    width: c.width,
    multiplier,
    priceIncrement: c.priceIncrement,
    naturalPrice: c.naturalPrice,
    midPrice: c.midPrice,
    limitPrice: c.limitPrice,
    maxProfit: c.maxProfit,
    maxLoss: c.maxLoss,
    breakeven: c.breakeven,
    returnOnRisk: c.returnOnRisk,
    priceToWidth: c.priceToWidth,
    probabilityOfProfit: known(c.probabilityOfProfit),
    probabilityOfMaxProfit: known(c.probabilityOfMaxProfit),
    expectedValue: known(c.expectedValue),
    liquidityScore: c.liquidityScore,
    score: c.score,
    rank: c.rank,
    netDelta: known(c.netDelta),
    netGamma: known(c.netGamma),
    netTheta: known(c.netTheta),
    netVega: known(c.netVega),
    maxProfitPerSpreadUsd: c.maxProfit * multiplier,
    maxLossPerSpreadUsd: c.maxLoss * multiplier,
    underlyingPrice: chain.underlyingPrice,
    passedFilters: c.passedFilters.map(filterIdToProto),
    quotesAsOf: chain.asOf,
  });
}
