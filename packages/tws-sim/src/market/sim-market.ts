/**
 * The live synthetic market: the facade the simulator's server and broker use.
 *
 * @packageDocumentation
 */

import { TradingCalendar } from "./calendar.js";
import { toBarSize, toDuration } from "./bar-spec.js";
import { isoFromDays } from "./civil-date.js";
import { SimClock, type Clock } from "./clock.js";
import { decodeOptionConId, expiryWeek, isOptionConId } from "./contract-ids.js";
import { compareContracts, impliedSecType, normalizeQuery, optionMatches, stockMatches } from "./contract-query.js";
import { buildBars } from "./history.js";
import {
  MarketDataError,
  type Bar,
  type Contract,
  type ContractQuery,
  type ExpirationEvent,
  type HistoricalBarsRequest,
  type MarketSource,
  type OptionChain,
  type OptionComputation,
  type OptionContract,
  type OptionParameters,
  type Quote,
  type ScanFilter,
  type ScanRow,
  type Settlement,
  type StockContract,
  type Unsubscribe,
  type WhatToShow,
} from "./market-source.js";
import { DEFAULT_MARKET_SETTINGS, type MarketSettings } from "./model-settings.js";
import { expiryDayOfWeek, isExpiryForTier } from "./option-listing.js";
import { OptionSeries, type OptionEntry } from "./option-series.js";
import { runScan } from "./scanner.js";
import { Underlying } from "./underlying.js";
import { DEFAULT_UNIVERSE, validateUniverse, type SymbolSpec } from "./universe.js";
import { MarketListeners } from "./notify.js";

/** Options of a {@link SimMarket}. */
export interface SimMarketOptions {
  /** Seed of every random number of the market. */
  readonly seed: number;
  /** Time source for {@link SimMarket.sync}; a real-time clock by default. */
  readonly clock?: Clock;
  /**
   * The start instant, epoch ms: prices equal the universe's reference prices here and history
   * ends here. Defaults to `clock.now()`. Same seed + same start ⇒ the same market.
   */
  readonly start?: number;
  /** The universe; {@link DEFAULT_UNIVERSE} by default. */
  readonly universe?: readonly SymbolSpec[];
  /** The trading calendar; NYSE rules in America/New_York by default. Share one across markets to share its caches. */
  readonly calendar?: TradingCalendar;
  /** Model parameters overriding {@link DEFAULT_MARKET_SETTINGS}. */
  readonly settings?: Partial<MarketSettings>;
}

const WHAT_TO_SHOW: ReadonlySet<string> = new Set<WhatToShow>(["TRADES", "MIDPOINT", "OPTION_IMPLIED_VOLATILITY"]);
const STOCK_INCREMENTS = [{ lowEdge: 0, increment: 0.01 }] as const;

interface Listed {
  readonly spec: SymbolSpec;
  readonly contract: StockContract;
}

/**
 * The synthetic market. Deterministic: everything is a function of (seed, start, universe,
 * settings) and the times it is advanced to — not of when or how often it is asked.
 */
export class SimMarket implements MarketSource {
  /** The market seed. */
  readonly seed: number;
  readonly clock: Clock;
  readonly calendar: TradingCalendar;
  readonly settings: MarketSettings;
  /** The start instant (prices equal the reference prices here). */
  readonly start: number;
  readonly #listed: readonly Listed[];
  readonly #bySymbol = new Map<string, Listed>();
  readonly #byConId = new Map<number, Listed>();
  readonly #byClass = new Map<number, Listed>();
  readonly #underlyings = new Map<string, Underlying>();
  readonly #series = new Map<string, OptionSeries>();
  readonly #anchorTime: number;
  readonly #firstDay: number;
  #now: number;
  #version = 0;
  readonly #quotes = new Map<number, Quote | null>();
  readonly #computations = new Map<number, OptionComputation | null>();
  readonly #listeners = new MarketListeners((conId) => this.quote(conId));

