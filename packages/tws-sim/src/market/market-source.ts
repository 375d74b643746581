/**
 * The market as the simulator's server and broker see it. Two implementations exist: the live
 * synthetic model ({@link SimMarket}) and the replay of a recording ({@link ReplayMarket});
 * {@link RecordingMarket} wraps either and records what a client saw.
 *
 * Conventions: times are epoch milliseconds of simulated time; exchange dates (expiries, bar
 * dates) are `YYYY-MM-DD` in America/New_York (use `toIbDate` for IB's `YYYYMMDD`); prices are USD
 * per share; stock sizes and volumes are shares (IB reports stock sizes in round lots — the
 * protocol layer divides); option sizes, volume and open interest are contracts.
 *
 * The market only moves while a regular session is open: between sessions every value is the
 * one at the last close ("state time"). Nothing moves unless {@link MarketSource.advanceTo} (or
 * `sync`) is called, so callers decide when time passes.
 *
 * @packageDocumentation
 */

import type { TradingCalendar } from "./calendar.js";
import type { IsoDate } from "./civil-date.js";
import type { Clock } from "./clock.js";
import type { LiquidityTier, OptionTickRule, PrimaryExchange } from "./universe.js";

export type { IsoDate } from "./civil-date.js";

/** One band of a market rule: from `lowEdge` upwards prices move in `increment`s. */
export interface PriceIncrement {
  readonly lowEdge: number;
  readonly increment: number;
}

/** A stock or ETF (IB secType STK), with the reference data contract details and scans need. */
export interface StockContract {
  readonly secType: "STK";
  readonly conId: number;
  readonly symbol: string;
  /** Always SMART (routing); the listing exchange is `primaryExchange`. */
  readonly exchange: "SMART";
  readonly primaryExchange: PrimaryExchange;
  readonly currency: "USD";
  readonly localSymbol: string;
  readonly tradingClass: string;
  readonly longName: string;
  readonly industry: string;
  readonly category: string;
  readonly subcategory: string;
  readonly stockType: "COMMON" | "ETF";
  /** $0.01. */
  readonly minTick: number;
  readonly priceIncrements: readonly PriceIncrement[];
  /** IANA zone of the trading hours. */
  readonly timeZoneId: string;
  /** True when options are listed. */
  readonly optionable: boolean;
  /** USD (assets under management for ETFs). Not an IB contract field. */
  readonly marketCap: number;
  /** Average daily volume, shares. Not an IB contract field. */
  readonly averageVolume: number;
  /** Continuous dividend yield per year used by the option model. Not an IB contract field. */
  readonly dividendYield: number;
  /** Liquidity tier. Not an IB contract field. */
  readonly liquidity: LiquidityTier;
}

/** An equity option (IB secType OPT): European-style in the model, PM-settled at the close. */
export interface OptionContract {
  readonly secType: "OPT";
  /** Decodable id (see contract-ids.ts). */
  readonly conId: number;
  /** Underlying symbol. */
  readonly symbol: string;
  /** Expiry date `YYYY-MM-DD` (IB's lastTradeDateOrContractMonth is its `YYYYMMDD`). */
  readonly expiry: IsoDate;
  readonly strike: number;
  readonly right: "C" | "P";
  /** Shares per contract: 100. */
  readonly multiplier: number;
  readonly exchange: "SMART";
  readonly currency: "USD";
  /** OCC symbol, e.g. `AAPL  260320C00230000`. */
  readonly localSymbol: string;
  /** Equals the underlying symbol. */
  readonly tradingClass: string;
  readonly underlyingConId: number;
  /** Smallest price increment of the class. */
  readonly minTick: number;
  /** The class's market rule (e.g. 0.01 below $3, 0.05 from $3). */
  readonly priceIncrements: readonly PriceIncrement[];
  readonly tickRule: OptionTickRule;
  /** True for the standard monthly expiry. */
  readonly monthly: boolean;
  /** Instant trading ends and the option settles: the expiry session's close, epoch ms. */
  readonly lastTradeTime: number;
  readonly timeZoneId: string;
}

