/**
 * What one client has asked for and is being kept up to date on. Held by its session, changed
 * only by handlers and the streaming code.
 */
import type { Unsubscribe } from "../market/index.js";
import type { ComboLineLeg } from "./combo-quote.js";
import type { HistoricalStream } from "./historical-updates.js";

/** One reqMktData line. */
export interface MarketDataLine {
  readonly tickerId: number;
  /** The contract quoted; 0 for a BAG line. */
  readonly conId: number;
  readonly isOption: boolean;
  /** A BAG line's legs: its quote is priced from theirs. Absent for a single contract. */
  readonly comboLegs?: readonly ComboLineLeg[];
  /** Generic ticks asked for (e.g. "100", "101", "104", "106"). */
  readonly genericTicks: ReadonlySet<string>;
  /** The account-wide line key (`clientId:tickerId`). */
  readonly lineKey: string;
  /** Last value sent per tick type, for sending only what changed. */
  readonly sent: Map<number, number>;
  /** A changed quote is waiting for the minimum interval. */
  dirty: boolean;
  /** Wall-clock ms of the last update sent. */
  lastSentWallMs: number;
  unsubscribe: Unsubscribe;
}

/** One scanner subscription. */
export interface ScannerLine {
  readonly reqId: number;
  /** Re-runs the scan and sends the rows. */
  readonly refresh: () => void;
  lastSentWallMs: number;
}

/** A client's subscriptions and settings. */
export interface SessionState {
  autoOpenOrders: boolean;
  positions: boolean;
  accountUpdates: boolean;
  /** Simulated time the next periodic (3-minute) account snapshot is due while subscribed. */
  accountUpdatesDueMs: number;
  /** 1 live, 2 frozen, 3 delayed, 4 delayed-frozen. */
  marketDataType: number;
  readonly marketData: Map<number, MarketDataLine>;
  readonly scanners: Map<number, ScannerLine>;
  /** keepUpToDate reqHistoricalData streams by reqId. */
  readonly historicalStreams: Map<number, HistoricalStream>;
  /** reqAccountSummary reqId → tags. */
  readonly accountSummaries: Map<number, readonly string[]>;
  /** reqAccountUpdatesMulti reqIds. */
  readonly accountMulti: Set<number>;
  /** reqPnL reqId → last message sent (JSON), to send only changes. */
  readonly pnl: Map<number, string>;
  /** reqPnLSingle reqId → conId and last message sent. */
  readonly pnlSingle: Map<number, { readonly conId: number; last: string }>;
}

export function createSessionState(): SessionState {
  return {
    autoOpenOrders: false,
    positions: false,
    accountUpdates: false,
    accountUpdatesDueMs: 0,
    marketDataType: 1,
    marketData: new Map(),
    scanners: new Map(),
    historicalStreams: new Map(),
    accountSummaries: new Map(),
    accountMulti: new Set(),
    pnl: new Map(),
    pnlSingle: new Map(),
  };
}
