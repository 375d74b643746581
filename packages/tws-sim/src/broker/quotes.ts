/**
 * Reading a {@link Quote}: which sides are usable, the displayed size, and the mark used to value
 * positions.
 *
 * @packageDocumentation
 */

import { isSet } from "./numeric.js";
import type { Quote } from "./ports.js";

/** The bid, when there is one (a zero bid is "no bid": nothing can be sold into it). */
export function bidOf(quote: Quote | undefined): number | undefined {
  const bid = quote?.bid;
  return isSet(bid) && bid > 0 ? bid : undefined;
}

/** The ask, when there is one. */
export function askOf(quote: Quote | undefined): number | undefined {
  const ask = quote?.ask;
  return isSet(ask) && ask > 0 ? ask : undefined;
}

/** A displayed size, or undefined when unknown (absent or ≤ 0). */
export function sizeOf(size: number | undefined): number | undefined {
  return isSet(size) && size > 0 ? size : undefined;
}

/**
 * The mark of a contract, per share: the mid of bid and ask (an explicit zero bid counts, the
 * usual state of far out-of-the-money options), otherwise the one side quoted, the last trade,
 * the previous close; undefined when the quote has none of them.
 */
export function markOf(quote: Quote | undefined): number | undefined {
  if (quote === undefined) return undefined;
  const ask = askOf(quote);
  const bid = bidOf(quote) ?? (quote.bid === 0 ? 0 : undefined);
  if (ask !== undefined) return bid === undefined ? ask : (bid + ask) / 2;
  if (bid !== undefined && bid > 0) return bid;
  if (isSet(quote.last) && quote.last > 0) return quote.last;
  if (isSet(quote.close) && quote.close > 0) return quote.close;
  return undefined;
}
