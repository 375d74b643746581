import type { Client } from "@connectrpc/connect";
import type { ExecutionService, GatewayService, ScannerService } from "@spreadops/api";
import type { OpenTradesSnapshot } from "./risk-budget.js";

/**
 * What the strategy needs of the gateway: daily bars (prices and implied volatility), the
 * universe filter and the account's buying power. The generated client narrowed to those, so
 * production passes the real client and tests a fake with the same signatures.
 */
export type StrategyGatewayPort = Pick<Client<typeof GatewayService>, "getHistoricalBars" | "searchUniverse" | "getAccountSummary">;

/** What the strategy needs of the scanner: ranked candidates for many underlyings. */
export type StrategyScannerPort = Pick<Client<typeof ScannerService>, "scanUniverse">;

/** What the strategy needs of the execution service: the open-trades lister. */
export type ExecutionListPort = Pick<Client<typeof ExecutionService>, "listSpreads">;

/** A strategy's open trades and today's P&L. */
export interface OpenTradesPort {
  /** Non-terminal trades of `strategyRef` ("namespace/name") and today's realized + unrealized P&L. */
  list(strategyRef: string, options?: { readonly signal?: AbortSignal }): Promise<OpenTradesSnapshot>;
}
