/**
 * Codes and texts of the notices the fault injector broadcasts (id −1), from IB's API
 * message-code table. Farm notices (2103–2158) are the server's: `SimControl.setFarmStatus`.
 *
 * @packageDocumentation
 */

/** Notice codes the fault injector sends through `SimControl.broadcastNotice`. */
export const NoticeCode = {
  ConnectivityLost: 1100,
  ConnectivityRestoredDataLost: 1101,
  ConnectivityRestoredDataMaintained: 1102,
  CompetingLiveSession: 10197,
} as const;

/** Text of notice 1100. */
export const CONNECTIVITY_LOST_TEXT = "Connectivity between IB and Trader Workstation has been lost.";
/** Text of notice 1101: clients must resubscribe market data. */
export const CONNECTIVITY_RESTORED_DATA_LOST_TEXT =
  "Connectivity between IB and Trader Workstation has been restored - data lost.";
/** Text of notice 1102: subscriptions were kept. */
export const CONNECTIVITY_RESTORED_DATA_MAINTAINED_TEXT =
  "Connectivity between IB and Trader Workstation has been restored - data maintained.";
/** Text of error 10197. */
export const COMPETING_LIVE_SESSION_TEXT = "No market data during competing live session";
/** Reason given to `SimControl.disconnectAll` when a restart window opens. */
export const RESTART_DISCONNECT_REASON = "TWS restart window";
