import type { TradingMode } from "./account-mode.js";

/** Where the TWS session is. */
export type ConnectionState = "disconnected" | "connecting" | "connected" | "degraded" | "restartWindow" | "fatal";

/** IB data farms whose notices TWS sends (2103–2108, 2157/2158). */
export type FarmKind = "marketData" | "historical" | "secDef";

/** A farm's last reported state; `unknown` until TWS said something this session. */
export type FarmState = "unknown" | "ok" | "broken" | "inactive";

/** Why the gateway had to connect again. */
export type ReconnectCause =
  | "socketClosed"
  | "connectFailed"
  | "connectTimeout"
  | "clientIdInUse"
  | "probeTimeout"
  | "portReset"
  | "restartWindow";

/** The last error or notice TWS sent with one code. */
export interface TwsErrorRecord {
  readonly code: number;
  /** Request/order id, −1 for session notices. */
  readonly reqId: number;
  readonly message: string;
  /** Epoch ms. */
  readonly at: number;
}

/** Everything `WatchConnectionStatus` reports. Account ids are masked. */
export interface ConnectionStatus {
  readonly state: ConnectionState;
  /** Why the state is what it is, in words (e.g. the 326 clash, the fatal refusal). */
  readonly reason: string;
  /** Epoch ms of the last state change. */
  readonly since: number;
  readonly mode: TradingMode;
  readonly clientId: number;
  readonly host: string;
  readonly port: number;
  /** Server version of the current session (TWS API), once connected. */
  readonly serverVersion?: number;
  /** Masked managed account (`DU****567`), once connected. */
  readonly account?: string;
  readonly farms: Readonly<Record<FarmKind, FarmState>>;
  /** The last record per code, most recent first (bounded). */
  readonly lastErrors: readonly TwsErrorRecord[];
  /** Reconnects since start, by cause. */
  readonly reconnects: Readonly<Partial<Record<ReconnectCause, number>>>;
  /** 10197 seen this session: another login holds the market-data session. */
  readonly competingSession: boolean;
  /** The daily restart window that is next or current (epoch ms), when configured. */
  readonly restartWindow?: { readonly startMs: number; readonly endMs: number };
  /** When the next connect attempt is due (epoch ms), while waiting to reconnect. */
  readonly nextAttemptAt?: number;
}

/** Farm kind and state for a farm notice code, or undefined for other codes. */
export function farmNotice(code: number): { readonly farm: FarmKind; readonly state: FarmState } | undefined {
  switch (code) {
    case 2103:
      return { farm: "marketData", state: "broken" };
    case 2104:
      return { farm: "marketData", state: "ok" };
    case 2108:
      return { farm: "marketData", state: "inactive" };
    case 2105:
      return { farm: "historical", state: "broken" };
    case 2106:
      return { farm: "historical", state: "ok" };
    case 2107:
      return { farm: "historical", state: "inactive" };
    case 2157:
      return { farm: "secDef", state: "broken" };
    case 2158:
      return { farm: "secDef", state: "ok" };
    default:
      return undefined;
  }
}
