import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { ActivityEntrySchema, ActivitySeverity, ActivitySource } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { ALL_SOURCES, announcement, filterEntries, fromProto, mergeEntries, objectPath, type FeedEntry, type FeedFilter } from "./feed";

const T0 = Date.UTC(2026, 0, 5, 14, 30, 0);

function entry(id: number, over: { at?: number; severity?: ActivitySeverity; source?: ActivitySource; kind?: string; name?: string; reason?: string; message?: string; actor?: string } = {}): FeedEntry {
  return fromProto(create(ActivityEntrySchema, {
    id: BigInt(id),
    time: timestampFromMs(over.at ?? T0 + id * 1000),
    source: over.source ?? ActivitySource.RESOURCE,
    severity: over.severity ?? ActivitySeverity.INFO,
    kind: over.kind ?? "Trade",
    name: over.name ?? `t${id}`,
    reason: over.reason ?? "PhaseChanged",
    message: over.message ?? `message ${id}`,
    actor: over.actor ?? "",
  }));
}

const ids = (entries: readonly FeedEntry[]) => entries.map((e) => e.id);

describe("fromProto", () => {
  it("keeps the id as a decimal string and the time in ms", () => {
    const e = entry(12345678901234, { at: T0 });
    expect(e.id).toBe("12345678901234");
    expect(e.timeMs).toBe(T0);
  });
});

describe("mergeEntries", () => {
  it("keeps entries newest first whatever order they arrive in", () => {
    const { entries } = mergeEntries([], [entry(1), entry(3), entry(2)]);
    expect(ids(entries)).toEqual(["3", "2", "1"]);
  });

  it("drops the entries a reconnect re-sends, reporting only the new ones as added", () => {
    const first = mergeEntries([], [entry(1), entry(2), entry(3)]).entries;
    const again = mergeEntries(first, [entry(2), entry(3), entry(4)]);
    expect(ids(again.entries)).toEqual(["4", "3", "2", "1"]);
    expect(ids(again.added)).toEqual(["4"]);
  });

  it("returns the same array when nothing is new (no re-render)", () => {
    const first = mergeEntries([], [entry(1)]).entries;
    expect(mergeEntries(first, [entry(1)]).entries).toBe(first);
  });

  it("keeps a restarted console's entry whose id was used before, at another time", () => {
    const before = mergeEntries([], [entry(1, { at: T0 })]).entries;
    const after = mergeEntries(before, [entry(1, { at: T0 + 60_000, message: "after restart" })]).entries;
    expect(after.map((e) => e.message)).toEqual(["after restart", "message 1"]);
  });

  it("caps at 1000 by dropping the oldest", () => {
    let entries: readonly FeedEntry[] = [];
    for (let i = 1; i <= 1005; i++) entries = mergeEntries(entries, [entry(i)]).entries;
    expect(entries).toHaveLength(1000);
    expect(entries[0]?.id).toBe("1005");
    expect(entries.at(-1)?.id).toBe("6");
  });

  it("does not report an entry as added when it is older than everything kept at the cap", () => {
    const full = mergeEntries([], [entry(10), entry(11)], 2).entries;
    const result = mergeEntries(full, [entry(5)], 2);
    expect(ids(result.entries)).toEqual(["11", "10"]);
    expect(result.added).toEqual([]);
  });

  it("orders entries of the same instant by id", () => {
    const { entries } = mergeEntries([], [entry(7, { at: T0 }), entry(9, { at: T0 }), entry(8, { at: T0 })]);
    expect(ids(entries)).toEqual(["9", "8", "7"]);
  });
});

describe("filterEntries", () => {
  const all: FeedFilter = { sources: new Set(ALL_SOURCES), minSeverity: ActivitySeverity.INFO, text: "" };
  const entries = [
    entry(1, { source: ActivitySource.ORDER, reason: "Filled", message: "SELL 1 SPY 580 P at 2.10" }),
    entry(2, { source: ActivitySource.AUDIT, reason: "Approved", actor: "alice from 127.0.0.1", severity: ActivitySeverity.INFO }),
    entry(3, { source: ActivitySource.SYSTEM, severity: ActivitySeverity.WARNING, kind: "", name: "", reason: "Unreachable", message: "gateway unreachable" }),
    entry(4, { source: ActivitySource.RESOURCE, severity: ActivitySeverity.ERROR, reason: "Rejected", message: "IB 201: margin" }),
  ];

  it("filters by source", () => {
    expect(ids(filterEntries(entries, { ...all, sources: new Set([ActivitySource.ORDER, ActivitySource.AUDIT]) }))).toEqual(["1", "2"]);
  });

  it("filters by lowest severity", () => {
    expect(ids(filterEntries(entries, { ...all, minSeverity: ActivitySeverity.WARNING }))).toEqual(["3", "4"]);
    expect(ids(filterEntries(entries, { ...all, minSeverity: ActivitySeverity.ERROR }))).toEqual(["4"]);
  });

  it("matches every word of the text, case-insensitively, in message, reason, object and actor", () => {
    expect(ids(filterEntries(entries, { ...all, text: "spy FILLED" }))).toEqual(["1"]);
    expect(ids(filterEntries(entries, { ...all, text: "alice" }))).toEqual(["2"]);
    expect(ids(filterEntries(entries, { ...all, text: "t4" }))).toEqual(["4"]);
    expect(ids(filterEntries(entries, { ...all, text: "spy margin" }))).toEqual([]);
  });
});

describe("announcement", () => {
  it("says nothing about fills and phase changes", () => {
    expect(announcement([entry(1, { reason: "Filled" })])).toBeUndefined();
  });

  it("announces the most severe new entry and how many more there are", () => {
    const text = announcement([
      entry(1, { severity: ActivitySeverity.WARNING, reason: "Unreachable", message: "gateway down", kind: "", name: "" }),
      entry(2, { severity: ActivitySeverity.ERROR, reason: "Rejected", message: "IB 201: margin", name: "spy-1" }),
      entry(3, { reason: "Filled" }),
    ]);
    expect(text).toBe("Error Trade spy-1: Rejected — IB 201: margin (and 1 more)");
  });
});

describe("objectPath", () => {
  it("links Trades and Strategies, and nothing else", () => {
    expect(objectPath({ kind: "Trade", name: "spy-1" })).toBe("/trades/spy-1");
    expect(objectPath({ kind: "Strategy", name: "index-bull-put" })).toBe("/strategies/index-bull-put");
    expect(objectPath({ kind: "", name: "" })).toBeUndefined();
  });
});
