/**
 * One simulated underlying: its contract, price path, volatility surface parameters and the
 * quote at the current state (computed once per state time).
 *
 * @packageDocumentation
 */

import type { TradingCalendar } from "./calendar.js";
import type { MarketSettings } from "./model-settings.js";
import type { StockContract, StockQuote } from "./market-source.js";
import { PricePath, type PathPoint } from "./price-path.js";
import { deriveSeed, hashString, hashUnit } from "./rng.js";
import { atmImpliedVol, IV_INDEX_TIME, validateSurfaceParams, type SurfaceParams } from "./vol-surface.js";
import type { LiquidityTier, SymbolSpec } from "./universe.js";

/** Bid/ask width in cents and displayed size in round lots, by tier. */
const STOCK_BOOK: Readonly<Record<LiquidityTier, { minCents: number; maxCents: number; lots: number }>> = {
  index: { minCents: 1, maxCents: 1, lots: 40 },
  high: { minCents: 1, maxCents: 2, lots: 15 },
  medium: { minCents: 1, maxCents: 3, lots: 6 },
  low: { minCents: 2, maxCents: 6, lots: 2 },
};

/** The state of an underlying at one state time. */
export interface UnderlyingState {
  /** State time, epoch ms (a whole second). */
  readonly time: number;
  readonly point: PathPoint;
  /** Last trade price (the model mid rounded to the cent). */
  readonly last: number;
  /** σ(t)², the instantaneous variance that drives the surface. */
  readonly instantVariance: number;
  readonly quote: StockQuote;
}

/** A simulated underlying. */
export class Underlying {
  readonly spec: SymbolSpec;
  readonly contract: StockContract;
  readonly path: PricePath;
  readonly surface: SurfaceParams;
  /** Seed of the symbol's streams (market seed × symbol). */
  readonly seed: number;
  #state: UnderlyingState | undefined;

  constructor(spec: SymbolSpec, contract: StockContract, options: {
    readonly marketSeed: number;
    readonly calendar: TradingCalendar;
    readonly settings: MarketSettings;
    readonly anchorTime: number;
    readonly firstDay: number;
  }) {
    const { settings } = options;
    this.spec = spec;
    this.contract = contract;
    this.seed = deriveSeed(options.marketSeed, hashString(spec.symbol));
    const premium = settings.variancePremium;
    const longRunVol = spec.baseIv / Math.sqrt(premium);
    const rho = spec.skew ?? defaultSkew(spec);
    this.surface = {
      longRunVariance: longRunVol * longRunVol,
      meanReversion: settings.volMeanReversion,
      premium,
      rho,
      eta: Math.min(settings.smileEta, 2 / (1 + Math.abs(rho))),
      gamma: settings.smileGamma,
    };
    validateSurfaceParams(this.surface);
    this.path = new PricePath({
      params: {
        seed: this.seed,
        longRunVol,
        volMeanReversion: settings.volMeanReversion,
        volOfVol: settings.volOfVol,
        leverage: spec.liquidity === "index" ? -0.7 : spec.liquidity === "low" ? -0.3 : -0.5,
        overnightShare: settings.overnightShare,
        drift: settings.drift,
        dividendYield: spec.dividendYield,
        averageVolume: spec.averageVolume,
      },
      calendar: options.calendar,
      firstDay: options.firstDay,
      anchorTime: options.anchorTime,
      anchorPrice: spec.price,
    });
  }

  /** The 30-day ATM implied vol for a log-vol state. */
  impliedVolOf(logVol: number): number {
    return atmImpliedVol(this.surface, Math.exp(2 * logVol), IV_INDEX_TIME);
  }

  /** The closing price of the session on a date, or undefined when there is none. */
  closeOn(day: number): number | undefined {
    const index = this.path.daily.indexOfDay(day);
    return index === undefined ? undefined : this.path.toPrice(this.path.daily.record(index).close);
  }

  /** The close of the last session before a date (the reference price for strike listing). */
  closeBefore(day: number): number {
    const index = this.path.daily.indexAtOrBefore(day - 1);
    return index === undefined ? this.spec.price : this.path.toPrice(this.path.daily.record(index).close);
  }

  /** The state at a state time (cached for the latest time asked). */
  state(time: number): UnderlyingState {
    const cached = this.#state;
    if (cached?.time === time) return cached;
    const point = this.path.pointAt(time);
    const path = this.path;
    const last = path.toPrice(point.logPrice);
    const previousIndex = Math.max(0, point.sessionIndex - 1);
    const previousClose = path.toPrice(path.daily.record(previousIndex).close);
    const tick = Math.floor(time / 1000);
    const book = STOCK_BOOK[this.spec.liquidity];
    const widthCents = book.minCents + Math.floor(hashUnit(this.seed, tick, 0x0b) * (book.maxCents - book.minCents + 1));
    const bid = Math.max(0.01, Math.round(last * 100 - Math.floor(widthCents / 2)) / 100);
    const ask = Math.round(bid * 100 + widthCents) / 100;
    const lots = (salt: number): number => 100 * Math.max(1, Math.round(book.lots * (0.2 + 1.6 * hashUnit(this.seed, tick, salt))));
    const instantVariance = Math.exp(2 * point.logVol);
    const quote: StockQuote = {
      kind: "stock",
      conId: this.contract.conId,
      time,
      last,
      lastSize: lots(0x0c),
      bid,
      bidSize: lots(0x0d),
      ask,
      askSize: lots(0x0e),
      volume: point.dayVolume,
      open: path.toPrice(point.dayOpen),
      high: path.toPrice(point.dayHigh),
      low: path.toPrice(point.dayLow),
      previousClose,
      averageVolume: this.spec.averageVolume,
      ...(this.spec.optionable ? { impliedVol: atmImpliedVol(this.surface, instantVariance, IV_INDEX_TIME) } : {}),
    };
    const state: UnderlyingState = { time, point, last, instantVariance, quote };
    this.#state = state;
    return state;
  }
}

/** SSVI ρ by kind: index ETFs skew most, single names less, small caps least. */
function defaultSkew(spec: SymbolSpec): number {
  if (spec.stockType === "ETF") return spec.liquidity === "index" ? -0.7 : -0.6;
  return spec.liquidity === "low" ? -0.3 : -0.45;
}
