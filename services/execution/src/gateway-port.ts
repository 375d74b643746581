import type { Client } from "@connectrpc/connect";
import type { GatewayService } from "@spreadops/api";

/**
 * What the execution service needs of the gateway. It is the generated Connect client narrowed
 * to these methods, so production passes the real client and tests can wrap or fake it (the
 * crash test wraps `placeOrder` to lose its answer).
 */
export type GatewayPort = Pick<
  Client<typeof GatewayService>,
  | "getConnectionStatus"
  | "resolveContract"
  | "getQuotes"
  | "getHistoricalBars"
  | "whatIfOrder"
  | "placeOrder"
  | "modifyOrder"
  | "cancelOrder"
  | "listOrders"
  | "streamOrderEvents"
  | "getAccountSummary"
>;
