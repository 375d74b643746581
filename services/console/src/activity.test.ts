import { create } from "@bufbuild/protobuf";
import type { JsonObject } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { ActivitySeverity, ActivitySource, ExitAction, ExitReason, StreamSpreadEventsResponseSchema, TradePhase } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { ActivityFeed } from "./activity-feed.js";
import { orderActivity } from "./order-activity.js";
import { resourceActivity } from "./resource-activity.js";
import type { CacheChange } from "./resource-cache.js";
import { isUnreachable, upstreamError } from "./upstreams.js";

describe("ActivityFeed", () => {
  it("keeps the most recent entries, oldest first, with increasing ids, and fans new ones out", async () => {
    let now = 1_000;
    const feed = new ActivityFeed({ clock: { now: () => now }, capacity: 3 });
    for (let i = 1; i <= 5; i++) {
      now += 1;
      feed.add({ source: ActivitySource.SYSTEM, reason: "Test", message: `m${i}` });
    }
    expect(feed.recent().map((e) => [e.id, e.message])).toEqual([[3n, "m3"], [4n, "m4"], [5n, "m5"]]);
    const abort = new AbortController();
    const one = feed.subscribe(abort.signal);
    const two = feed.subscribe();
    expect(one.recent.map((e) => e.message)).toEqual(["m3", "m4", "m5"]);
    const entry = feed.add({ source: ActivitySource.AUDIT, severity: ActivitySeverity.WARNING, reason: "Denied", message: "x", actor: "a from b" });
    expect(entry).toMatchObject({ id: 6n, source: ActivitySource.AUDIT, severity: ActivitySeverity.WARNING, actor: "a from b", time: timestampFromMs(1_005) });
    const first = await one.live[Symbol.asyncIterator]().next();
    expect(first.value?.id).toBe(6n);
    abort.abort();
    expect(feed.subscribers).toBe(1);
    feed.close();
    expect(feed.subscribers).toBe(0);
    expect((await two.live[Symbol.asyncIterator]().next()).value?.id).toBe(6n);
  });
});

function trade(phase: string | undefined, message?: string): JsonObject {
  return {
    metadata: { name: "t1", uid: "u1" },
    spec: { underlying: "SPY", kind: "bearCall", shortStrike: 600, longStrike: 605, quantity: 2, limitPrice: 1.1, expiry: "2026-12-18" },
    ...(phase === undefined ? {} : { status: { phase, ...(message === undefined ? {} : { message }) } }),
  };
}

function strategy(phase: string, conditions: { type: string; status: string; reason?: string; message?: string }[]): JsonObject {
  return { metadata: { name: "s1" }, status: { phase, conditions } };
}

describe("resourceActivity", () => {
  it("reports a proposed trade and its phase changes, skipping the controller's first look", () => {
    expect(resourceActivity({ type: "ADDED", kind: "Trade", object: trade(undefined) })).toEqual([
      { source: ActivitySource.RESOURCE, kind: "Trade", name: "t1", reason: "TradeProposed", message: "proposed: SPY bear call 600/605 ×2 at 1.1, expiry 2026-12-18" },
    ]);
    expect(resourceActivity({ type: "MODIFIED", kind: "Trade", object: trade("Proposed"), previous: trade(undefined) })).toEqual([]);
    expect(resourceActivity({ type: "MODIFIED", kind: "Trade", object: trade("Open", "filled at 1.10"), previous: trade("Submitted") })).toEqual([
      expect.objectContaining({ severity: ActivitySeverity.INFO, reason: "PhaseChanged", message: "Submitted → Open: filled at 1.10" }),
    ]);
    expect(resourceActivity({ type: "MODIFIED", kind: "Trade", object: trade("Rejected", "IB 201"), previous: trade("Submitted") })[0]?.severity).toBe(ActivitySeverity.WARNING);
    // A P&L refresh is no news.
    expect(resourceActivity({ type: "MODIFIED", kind: "Trade", object: trade("Open"), previous: trade("Open") })).toEqual([]);
  });

  it("reports strategy phase changes and condition flips, a lost broker as a warning", () => {
    const before = strategy("Active", [{ type: "BrokerConnected", status: "True" }, { type: "InTradingWindow", status: "True" }]);
    const after = strategy("Degraded", [
      { type: "BrokerConnected", status: "False", reason: "Disconnected", message: "TWS connection lost (1100)" },
      { type: "InTradingWindow", status: "False", reason: "OutsideWindow" },
      { type: "Ready", status: "True" },
    ]);
    const change: CacheChange = { type: "MODIFIED", kind: "Strategy", object: after, previous: before };
    expect(resourceActivity(change).map((e) => [e.reason, e.severity, e.message])).toEqual([
      ["PhaseChanged", ActivitySeverity.WARNING, "Active → Degraded"],
      ["ConditionChanged", ActivitySeverity.WARNING, "BrokerConnected: True → False (Disconnected): TWS connection lost (1100)"],
      ["ConditionChanged", ActivitySeverity.INFO, "InTradingWindow: True → False (OutsideWindow)"],
    ]);
  });
});