/** Any contract of the simulated market. */
export type Contract = StockContract | OptionContract;

/**
 * A reqContractDetails-style lookup. Empty or absent fields match anything; `conId` > 0 pins the
 * contract and the other fields must then agree with it.
 */
export interface ContractQuery {
  readonly conId?: number;
  readonly symbol?: string;
  /** Defaults to OPT when expiry, strike or right is given, otherwise STK. */
  readonly secType?: "STK" | "OPT" | "";
  /** `YYYYMMDD`, `YYYY-MM-DD` or a contract month `YYYYMM` (all expiries in that month). */
  readonly expiry?: string;
  /** 0 or absent: any strike. */
  readonly strike?: number;
  /** "C"/"CALL", "P"/"PUT"; empty: both. */
  readonly right?: string;
  /** SMART, the primary exchange (stocks), CBOE (options) or empty. */
  readonly exchange?: string;
  readonly currency?: string;
  readonly tradingClass?: string;
  readonly multiplier?: number;
  /** Also match options that have expired (resolvable by id). */
  readonly includeExpired?: boolean;
}

/** reqSecDefOptParams-style data: the union of expirations and strikes of one underlying. */
export interface OptionParameters {
  readonly exchange: "SMART";
  readonly underlyingConId: number;
  readonly tradingClass: string;
  readonly multiplier: number;
  readonly expirations: readonly IsoDate[];
  /** Every strike listed for at least one expiry (not every pair exists; see {@link OptionChain}). */
  readonly strikes: readonly number[];
}

/** The listed chain of one underlying, expiry by expiry. */
export interface OptionChain {
  readonly symbol: string;
  readonly underlyingConId: number;
  readonly expirations: readonly {
    readonly expiry: IsoDate;
    readonly monthly: boolean;
    /** Expiry instant (session close), epoch ms. */
    readonly lastTradeTime: number;
    readonly strikes: readonly number[];
  }[];
}

/** Top of book and session data of a stock. */
export interface StockQuote {
  readonly kind: "stock";
  readonly conId: number;
  /** State time the quote belongs to. */
  readonly time: number;
  readonly last: number;
  readonly lastSize: number;
  readonly bid: number;
  readonly bidSize: number;
  readonly ask: number;
  readonly askSize: number;
  /** Session volume so far, shares. */
  readonly volume: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  /** Previous session's close (IB's "close" tick). */
  readonly previousClose: number;
  readonly averageVolume: number;
  /** 30-day ATM implied volatility (IB tick 24), absent when not optionable. */
  readonly impliedVol?: number;
}

/** Top of book of an option. */
export interface OptionQuote {
  readonly kind: "option";
  readonly conId: number;
  readonly time: number;
  /** 0 when nobody bids (worthless far out of the money). */
  readonly bid: number;
  readonly bidSize: number;
  readonly ask: number;
  readonly askSize: number;
  /** Last trade price; absent when nothing traded in the session. */
  readonly last?: number;
  readonly lastSize: number;
  /** Session volume so far, contracts. */
  readonly volume: number;
  /** Open interest, contracts (changes once a day). */
  readonly openInterest: number;
  /** Model (theoretical) price, between bid and ask. */
  readonly modelPrice: number;
  readonly impliedVol: number;
  readonly underlyingPrice: number;
}

/** A stock or option quote. */
export type Quote = StockQuote | OptionQuote;

/**
 * Model greeks (IB tickOptionComputation, tick type 13) from @spreadops/core's Black-Scholes-Merton
 * at the option's implied vol: theta per calendar day, vega per vol point.
 */
export interface OptionComputation {
  readonly conId: number;
  readonly time: number;
  readonly impliedVol: number;
  readonly delta: number;
  readonly gamma: number;
  readonly vega: number;
  readonly theta: number;
  readonly optionPrice: number;
  /** Present value of the dividends until expiry: S·(1 − e^{−qT}). */
  readonly pvDividend: number;
  readonly underlyingPrice: number;
}

