import { MarketDataType } from "@stoqey/ib";
import type { SchedulerOptions } from "../scheduler/outbound-scheduler.js";
import type { TradingMode } from "./account-mode.js";
import type { BackoffOptions } from "./backoff.js";
import type { TwsConnectionConfig } from "./options.js";
import type { RestartWindowSpec } from "./restart-window.js";

/** A restart window plus how long before it the gateway disconnects. */
export interface RestartWindowSettings extends RestartWindowSpec {
  readonly leadMs: number;
}

/** What a {@link TwsConnection} needs to know; built from config by {@link connectionSettings}. */
export interface TwsConnectionSettings {
  readonly host: string;
  readonly port: number;
  readonly clientId: number;
  readonly mode: TradingMode;
  readonly liveConfirmed: boolean;
  /** Sent with reqMarketDataType after every (re)connect and after 1101. */
  readonly marketDataType: MarketDataType;
  readonly connectTimeoutMs: number;
  readonly backoff: BackoffOptions;
  readonly probeIntervalMs: number;
  readonly probeTimeoutMs: number;
  /** Undefined: no daily window. */
  readonly restartWindow?: RestartWindowSettings;
}

/** Connection settings from the parsed options. */
export function connectionSettings(config: TwsConnectionConfig): TwsConnectionSettings {
  return {
    host: config.twsHost,
    port: config.twsPort,
    clientId: config.twsClientId,
    mode: config.tradingMode,
    liveConfirmed: config.liveTradingConfirmed,
    marketDataType: toMarketDataType(config.marketDataType),
    connectTimeoutMs: config.twsConnectTimeout,
    backoff: { initialMs: config.twsBackoffInitial, maxMs: Math.max(config.twsBackoffInitial, config.twsBackoffMax) },
    probeIntervalMs: config.twsProbeInterval,
    probeTimeoutMs: config.twsProbeTimeout,
    ...(config.twsRestartWindow === "off"
      ? {}
      : {
          restartWindow: {
            at: config.twsRestartWindow,
            timeZone: config.twsRestartZone,
            durationMs: config.twsRestartDuration,
            leadMs: config.twsRestartLead,
          },
        }),
  };
}

/** Scheduler options from the parsed options. */
export function schedulerOptions(config: TwsConnectionConfig): SchedulerOptions {
  return {
    ratePerSecond: Math.min(config.twsMessageBudget, config.twsMessageCap),
    hardCapPerSecond: config.twsMessageCap,
    maxQueuedPerPriority: config.twsQueueBound,
  };
}

/** The @stoqey enum member for a TWS market-data type number (1 realtime … 4 delayed-frozen). */
export function toMarketDataType(value: number): MarketDataType {
  switch (value) {
    case 2:
      return MarketDataType.FROZEN;
    case 3:
      return MarketDataType.DELAYED;
    case 4:
      return MarketDataType.DELAYED_FROZEN;
    default:
      return MarketDataType.REALTIME;
  }
}