  constructor(options: SimMarketOptions) {
    if (!Number.isFinite(options.seed)) throw new RangeError(`seed must be a finite number, got ${options.seed}`);
    this.seed = options.seed;
    this.clock = options.clock ?? SimClock.real();
    this.calendar = options.calendar ?? new TradingCalendar();
    this.settings = { ...DEFAULT_MARKET_SETTINGS, ...options.settings };
    this.start = options.start ?? this.clock.now();
    this.#now = this.start;
    const universe = options.universe ?? DEFAULT_UNIVERSE;
    validateUniverse(universe);
    this.#listed = universe.map((spec) => ({ spec, contract: stockContract(spec, this.calendar.timeZone.name) }));
    for (const listed of this.#listed) {
      this.#bySymbol.set(listed.spec.symbol, listed);
      this.#byConId.set(listed.spec.conId, listed);
      if (listed.spec.optionable) this.#byClass.set(listed.spec.optionClass, listed);
    }
    this.#anchorTime = this.stateTime();
    this.#firstDay = this.calendar.dayOf(this.start) - Math.round(this.settings.historyYears * 365.25) - 7;
  }

  get version(): number {
    return this.#version;
  }

  now(): number {
    return this.#now;
  }

  stateTime(): number {
    return Math.floor(this.calendar.stateTime(this.#now) / 1000) * 1000;
  }

  sync(): void {
    this.advanceTo(this.clock.now());
  }

  advanceTo(time: number): void {
    if (!(time > this.#now)) return;
    if (!Number.isFinite(time)) throw new RangeError(`cannot advance to ${time}`);
    const before = this.#now;
    const stateBefore = this.stateTime();
    const events = this.#expirationsBetween(before, time);
    this.#now = time;
    if (this.stateTime() !== stateBefore || events.length > 0) {
      this.#version++;
      this.#quotes.clear();
      this.#computations.clear();
    } else {
      return;
    }
    this.#listeners.publish(this.#version, events);
  }

  stocks(): readonly StockContract[] {
    return this.#listed.map((l) => l.contract);
  }

  stock(symbol: string): StockContract | undefined {
    return this.#bySymbol.get(symbol.toUpperCase())?.contract;
  }

  contractByConId(conId: number): Contract | undefined {
    return this.#byConId.get(conId)?.contract ?? this.#option(conId)?.contract;
  }

  findContracts(query: ContractQuery): Contract[] {
    const q = normalizeQuery(query);
    if (q.invalid) return [];
    const now = this.#now;
    const keepOption = (entry: OptionEntry): boolean => optionMatches(entry.contract, q) && (q.includeExpired || entry.contract.lastTradeTime >= now);
    if (q.conId !== undefined) {
      const stock = this.#byConId.get(q.conId);
      if (stock !== undefined) return stockMatches(stock.contract, q) ? [stock.contract] : [];
      const entry = this.#option(q.conId);
      return entry !== undefined && keepOption(entry) ? [entry.contract] : [];
    }
    if (impliedSecType(q) === "STK") return this.#listed.map((l) => l.contract).filter((c) => stockMatches(c, q));
    if (q.symbol === undefined) return [];
    const series = this.#optionSeries(q.symbol);
    if (series === undefined) return [];
    const found: OptionContract[] = [];
    const rights: readonly ("C" | "P")[] = q.right === undefined ? ["C", "P"] : [q.right];
    for (const expiry of series.listing(now).expiries) {
      if (q.expiry !== undefined && !("exact" in q.expiry ? expiry.expiration.date === q.expiry.exact : expiry.expiration.date.startsWith(q.expiry.month))) continue;
      const strikes = q.strike === undefined ? expiry.strikes : expiry.strikeSet.has(q.strike) ? [q.strike] : [];
      for (const strike of strikes) {
        for (const right of rights) {
          const entry = series.entry(expiry.expiration.day, strike, right);
          if (keepOption(entry)) found.push(entry.contract);
        }
      }
    }
    // Expired contracts are not in today's listing; with includeExpired they are found by date.
    if (found.length === 0 && q.includeExpired && q.expiry !== undefined && "exact" in q.expiry && q.strike !== undefined) {
      for (const right of rights) {
        const entry = series.resolveByDate(q.expiry.exact, q.strike, right);
        if (entry !== undefined && entry.contract.lastTradeTime < now && keepOption(entry)) found.push(entry.contract);
      }
    }
    return found.sort(compareContracts);
  }

  optionParameters(symbol: string): OptionParameters | undefined {
    const series = this.#optionSeries(symbol);
    if (series === undefined) return undefined;
    const listing = series.listing(this.#now);
    const strikes = new Set<number>();
    for (const expiry of listing.expiries) for (const strike of expiry.strikes) strikes.add(strike);
    return {
      exchange: "SMART",
      underlyingConId: series.underlying.spec.conId,
      tradingClass: series.underlying.spec.symbol,
      multiplier: 100,
      expirations: listing.expiries.map((e) => e.expiration.date),
      strikes: [...strikes].sort((a, b) => a - b),
    };
  }

  optionChain(symbol: string): OptionChain | undefined {
    const series = this.#optionSeries(symbol);
    if (series === undefined) return undefined;
    return {
      symbol: series.underlying.spec.symbol,
      underlyingConId: series.underlying.spec.conId,
      expirations: series.listing(this.#now).expiries.map((e) => ({
        expiry: e.expiration.date,
        monthly: e.expiration.monthly,
        lastTradeTime: e.expiration.close,
        strikes: e.strikes,
      })),
    };
  }

  quote(conId: number): Quote | undefined {
    const cached = this.#quotes.get(conId);
    if (cached !== undefined) return cached ?? undefined;
    let quote: Quote | undefined;
    const stock = this.#byConId.get(conId);
    if (stock !== undefined) {
      quote = this.#underlying(stock.spec).state(this.stateTime()).quote;
    } else {
      const entry = this.#option(conId);
      if (entry !== undefined && entry.contract.lastTradeTime >= this.#now) {
        const series = this.#optionSeries(entry.contract.symbol);
        if (series !== undefined) quote = series.quote(entry, series.underlying.state(this.stateTime()));
      }
    }
    this.#quotes.set(conId, quote ?? null);
    return quote;
  }

  optionComputation(conId: number): OptionComputation | undefined {
    const cached = this.#computations.get(conId);
    if (cached !== undefined) return cached ?? undefined;
    let computation: OptionComputation | undefined;
    const entry = this.#option(conId);
    if (entry !== undefined && entry.contract.lastTradeTime >= this.#now) {
      const series = this.#optionSeries(entry.contract.symbol);
      if (series !== undefined) computation = series.computation(entry, series.underlying.state(this.stateTime()));
    }
    this.#computations.set(conId, computation ?? null);
    return computation;
  }

  historicalBars(conId: number, request: HistoricalBarsRequest): Bar[] {
    const stock = this.#byConId.get(conId);
    if (stock === undefined) {
      if (this.#option(conId) !== undefined) throw new MarketDataError("no-data", "HMDS query returned no data");
      throw new MarketDataError("unknown-contract", "No security definition has been found for the request");
    }
    if (!WHAT_TO_SHOW.has(request.whatToShow)) {
      throw new MarketDataError("invalid-request", `No historical market data for ${request.whatToShow}`);
    }
    if (request.whatToShow === "OPTION_IMPLIED_VOLATILITY" && !stock.spec.optionable) {
      throw new MarketDataError("no-data", "HMDS query returned no data");
    }
    const duration = toDuration(request.duration);
    const barSize = toBarSize(request.barSize);
    const endTime = Math.min(request.end ?? this.#now, this.#now);
    const end = Math.floor(this.calendar.stateTime(endTime) / 1000) * 1000;
    const underlying = this.#underlying(stock.spec);
    return buildBars(
      { calendar: this.calendar, path: underlying.path, impliedVolOf: (x) => underlying.impliedVolOf(x) },
      { end, duration, barSize, whatToShow: request.whatToShow },
    );
  }

  scan(filter: ScanFilter): ScanRow[] {
    const time = this.stateTime();
    const inputs = this.#listed.map(({ spec, contract }) => {
      const state = this.#underlying(spec).state(time);
      return {
        contract,
        last: state.last,
        previousClose: state.quote.previousClose,
        volume: state.quote.volume,
        sessionFraction: state.point.fraction,
        ...(state.quote.impliedVol === undefined ? {} : { impliedVol: state.quote.impliedVol }),
      };
    });
    return runScan(inputs, filter);
  }

  settlement(conId: number): Settlement | undefined {
    const entry = this.#option(conId);
    if (entry === undefined || entry.contract.lastTradeTime >= this.#now) return undefined;
    const listed = this.#bySymbol.get(entry.contract.symbol);
    if (listed === undefined) return undefined;
    const close = this.#underlying(listed.spec).closeOn(entry.day);
    if (close === undefined) return undefined;
    const { strike, right } = entry.contract;
    return {
      conId,
      expiry: entry.contract.expiry,
      underlyingClose: close,
      value: Math.round(Math.max(0, right === "C" ? close - strike : strike - close) * 100) / 100,
      time: entry.contract.lastTradeTime,
    };
  }

  subscribe(conId: number, listener: (quote: Quote) => void): Unsubscribe {
    return this.#listeners.subscribe(conId, listener);
  }

  onAdvance(listener: (version: number) => void): Unsubscribe {
    return this.#listeners.onAdvance(listener);
  }

  onExpiration(listener: (event: ExpirationEvent) => void): Unsubscribe {
    return this.#listeners.onExpiration(listener);
  }

  /** Expirations whose close c satisfies from ≤ c < to (options expire once time passes c). */
  #expirationsBetween(from: number, to: number): ExpirationEvent[] {
    const events: ExpirationEvent[] = [];
    const last = this.calendar.dayOf(to);
    for (let day = this.calendar.dayOf(from); day <= last; day++) {
      const session = this.calendar.session(day);
      if (session === undefined || session.close < from || session.close >= to) continue;
      if (expiryDayOfWeek(this.calendar, expiryWeek(day)) !== day) continue;
      const underlyings = this.#listed
        .filter((l) => l.spec.optionable && isExpiryForTier(this.calendar, l.spec.liquidity, day))
        .map((l) => ({ symbol: l.spec.symbol, underlyingConId: l.spec.conId, close: this.#underlying(l.spec).closeOn(day) ?? NaN }));
      if (underlyings.length > 0) events.push({ expiry: isoFromDays(day), time: session.close, underlyings });
    }
    return events;
  }

  #underlying(spec: SymbolSpec): Underlying {
    let underlying = this.#underlyings.get(spec.symbol);
    if (underlying === undefined) {
      const listed = this.#bySymbol.get(spec.symbol);
      if (listed === undefined) throw new RangeError(`unknown symbol ${spec.symbol}`);
      underlying = new Underlying(spec, listed.contract, {
        marketSeed: this.seed,
        calendar: this.calendar,
        settings: this.settings,
        anchorTime: this.#anchorTime,
        firstDay: this.#firstDay,
      });
      this.#underlyings.set(spec.symbol, underlying);
    }
    return underlying;
  }

  #optionSeries(symbol: string): OptionSeries | undefined {
    const listed = this.#bySymbol.get(symbol.toUpperCase());
    if (listed === undefined || !listed.spec.optionable) return undefined;
    let series = this.#series.get(listed.spec.symbol);
    if (series === undefined) {
      series = new OptionSeries(this.#underlying(listed.spec), this.calendar, this.settings);
      this.#series.set(listed.spec.symbol, series);
    }
    return series;
  }

  #option(conId: number): OptionEntry | undefined {
    if (!isOptionConId(conId)) return undefined;
    const fields = decodeOptionConId(conId);
    if (fields === undefined) return undefined;
    const listed = this.#byClass.get(fields.optionClass);
    if (listed === undefined) return undefined;
    return this.#optionSeries(listed.spec.symbol)?.resolve(fields);
  }
}

/** The stock contract of a universe entry. */
function stockContract(spec: SymbolSpec, timeZoneId: string): StockContract {
  return {
    secType: "STK",
    conId: spec.conId,
    symbol: spec.symbol,
    exchange: "SMART",
    primaryExchange: spec.primaryExchange,
    currency: "USD",
    localSymbol: spec.symbol,
    tradingClass: spec.symbol,
    longName: spec.longName,
    industry: spec.industry,
    category: spec.category,
    subcategory: spec.subcategory,
    stockType: spec.stockType,
    minTick: 0.01,
    priceIncrements: STOCK_INCREMENTS,
    timeZoneId,
    optionable: spec.optionable,
    marketCap: spec.marketCap,
    averageVolume: spec.averageVolume,
    dividendYield: spec.dividendYield,
    liquidity: spec.liquidity,
  };
}
