/**
 * The options of one underlying: the listed chain (per exchange date), contracts by id, and
 * valuation and quotes computed lazily per contract from the underlying's state — nothing is
 * computed for contracts nobody asks about.
 *
 * @packageDocumentation
 */

import { bsmGreeks, DAYS_PER_YEAR, type Greeks } from "@spreadops/core";
import type { TradingCalendar } from "./calendar.js";
import { civilFromDays, DAY_MS, parseDate } from "./civil-date.js";
import { encodeOptionConId, expiryWeek, MAX_STRIKE, type OptionIdFields } from "./contract-ids.js";
import type { OptionComputation, OptionContract, OptionQuote } from "./market-source.js";
import type { MarketSettings } from "./model-settings.js";
import { expiryDayOfWeek, isExpiryForTier, isMonthlyExpiry, listedExpirations, listedStrikes, type Expiration } from "./option-listing.js";
import { quoteOptionMarket } from "./option-quotes.js";
import { minTick, priceIncrements } from "./tick-rules.js";
import type { Underlying, UnderlyingState } from "./underlying.js";
import { optionTickRule, type OptionTickRule } from "./universe.js";
import { SurfaceSlice } from "./vol-surface.js";

const YEAR_MS = DAYS_PER_YEAR * DAY_MS;
const MAX_CACHED_CONTRACTS = 50_000;

/** One expiry of the listed chain. */
export interface ListedExpiry {
  readonly expiration: Expiration;
  readonly strikes: readonly number[];
  readonly strikeSet: ReadonlySet<number>;
}

/** The chain listed on one exchange date. */
export interface ChainListing {
  /** Close of the previous session: the strikes are centred on it. */
  readonly referencePrice: number;
  readonly expiries: readonly ListedExpiry[];
  readonly byDay: ReadonlyMap<number, ListedExpiry>;
}

/** A resolved option with what valuation needs. */
export interface OptionEntry {
  readonly contract: OptionContract;
  /** Expiry date (day number). */
  readonly day: number;
}

/** An option's model valuation at one state. */
export interface OptionValuation {
  readonly entry: OptionEntry;
  /** Years to expiry (≥ 0). */
  readonly time: number;
  readonly impliedVol: number;
  readonly greeks: Greeks;
  readonly underlyingPrice: number;
  /** Standardised moneyness ln(K/F)/(σ_ATM√T). */
  readonly z: number;
}

/** The options of one underlying. */
export class OptionSeries {
  readonly underlying: Underlying;
  readonly tickRule: OptionTickRule;
  readonly #calendar: TradingCalendar;
  readonly #settings: MarketSettings;
  readonly #entries = new Map<number, OptionEntry>();
  #listingKey = "";
  #listing: ChainListing | undefined;
  #sliceTime = NaN;
  readonly #slices = new Map<number, SurfaceSlice>();
  readonly #valuations = new Map<number, OptionValuation>();

  constructor(underlying: Underlying, calendar: TradingCalendar, settings: MarketSettings) {
    this.underlying = underlying;
    this.tickRule = optionTickRule(underlying.spec.liquidity);
    this.#calendar = calendar;
    this.#settings = settings;
  }

  /** The chain listed at an instant (cached per exchange date and expiry state). */
  listing(now: number): ChainListing {
    const today = this.#calendar.dayOf(now);
    const todayClose = this.#calendar.session(today)?.close ?? Infinity;
    const key = `${today}:${now > todayClose ? 1 : 0}`;
    if (this.#listing !== undefined && key === this.#listingKey) return this.#listing;
    const spec = this.underlying.spec;
    const referencePrice = this.underlying.closeBefore(today);
    const expiries: ListedExpiry[] = listedExpirations(this.#calendar, spec.liquidity, now).map((expiration) => {
      const years = (expiration.close - now) / YEAR_MS;
      const strikes = listedStrikes(referencePrice, years, spec.liquidity, spec.stockType === "ETF");
      return { expiration, strikes, strikeSet: new Set(strikes) };
    });
    const listing: ChainListing = { referencePrice, expiries, byDay: new Map(expiries.map((e) => [e.expiration.day, e])) };
    this.#listing = listing;
    this.#listingKey = key;
    return listing;
  }

  /** True when the option is in the chain listed at `now`. */
  isListed(entry: OptionEntry, now: number): boolean {
    return this.listing(now).byDay.get(entry.day)?.strikeSet.has(entry.contract.strike) === true;
  }

