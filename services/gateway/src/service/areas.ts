import type { ServiceImpl } from "@connectrpc/connect";
import type { GatewayService } from "@spreadops/api";

/** The whole GatewayService as Connect sees it. */
export type GatewayServiceImpl = ServiceImpl<typeof GatewayService>;

/**
 * The service is cut into areas, each implemented by one class with its own collaborators. The
 * service class validates every request (InvalidArgument naming the field), checks leadership
 * and availability, then delegates to the area that owns the RPC. Areas may assume a valid
 * request shape but still refuse what only they can judge (an unknown contract, a full queue).
 */

/** Contracts, universe scans, quotes, option chains, historical bars and the budgets' stats. */
export type MarketDataArea = Pick<
  GatewayServiceImpl,
  "resolveContract" | "searchUniverse" | "getQuotes" | "streamQuotes" | "getOptionChain" | "getHistoricalBars" | "getPacingStats"
>;

/** What-if, placement, modification, cancellation and listing of orders; order events; positions and account. */
export type OrdersArea = Pick<
  GatewayServiceImpl,
  "whatIfOrder" | "placeOrder" | "modifyOrder" | "cancelOrder" | "listOrders" | "streamOrderEvents" | "getPositions" | "getAccountSummary"
>;

/** Connection status (unary and stream). */
export type ConnectionArea = Pick<GatewayServiceImpl, "getConnectionStatus" | "watchConnectionStatus">;
