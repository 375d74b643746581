/**
 * A tiny in-memory market for the engine's tests: a settable clock, quotes and a contract
 * catalogue implementing the ports.
 *
 * @packageDocumentation
 */

import type { BrokerEvent } from "./events.js";
import type { Clock, ContractInfo, ContractLookup, Quote, QuoteSource } from "./ports.js";

/** Monday 2025-01-06 10:00 America/New_York (15:00 UTC). */
export const MONDAY_10AM_NY = Date.UTC(2025, 0, 6, 15, 0, 0);
/** Monday 2025-01-06 16:00 America/New_York (21:00 UTC). */
export const MONDAY_CLOSE_NY = Date.UTC(2025, 0, 6, 21, 0, 0);

/** conIds of the fixture contracts. */
export const SPY = 1;
export const SPY_P100 = 101;
export const SPY_P95 = 102;
export const SPY_C105 = 201;
export const SPY_C110 = 202;

const option = (conId: number, strike: number, right: "C" | "P"): ContractInfo => ({
  conId,
  symbol: "SPY",
  secType: "OPT",
  lastTradeDateOrContractMonth: "20250221",
  strike,
  right,
  multiplier: 100,
  exchange: "SMART",
  currency: "USD",
  localSymbol: `SPY   250221${right}00${strike}000`,
  tradingClass: "SPY",
  underlyingConId: SPY,
});

/** Clock + quotes + contracts, all settable. */
export class FakeMarket implements Clock, QuoteSource, ContractLookup {
  time = MONDAY_10AM_NY;
  private readonly quotes = new Map<number, Quote>();
  private readonly contracts = new Map<number, ContractInfo>();

  constructor() {
    for (const c of [
      { conId: SPY, symbol: "SPY", secType: "STK", multiplier: 1, exchange: "SMART", primaryExchange: "ARCA", currency: "USD", localSymbol: "SPY", tradingClass: "SPY" } as const,
      option(SPY_P100, 100, "P"),
      option(SPY_P95, 95, "P"),
      option(SPY_C105, 105, "C"),
      option(SPY_C110, 110, "C"),
    ]) {
      this.contracts.set(c.conId, c);
    }
  }

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }

  quote(conId: number): Quote | undefined {
    return this.quotes.get(conId);
  }

  contract(conId: number): ContractInfo | undefined {
    return this.contracts.get(conId);
  }

  setQuote(conId: number, quote: Quote): void {
    this.quotes.set(conId, quote);
  }
}

/** Collects events, with filters by type. */
export class EventLog {
  readonly events: BrokerEvent[] = [];
  readonly listener = (event: BrokerEvent): void => {
    this.events.push(event);
  };

  of<T extends BrokerEvent["type"]>(type: T): Extract<BrokerEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<BrokerEvent, { type: T }> => e.type === type);
  }

  clear(): void {
    this.events.length = 0;
  }
}
