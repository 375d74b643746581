/**
 * Accumulates the ticks of one market-data line (streaming or snapshot) into the current quote,
 * with IB's delayed tick types folded onto the live ones and IB's "not computed" sentinels
 * dropped. Pure: the caller feeds ticks with their arrival time.
 *
 * @packageDocumentation
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { OptionGreeksSchema, QuoteFlag, QuoteSchema, type Quote } from "@spreadops/api";
import type { OptionQuoteResult, PlannedOption } from "../budgets/index.js";
import { marketDataTypeOf } from "./market-data-type.js";

/** Delayed tick types (66–76, 80–83) → their live equivalents, so one code path reads both. */
const DELAYED_TO_LIVE: Readonly<Record<number, number>> = {
  66: 1, 67: 2, 68: 4, 69: 0, 70: 3, 71: 5, 72: 6, 73: 7, 74: 8, 75: 9, 76: 14, 80: 10, 81: 11, 82: 12, 83: 13,
};

/** Price tick types → the value they set. */
const PRICE_KEYS: Readonly<Partial<Record<number, keyof QuoteValues>>> = { 1: "bid", 2: "ask", 4: "last", 6: "high", 7: "low", 9: "close", 14: "open", 37: "mark" };


/** The values a line has received; undefined = never received (or a sentinel). */
export interface QuoteValues {
  bid?: number;
  ask?: number;
  last?: number;
  bidSize?: number;
  askSize?: number;
  lastSize?: number;
  volume?: number;
  open?: number;
  high?: number;
  low?: number;
  close?: number;
  mark?: number;
  avgVolume?: number;
  impliedVol?: number;
  historicalVol?: number;
  openInterest?: number;
  optionVolume?: number;
  /** Model greeks (tick 13). */
  delta?: number;
  gamma?: number;
  theta?: number;
  vega?: number;
  modelImpliedVol?: number;
  modelPrice?: number;
  underlyingPrice?: number;
  pvDividend?: number;
}

const validPrice = (v: number | undefined): number | undefined =>
  v === undefined || !Number.isFinite(v) || v >= 1e300 || v === -1 ? undefined : v;
const validNonNegative = (v: number | undefined): number | undefined =>
  v === undefined || !Number.isFinite(v) || v < 0 || v >= 1e300 ? undefined : v;
/** Greeks: IB sends −2 (or max double) for "not computed". */
const validGreek = (v: number | undefined): number | undefined =>
  v === undefined || !Number.isFinite(v) || v === -2 || Math.abs(v) >= 1e300 ? undefined : v;

/** The current quote of one line, updated tick by tick. */
export class QuoteState {
  readonly values: QuoteValues = {};
  /** Epoch ms of the newest tick; undefined = none yet. */
  lastTickMs: number | undefined;
  /** IB market-data type reported for the line (1 live … 4 delayed frozen). */
  marketDataType = 0;
  /** Bumped on every change, so streams can tell what moved. */
  version = 0;

  /** Applies a price tick. @returns whether anything changed. */
  price(field: number, value: number, nowMs: number): boolean {
    const f = DELAYED_TO_LIVE[field] ?? field;
    const v = validPrice(value);
    const key = PRICE_KEYS[f];
    return key === undefined ? false : this.#set(key, v, nowMs);
  }

  /** Applies a size tick (including volume, open interest and average volume). */
  size(field: number, value: number, nowMs: number): boolean {
    const f = DELAYED_TO_LIVE[field] ?? field;
    const v = validNonNegative(value);
    switch (f) {
      case 0:
        return this.#set("bidSize", v, nowMs);
      case 3:
        return this.#set("askSize", v, nowMs);
      case 5:
        return this.#set("lastSize", v, nowMs);
      case 8:
        return this.#set("volume", v, nowMs);
      case 21:
        return this.#set("avgVolume", v, nowMs);
      case 22:
      case 27:
      case 28:
        // 27/28 are the call/put open interest of generic tick 101; an option line gets its own.
        return v === undefined || v === 0 ? false : this.#set("openInterest", v, nowMs);
      case 29:
      case 30:
        return v === undefined || v === 0 ? false : this.#set("optionVolume", v, nowMs);
      default:
        return false;
    }
  }

  /** Applies a generic tick (23 historical vol, 24 implied vol). */
  generic(field: number, value: number, nowMs: number): boolean {
    if (field === 23) return this.#set("historicalVol", validNonNegative(value), nowMs);
    if (field === 24) return this.#set("impliedVol", validNonNegative(value), nowMs);
    return false;
  }