/** IB duration units: seconds, (trading) days, weeks, months, years. */
export type DurationUnit = "S" | "D" | "W" | "M" | "Y";

/** A parsed IB duration such as "30 D". */
export interface Duration {
  readonly amount: number;
  readonly unit: DurationUnit;
}

/** A parsed IB bar size: intraday bars in seconds, or day/week/month bars. */
export type BarSize =
  | { readonly kind: "intraday"; readonly seconds: number }
  | { readonly kind: "day" }
  | { readonly kind: "week" }
  | { readonly kind: "month" };

/** Supported whatToShow values. MIDPOINT equals TRADES' prices (the model path is the mid). */
export type WhatToShow = "TRADES" | "MIDPOINT" | "OPTION_IMPLIED_VOLATILITY";

/** A reqHistoricalData-style request. */
export interface HistoricalBarsRequest {
  /** End instant, epoch ms; absent = now. Bars never extend past the market's current time. */
  readonly end?: number;
  /** IB duration string ("1 Y", "30 D", "2 W", "3600 S") or a parsed {@link Duration}. */
  readonly duration: string | Duration;
  /** IB bar size string ("1 day", "5 mins", "1 hour", "1 secs") or a parsed {@link BarSize}. */
  readonly barSize: string | BarSize;
  readonly whatToShow: WhatToShow;
  /** Regular trading hours only. The model trades only in regular hours, so both give the same bars. */
  readonly useRth: boolean;
}

/**
 * One bar. Intraday bars are aligned to the wall clock in New York (a "1 hour" bar covers
 * 09:30–10:00, then 10:00–11:00, …); the last bar may be partial (up to now).
 */
export interface Bar {
  /** Start of the bar, epoch ms (for day bars the session's open). */
  readonly time: number;
  /** Exchange date of the bar (the first session's date for week/month bars). */
  readonly date: IsoDate;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Shares; −1 for MIDPOINT and OPTION_IMPLIED_VOLATILITY (as IB sends). */
  readonly volume: number;
  /** Volume-weighted average price (approximate: typical prices weighted by volume); −1 like volume. */
  readonly wap: number;
  /** Number of trades (volume / 100 shares); −1 like volume. */
  readonly count: number;
}

/** Scan codes the simulated scanner supports (IB scanner codes). */
export type ScanCode =
  | "MOST_ACTIVE"
  | "MOST_ACTIVE_USD"
  | "TOP_PERC_GAIN"
  | "TOP_PERC_LOSE"
  | "HOT_BY_VOLUME"
  | "HIGH_OPT_IMP_VOLAT"
  | "LOW_OPT_IMP_VOLAT";

/** A market-scanner subscription: filters over the universe plus a sort order. */
export interface ScanFilter {
  readonly scanCode: ScanCode;
  /** Last price bounds, USD. */
  readonly minPrice?: number;
  readonly maxPrice?: number;
  /** Session volume so far, shares (IB's aboveVolume). */
  readonly minVolume?: number;
  /** Average daily volume, shares. */
  readonly minAverageVolume?: number;
  /** Market cap in USD (IB's marketCapAbove/Below are in millions — convert). */
  readonly minMarketCap?: number;
  readonly maxMarketCap?: number;
  /** true: only names with listed options; false: only names without. */
  readonly optionable?: boolean;
  /** ETF or COMMON only. */
  readonly stockType?: "COMMON" | "ETF";
  /** Rows returned; 50 by default (IB's maximum). */
  readonly maxRows?: number;
}

/** One scanner result row. */
export interface ScanRow {
  /** 0-based rank. */
  readonly rank: number;
  readonly contract: StockContract;
  readonly last: number;
  /** Change from the previous close, percent. */
  readonly changePercent: number;
  readonly volume: number;
  readonly averageVolume: number;
  readonly marketCap: number;
  /** 30-day ATM IV, absent when not optionable. */
  readonly impliedVol?: number;
}

