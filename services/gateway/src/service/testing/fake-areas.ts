import type { MarketDataArea, OrdersArea } from "../areas.js";

/** Areas that answer empty responses and record which methods were reached (for gate tests). */
export function recordingAreas(): { readonly market: MarketDataArea; readonly orders: OrdersArea; readonly calls: string[] } {
  const calls: string[] = [];
  const unary = (name: string) => () => {
    calls.push(name);
    return {};
  };
  const stream = (name: string) =>
    async function* () {
      calls.push(name);
      await Promise.resolve();
      yield* [];
    };
  return {
    calls,
    market: {
      resolveContract: unary("resolveContract"),
      searchUniverse: unary("searchUniverse"),
      getQuotes: unary("getQuotes"),
      streamQuotes: stream("streamQuotes"),
      getOptionChain: unary("getOptionChain"),
      getHistoricalBars: unary("getHistoricalBars"),
      getPacingStats: unary("getPacingStats"),
    },
    orders: {
      whatIfOrder: unary("whatIfOrder"),
      placeOrder: unary("placeOrder"),
      modifyOrder: unary("modifyOrder"),
      cancelOrder: unary("cancelOrder"),
      listOrders: unary("listOrders"),
      streamOrderEvents: stream("streamOrderEvents"),
      getPositions: unary("getPositions"),
      getAccountSummary: unary("getAccountSummary"),
    },
  };
}
