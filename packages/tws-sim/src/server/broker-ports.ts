/**
 * Adapters from the market to the broker's ports: the broker only knows conIds, quotes per
 * share and the session close; the market knows everything else.
 */
import type { BrokerPorts, ContractInfo, Quote as BrokerQuote } from "../broker/index.js";
import type { Contract, MarketSource } from "../market/index.js";
import { toIbDate } from "../market/index.js";

/** The broker's view of a market contract (multiplier 1 for stock, 100 for options). */
export function contractInfo(contract: Contract): ContractInfo {
  if (contract.secType === "STK") {
    return {
      conId: contract.conId,
      symbol: contract.symbol,
      secType: "STK",
      multiplier: 1,
      exchange: contract.exchange,
      primaryExchange: contract.primaryExchange,
      currency: contract.currency,
      localSymbol: contract.localSymbol,
      tradingClass: contract.tradingClass,
    };
  }
  return {
    conId: contract.conId,
    symbol: contract.symbol,
    secType: "OPT",
    lastTradeDateOrContractMonth: toIbDate(contract.expiry),
    strike: contract.strike,
    right: contract.right,
    multiplier: contract.multiplier,
    exchange: contract.exchange,
    currency: contract.currency,
    localSymbol: contract.localSymbol,
    tradingClass: contract.tradingClass,
    underlyingConId: contract.underlyingConId,
  };
}

/** The broker's quote of a conId: top of book per share, plus last and previous close when known. */
export function brokerQuote(market: MarketSource, conId: number): BrokerQuote | undefined {
  const quote = market.quote(conId);
  if (quote === undefined) return undefined;
  if (quote.kind === "stock") {
    return {
      bid: quote.bid,
      ask: quote.ask,
      bidSize: quote.bidSize,
      askSize: quote.askSize,
      last: quote.last,
      close: quote.previousClose,
    };
  }
  return {
    bid: quote.bid,
    ask: quote.ask,
    bidSize: quote.bidSize,
    askSize: quote.askSize,
    ...(quote.last === undefined ? {} : { last: quote.last }),
  };
}

/**
 * The broker's ports backed by a market. `market` is read through a getter so a reset can swap
 * the market without rebuilding the broker's wiring.
 */
export function marketBrokerPorts(market: () => MarketSource): BrokerPorts {
  return {
    clock: { now: () => market().now() },
    quotes: { quote: (conId) => brokerQuote(market(), conId) },
    contracts: {
      contract: (conId) => {
        const contract = market().contractByConId(conId);
        return contract === undefined ? undefined : contractInfo(contract);
      },
    },
    calendar: {
      sessionClose: (atMs) => {
        const calendar = market().calendar;
        const current = calendar.sessionAt(atMs);
        if (current !== undefined) return current.close;
        return calendar.nextSessionAfter(atMs).close;
      },
    },
  };
}
