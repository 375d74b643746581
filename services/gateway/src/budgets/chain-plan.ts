/**
 * Which option contracts of a chain to request: expiries inside the DTE window, and per expiry
 * only the strikes inside the requested band, so strikes far from the band and expiries outside
 * the window never consume market-data lines (ARCHITECTURE.md §4).
 *
 * @packageDocumentation
 */

import { daysToExpiry, normInv, yearFraction, type OptionRight } from "@spreadops/core";

/** Option parameters of one trading class on one exchange (TWS `securityDefinitionOptionParameter`). */
export interface OptionChainParams {
  /** Option exchange, e.g. "SMART". */
  readonly exchange: string;
  /** Trading class, e.g. "SPY". */
  readonly tradingClass: string;
  /** Contract multiplier from TWS (never assumed). */
  readonly multiplier: number;
  /** Expirations, YYYYMMDD in the exchange's time zone. */
  readonly expirations: readonly string[];
  /** Strikes (the union over expirations; not every strike exists for every expiry). */
  readonly strikes: readonly number[];
}

/**
 * Which strikes to request:
 * - `all`: every strike;
 * - `absolute`: strikes in [min, max], USD per share;
 * - `percent`: strikes from spot·(1 + min/100) to spot·(1 + max/100), e.g. {min: −20, max: 10};
 * - `absDelta`: strikes whose model |delta| is in [min, max], estimated with Black-Scholes at
 *   `vol` and widened by `marginStrikes` strikes each side (real deltas come later from TWS).
 */
export type StrikeBand =
  | { readonly kind: "all" }
  | { readonly kind: "absolute"; readonly min: number; readonly max: number }
  | { readonly kind: "percent"; readonly min: number; readonly max: number }
  | {
      readonly kind: "absDelta";
      readonly min: number;
      readonly max: number;
      /** Assumed (e.g. ATM) implied vol for the estimate; default 0.3. */
      readonly vol?: number;
      /** Extra strikes requested beyond the estimated band on each side; default 2. */
      readonly marginStrikes?: number;
    };

/** Inputs of {@link planOptionChain}. */
export interface ChainPlanInput {
  /** Underlying symbol, e.g. "SPY". */
  readonly symbol: string;
  /** The chain's option parameters. */
  readonly params: OptionChainParams;
  /** Underlying price, USD per share (> 0). */
  readonly spot: number;
  /** The exchange's current date, YYYY-MM-DD (America/New_York for US options). */
  readonly today: string;
  /** DTE window, calendar days, inclusive. */
  readonly dte: { readonly min: number; readonly max: number };
  /** Strike band. */
  readonly band: StrikeBand;
  /** Rights to request; default both. */
  readonly rights?: readonly OptionRight[];
  /** Risk-free rate for the delta estimate; default 0.04. */
  readonly rate?: number;
  /** Dividend yield for the delta estimate; default 0. */
  readonly dividendYield?: number;
}

/** One option contract to request. */
export interface PlannedOption {
  readonly symbol: string;
  /** YYYYMMDD. */
  readonly expiry: string;
  /** Calendar days to expiry from `today`. */
  readonly dte: number;
  readonly strike: number;
  readonly right: OptionRight;
  readonly tradingClass: string;
  readonly exchange: string;
  readonly multiplier: number;
}

/** The plan: contracts in priority order (nearest the money first, then nearest expiry). */
export interface ChainPlan {
  /** Expiries selected, ascending, with their DTE. */
  readonly expiries: readonly { readonly expiry: string; readonly dte: number }[];
  /** Contracts to request, highest priority first. */
  readonly contracts: readonly PlannedOption[];
}

/** YYYYMMDD → YYYY-MM-DD (core's date functions take the ISO form). */
export function isoFromYyyymmdd(expiry: string): string {
  if (!/^\d{8}$/.test(expiry)) throw new RangeError(`expiry must be YYYYMMDD, got ${JSON.stringify(expiry)}`);
  return `${expiry.slice(0, 4)}-${expiry.slice(4, 6)}-${expiry.slice(6, 8)}`;
}

/** Expiries inside the DTE window (calendar days from `today`, inclusive), ascending, de-duplicated. */
export function selectExpiries(
  expirations: readonly string[],
  today: string,
  dte: { readonly min: number; readonly max: number },
): { expiry: string; dte: number }[] {
  const out = new Map<string, number>();
  for (const expiry of expirations) {
    const d = daysToExpiry(today, isoFromYyyymmdd(expiry));
    if (d >= dte.min && d <= dte.max && d >= 0) out.set(expiry, d);
  }
  return [...out].map(([expiry, d]) => ({ expiry, dte: d })).sort((a, b) => a.dte - b.dte);
}

/** Market inputs of the delta-band estimate. */
export interface DeltaBandModel {
  readonly spot: number;
  /** Calendar days to expiry. */
  readonly dte: number;
  readonly vol: number;
  readonly rate: number;
  readonly dividendYield: number;
}

