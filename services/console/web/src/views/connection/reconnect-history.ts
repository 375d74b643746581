/**
 * The gateway session's reconnect history as this browser page saw it: every change of the
 * connection state, when the console lost or regained the gateway's status stream, reconnects
 * the gateway counted while the page was not watching, and a restarted gateway (its counter
 * reset). The gateway reports only its current state and a counter; this is the timeline.
 *
 * A reducer (pure, tested) and one store per page, so the history survives leaving and
 * re-opening the Connection view.
 */
import { ConnectionState } from "@spreadops/api";

export type HistoryEntry =
  | { readonly type: "state"; readonly at: number; readonly from: ConnectionState | undefined; readonly to: ConnectionState; readonly nextReconnectAt?: number }
  /** The gateway's reconnect counter grew while the state looked unchanged here. */
  | { readonly type: "missed"; readonly at: number; readonly count: number }
  /** The counter went down: a new gateway process. */
  | { readonly type: "gateway-restarted"; readonly at: number }
  | { readonly type: "unreachable"; readonly at: number; readonly error?: string }
  | { readonly type: "reachable"; readonly at: number };

export interface HistoryState {
  readonly lastState?: ConnectionState;
  readonly lastCount?: number;
  readonly streamLive?: boolean;
  /** Newest first. */
  readonly entries: readonly HistoryEntry[];
}

export const EMPTY_HISTORY: HistoryState = { entries: [] };
export const HISTORY_CAP = 200;

export interface StatusObservation {
  readonly state: ConnectionState;
  readonly reconnectCount: number;
  /** ms since the epoch; only meaningful while disconnected. */
  readonly nextReconnectAt?: number;
}

const push = (entries: readonly HistoryEntry[], entry: HistoryEntry, cap: number): HistoryEntry[] => [entry, ...entries].slice(0, cap);

/** Folds one status message into the history. */
export function observeStatus(history: HistoryState, status: StatusObservation, at: number, cap = HISTORY_CAP): HistoryState {
  let entries = history.entries;
  const { lastState, lastCount } = history;
  if (lastCount !== undefined && status.reconnectCount < lastCount) {
    entries = push(entries, { type: "gateway-restarted", at }, cap);
  } else if (lastCount !== undefined && lastState === status.state && status.reconnectCount > lastCount) {
    entries = push(entries, { type: "missed", at, count: status.reconnectCount - lastCount }, cap);
  }
  if (lastState !== status.state) {
    entries = push(entries, {
      type: "state",
      at,
      from: lastState,
      to: status.state,
      ...(status.nextReconnectAt === undefined ? {} : { nextReconnectAt: status.nextReconnectAt }),
    }, cap);
  } else {
    // Same state, new reconnect time (another failed attempt): keep the latest on its entry.
    const top = entries[0];
    if (top?.type === "state" && top.to === status.state && top.nextReconnectAt !== status.nextReconnectAt) {
      const { nextReconnectAt: _old, ...rest } = top;
      entries = [{ ...rest, ...(status.nextReconnectAt === undefined ? {} : { nextReconnectAt: status.nextReconnectAt }) }, ...entries.slice(1)];
    }
  }
  if (entries === history.entries && lastState === status.state && lastCount === status.reconnectCount) return history;
  return { ...history, lastState: status.state, lastCount: status.reconnectCount, entries };
}

/** Folds the state of the console's status stream: losing and regaining it are entries too. */
export function observeStream(history: HistoryState, live: boolean, at: number, error?: string, cap = HISTORY_CAP): HistoryState {
  if (history.streamLive === live) return history;
  // The first connect is not news; a first failure is.
  if (history.streamLive === undefined && live) return { ...history, streamLive: live };
  const entry: HistoryEntry = live ? { type: "reachable", at } : { type: "unreachable", at, ...(error === undefined ? {} : { error }) };
  return { ...history, streamLive: live, entries: push(history.entries, entry, cap) };
}

/** Connection states in plain words; none but CONNECTED contains the word "connected". */
export function stateWords(state: ConnectionState | undefined): string {
  switch (state) {
    case ConnectionState.CONNECTED: return "Connected";
    case ConnectionState.CONNECTING: return "Connecting (handshake in progress)";
    case ConnectionState.DISCONNECTED: return "No session (reconnect scheduled)";
    case ConnectionState.BROKER_DISCONNECTED: return "TWS is up but lost its link to IB (trading paused)";
    case ConnectionState.RESTART_WINDOW: return "Daily restart window (session closed on purpose)";
    case ConnectionState.STANDBY: return "Standby (another replica holds the session)";
    case ConnectionState.UNSPECIFIED:
    case undefined: return "Unknown";
  }
}

/** Short names for the history list. */
export function stateName(state: ConnectionState | undefined): string {
  switch (state) {
    case ConnectionState.CONNECTED: return "Connected";
    case ConnectionState.CONNECTING: return "Connecting";
    case ConnectionState.DISCONNECTED: return "No session";
    case ConnectionState.BROKER_DISCONNECTED: return "IB link lost";
    case ConnectionState.RESTART_WINDOW: return "Restart window";
    case ConnectionState.STANDBY: return "Standby";
    case ConnectionState.UNSPECIFIED:
    case undefined: return "Unknown";
  }
}

/** The page's history, kept across visits to the Connection view. */
export class HistoryStore {
  #state: HistoryState = EMPTY_HISTORY;
  readonly #listeners = new Set<() => void>();

  snapshot = (): HistoryState => this.#state;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  observeStatus(status: StatusObservation, at: number): void {
    this.#set(observeStatus(this.#state, status, at));
  }

  observeStream(live: boolean, at: number, error?: string): void {
    this.#set(observeStream(this.#state, live, at, error));
  }

  #set(next: HistoryState): void {
    if (next === this.#state) return;
    this.#state = next;
    for (const listener of this.#listeners) listener();
  }
}

export const connectionHistory = new HistoryStore();
