import { ConnectionState } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { EMPTY_HISTORY, HistoryStore, observeStatus, observeStream, stateWords, type HistoryState } from "./reconnect-history";

const { CONNECTED, DISCONNECTED, CONNECTING } = ConnectionState;

describe("observeStatus", () => {
  it("records the first state seen, then each transition newest first", () => {
    let h: HistoryState = EMPTY_HISTORY;
    h = observeStatus(h, { state: CONNECTED, reconnectCount: 0 }, 1000);
    h = observeStatus(h, { state: DISCONNECTED, reconnectCount: 0, nextReconnectAt: 7000 }, 2000);
    h = observeStatus(h, { state: CONNECTING, reconnectCount: 0 }, 7000);
    h = observeStatus(h, { state: CONNECTED, reconnectCount: 1 }, 7500);
    expect(h.entries).toEqual([
      { type: "state", at: 7500, from: CONNECTING, to: CONNECTED },
      { type: "state", at: 7000, from: DISCONNECTED, to: CONNECTING },
      { type: "state", at: 2000, from: CONNECTED, to: DISCONNECTED, nextReconnectAt: 7000 },
      { type: "state", at: 1000, from: undefined, to: CONNECTED },
    ]);
  });

  it("returns the same history for a repeated status (no entry per message)", () => {
    const h = observeStatus(EMPTY_HISTORY, { state: CONNECTED, reconnectCount: 2 }, 1000);
    expect(observeStatus(h, { state: CONNECTED, reconnectCount: 2 }, 2000)).toBe(h);
  });

  it("moves the next reconnect time of a still-disconnected session instead of adding entries", () => {
    let h = observeStatus(EMPTY_HISTORY, { state: DISCONNECTED, reconnectCount: 0, nextReconnectAt: 5000 }, 1000);
    h = observeStatus(h, { state: DISCONNECTED, reconnectCount: 0, nextReconnectAt: 15000 }, 5100);
    expect(h.entries).toEqual([{ type: "state", at: 1000, from: undefined, to: DISCONNECTED, nextReconnectAt: 15000 }]);
  });

  it("notes reconnects the gateway counted while the state looked unchanged here", () => {
    let h = observeStatus(EMPTY_HISTORY, { state: CONNECTED, reconnectCount: 1 }, 1000);
    h = observeStatus(h, { state: CONNECTED, reconnectCount: 3 }, 9000);
    expect(h.entries[0]).toEqual({ type: "missed", at: 9000, count: 2 });
  });

  it("notes a restarted gateway when its counter goes down", () => {
    let h = observeStatus(EMPTY_HISTORY, { state: CONNECTED, reconnectCount: 4 }, 1000);
    h = observeStatus(h, { state: CONNECTING, reconnectCount: 0 }, 2000);
    expect(h.entries.slice(0, 2)).toEqual([
      { type: "state", at: 2000, from: CONNECTED, to: CONNECTING },
      { type: "gateway-restarted", at: 2000 },
    ]);
  });

  it("keeps at most `cap` entries, dropping the oldest", () => {
    let h: HistoryState = EMPTY_HISTORY;
    for (let i = 0; i < 10; i++) h = observeStatus(h, { state: i % 2 === 0 ? CONNECTED : DISCONNECTED, reconnectCount: 0 }, i, 4);
    expect(h.entries.map((e) => e.at)).toEqual([9, 8, 7, 6]);
  });
});

describe("observeStream", () => {
  it("ignores the first successful connect but records losing and regaining the stream", () => {
    let h = observeStream(EMPTY_HISTORY, true, 1000);
    expect(h.entries).toEqual([]);
    h = observeStream(h, false, 2000, "unavailable: gateway unreachable");
    h = observeStream(h, false, 2500, "again");
    h = observeStream(h, true, 3000);
    expect(h.entries).toEqual([
      { type: "reachable", at: 3000 },
      { type: "unreachable", at: 2000, error: "unavailable: gateway unreachable" },
    ]);
  });
});

describe("HistoryStore", () => {
  it("notifies subscribers only when the history changes", () => {
    const store = new HistoryStore();
    let calls = 0;
    store.subscribe(() => { calls++; });
    store.observeStatus({ state: CONNECTED, reconnectCount: 0 }, 1);
    store.observeStatus({ state: CONNECTED, reconnectCount: 0 }, 2);
    expect(calls).toBe(1);
    expect(store.snapshot().entries).toHaveLength(1);
  });
});

describe("stateWords", () => {
  it("uses the word connected only for a connected session", () => {
    const all = [ConnectionState.UNSPECIFIED, ConnectionState.STANDBY, DISCONNECTED, CONNECTING, CONNECTED, ConnectionState.BROKER_DISCONNECTED, ConnectionState.RESTART_WINDOW];
    expect(all.filter((s) => /connected/i.test(stateWords(s)))).toEqual([CONNECTED]);
  });
});
