/** The gateway's TWS session: connection, watchdog, restore, ids, restart window, paper/live guard. */
export { checkAccountMode, isPaperAccount, PAPER_PORTS, parseManagedAccounts } from "./account-mode.js";
export type { ModeDecision, ModeFacts, TradingMode } from "./account-mode.js";
export { Backoff } from "./backoff.js";
export type { BackoffOptions } from "./backoff.js";
export { createConnectionMetrics } from "./connection-metrics.js";
export type { ConnectionMetrics } from "./connection-metrics.js";
export { IdAllocator } from "./id-allocator.js";
export { twsConnectionOptions } from "./options.js";
export type { TwsConnectionConfig } from "./options.js";
export { parseHhMm, restartWindowAt, validateRestartWindow, zonedTimeToEpoch } from "./restart-window.js";
export type { RestartWindow, RestartWindowSpec } from "./restart-window.js";
export { connectionSettings, schedulerOptions, toMarketDataType } from "./settings.js";
export type { RestartWindowSettings, TwsConnectionSettings } from "./settings.js";
export { farmNotice } from "./status.js";
export type { ConnectionState, ConnectionStatus, FarmKind, FarmState, ReconnectCause, TwsErrorRecord } from "./status.js";
export { TwsConnection } from "./tws-connection.js";
export type { ConnectionEvents, ResubscribeRequiredEvent, RestoredEvent, TwsConnectionDeps } from "./tws-connection.js";
export type { TwsEvent, TwsEventArgs } from "./tws-events.js";
