/**
 * TWS events the market-data area listens to that the connection's event table does not list
 * yet, added by declaration merging so `TwsConnection.on` types them like the others.
 *
 * @packageDocumentation
 */
import type { ContractDetails, EventName } from "@stoqey/ib";

declare module "../connection/tws-events.js" {
  interface TwsEventArgs {
    [EventName.scannerData]: [
      reqId: number,
      rank: number,
      contractDetails: ContractDetails,
      distance: string,
      benchmark: string,
      projection: string,
      legsStr?: string,
    ];
    [EventName.scannerDataEnd]: [reqId: number];
    [EventName.marketRule]: [marketRuleId: number, priceIncrements: unknown[]];
  }
}

export {};