/** The final value of an expired option. */
export interface Settlement {
  readonly conId: number;
  readonly expiry: IsoDate;
  /** The underlying's closing price on the expiry date. */
  readonly underlyingClose: number;
  /** Intrinsic value per share at that close: max(0, S − K) for calls, max(0, K − S) for puts. */
  readonly value: number;
  /** Expiry instant, epoch ms. */
  readonly time: number;
}

/** Options of some expiry date expired at a close. */
export interface ExpirationEvent {
  readonly expiry: IsoDate;
  /** The close at which they expired, epoch ms. */
  readonly time: number;
  /** Underlyings with options of that expiry and their settlement (closing) prices. */
  readonly underlyings: readonly { readonly symbol: string; readonly underlyingConId: number; readonly close: number }[];
}

/** Removes a listener. */
export type Unsubscribe = () => void;

/** Why a market request failed (the server maps it to an IB error code). */
export type MarketErrorReason = "unknown-contract" | "no-data" | "invalid-request";

/** A request the market cannot answer. */
export class MarketDataError extends Error {
  /** Machine-readable reason: unknown-contract → 200, no-data / invalid-request → 162 or 321. */
  readonly reason: MarketErrorReason;

  constructor(reason: MarketErrorReason, message: string) {
    super(message);
    this.name = "MarketDataError";
    this.reason = reason;
  }
}

/** The market as the server and broker use it. */
export interface MarketSource {
  /** Trading calendar (sessions, holidays) of the market. */
  readonly calendar: TradingCalendar;
  /** The clock `sync()` follows. */
  readonly clock: Clock;
  /**
   * Increases whenever the market state changes (at most once per simulated second, and on
   * expirations). Cache anything derived from quotes by this number.
   */
  readonly version: number;

  /** The market's current time (the last time advanced to). */
  now(): number;
  /** The instant whose state is shown: {@link now} during a session, else the last close. */
  stateTime(): number;
  /**
   * Moves the market forward to `time` (ignored when not later than {@link now}); fires
   * expirations whose close lies in between, then notifies subscribers of changed quotes.
   */
  advanceTo(time: number): void;
  /** `advanceTo(clock.now())`. */
  sync(): void;

  /** The universe, in a stable order. */
  stocks(): readonly StockContract[];
  /** A stock by symbol. */
  stock(symbol: string): StockContract | undefined;
  /** Any contract by id: stocks, listed options and expired options (their ids stay valid). */
  contractByConId(conId: number): Contract | undefined;
  /** reqContractDetails matching; sorted by expiry, strike, right. Empty when nothing matches. */
  findContracts(query: ContractQuery): Contract[];
  /** reqSecDefOptParams data, or undefined for unknown or non-optionable symbols. */
  optionParameters(symbol: string): OptionParameters | undefined;
  /** The listed chain expiry by expiry, or undefined for unknown or non-optionable symbols. */
  optionChain(symbol: string): OptionChain | undefined;

  /** Current quote of a contract; undefined for unknown ids and expired options. */
  quote(conId: number): Quote | undefined;
  /** Current model greeks of an option; undefined for stocks, unknown ids and expired options. */
  optionComputation(conId: number): OptionComputation | undefined;
  /**
   * Historical bars of a stock.
   * @throws MarketDataError unknown-contract, no-data (options, or before the history starts) or
   *   invalid-request (bad duration, bar size or whatToShow).
   */
  historicalBars(conId: number, request: HistoricalBarsRequest): Bar[];
  /** Runs a market scan over the universe. */
  scan(filter: ScanFilter): ScanRow[];
  /** Settlement of an expired option; undefined while it trades or for unknown ids. */
  settlement(conId: number): Settlement | undefined;

  /** Calls `listener` with the new quote whenever the contract's quote changes on an advance. */
  subscribe(conId: number, listener: (quote: Quote) => void): Unsubscribe;
  /** Calls `listener` after every advance that changed {@link version}. */
  onAdvance(listener: (version: number) => void): Unsubscribe;
  /** Calls `listener` when options expire (after the close of their expiry date). */
  onExpiration(listener: (event: ExpirationEvent) => void): Unsubscribe;
}
