import type { GatewayServiceImpl } from "../areas.js";
import {
  validateGetHistoricalBars,
  validateGetOptionChain,
  validateGetQuotes,
  validateResolveContract,
  validateSearchUniverse,
  validateStreamQuotes,
  validateWatchPacingStats,
} from "./market.js";
import {
  validateCancelOrder,
  validateGetPositions,
  validateListOrders,
  validateModifyOrder,
  validatePlaceOrder,
  validateStreamOrderEvents,
  validateWhatIfOrder,
} from "./orders.js";

/** The request type of a GatewayService method. */
export type RequestOf<K extends keyof GatewayServiceImpl> = Parameters<GatewayServiceImpl[K]>[0];

/**
 * One validator per GatewayService method. The mapped type makes a new RPC a compile error until
 * it has a validator; methods whose request has no fields have a no-op. Each throws the runtime's
 * `invalidArgument` naming the field.
 */
export type RequestValidators = { readonly [K in keyof GatewayServiceImpl]: (request: RequestOf<K>) => void };

const nothingToCheck = (): void => undefined;

/** The validators of every GatewayService request. */
export const requestValidators: RequestValidators = {
  getConnectionStatus: nothingToCheck,
  watchConnectionStatus: nothingToCheck,
  resolveContract: validateResolveContract,
  searchUniverse: validateSearchUniverse,
  getQuotes: validateGetQuotes,
  streamQuotes: validateStreamQuotes,
  getOptionChain: validateGetOptionChain,
  getHistoricalBars: validateGetHistoricalBars,
  whatIfOrder: validateWhatIfOrder,
  placeOrder: validatePlaceOrder,
  modifyOrder: validateModifyOrder,
  cancelOrder: validateCancelOrder,
  listOrders: validateListOrders,
  streamOrderEvents: validateStreamOrderEvents,
  getPositions: validateGetPositions,
  getAccountSummary: nothingToCheck,
  getPacingStats: nothingToCheck,
  watchPacingStats: validateWatchPacingStats,
};

export * from "./checks.js";
export * from "./contract.js";
export * from "./market.js";
export * from "./orders.js";
