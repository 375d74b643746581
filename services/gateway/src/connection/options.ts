import { duration, envPrefix, option } from "@spreadops/runtime";
import type { ConfigOf } from "@spreadops/runtime";
import { z } from "zod";

const PREFIX = envPrefix("gateway");

/**
 * The TWS connection and outbound-scheduler options of the gateway, to spread into its options
 * next to `commonOptions("gateway")`. Env vars are `SPREADOPS_GATEWAY_…`. See
 * docs/gateway-connection.md.
 */
export const twsConnectionOptions = {
  twsHost: option({
    type: z.string().min(1),
    env: `${PREFIX}TWS_HOST`,
    flag: "--tws-host",
    default: "127.0.0.1",
    description: "Host of TWS / IB Gateway (its API accepts only trusted IPs, localhost by default).",
  }),
  twsPort: option({
    type: z.number().int().min(1).max(65535),
    env: `${PREFIX}TWS_PORT`,
    flag: "--tws-port",
    default: 7497,
    description: "TWS API port: 7497 TWS paper, 7496 TWS live, 4002/4001 IB Gateway paper/live.",
  }),
  twsClientId: option({
    type: z.number().int().min(0).max(2_147_483_647),
    env: `${PREFIX}TWS_CLIENT_ID`,
    flag: "--tws-client-id",
    default: 1,
    description: "The gateway's fixed TWS client id. Never changed automatically: a clash (326) is reported and retried.",
  }),
  tradingMode: option({
    type: z.enum(["paper", "live"]),
    env: `${PREFIX}TRADING_MODE`,
    flag: "--trading-mode",
    default: "paper",
    description: "paper (DU accounts only) or live (non-DU accounts only; needs --live-trading-confirmed too).",
  }),
  liveTradingConfirmed: option({
    type: z.boolean(),
    env: `${PREFIX}LIVE_TRADING_CONFIRMED`,
    flag: "--live-trading-confirmed",
    default: false,
    description: "The explicit opt-in live mode requires; without it a live-mode gateway refuses to connect.",
  }),
  marketDataType: option({
    type: z.number().int().min(1).max(4),
    env: `${PREFIX}MARKET_DATA_TYPE`,
    flag: "--market-data-type",
    default: 1,
    description: "reqMarketDataType sent after every (re)connect: 1 realtime, 2 frozen, 3 delayed, 4 delayed-frozen.",
  }),
  twsConnectTimeout: option({
    type: duration({ min: "100ms" }),
    env: `${PREFIX}TWS_CONNECT_TIMEOUT`,
    flag: "--tws-connect-timeout",
    default: "10s",
    description: "How long one connect attempt may take until nextValidId and managedAccounts arrived.",
  }),
  twsBackoffInitial: option({
    type: duration({ min: "10ms" }),
    env: `${PREFIX}TWS_BACKOFF_INITIAL`,
    flag: "--tws-backoff-initial",
    default: "1s",
    description: "Reconnect delay after the first failure; doubles per failure (with jitter).",
  }),
  twsBackoffMax: option({
    type: duration({ min: "10ms" }),
    env: `${PREFIX}TWS_BACKOFF_MAX`,
    flag: "--tws-backoff-max",
    default: "60s",
    description: "Upper bound of the reconnect delay.",
  }),
  twsProbeInterval: option({
    type: duration({ min: "100ms" }),
    env: `${PREFIX}TWS_PROBE_INTERVAL`,
    flag: "--tws-probe-interval",
    default: "15s",
    description: "Watchdog: how often reqCurrentTime is sent to prove the session is alive.",
  }),
  twsProbeTimeout: option({
    type: duration({ min: "100ms" }),
    env: `${PREFIX}TWS_PROBE_TIMEOUT`,
    flag: "--tws-probe-timeout",
    default: "5s",
    description: "Watchdog: no currentTime within this long → the socket is treated as dead and reconnected.",
  }),
  twsRestartWindow: option({
    type: z.union([z.literal("off"), z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "HH:MM (24 h) or off" })]),
    env: `${PREFIX}TWS_RESTART_WINDOW`,
    flag: "--tws-restart-window",
    default: "23:45",
    description: "Local start (HH:MM) of TWS's daily restart, or off. The gateway disconnects before it and reconnects after it.",
  }),
  twsRestartZone: option({
    type: z.string().refine(isTimeZone, { error: "an IANA time zone such as America/New_York" }),
    env: `${PREFIX}TWS_RESTART_ZONE`,
    flag: "--tws-restart-zone",
    default: "America/New_York",
    description: "IANA time zone of --tws-restart-window (never the machine's zone).",
  }),
  twsRestartDuration: option({
    type: duration({ min: "1m", max: "12h" }),
    env: `${PREFIX}TWS_RESTART_DURATION`,
    flag: "--tws-restart-duration",
    default: "15m",
    description: "How long the restart window lasts.",
  }),
  twsRestartLead: option({
    type: duration({ max: "1h" }),
    env: `${PREFIX}TWS_RESTART_LEAD`,
    flag: "--tws-restart-lead",
    default: "1m",
    description: "How long before the window the gateway disconnects gracefully.",
  }),
  twsMessageBudget: option({
    type: z.number().positive().max(50),
    env: `${PREFIX}TWS_MESSAGE_BUDGET`,
    flag: "--tws-message-budget",
    default: 45,
    description: "Steady outbound message rate to TWS, messages per second (halved on error 100, then recovered).",
  }),
  twsMessageCap: option({
    type: z.number().int().min(1).max(50),
    env: `${PREFIX}TWS_MESSAGE_CAP`,
    flag: "--tws-message-cap",
    default: 50,
    description: "Hard cap: never more messages than this in any sliding second (IB's limit is 50).",
  }),
  twsQueueBound: option({
    type: z.number().int().min(1),
    env: `${PREFIX}TWS_QUEUE_BOUND`,
    flag: "--tws-queue-bound",
    default: 5000,
    description: "Queued calls per priority beyond which requests are refused with ResourceExhausted.",
  }),
};

/** The parsed values of {@link twsConnectionOptions}. */
export type TwsConnectionConfig = ConfigOf<typeof twsConnectionOptions>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