describe("orderActivity", () => {
  const nameOf = (id: string) => (id === "u1" ? "t1" : undefined);

  it("turns order events into ORDER entries named by their Trade", () => {
    const walk = create(StreamSpreadEventsResponseSchema, { tradeId: "u1", time: timestampFromMs(42_000), event: { case: "walkStep", value: { step: 1, steps: 3, startPrice: 1.25, currentPrice: 1.2, targetPrice: 1.1 } } });
    expect(orderActivity(walk, nameOf)).toEqual({
      source: ActivitySource.ORDER, kind: "Trade", name: "t1", timeMs: 42_000, reason: "PriceWalked", message: "price walk step 1/3: limit 1.25 → 1.20 (natural 1.10)",
    });
    const broker = create(StreamSpreadEventsResponseSchema, { tradeId: "u2", event: { case: "brokerMessage", value: { code: 201, message: "Order rejected - reason: margin" } } });
    expect(orderActivity(broker, nameOf)).toMatchObject({ name: "u2", severity: ActivitySeverity.WARNING, message: "IB 201: Order rejected - reason: margin" });
    const exit = create(StreamSpreadEventsResponseSchema, { tradeId: "u1", event: { case: "exitDecision", value: { action: ExitAction.CLOSE, reason: ExitReason.STOP_LOSS, message: "SPY 571 ≤ stop 572.5" } } });
    expect(orderActivity(exit, nameOf)?.message).toBe("exit: close (stop loss): SPY 571 ≤ stop 572.5");
    const phase = create(StreamSpreadEventsResponseSchema, { tradeId: "u1", event: { case: "phaseChange", value: { from: TradePhase.APPROVED, to: TradePhase.SUBMITTED } } });
    expect(orderActivity(phase, nameOf)).toMatchObject({ severity: ActivitySeverity.INFO, message: "order Approved → Submitted" });
  });

  it("skips the initial-state messages", () => {
    expect(orderActivity(create(StreamSpreadEventsResponseSchema, { tradeId: "u1", initial: true }), nameOf)).toBeUndefined();
  });
});

describe("upstream errors", () => {
  const upstream = { name: "execution", url: "http://execution:8083" };

  it("names the service when it cannot be reached", () => {
    const refused = new ConnectError("connect ECONNREFUSED 10.0.0.9:8083", Code.Unavailable, undefined, undefined, Object.assign(new Error("connect ECONNREFUSED 10.0.0.9:8083"), { code: "ECONNREFUSED" }));
    expect(isUnreachable(refused)).toBe(true);
    const mapped = upstreamError(upstream, refused);
    expect([mapped.code, mapped.rawMessage]).toEqual([Code.Unavailable, "execution unreachable at http://execution:8083: connect ECONNREFUSED 10.0.0.9:8083"]);
  });

  it("passes the service's own answer on, an Unavailable of its own included", () => {
    const ownUnavailable = new ConnectError("TWS is not connected", Code.Unavailable);
    expect(isUnreachable(ownUnavailable)).toBe(false);
    expect(upstreamError(upstream, ownUnavailable).rawMessage).toBe("TWS is not connected");
    const invalid = upstreamError(upstream, new ConnectError("invalid interval: expected 250ms–1m, got 10ms", Code.InvalidArgument, { "x-internal": "1" }));
    expect([invalid.code, invalid.rawMessage, invalid.metadata.get("x-internal")]).toEqual([Code.InvalidArgument, "invalid interval: expected 250ms–1m, got 10ms", null]);
  });
});
