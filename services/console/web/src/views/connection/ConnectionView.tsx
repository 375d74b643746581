/**
 * Connection: the gateway's TWS session (state, endpoint, mode, account, leader, farms, recent
 * IB messages, the reconnect history this page observed), the session's pacing budgets, and the
 * console itself. Each panel says whether its data is live.
 */
import { usePlatformNow } from "../../components/use-now";
import { durationMs, timestampMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import { ConnectionState, FarmKind, FarmState, MarketDataType, StoreKind, TradingMode, type ConnectionStatus, type PacingStats, type WatchPacingStatsResponse } from "@spreadops/api";
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { useClients } from "../../api/context";
import { useGatewayStatus } from "../../api/gateway-status";
import type { LiveStreamHandle } from "../../api/use-live-stream";
import { useLiveStream } from "../../api/use-live-stream";
import { Freshness, staleClass } from "../../components/Freshness";
import { age, clockTime, dateTime, UNKNOWN } from "../../components/format";
import { durationText, fraction, LEVEL_WORDS, meterLevel } from "./pacing";
import { connectionHistory, stateName, stateWords, type HistoryEntry } from "./reconnect-history";
import { useConsoleInfo } from "./use-console-info";
import "./connection.css";

const ms = (t: Timestamp | undefined): number | undefined => (t === undefined ? undefined : timestampMs(t));

/**
 * Feeds the page's reconnect history from the shared gateway status. Mounted once by the app
 * shell, so transitions are recorded while other views are shown.
 */
export function ConnectionHistoryRecorder() {
  const { status, stream } = useGatewayStatus();
  useEffect(() => {
    if (status === undefined) return;
    // A status message is the proof the gateway is reachable (headers alone are not: a failing
    // call answers headers before its error).
    connectionHistory.observeStream(true, Date.now());
    const nextReconnectAt = ms(status.nextReconnectAt);
    connectionHistory.observeStatus(
      { state: status.state, reconnectCount: status.reconnectCount, ...(nextReconnectAt === undefined ? {} : { nextReconnectAt }) },
      ms(status.asOf) ?? Date.now(),
    );
  }, [status]);
  const failed = stream.status === "retrying";
  useEffect(() => {
    if (failed) connectionHistory.observeStream(false, Date.now(), stream.error);
  }, [failed, stream.error]);
  return null;
}

export function ConnectionView() {
  const { status, stream } = useGatewayStatus();
  return (
    <section aria-labelledby="connection-title" className="connection">
      <h1 id="connection-title">Connection</h1>
      <div className="connection-grid">
        <SessionPanel status={status} stream={stream} />
        <PacingPanel />
        <HistoryPanel status={status} />
        <ConsolePanel />
      </div>
      <FarmsPanel status={status} stream={stream} />
      <ErrorsPanel status={status} stream={stream} />
    </section>
  );
}

function PanelHead({ id, title, stream, label }: { id: string; title: string; stream?: LiveStreamHandle; label?: string }) {
  return (
    <div className="panel-head">
      <h2 id={id}>{title}</h2>
      {stream === undefined ? null : <Freshness stream={stream} {...(label === undefined ? {} : { label })} />}
    </div>
  );
}

const stateTone = (state: ConnectionState | undefined): string => {
  switch (state) {
    case ConnectionState.CONNECTED: return "good";
    case ConnectionState.CONNECTING:
    case ConnectionState.STANDBY:
    case ConnectionState.RESTART_WINDOW: return "warn";
    case ConnectionState.DISCONNECTED:
    case ConnectionState.BROKER_DISCONNECTED: return "bad";
    default: return "muted";
  }
};

const MARKET_DATA: Record<MarketDataType, string> = {
  [MarketDataType.UNSPECIFIED]: UNKNOWN,
  [MarketDataType.LIVE]: "live",
  [MarketDataType.FROZEN]: "frozen",
  [MarketDataType.DELAYED]: "delayed",
  [MarketDataType.DELAYED_FROZEN]: "delayed, frozen",
};

function SessionPanel({ status, stream }: { status: ConnectionStatus | undefined; stream: LiveStreamHandle }) {
  // The gateway's times (connected since, next reconnect) are on the platform's clock.
  const now = usePlatformNow(1000);
  if (status === undefined) {
    return (
      <section className="panel session" aria-labelledby="session-title">
        <PanelHead id="session-title" title="TWS session" stream={stream} label="status" />
        <p className="state-line muted" data-testid="connection-state" data-state="UNKNOWN">
          {stream.status === "retrying" ? "Unknown — the console cannot reach the gateway" : "Waiting for the gateway's status…"}
        </p>
        {stream.error === undefined ? null : <p className="error">{stream.error}</p>}
      </section>
    );
  }
  const connectedSince = ms(status.connectedSince);
  const nextReconnect = ms(status.nextReconnectAt);
  const windowStart = ms(status.restartWindow?.start);
  const windowEnd = ms(status.restartWindow?.end);
  const live = status.mode === TradingMode.LIVE;
  return (
    <section className={`panel session ${staleClass(stream)}`} aria-labelledby="session-title">
      <PanelHead id="session-title" title="TWS session" stream={stream} label="status" />
      {stream.status === "retrying" ? (
        // What the gateway said last is not what it is now: never show a stale "Connected".
        <div className="state-line muted">
          <span data-testid="connection-state" data-state="UNKNOWN">Unknown — the console cannot reach the gateway</span>
          {/* Outside the test id: a stale state must not read as the current one. */}
          <span className="last-known">last known: {stateName(status.state)}, as of {clockTime(ms(status.asOf) ?? stream.lastMessageAt)}</span>
        </div>
      ) : (
        <p className={`state-line ${stateTone(status.state)}`} data-testid="connection-state" data-state={ConnectionState[status.state]}>
          {stateWords(status.state)}
        </p>
      )}
      {status.state === ConnectionState.DISCONNECTED && nextReconnect !== undefined
        ? <p className="hint">Next reconnect attempt at {clockTime(nextReconnect)} ({nextReconnect > now ? `in ${age(nextReconnect - now)}` : "due now"}).</p>
        : null}
      <dl className="facts">
        <dt>TWS endpoint</dt><dd className="mono">{status.twsHost === "" ? UNKNOWN : status.twsHost}:{status.twsPort === 0 ? UNKNOWN : status.twsPort}</dd>
        <dt>Client id</dt><dd>{status.clientId}</dd>
        <dt>Mode</dt>
        <dd>
          <span data-testid="connection-mode" className={`mode ${live ? "live" : status.mode === TradingMode.PAPER ? "paper" : "unknown"}`}>
            {live ? "LIVE — real money" : status.mode === TradingMode.PAPER ? "paper" : "unknown"}
          </span>
        </dd>
        <dt>Account</dt><dd className="mono">{status.accountMasked === "" ? UNKNOWN : status.accountMasked}</dd>
        <dt>Server version</dt><dd>{status.serverVersion === 0 ? "— (not connected)" : status.serverVersion}</dd>
        <dt>Connected since</dt><dd>{connectedSince === undefined ? "—" : `${dateTime(connectedSince)} (${age(now - connectedSince)})`}</dd>
        <dt>Market data</dt><dd>{MARKET_DATA[status.marketDataType]}</dd>
        <dt>Leader</dt>
        <dd data-testid="leader">
          <span className="mono">{status.identity === "" ? "this replica" : status.identity}</span>{" — "}
          {status.leader ? <span className="badge good">this replica holds the session</span> : <span className="badge muted">standby (another replica holds the session)</span>}
        </dd>
        <dt>Reconnects</dt><dd>{status.reconnectCount} since the gateway started</dd>
        <dt>Restart window</dt>
        <dd>
          {windowStart === undefined || windowEnd === undefined ? "none configured" : `${dateTime(windowStart)} – ${clockTime(windowEnd)}`}
          {status.inRestartWindow ? <span className="badge warn"> in the window now</span> : null}
        </dd>
        <dt>As of</dt><dd>{dateTime(ms(status.asOf))}</dd>
      </dl>
    </section>
  );
}

function entryText(entry: HistoryEntry): string {
  switch (entry.type) {
    case "state": return entry.from === undefined ? `First seen: ${stateName(entry.to)}` : `${stateName(entry.from)} → ${stateName(entry.to)}`;
    case "missed": return `${entry.count} reconnect${entry.count === 1 ? "" : "s"} happened while this page was not watching`;
    case "gateway-restarted": return "The gateway process restarted (its reconnect count started again)";
    case "unreachable": return `The console lost the gateway's status stream${entry.error === undefined ? "" : `: ${entry.error}`}`;
    case "reachable": return "The console reached the gateway again";
  }
}

function HistoryPanel({ status }: { status: ConnectionStatus | undefined }) {
  const history = useSyncExternalStore(connectionHistory.subscribe, connectionHistory.snapshot);
  return (
    <section className="panel" aria-labelledby="reconnects-title">
      <PanelHead id="reconnects-title" title="Reconnect history" />
      <p className="hint">
        Every change this browser page observed, newest first{status === undefined ? "" : `; the gateway counts ${status.reconnectCount} reconnect${status.reconnectCount === 1 ? "" : "s"} since it started`}.
      </p>
      {history.entries.length === 0 ? <p className="hint">Nothing observed yet.</p> : (
        <ol className="history" data-testid="reconnect-history">
          {history.entries.map((entry, index) => (
            <li key={`${entry.at}-${index}`} className={entry.type === "state" ? `to-${stateTone(entry.to)}` : entry.type === "unreachable" ? "to-bad" : ""}>
              <time dateTime={new Date(entry.at).toISOString()}>{dateTime(entry.at)}</time>{" "}
              {entryText(entry)}
              {entry.type === "state" && entry.nextReconnectAt !== undefined ? <span className="hint"> — next attempt {clockTime(entry.nextReconnectAt)}</span> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Meter({ label, value, budget, limit, unit, testId }: { label: string; value: number; budget: number; limit?: number; unit: string; testId?: string }) {
  const level = meterLevel(value, budget, limit);
  const max = limit !== undefined && limit > 0 ? limit : budget;
  return (
    <div className={`meter level-${level}`}>
      <div className="meter-label">
        <span>{label}</span>
        <span className="meter-value" data-testid={testId}>{value} / {budget > 0 ? budget : UNKNOWN}</span>
      </div>
      <div
        className="meter-track"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max > 0 ? max : 1}
        aria-valuenow={value}
        aria-valuetext={`${value} ${unit}, budget ${budget}${limit === undefined ? "" : `, hard limit ${limit}`}: ${LEVEL_WORDS[level]}`}
      >
        <div className="meter-fill" style={{ width: `${fraction(value, max) * 100}%` }} />
        {limit !== undefined && limit > 0 && budget > 0 ? <div className="meter-budget" style={{ left: `${fraction(budget, max) * 100}%` }} title={`budget ${budget}`} /> : null}
      </div>
      <div className="meter-note hint">{unit}{limit === undefined ? "" : `; IB's hard limit ${limit}`} — {LEVEL_WORDS[level]}</div>
    </div>
  );
}

function PacingPanel() {
  const clients = useClients();
  const [stats, setStats] = useState<PacingStats | undefined>(undefined);
  const open = useCallback((signal: AbortSignal, opened: () => void) => clients.gateway.watchPacingStats({}, { signal, onHeader: opened }), [clients]);
  const onMessage = useCallback((m: WatchPacingStatsResponse) => { setStats(m.stats); }, []);
  const stream = useLiveStream("gateway", "pacing", open, onMessage);
  const backoff = ms(stats?.backoffUntil);
  return (
    <section className={`panel pacing ${staleClass(stream)}`} aria-labelledby="pacing-title">
      <PanelHead id="pacing-title" title="Pacing and budgets" stream={stream} label="pacing counters" />
      {stats === undefined ? <p className="hint">No counters yet.</p> : (
        <>
          <Meter label="Messages to TWS, last second" value={stats.messagesLastSecond} budget={stats.messageBudgetPerSecond} limit={stats.messageLimitPerSecond} unit="messages per second" testId="message-rate" />
          <Meter label="Historical requests, last 10 minutes" value={stats.historicalRequestsLast10m} budget={stats.historicalBudgetPer10m} unit="requests per 10 minutes" testId="historical-requests" />
          <Meter label="Market-data lines" value={stats.marketDataLinesUsed} budget={stats.marketDataLinesLimit} unit="lines in use" testId="lines-used" />
          <dl className="facts counters">
            <dt>Pacing violations (IB 100)</dt><dd data-testid="pacing-violations" className={stats.pacingViolations > 0 ? "neg" : undefined}>{stats.pacingViolations}</dd>
            <dt>Messages over the hard limit</dt><dd className={stats.windowsOverLimit > 0 ? "neg" : undefined}>{stats.windowsOverLimit}</dd>
            <dt>Historical pacing violations (IB 162)</dt><dd className={stats.historicalPacingViolations > 0 ? "neg" : undefined}>{stats.historicalPacingViolations}</dd>
            <dt>Historical requests open</dt><dd>{stats.historicalOpenRequests}</dd>
            <dt>Lines evicted</dt><dd>{stats.marketDataLinesEvicted}</dd>
            <dt>Max-tickers errors (IB 101)</dt><dd className={stats.maxTickerErrors > 0 ? "neg" : undefined}>{stats.maxTickerErrors}</dd>
            <dt>Queue depth</dt><dd data-testid="queue-depth">{stats.queueDepth}{stats.queueDepth > 0 ? ` (oldest waiting ${durationText(stats.oldestQueuedAge === undefined ? undefined : durationMs(stats.oldestQueuedAge))})` : ""}</dd>
            <dt>Backoff</dt><dd>{backoff === undefined ? "none" : <span className="neg">sending paused until {clockTime(backoff)}</span>}</dd>
            <dt>As of</dt><dd>{clockTime(ms(stats.asOf))}</dd>
          </dl>
        </>
      )}
    </section>
  );
}

const STORE_NAMES: Record<StoreKind, string> = {
  [StoreKind.UNSPECIFIED]: "not reported",
  [StoreKind.EMBEDDED]: "embedded file store (all-in-one)",
  [StoreKind.KUBERNETES]: "Kubernetes API",
};

function ConsolePanel() {
  const { info, at, error, loading } = useConsoleInfo();
  return (
    <section className="panel" aria-labelledby="console-title" aria-busy={loading}>
      <PanelHead id="console-title" title="Console" />
      {error === undefined ? null : <p className="error" role="alert">Could not read the console's info: {error}{info === undefined ? "" : " (showing the last answer)"}</p>}
      {info === undefined ? (loading ? <p className="hint">Loading…</p> : null) : (
        <dl className="facts">
          <dt>Version</dt><dd>{info.version === "" ? UNKNOWN : info.version}</dd>
          <dt>Namespace</dt><dd className="mono">{info.namespace === "" ? UNKNOWN : info.namespace}</dd>
          <dt>Store</dt><dd>{STORE_NAMES[info.store]}</dd>
          <dt>Changes</dt>
          <dd data-testid="mutations-enabled">
            {info.mutationsEnabled
              ? <span className="badge good">enabled (with the console token)</span>
              : <span className="badge warn">read-only: started without a token</span>}
          </dd>
          <dt>Started</dt><dd>{dateTime(ms(info.startedAt))}</dd>
          <dt>Read at</dt><dd>{clockTime(at)}</dd>
        </dl>
      )}
    </section>
  );
}

const FARM_KINDS: Record<FarmKind, string> = {
  [FarmKind.UNSPECIFIED]: "other",
  [FarmKind.MARKET_DATA]: "market data",
  [FarmKind.HISTORICAL_DATA]: "historical data",
  [FarmKind.SECURITY_DEFINITION]: "security definitions",
};

const FARM_STATES: Record<FarmState, { text: string; tone: string }> = {
  [FarmState.UNSPECIFIED]: { text: "no notice yet", tone: "muted" },
  [FarmState.OK]: { text: "OK", tone: "good" },
  [FarmState.BROKEN]: { text: "broken", tone: "bad" },
  [FarmState.INACTIVE]: { text: "inactive (on demand)", tone: "muted" },
};

function FarmsPanel({ status, stream }: { status: ConnectionStatus | undefined; stream: LiveStreamHandle }) {
  const farms = status?.farms ?? [];
  return (
    <section className={`panel ${staleClass(stream)}`} aria-labelledby="farms-title">
      <PanelHead id="farms-title" title="Data farms" stream={stream} label="status" />
      {farms.length === 0 ? <p className="hint">TWS has reported no farm yet.</p> : (
        <div className="table-scroll">
          <table data-testid="farms">
            <thead><tr><th scope="col">Farm</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col" className="num">Last code</th><th scope="col">Since</th></tr></thead>
            <tbody>
              {farms.map((farm) => (
                <tr key={`${farm.kind}-${farm.name}`}>
                  <td className="mono">{farm.name}</td>
                  <td>{FARM_KINDS[farm.kind]}</td>
                  <td><span className={`badge ${FARM_STATES[farm.state].tone}`}>{FARM_STATES[farm.state].text}</span></td>
                  <td className="num">{farm.lastCode === 0 ? UNKNOWN : farm.lastCode}</td>
                  <td>{dateTime(ms(farm.since))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ErrorsPanel({ status, stream }: { status: ConnectionStatus | undefined; stream: LiveStreamHandle }) {
  const errors = status?.lastErrors ?? [];
  return (
    <section className={`panel ${staleClass(stream)}`} aria-labelledby="errors-title">
      <PanelHead id="errors-title" title="Recent IB errors and notices" stream={stream} label="status" />
      {errors.length === 0 ? <p className="hint">None since the gateway started.</p> : (
        <div className="table-scroll">
          <table data-testid="ib-errors">
            <thead><tr><th scope="col">Time</th><th scope="col" className="num">Code</th><th scope="col">Kind</th><th scope="col">Message</th><th scope="col" className="num">Request id</th></tr></thead>
            <tbody>
              {errors.map((e, index) => (
                <tr key={`${e.code}-${index}`}>
                  <td>{dateTime(ms(e.time))}</td>
                  <td className="num">{e.code}</td>
                  <td>{e.warning ? <span className="badge muted">notice</span> : <span className="badge bad">error</span>}</td>
                  <td className="wrap">{e.message}</td>
                  <td className="num">{e.id === -1 ? "connection" : e.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
