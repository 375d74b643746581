import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { ConnectionStatus as ProtoConnectionStatus, FarmStatus, IbError } from "@spreadops/api";
import {
  ConnectionState as ProtoState,
  ConnectionStatusSchema,
  FarmKind as ProtoFarmKind,
  FarmState as ProtoFarmState,
  FarmStatusSchema,
  IbErrorSchema,
  TradingMode,
} from "@spreadops/api";
import type { ConnectionState, ConnectionStatus, FarmKind, FarmState, TwsErrorRecord } from "../connection/status.js";
import { farmNotice } from "../connection/status.js";
import { marketDataTypeOf } from "../market/market-data-type.js";

/** The contract keeps at most this many recent errors. */
export const MAX_REPORTED_ERRORS = 20;

/** What the status message needs beyond the connection's own status. */
export interface StatusContext {
  /** Whether this replica leads; a follower reports STANDBY whatever its socket does. */
  readonly leader: boolean;
  /** The configured reqMarketDataType (1 realtime … 4 delayed-frozen). */
  readonly marketDataType: number;
  /** Epoch ms of `as_of`. */
  readonly now: number;
  /** This replica's leader-election identity (the one written into the Lease), so `leader` says who. */
  readonly identity: string;
}

const STATE: Readonly<Record<ConnectionState, ProtoState>> = {
  disconnected: ProtoState.DISCONNECTED,
  connecting: ProtoState.CONNECTING,
  connected: ProtoState.CONNECTED,
  degraded: ProtoState.BROKER_DISCONNECTED,
  restartWindow: ProtoState.RESTART_WINDOW,
  // The contract has no "refused" state: fatal shows as disconnected, with the reason among the errors.
  fatal: ProtoState.DISCONNECTED,
};

const FARM_KIND: Readonly<Record<FarmKind, ProtoFarmKind>> = {
  marketData: ProtoFarmKind.MARKET_DATA,
  historical: ProtoFarmKind.HISTORICAL_DATA,
  secDef: ProtoFarmKind.SECURITY_DEFINITION,
};

const FARM_STATE: Readonly<Record<FarmState, ProtoFarmState>> = {
  unknown: ProtoFarmState.UNSPECIFIED,
  ok: ProtoFarmState.OK,
  broken: ProtoFarmState.BROKEN,
  inactive: ProtoFarmState.INACTIVE,
};


/** IB codes that never end a request or order by themselves (see IbError.warning in the contract). */
export function isWarningCode(code: number): boolean {
  return (code >= 2100 && code <= 2169) || code === 399 || code === 10090 || code === 10167;
}

/**
 * The ConnectionStatus message of GetConnectionStatus / WatchConnectionStatus from the
 * connection's status. The account is already masked by the connection and is passed through;
 * the full account never reaches this function. Host and port are the configured ones (the
 * connection reports its settings), reported in every state so an operator can see where a
 * disconnected gateway is trying to go.
 */
export function toConnectionStatusMessage(status: ConnectionStatus, context: StatusContext): ProtoConnectionStatus {
  const live = status.state === "connected" || status.state === "degraded";
  return create(ConnectionStatusSchema, {
    state: context.leader ? STATE[status.state] : ProtoState.STANDBY,
    leader: context.leader,
    serverVersion: live ? (status.serverVersion ?? 0) : 0,
    accountMasked: status.account ?? "",
    mode: status.mode === "live" ? TradingMode.LIVE : TradingMode.PAPER,
    clientId: status.clientId,
    farms: farmStatuses(status),
    lastErrors: status.lastErrors.slice(0, MAX_REPORTED_ERRORS).map(toIbError),
    reconnectCount: Object.values(status.reconnects).reduce((sum, n) => sum + n, 0),
    inRestartWindow: status.state === "restartWindow",
    ...(status.restartWindow === undefined
      ? {}
      : { restartWindow: { start: timestampFromMs(status.restartWindow.startMs), end: timestampFromMs(status.restartWindow.endMs) } }),
    ...(live ? { connectedSince: timestampFromMs(status.since) } : {}),
    ...(status.nextAttemptAt === undefined || live ? {} : { nextReconnectAt: timestampFromMs(status.nextAttemptAt) }),
    marketDataType: marketDataTypeOf(context.marketDataType),
    asOf: timestampFromMs(context.now),
    twsHost: status.host,
    twsPort: status.port,
    identity: context.identity,
  });
}

function toIbError(record: TwsErrorRecord): IbError {
  return create(IbErrorSchema, {
    code: record.code,
    message: record.message,
    id: record.reqId,
    time: timestampFromMs(record.at),
    warning: isWarningCode(record.code),
  });
}

/** One FarmStatus per farm TWS has reported on; the name comes from the notice text ("…:usfarm"). */
function farmStatuses(status: ConnectionStatus): FarmStatus[] {
  const farms: FarmStatus[] = [];
  for (const kind of Object.keys(FARM_KIND) as FarmKind[]) {
    const state = status.farms[kind];
    if (state === "unknown") continue;
    const notice = status.lastErrors.find((e) => farmNotice(e.code)?.farm === kind);
    farms.push(
      create(FarmStatusSchema, {
        name: notice === undefined ? "" : farmName(notice.message),
        kind: FARM_KIND[kind],
        state: FARM_STATE[state],
        lastCode: notice?.code ?? 0,
        ...(notice === undefined ? {} : { since: timestampFromMs(notice.at) }),
      }),
    );
  }
  return farms;
}

/** TWS writes farm notices as "Market data farm connection is OK:usfarm". */
export function farmName(message: string): string {
  const at = message.lastIndexOf(":");
  return at < 0 ? "" : message.slice(at + 1).trim();
}
