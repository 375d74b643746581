/**
 * The quote of a BAG market-data line, priced from its legs as TWS prices a combo: the broker's
 * combo pricing (sign rule, natural bid/ask, units available at the touch) applied to the legs'
 * quotes as clients see them. A credit combo bought as defined therefore quotes negative prices.
 */
import type { OrderAction, Quote as BrokerQuote } from "../broker/index.js";
import { comboPrice, comboTouch } from "../broker/index.js";
import type { MarketSource, Quote } from "../market/index.js";
import type { ComboLeg } from "../protocol/index.js";
import { NO_SECURITY_DEFINITION } from "./handlers/resolve.js";

/** IB displays US stock sizes in round lots of 100 shares; combo sizes are in what clients see. */
const STOCK_LOT = 100;

/** One leg of a combo line. */
export interface ComboLineLeg {
  readonly conId: number;
  readonly ratio: number;
  readonly action: OrderAction;
}

/** A combo side or last trade: signed price per share and combo units. */
export interface ComboPriceLevel {
  readonly price: number;
  readonly size: number;
}

/** A combo's top of book; a side is absent when some leg has no quote on the side it needs. */
export interface ComboTopOfBook {
  readonly bid?: ComboPriceLevel;
  readonly ask?: ComboPriceLevel;
  /** From the legs' last trades, when every leg has traded. */
  readonly last?: ComboPriceLevel;
  /** The newest leg quote's time, epoch ms. */
  readonly time: number;
}

/** The legs of a request, or the error TWS answers (200 for an unknown leg, 321 for a malformed one). */
export function comboLineLegs(
  market: MarketSource,
  legs: readonly ComboLeg[],
): { readonly ok: true; readonly legs: readonly ComboLineLeg[] } | { readonly ok: false; readonly code: number; readonly message: string } {
  if (legs.length === 0) return { ok: false, code: 321, message: "Error validating request.-'bW' : cause - a BAG contract needs combo legs" };
  const out: ComboLineLeg[] = [];
  for (const leg of legs) {
    const action = leg.action.toUpperCase();
    if ((action !== "BUY" && action !== "SELL") || !Number.isInteger(leg.ratio) || leg.ratio <= 0) {
      return { ok: false, code: 321, message: `Error validating request.-'bW' : cause - invalid combo leg ${leg.conId} (${leg.ratio} ${leg.action})` };
    }
    if (market.contractByConId(leg.conId) === undefined || market.quote(leg.conId) === undefined) {
      return { ok: false, code: 200, message: NO_SECURITY_DEFINITION };
    }
    out.push({ conId: leg.conId, ratio: leg.ratio, action });
  }
  return { ok: true, legs: out };
}

/** A size as clients see it: stock in round lots, options in contracts. */
function shown(quote: Quote, size: number): number {
  return quote.kind === "stock" ? Math.round(size / STOCK_LOT) : size;
}

/** A leg's quote for the pricer, sizes as displayed. */
function pricingQuote(quote: Quote): BrokerQuote {
  return {
    bid: quote.bid,
    ask: quote.ask,
    bidSize: shown(quote, quote.bidSize),
    askSize: shown(quote, quote.askSize),
    ...(quote.last === undefined ? {} : { last: quote.last }),
  };
}

function level(touch: { readonly price: number; readonly size: number | undefined } | undefined): ComboPriceLevel | undefined {
  return touch === undefined ? undefined : { price: touch.price, size: touch.size ?? 0 };
}

/** The combo's quote now, or undefined when a leg has no quote (e.g. it expired). */
export function comboTopOfBook(market: MarketSource, legs: readonly ComboLineLeg[]): ComboTopOfBook | undefined {
  const quotes: Quote[] = [];
  for (const leg of legs) {
    const quote = market.quote(leg.conId);
    if (quote === undefined) return undefined;
    quotes.push(quote);
  }
  const pricing = legs.map((leg, i) => {
    const quote = quotes[i];
    return { ratio: leg.ratio, action: leg.action, quote: quote === undefined ? undefined : pricingQuote(quote) };
  });
  // Selling the combo hits its natural bid, buying it lifts its natural ask.
  const bid = level(comboTouch(pricing, "SELL"));
  const ask = level(comboTouch(pricing, "BUY"));
  const lasts = quotes.flatMap((q) => (q.last !== undefined && q.last > 0 ? [q.last] : []));
  let last: ComboPriceLevel | undefined;
  if (lasts.length === legs.length) {
    const size = Math.min(...quotes.map((q, i) => Math.floor(shown(q, q.lastSize) / (legs[i]?.ratio ?? 1))));
    last = { price: comboPrice(legs, lasts), size };
  }
  return {
    ...(bid === undefined ? {} : { bid }),
    ...(ask === undefined ? {} : { ask }),
    ...(last === undefined ? {} : { last }),
    time: Math.max(...quotes.map((q) => q.time)),
  };
}