  /** Applies an option computation; only the model values (tick 13 / delayed 83) are kept. */
  optionComputation(
    field: number,
    c: { iv?: number | undefined; delta?: number | undefined; price?: number | undefined; pvDividend?: number | undefined; gamma?: number | undefined; vega?: number | undefined; theta?: number | undefined; und?: number | undefined },
    nowMs: number,
  ): boolean {
    if ((DELAYED_TO_LIVE[field] ?? field) !== 13) return false;
    let changed = false;
    const delta = validGreek(c.delta);
    changed = this.#set("delta", delta !== undefined && Math.abs(delta) <= 1 ? delta : undefined, nowMs) || changed;
    changed = this.#set("gamma", validGreek(c.gamma), nowMs) || changed;
    changed = this.#set("theta", validGreek(c.theta), nowMs) || changed;
    changed = this.#set("vega", validGreek(c.vega), nowMs) || changed;
    const iv = validNonNegative(c.iv);
    changed = this.#set("modelImpliedVol", iv, nowMs) || changed;
    changed = this.#set("modelPrice", validNonNegative(c.price), nowMs) || changed;
    changed = this.#set("pvDividend", validNonNegative(c.pvDividend), nowMs) || changed;
    const und = validNonNegative(c.und);
    changed = this.#set("underlyingPrice", und === 0 ? undefined : und, nowMs) || changed;
    return changed;
  }

  /** Whether any price arrived. */
  get hasPrice(): boolean {
    const v = this.values;
    return v.bid !== undefined || v.ask !== undefined || v.last !== undefined || v.close !== undefined;
  }

  /** QuoteFlag bits from the market-data type and the absence of prices. */
  flags(): number {
    let flags = 0;
    if (this.marketDataType === 3 || this.marketDataType === 4) flags |= QuoteFlag.DELAYED;
    if (this.marketDataType === 2 || this.marketDataType === 4) flags |= QuoteFlag.FROZEN;
    const v = this.values;
    if (v.bid === undefined && v.ask === undefined && v.last === undefined) flags |= QuoteFlag.NO_QUOTE;
    return flags;
  }

  /** The API quote of this line. */
  toQuote(meta: { readonly requestIndex: number; readonly conId: number; readonly symbol: string; readonly localSymbol: string; readonly isOption: boolean }): Quote {
    const v = this.values;
    const quote = create(QuoteSchema, {
      requestIndex: meta.requestIndex,
      conId: meta.conId,
      symbol: meta.symbol,
      localSymbol: meta.localSymbol,
      marketDataType: marketDataTypeOf(this.marketDataType),
      flags: this.flags(),
    });
    const copy = ["bid", "ask", "last", "bidSize", "askSize", "lastSize", "volume", "open", "high", "low", "close", "mark"] as const;
    for (const key of copy) {
      const value = v[key];
      if (value !== undefined) quote[key] = value;
    }
    const iv = meta.isOption ? (v.modelImpliedVol ?? v.impliedVol) : v.impliedVol;
    if (iv !== undefined) quote.impliedVol = iv;
    if (v.historicalVol !== undefined) quote.historicalVol = v.historicalVol;
    if (meta.isOption) {
      const greeks = create(OptionGreeksSchema, {});
      const map = [
        ["delta", v.delta],
        ["gamma", v.gamma],
        ["theta", v.theta],
        ["vega", v.vega],
        ["impliedVol", v.modelImpliedVol],
        ["modelPrice", v.modelPrice],
        ["underlyingPrice", v.underlyingPrice],
        ["pvDividend", v.pvDividend],
      ] as const;
      for (const [key, value] of map) if (value !== undefined) greeks[key] = value;
      quote.greeks = greeks;
    }
    if (this.lastTickMs !== undefined) quote.time = timestampFromMs(this.lastTickMs);
    return quote;
  }

  /** The row of an option chain. */
  toOptionResult(contract: PlannedOption, conId: number): OptionQuoteResult {
    const v = this.values;
    const flags = this.flags() & ~QuoteFlag.NO_QUOTE; // assembly decides NO_QUOTE itself
    return {
      contract,
      conId,
      ...defined({
        bid: v.bid,
        ask: v.ask,
        last: v.last,
        bidSize: v.bidSize,
        askSize: v.askSize,
        volume: v.optionVolume ?? v.volume,
        openInterest: v.openInterest,
        impliedVol: v.modelImpliedVol,
        delta: v.delta,
        gamma: v.gamma,
        theta: v.theta,
        vega: v.vega,
        underlyingPrice: v.underlyingPrice,
        lastTickMs: this.lastTickMs,
      }),
      flags,
    };
  }

  #set(key: keyof QuoteValues, value: number | undefined, nowMs: number): boolean {
    this.lastTickMs = nowMs;
    if (this.values[key] === value) return false;
    this.values[key] = value;
    this.version += 1;
    return true;
  }
}

/** Drops undefined properties (exactOptionalPropertyTypes-friendly spreading). */
function defined<T extends Record<string, number | undefined>>(o: T): { [K in keyof T]?: number } {
  const out: { [K in keyof T]?: number } = {};
  for (const key of Object.keys(o) as (keyof T)[]) {
    const value = o[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