  /** The option of an expiry date, strike and right (no listing check). */
  entry(day: number, strike: number, right: "C" | "P"): OptionEntry {
    const spec = this.underlying.spec;
    const conId = encodeOptionConId({ optionClass: spec.optionClass, week: expiryWeek(day), strike, right });
    const cached = this.#entries.get(conId);
    if (cached !== undefined) return cached;
    const session = this.#calendar.session(day);
    if (session === undefined) throw new RangeError(`no session on the expiry date ${day}`);
    const { year, month, day: dom } = civilFromDays(day);
    const yymmdd = `${String(year % 100).padStart(2, "0")}${String(month).padStart(2, "0")}${String(dom).padStart(2, "0")}`;
    const contract: OptionContract = {
      secType: "OPT",
      conId,
      symbol: spec.symbol,
      expiry: session.date,
      strike,
      right,
      multiplier: 100,
      exchange: "SMART",
      currency: "USD",
      localSymbol: `${spec.symbol.padEnd(6, " ")}${yymmdd}${right}${String(Math.round(strike * 1000)).padStart(8, "0")}`,
      tradingClass: spec.symbol,
      underlyingConId: spec.conId,
      minTick: minTick(this.tickRule),
      priceIncrements: priceIncrements(this.tickRule),
      tickRule: this.tickRule,
      monthly: isMonthlyExpiry(this.#calendar, day),
      lastTradeTime: session.close,
      timeZoneId: this.#calendar.timeZone.name,
    };
    const entry: OptionEntry = { contract, day };
    if (this.#entries.size >= MAX_CACHED_CONTRACTS) this.#entries.clear();
    this.#entries.set(conId, entry);
    return entry;
  }

  /** The option an id's fields describe, or undefined when this underlying never lists it. */
  resolve(fields: OptionIdFields): OptionEntry | undefined {
    const day = expiryDayOfWeek(this.#calendar, fields.week);
    if (day === undefined || !isExpiryForTier(this.#calendar, this.underlying.spec.liquidity, day)) return undefined;
    return this.entry(day, fields.strike, fields.right);
  }

  /** The option of an ISO expiry date, strike and right, if that expiry can exist. */
  resolveByDate(expiry: string, strike: number, right: "C" | "P"): OptionEntry | undefined {
    const day = parseDate(expiry);
    if (!isExpiryForTier(this.#calendar, this.underlying.spec.liquidity, day) || !Number.isInteger(strike * 2) || strike <= 0 || strike > MAX_STRIKE) return undefined;
    return this.entry(day, strike, right);
  }

  /** Drops per-state caches when the state moved on. */
  #forState(state: UnderlyingState): void {
    if (state.time !== this.#sliceTime) {
      this.#slices.clear();
      this.#valuations.clear();
      this.#sliceTime = state.time;
    }
  }

  #slice(entry: OptionEntry, state: UnderlyingState, time: number): SurfaceSlice {
    this.#forState(state);
    let slice = this.#slices.get(entry.day);
    if (slice === undefined) {
      const q = this.underlying.spec.dividendYield;
      const forward = state.last * Math.exp((this.#settings.rate - q) * time);
      slice = new SurfaceSlice(this.underlying.surface, state.instantVariance, time, forward);
      this.#slices.set(entry.day, slice);
    }
    return slice;
  }

  /** Model valuation with core's Black-Scholes-Merton at the surface's implied vol. */
  value(entry: OptionEntry, state: UnderlyingState): OptionValuation {
    this.#forState(state);
    const cached = this.#valuations.get(entry.contract.conId);
    if (cached !== undefined) return cached;
    const time = Math.max(0, (entry.contract.lastTradeTime - state.time) / YEAR_MS);
    const slice = this.#slice(entry, state, time);
    const strike = entry.contract.strike;
    const impliedVol = slice.impliedVol(strike);
    const greeks = bsmGreeks({
      right: entry.contract.right === "C" ? "call" : "put",
      spot: state.last,
      strike,
      time,
      rate: this.#settings.rate,
      dividendYield: this.underlying.spec.dividendYield,
      vol: impliedVol,
    });
    const z = slice.moneyness(strike) / Math.sqrt(slice.theta);
    const valuation: OptionValuation = { entry, time, impliedVol, greeks, underlyingPrice: state.last, z };
    this.#valuations.set(entry.contract.conId, valuation);
    return valuation;
  }

  /** The option's quote at the state. */
  quote(entry: OptionEntry, state: UnderlyingState): OptionQuote {
    const v = this.value(entry, state);
    const point = state.point;
    const dayVolume = this.underlying.path.daily.record(point.sessionIndex).volume;
    const market = quoteOptionMarket({
      conId: entry.contract.conId,
      modelPrice: v.greeks.price,
      strike: entry.contract.strike,
      time: v.time,
      daysToExpiry: v.time * DAYS_PER_YEAR,
      z: v.z,
      monthly: entry.contract.monthly,
      tier: this.underlying.spec.liquidity,
      tickRule: this.tickRule,
      averageVolume: this.underlying.spec.averageVolume,
      day: point.session.day,
      sessionVolumeFraction: dayVolume > 0 ? point.dayVolume / dayVolume : 0,
      tick: Math.floor(state.time / 1000),
    });
    return {
      kind: "option",
      conId: entry.contract.conId,
      time: state.time,
      ...market,
      modelPrice: v.greeks.price,
      impliedVol: v.impliedVol,
      underlyingPrice: v.underlyingPrice,
    };
  }

  /** The option's model greeks at the state. */
  computation(entry: OptionEntry, state: UnderlyingState): OptionComputation {
    const v = this.value(entry, state);
    const q = this.underlying.spec.dividendYield;
    return {
      conId: entry.contract.conId,
      time: state.time,
      impliedVol: v.impliedVol,
      delta: v.greeks.delta,
      gamma: v.greeks.gamma,
      vega: v.greeks.vega,
      theta: v.greeks.theta,
      optionPrice: v.greeks.price,
      pvDividend: v.underlyingPrice * -Math.expm1(-q * v.time),
      underlyingPrice: v.underlyingPrice,
    };
  }
}
