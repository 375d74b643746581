/**
 * Turns per-contract snapshot results into the columnar `OptionChain` of `@spreadops/api`,
 * computing greeks from the mid price when TWS sent none.
 *
 * @packageDocumentation
 */

import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { OptionChainSchema, OptionRight as ApiRight, QuoteFlag, type MarketDataType, type OptionChain } from "@spreadops/api";
import { bsmGreeks, impliedVol, yearFraction } from "@spreadops/core";
import type { PlannedOption } from "./chain-plan.js";

/** What one option snapshot returned; a missing or NaN field is unknown. */
export interface OptionQuoteResult {
  /** The contract that was requested. */
  readonly contract: PlannedOption;
  /** IB contract id. */
  readonly conId: number;
  readonly bid?: number;
  readonly ask?: number;
  readonly last?: number;
  readonly bidSize?: number;
  readonly askSize?: number;
  readonly volume?: number;
  readonly openInterest?: number;
  /** IB's model implied vol (annualised fraction). */
  readonly impliedVol?: number;
  readonly delta?: number;
  readonly gamma?: number;
  readonly theta?: number;
  readonly vega?: number;
  /** Underlying price IB computed the greeks with. */
  readonly underlyingPrice?: number;
  /** When the newest tick arrived, epoch ms; undefined = no tick. */
  readonly lastTickMs?: number;
  /** QuoteFlag bits already known (delayed, frozen, halted…). */
  readonly flags?: number;
}

/** Chain-level inputs of {@link assembleOptionChain}. */
export interface ChainAssemblyInput {
  readonly underlyingSymbol: string;
  readonly underlyingConId: number;
  /** Underlying price; also the spot of greeks computed here. Undefined = unknown. */
  readonly underlyingPrice?: number;
  /** Assembly time, epoch ms. */
  readonly asOfMs: number;
  /** The exchange's date at `asOfMs`, YYYYMMDD, from which DTE counts (the plan's `today`). */
  readonly asOfDate: string;
  readonly marketDataType: MarketDataType;
  readonly tradingClass: string;
  readonly exchange: string;
  readonly currency: string;
  readonly multiplier: number;
  readonly minTick: number;
  /** Rate and dividend yield for greeks computed here. */
  readonly rate: number;
  readonly dividendYield: number;
  /** The rows, in any order. */
  readonly rows: readonly OptionQuoteResult[];
}

/** Greeks of one row, computed here. */
export interface ComputedGreeks {
  readonly impliedVol: number;
  readonly delta: number;
  readonly gamma: number;
  readonly theta: number;
  readonly vega: number;
}

const known = (v: number | undefined): number => (v !== undefined && Number.isFinite(v) ? v : NaN);

/**
 * Greeks of an option from its quote, with core's Black-Scholes: the given implied vol if there is
 * one, else the vol implied by the mid price. Undefined when neither exists (no two-sided quote,
 * a mid outside the arbitrage bounds, or no time left).
 */
export function greeksFromQuote(
  row: OptionQuoteResult,
  spot: number,
  market: { readonly rate: number; readonly dividendYield: number },
): ComputedGreeks | undefined {
  const time = yearFraction(row.contract.dte);
  if (!(spot > 0) || !(time > 0)) return undefined;
  const base = { right: row.contract.right, spot, strike: row.contract.strike, time, rate: market.rate, dividendYield: market.dividendYield };
  let vol = known(row.impliedVol);
  if (!(vol > 0)) {
    const bid = known(row.bid);
    const ask = known(row.ask);
    if (!(bid >= 0 && ask > 0 && ask >= bid)) return undefined;
    const iv = impliedVol({ ...base, price: (bid + ask) / 2 });
    if (!iv.ok) return undefined;
    vol = iv.vol;
  }
  const g = bsmGreeks({ ...base, vol });
  return { impliedVol: vol, delta: g.delta, gamma: g.gamma, theta: g.theta, vega: g.vega };
}

function yyyymmdd(date: string): number {
  return Number(date.replaceAll("-", ""));
}

/**
 * Builds the columnar chain: rows sorted by (expiry, right, strike); NaN for every unknown
 * double; a row whose delta TWS did not send gets greeks from core (flag GREEKS_COMPUTED); a row
 * without bid, ask or last gets NO_QUOTE.
 */
export function assembleOptionChain(input: ChainAssemblyInput): OptionChain {
  const rows = [...input.rows].sort(
    (a, b) =>
      a.contract.expiry.localeCompare(b.contract.expiry) ||
      apiRight(a.contract.right) - apiRight(b.contract.right) ||
      a.contract.strike - b.contract.strike,
  );
  const chain = create(OptionChainSchema, {
    underlyingSymbol: input.underlyingSymbol,
    underlyingConId: input.underlyingConId,
    asOf: timestampFromMs(input.asOfMs),
    asOfDate: yyyymmdd(input.asOfDate),
    marketDataType: input.marketDataType,
    tradingClass: input.tradingClass,
    exchange: input.exchange,
    currency: input.currency,
    multiplier: input.multiplier,
    minTick: input.minTick,
    rowCount: rows.length,
  });
  if (input.underlyingPrice !== undefined && Number.isFinite(input.underlyingPrice)) chain.underlyingPrice = input.underlyingPrice;

  for (const row of rows) {
    let flags = row.flags ?? 0;
    let iv = known(row.impliedVol);
    let delta = known(row.delta);
    let gamma = known(row.gamma);
    let theta = known(row.theta);
    let vega = known(row.vega);
    let underlyingAtQuote = known(row.underlyingPrice);
    if (Number.isNaN(delta)) {
      const spot = Number.isFinite(underlyingAtQuote) ? underlyingAtQuote : known(input.underlyingPrice);
      const g = greeksFromQuote(row, spot, input);
      if (g !== undefined) {
        ({ impliedVol: iv, delta, gamma, theta, vega } = g);
        underlyingAtQuote = spot;
        flags |= QuoteFlag.GREEKS_COMPUTED;
      }
    }
    const bid = known(row.bid);
    const ask = known(row.ask);
    const last = known(row.last);
    if (Number.isNaN(bid) && Number.isNaN(ask) && Number.isNaN(last)) flags |= QuoteFlag.NO_QUOTE;

    chain.conId.push(row.conId);
    chain.expiry.push(Number(row.contract.expiry));
    chain.dte.push(row.contract.dte);
    chain.strike.push(row.contract.strike);
    chain.right.push(apiRight(row.contract.right));
    chain.bid.push(bid);
    chain.ask.push(ask);
    chain.last.push(last);
    chain.bidSize.push(known(row.bidSize));
    chain.askSize.push(known(row.askSize));
    chain.volume.push(known(row.volume));
    chain.openInterest.push(known(row.openInterest));
    chain.impliedVol.push(iv);
    chain.delta.push(delta);
    chain.gamma.push(gamma);
    chain.theta.push(theta);
    chain.vega.push(vega);
    chain.underlyingPriceAtQuote.push(underlyingAtQuote);
    chain.quoteAgeMs.push(row.lastTickMs === undefined ? NaN : Math.max(0, input.asOfMs - row.lastTickMs));
    chain.flags.push(flags);
  }
  return chain;
}

function apiRight(right: "call" | "put"): ApiRight {
  return right === "call" ? ApiRight.CALL : ApiRight.PUT;
}
