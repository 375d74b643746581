/**
 * Quotes → tick messages for one market-data line (a contract, or a BAG priced from its legs):
 * everything on the first send (and for snapshots), then only the tick types whose value changed.
 */
import type { MarketSource, OptionComputation, Quote } from "../market/index.js";
import {
  tickGenericFields,
  tickOptionComputationFields,
  tickPriceFields,
  tickSizeFields,
  tickStringFields,
} from "../protocol/index.js";
import type { ComboTopOfBook } from "./combo-quote.js";
import { comboTopOfBook } from "./combo-quote.js";
import type { MarketDataLine } from "./session-state.js";

/** IB reports US stock sizes and volumes in round lots of 100 shares. */
const STOCK_LOT = 100;

/** Live tick type → its delayed twin (market data types 3 and 4). */
const DELAYED: Readonly<Record<number, number>> = {
  0: 69, 1: 66, 2: 67, 3: 70, 4: 68, 5: 71, 6: 72, 7: 73, 8: 74, 9: 75, 13: 83, 14: 76,
};

/** Pseudo tick type under which the model computation's fingerprint is remembered. */
const GREEKS_KEY = -13;

type Tick =
  | { readonly kind: "price"; readonly type: number; readonly price: number; readonly size: number }
  | { readonly kind: "size"; readonly type: number; readonly size: number }
  | { readonly kind: "generic"; readonly type: number; readonly value: number };

function stockTicks(q: Extract<Quote, { kind: "stock" }>, generic: ReadonlySet<string>): Tick[] {
  const lots = (shares: number): number => Math.round(shares / STOCK_LOT);
  const ticks: Tick[] = [
    { kind: "price", type: 1, price: q.bid, size: lots(q.bidSize) },
    { kind: "size", type: 0, size: lots(q.bidSize) },
    { kind: "price", type: 2, price: q.ask, size: lots(q.askSize) },
    { kind: "size", type: 3, size: lots(q.askSize) },
    { kind: "price", type: 4, price: q.last, size: lots(q.lastSize) },
    { kind: "size", type: 5, size: lots(q.lastSize) },
    { kind: "size", type: 8, size: lots(q.volume) },
    { kind: "price", type: 6, price: q.high, size: 0 },
    { kind: "price", type: 7, price: q.low, size: 0 },
    { kind: "price", type: 9, price: q.previousClose, size: 0 },
    { kind: "price", type: 14, price: q.open, size: 0 },
    { kind: "size", type: 21, size: lots(q.averageVolume) },
  ];
  if (q.impliedVol !== undefined) {
    // The model has no separate realised-vol series: historical vol is reported as the 30-day IV.
    if (generic.has("104")) ticks.push({ kind: "generic", type: 23, value: q.impliedVol });
    if (generic.has("106")) ticks.push({ kind: "generic", type: 24, value: q.impliedVol });
  }
  return ticks;
}

function optionTicks(q: Extract<Quote, { kind: "option" }>, isCall: boolean, generic: ReadonlySet<string>): Tick[] {
  const ticks: Tick[] = [
    { kind: "price", type: 1, price: q.bid, size: q.bidSize },
    { kind: "size", type: 0, size: q.bidSize },
    { kind: "price", type: 2, price: q.ask, size: q.askSize },
    { kind: "size", type: 3, size: q.askSize },
    { kind: "size", type: 8, size: q.volume },
  ];
  if (q.last !== undefined) {
    ticks.push({ kind: "price", type: 4, price: q.last, size: q.lastSize }, { kind: "size", type: 5, size: q.lastSize });
  }
  if (generic.has("100")) ticks.push({ kind: "size", type: isCall ? 29 : 30, size: q.volume });
  if (generic.has("101")) ticks.push({ kind: "size", type: isCall ? 27 : 28, size: q.openInterest });
  if (generic.has("106")) ticks.push({ kind: "generic", type: 24, value: q.impliedVol });
  return ticks;
}

