/**
 * The ports the order and account engine needs from the rest of the simulator. The engine
 * depends on nothing else: the server adapts the synthetic market (and its clock and contract
 * catalogue) to these interfaces, and tests hand it small fakes.
 *
 * @packageDocumentation
 */

/** Simulated time. Every timestamp in the engine comes from here, never from `Date.now()`. */
export interface Clock {
  /** Current simulated time, epoch milliseconds (UTC). */
  now(): number;
}

/**
 * Top of book of one contract, prices per share (per unit of the underlying), sizes in shares
 * for stock and contracts for options. Absent, non-finite or non-positive prices mean "no quote
 * on that side"; absent or non-positive sizes mean "size unknown" (not limiting).
 */
export interface Quote {
  readonly bid?: number;
  readonly ask?: number;
  readonly bidSize?: number;
  readonly askSize?: number;
  /** Last trade price: a fallback mark when one side is missing. */
  readonly last?: number;
  /** Previous session's closing price (TWS tick type 9): the base of daily P&L. */
  readonly close?: number;
}

/** The market as the engine sees it: a quote per conId, read at every matching pass. */
export interface QuoteSource {
  /** The current quote, or undefined when the contract has no market data. */
  quote(conId: number): Quote | undefined;
}

/** Security types a single (non-combo) order or a combo leg can trade. */
export type ContractSecType = "STK" | "OPT";

/** What the engine needs to know about a tradable contract; mirrors TWS contract details. */
export interface ContractInfo {
  readonly conId: number;
  /** Underlying symbol for options, ticker for stock. */
  readonly symbol: string;
  readonly secType: ContractSecType;
  /** `YYYYMMDD` expiry for options; empty or absent for stock. */
  readonly lastTradeDateOrContractMonth?: string;
  /** Strike per share; options only. */
  readonly strike?: number;
  /** `C` or `P`; options only. */
  readonly right?: "C" | "P";
  /** Contract multiplier (shares per contract); 1 for stock. All money math uses it. */
  readonly multiplier: number;
  /** Listing exchange of the contract description, usually `SMART`. */
  readonly exchange: string;
  readonly primaryExchange?: string;
  readonly currency: string;
  readonly localSymbol?: string;
  readonly tradingClass?: string;
  /** conId of the underlying (options): its quote prices naked-short margin and settlement. */
  readonly underlyingConId?: number;
}

/** The contract catalogue. The server resolves a contract description to a conId before it
 * calls the engine; the engine only looks contracts up by id. */
export interface ContractLookup {
  contract(conId: number): ContractInfo | undefined;
}

/** Trading sessions: decides when DAY orders expire. */
export interface TradingCalendar {
  /**
   * Close of the session a DAY order placed at `atMs` belongs to: the current session's close
   * if `atMs` is before it, otherwise the next session's close. Epoch milliseconds.
   */
  sessionClose(atMs: number): number;
}
