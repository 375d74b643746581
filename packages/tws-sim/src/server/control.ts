/**
 * The contract between the simulator's server (sessions, handlers) and its operator surface
 * (fault injection, admin HTTP). The server implements {@link SimControl}; the fault injector
 * and the admin endpoints only ever act through it, so neither reaches into sessions.
 */

/** Orders by TWS status, as counted in {@link SimStats}. */
export type OrdersByState = Readonly<Record<string, number>>;

/** What `GET /stats` reports. Counters are since start or the last reset. */
export interface SimStats {
  /** Simulated time now, epoch ms. */
  readonly simTimeMs: number;
  readonly connections: {
    /** Connected clients now (handshake done and startApi received). */
    readonly current: number;
    /** Accepted TCP connections since start. */
    readonly total: number;
    /** Refused: duplicate client id (326), version too old, restart window. */
    readonly refused: number;
    readonly clientIds: readonly number[];
  };
  readonly messages: {
    /** Client messages received, all types. */
    readonly receivedTotal: number;
    /** Client messages received by request type name (e.g. `reqMktData`), `unknown` for unknown ids. */
    readonly receivedByType: Readonly<Record<string, number>>;
    /** The highest number of client messages seen from one connection in any one-second window. */
    readonly peakPerSecond: number;
    /** Server messages sent, all types. */
    readonly sentTotal: number;
  };
  readonly pacing: {
    /** Error 100 sent (client message rate over the limit). */
    readonly messageRateViolations: number;
    /** Error 162 sent for historical-data pacing. */
    readonly historicalViolations: number;
    /** Connections closed for repeated rate violations. */
    readonly disconnects: number;
  };
  readonly marketDataLines: {
    readonly inUse: number;
    readonly peak: number;
    readonly limit: number;
    /** Error 101 sent. */
    readonly rejected: number;
  };
  readonly orders: {
    readonly byState: OrdersByState;
    readonly whatIf: number;
    readonly executions: number;
  };
  /** Faults active now, by kind, with when they end (epoch ms, simulated) if scheduled. */
  readonly activeFaults: readonly { readonly kind: string; readonly untilMs?: number }[];
}

/** IB data farms whose status notices the simulator can flip. */
export type Farm = "marketData" | "historical" | "secDef";

/**
 * What the operator surface may do to a running simulator. Every method takes effect at once and
 * is idempotent where that makes sense (a second `setAcceptingConnections(false)` changes nothing).
 */
export interface SimControl {
  /** Sends an error/notice message with id −1 to every connected client (e.g. 1100, 1101, 1102, 10197). */
  broadcastNotice(code: number, message: string): void;
  /** Sends the broken/OK notice of a farm to every client (2103/2104, 2105/2106, 2157/2158) and remembers the state. */
  setFarmStatus(farm: Farm, ok: boolean): void;
  /**
   * Connectivity between "TWS and IB" lost or restored: while lost, market data stops streaming
   * and new orders are refused as TWS does; `restore` with `dataLost` true means every market-data
   * subscription was dropped (clients must resubscribe, 1101), false means kept (1102).
   */
  setConnectivity(state: { readonly connected: false } | { readonly connected: true; readonly dataLost: boolean }): void;
  /** Closes every client socket (as TWS does at its daily restart). */
  disconnectAll(reason: string): void;
  /** While false, new TCP connections are closed at once (the restart window). */
  setAcceptingConnections(accept: boolean): void;
  /** The next `count` orders (not what-ifs) are rejected with error 201 and this reason. */
  rejectNextOrders(reason: string, count: number): void;
  /** Delays every server message by this many milliseconds (0 = off). */
  setResponseDelayMs(ms: number): void;
  /** Drops this fraction (0..1) of server responses to requests, deterministically from the seed (0 = off). */
  setResponseDropRate(fraction: number): void;
  /** Moves the simulated clock forward to `epochMs` (never backwards), running the market and order matching up to it. */
  advanceClockTo(epochMs: number): void;
  /** Current simulated time, epoch ms. */
  now(): number;
  /** Disconnects everyone and rebuilds market and broker from the seed: a fresh simulator on the same ports. */
  reset(): void;
  stats(): SimStats;
}