function comboTicks(top: ComboTopOfBook): Tick[] {
  const ticks: Tick[] = [];
  if (top.bid !== undefined) ticks.push({ kind: "price", type: 1, price: top.bid.price, size: top.bid.size }, { kind: "size", type: 0, size: top.bid.size });
  if (top.ask !== undefined) ticks.push({ kind: "price", type: 2, price: top.ask.price, size: top.ask.size }, { kind: "size", type: 3, size: top.ask.size });
  if (top.last !== undefined) ticks.push({ kind: "price", type: 4, price: top.last.price, size: top.last.size }, { kind: "size", type: 5, size: top.last.size });
  return ticks;
}

/** The ticks of a line's current quote and the quote's time; undefined when there is no quote. */
function currentTicks(line: MarketDataLine, market: MarketSource): { readonly ticks: Tick[]; readonly time: number } | undefined {
  if (line.comboLegs !== undefined) {
    const top = comboTopOfBook(market, line.comboLegs);
    return top === undefined ? undefined : { ticks: comboTicks(top), time: top.time };
  }
  const quote = market.quote(line.conId);
  if (quote === undefined) return undefined;
  const contract = line.isOption ? market.contractByConId(line.conId) : undefined;
  const isCall = contract?.secType === "OPT" && contract.right === "C";
  const ticks = quote.kind === "stock" ? stockTicks(quote, line.genericTicks) : optionTicks(quote, isCall, line.genericTicks);
  return { ticks, time: quote.time };
}

function tickValue(tick: Tick): number {
  switch (tick.kind) {
    case "price":
      // Price and size together: a new size alone re-sends the price tick that carries it.
      return tick.price * 1e9 + tick.size;
    case "size":
      return tick.size;
    case "generic":
      return tick.value;
  }
}

function greeksFingerprint(c: OptionComputation): number {
  return c.optionPrice * 1e6 + c.delta * 1e3 + c.impliedVol + c.underlyingPrice * 1e-3 + c.theta * 1e-6;
}

/**
 * The tick messages of `line` for the market's current state: all of them when `full`, else
 * only those whose value changed since the last call. Remembers what it returns as sent.
 */
export function lineTicks(line: MarketDataLine, market: MarketSource, marketDataType: number, full: boolean): string[][] {
  const current = currentTicks(line, market);
  if (current === undefined) return [];
  const { ticks, time } = current;
  const delayed = marketDataType === 3 || marketDataType === 4;
  const wireType = (type: number): number => (delayed ? (DELAYED[type] ?? type) : type);

  const out: string[][] = [];
  for (const tick of ticks) {
    const value = tickValue(tick);
    if (!full && line.sent.get(tick.type) === value) continue;
    line.sent.set(tick.type, value);
    switch (tick.kind) {
      case "price":
        out.push(tickPriceFields({ tickerId: line.tickerId, tickType: wireType(tick.type), price: tick.price, size: tick.size }));
        break;
      case "size":
        out.push(tickSizeFields(line.tickerId, wireType(tick.type), tick.size));
        break;
      case "generic":
        out.push(tickGenericFields(line.tickerId, tick.type, tick.value));
        break;
    }
  }
  if (line.isOption) {
    const greeks = market.optionComputation(line.conId);
    if (greeks !== undefined) {
      const fingerprint = greeksFingerprint(greeks);
      if (full || line.sent.get(GREEKS_KEY) !== fingerprint) {
        line.sent.set(GREEKS_KEY, fingerprint);
        out.push(
          tickOptionComputationFields({
            tickerId: line.tickerId,
            tickType: wireType(13),
            impliedVol: greeks.impliedVol,
            delta: greeks.delta,
            optPrice: greeks.optionPrice,
            pvDividend: greeks.pvDividend,
            gamma: greeks.gamma,
            vega: greeks.vega,
            theta: greeks.theta,
            undPrice: greeks.underlyingPrice,
          }),
        );
      }
    }
  }
  if (out.length > 0) out.push(tickStringFields(line.tickerId, 45, String(Math.floor(time / 1000))));
  return out;
}