/**
 * The strike interval [lo, hi] in which the Black-Scholes |delta| of `right` lies in
 * [minAbsDelta, maxAbsDelta], by inverting delta in closed form:
 * call δ = e^{−qT}N(d1), put |δ| = e^{−qT}N(−d1), K = S·exp((r − q + σ²/2)T − d1σ√T).
 * Same-day expiries are treated as one day out so the band stays a finite interval.
 */
export function deltaBandStrikes(
  right: OptionRight,
  minAbsDelta: number,
  maxAbsDelta: number,
  m: DeltaBandModel,
): { lo: number; hi: number } {
  const t = yearFraction(Math.max(m.dte, 1));
  const sqrtT = Math.sqrt(t);
  const carry = Math.exp(m.dividendYield * t);
  const drift = (m.rate - m.dividendYield + (m.vol * m.vol) / 2) * t;
  const strikeAt = (d1: number): number => m.spot * Math.exp(drift - d1 * m.vol * sqrtT);
  const d1Of = (absDelta: number): number => {
    const p = Math.min(1, Math.max(0, absDelta * carry));
    return right === "call" ? normInv(p) : -normInv(p);
  };
  const a = strikeAt(d1Of(minAbsDelta));
  const b = strikeAt(d1Of(maxAbsDelta));
  return { lo: Math.min(a, b), hi: Math.max(a, b) };
}

/** Indices [from, to] of the sorted strikes inside [lo, hi], widened by `margin` each side; undefined if none near. */
function strikeRange(sorted: readonly number[], lo: number, hi: number, margin: number): [number, number] | undefined {
  let from = sorted.findIndex((k) => k >= lo);
  if (from === -1) from = sorted.length;
  let to = sorted.length - 1;
  while (to >= 0 && (sorted[to] ?? 0) > hi) to -= 1;
  if (from > to) {
    // No strike inside: a band between two strikes still gets its neighbours through the margin;
    // a band beyond the listed strikes (or no margin) gets nothing, never strikes far from it.
    if (margin === 0 || from >= sorted.length || to < 0) return undefined;
  }
  return [Math.max(0, from - margin), Math.min(sorted.length - 1, to + margin)];
}

/**
 * Plans the contracts of one chain request. Never selects an expiry outside the DTE window; for
 * strike bands, only strikes inside the band (plus the delta margin for a delta band); for a
 * delta band calls and puts get their own strikes (calls at and above the money, puts below, for
 * the usual |delta| ≤ 0.5 bands), which halves the lines a symmetric request would take.
 * @throws RangeError on malformed dates or a non-positive spot.
 */
export function planOptionChain(input: ChainPlanInput): ChainPlan {
  const { params, spot, band } = input;
  if (!(spot > 0 && Number.isFinite(spot))) throw new RangeError(`spot must be a positive finite number, got ${spot}`);
  const rights = input.rights ?? (["call", "put"] as const);
  const strikes = [...new Set(params.strikes)].filter((k) => k > 0 && Number.isFinite(k)).sort((a, b) => a - b);
  const expiries = selectExpiries(params.expirations, input.today, input.dte);

  const contracts: (PlannedOption & { readonly distance: number })[] = [];
  for (const { expiry, dte } of expiries) {
    for (const right of rights) {
      const range = rangeFor(band, right, strikes, { spot, dte, rate: input.rate ?? 0.04, dividendYield: input.dividendYield ?? 0 });
      if (range === undefined) continue;
      for (let i = range[0]; i <= range[1]; i += 1) {
        const strike = strikes[i];
        if (strike === undefined) continue;
        contracts.push({
          symbol: input.symbol,
          expiry,
          dte,
          strike,
          right,
          tradingClass: params.tradingClass,
          exchange: params.exchange,
          multiplier: params.multiplier,
          distance: Math.abs(Math.log(strike / spot)),
        });
      }
    }
  }
  contracts.sort((a, b) => a.distance - b.distance || a.dte - b.dte || a.strike - b.strike || a.right.localeCompare(b.right));
  return { expiries, contracts: contracts.map(({ distance: _distance, ...c }) => c) };
}

function rangeFor(
  band: StrikeBand,
  right: OptionRight,
  strikes: readonly number[],
  m: Omit<DeltaBandModel, "vol">,
): [number, number] | undefined {
  switch (band.kind) {
    case "all":
      return strikes.length > 0 ? [0, strikes.length - 1] : undefined;
    case "absolute":
      return strikeRange(strikes, band.min, band.max, 0);
    case "percent":
      return strikeRange(strikes, m.spot * (1 + band.min / 100), m.spot * (1 + band.max / 100), 0);
    case "absDelta": {
      const { lo, hi } = deltaBandStrikes(right, band.min, band.max, { ...m, vol: band.vol ?? 0.3 });
      return strikeRange(strikes, lo, hi, band.marginStrikes ?? 2);
    }
  }
}

/** Splits a prioritised list into consecutive batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Identity of one planned contract (for caches and de-duplication). */
export function plannedOptionKey(c: PlannedOption): string {
  return `${c.symbol}|${c.tradingClass}|${c.exchange}|${c.expiry}|${c.strike}|${c.right}`;
}
