/** Settings of a {@link TwsSimServer}. */
export interface TwsSimServerConfig {
  /** Address of the TWS API listener; 127.0.0.1 so it is not reachable from the network by default. */
  readonly host: string;
  /** TWS API port (7497 is TWS paper's default; 0 picks a free port). */
  readonly port: number;
  /** The managed account, e.g. `DU1234567`. */
  readonly account: string;
  /** Account-wide market-data lines (error 101 beyond). */
  readonly lineLimit: number;
  /** Client messages allowed per second and connection (error 100 beyond). */
  readonly maxMessagesPerSecond: number;
  /** Rate violations after which the connection is closed. */
  readonly rateDisconnectAfter: number;
  /** Minimum wall-clock interval between two updates of one market-data line. */
  readonly minTickIntervalMs: number;
  /** Wall-clock interval of the market loop. */
  readonly loopIntervalMs: number;
  /** Wall-clock interval between scanner result refreshes. */
  readonly scannerRefreshMs: number;
  /** Seed of the response-drop fault's random choices. */
  readonly seed: number;
  /** Unsent bytes after which a client that does not read is disconnected. */
  readonly maxBufferedBytes: number;
}

/** Defaults: TWS paper's port on localhost, IB's limits (100 lines, 50 msg/s), 4 updates/s per line. */
export const DEFAULT_SERVER_CONFIG: TwsSimServerConfig = {
  host: "127.0.0.1",
  port: 7497,
  account: "DU1234567",
  lineLimit: 100,
  maxMessagesPerSecond: 50,
  rateDisconnectAfter: 3,
  minTickIntervalMs: 250,
  loopIntervalMs: 50,
  scannerRefreshMs: 30_000,
  seed: 42,
  maxBufferedBytes: 16 * 1024 * 1024,
};
