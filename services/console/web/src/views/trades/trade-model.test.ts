import type { TradeResource, TradeSpec, TradeStatus } from "@spreadops/resources/schema";
import { describe, expect, it } from "vitest";
import { isClosable, proposalChanges, prunePending, sectionOf, sectionTrades, shownUnrealized, sortBy, statusNote, tradeIdOf, type ExecutionQuote, type Pending } from "./trade-model";

const spec: TradeSpec = { strategyRef: "s", underlying: "SPY", kind: "bullPut", expiry: "2026-12-18", shortStrike: 580, longStrike: 575, quantity: 1, limitPrice: 1.25, mode: "paper" };

function trade(name: string, over: { spec?: Partial<TradeSpec>; status?: TradeStatus; created?: string; rv?: string; uid?: string } = {}): TradeResource {
  return {
    apiVersion: "trading.spreadops.dev/v1alpha1",
    kind: "Trade",
    metadata: { name, resourceVersion: over.rv ?? "1", creationTimestamp: over.created ?? "2026-01-01T10:00:00Z", ...(over.uid === undefined ? {} : { uid: over.uid }) },
    spec: { ...spec, ...over.spec },
    ...(over.status === undefined ? {} : { status: over.status }),
  };
}

describe("sectionOf", () => {
  it("puts Proposed, Previewed and phase-less proposals under waiting", () => {
    expect(sectionOf(trade("a"))).toBe("waiting");
    expect(sectionOf(trade("b", { status: { phase: "Proposed" } }))).toBe("waiting");
    expect(sectionOf(trade("c", { status: { phase: "Previewed" } }))).toBe("waiting");
  });

  it("moves an approved or rejected proposal out of waiting before the controller acts", () => {
    expect(sectionOf(trade("a", { spec: { approved: true }, status: { phase: "Previewed" } }))).toBe("open");
    expect(sectionOf(trade("b", { spec: { rejected: true }, status: { phase: "Proposed" } }))).toBe("history");
  });

  it("sorts every other phase into open positions or history", () => {
    for (const phase of ["Approved", "Submitted", "PartiallyFilled", "Open", "Closing"] as const) expect(sectionOf(trade(phase, { status: { phase } }))).toBe("open");
    for (const phase of ["Closed", "Rejected", "Cancelled", "Expired"] as const) expect(sectionOf(trade(phase, { status: { phase } }))).toBe("history");
  });

  it("lets a terminal phase win over a stale approval flag", () => {
    expect(sectionOf(trade("a", { spec: { approved: true }, status: { phase: "Cancelled" } }))).toBe("history");
  });
});

describe("sectionTrades", () => {
  it("orders history by close time, newest first, falling back to creation time", () => {
    const old = trade("old", { status: { phase: "Closed", closedAt: "2026-02-01T10:00:00Z" } });
    const recent = trade("recent", { status: { phase: "Expired", closedAt: "2026-03-01T10:00:00Z" } });
    const rejectedNoClose = trade("rej", { created: "2026-02-15T10:00:00Z", status: { phase: "Rejected" } });
    expect(sectionTrades([old, rejectedNoClose, recent]).history.map((t) => t.metadata.name)).toEqual(["recent", "rej", "old"]);
  });

  it("lists not-yet-opened positions first, then the most recently opened", () => {
    const a = trade("a", { status: { phase: "Open", openedAt: "2026-02-01T10:00:00Z" } });
    const b = trade("b", { status: { phase: "Open", openedAt: "2026-02-03T10:00:00Z" } });
    const c = trade("c", { status: { phase: "Submitted" } });
    expect(sectionTrades([a, b, c]).open.map((t) => t.metadata.name)).toEqual(["c", "b", "a"]);
  });

  it("lists proposals newest first", () => {
    const a = trade("a", { created: "2026-01-01T10:00:00Z" });
    const b = trade("b", { created: "2026-01-02T10:00:00Z" });
    expect(sectionTrades([a, b]).waiting.map((t) => t.metadata.name)).toEqual(["b", "a"]);
  });
});

describe("isClosable", () => {
  it("allows Open and PartiallyFilled not yet asked to close", () => {
    expect(isClosable(trade("a", { status: { phase: "Open" } }))).toBe(true);
    expect(isClosable(trade("a", { status: { phase: "PartiallyFilled" } }))).toBe(true);
    expect(isClosable(trade("a", { spec: { close: true }, status: { phase: "Open" } }))).toBe(false);
    expect(isClosable(trade("a", { status: { phase: "Closing" } }))).toBe(false);
  });
});

describe("prunePending", () => {
  const approving: Pending = { action: "approve", resourceVersion: "1", inFlight: false };

  it("keeps an approval marker until the store shows approved, then drops it", () => {
    const before = new Map([["a", approving]]);
    expect(prunePending(before, [trade("a")])).toBe(before);
    expect(prunePending(before, [trade("a", { spec: { approved: true }, rv: "2" })]).has("a")).toBe(false);
  });

  it("never drops a marker whose call is still in flight, and drops one whose trade is gone", () => {
    const inFlight = new Map([["a", { ...approving, inFlight: true }]]);
    expect(prunePending(inFlight, [trade("a", { spec: { approved: true } })]).has("a")).toBe(true);
    expect(prunePending(new Map([["a", approving]]), []).size).toBe(0);
  });

  it("drops a close marker once spec.close is set", () => {
    const closing = new Map<string, Pending>([["a", { action: "close", resourceVersion: "5", inFlight: false }]]);
    expect(prunePending(closing, [trade("a", { status: { phase: "Open" } })]).has("a")).toBe(true);
    expect(prunePending(closing, [trade("a", { spec: { close: true }, status: { phase: "Open" } })]).has("a")).toBe(false);
  });
});

describe("shownUnrealized", () => {
  const quote: ExecutionQuote = { unrealizedPnlUsd: -42.5, realizedPnlUsd: undefined, currentMid: 1.6, multiplier: 100, at: 1000 };
  const open = trade("a", { status: { phase: "Open", unrealizedPnl: 10 } });

  it("prefers the execution service's streamed value while its stream is live", () => {
    expect(shownUnrealized(open, quote, true)).toEqual({ value: -42.5, source: "execution", at: 1000, stale: false });
  });

  it("falls back to the Trade status when the stream is down", () => {
    expect(shownUnrealized(open, quote, false)).toEqual({ value: 10, source: "status", stale: false });
  });

  it("shows the last streamed value as stale when nothing else is known, and unknown otherwise", () => {
    const bare = trade("b", { status: { phase: "Open" } });
    expect(shownUnrealized(bare, quote, false)).toMatchObject({ value: -42.5, stale: true });
    expect(shownUnrealized(bare, undefined, true)).toMatchObject({ value: undefined, source: "none" });
  });
});

describe("tradeIdOf", () => {
  it("uses status.orderRef, else metadata.uid", () => {
    expect(tradeIdOf(trade("a", { uid: "u-1", status: { orderRef: "u-1" } }))).toBe("u-1");
    expect(tradeIdOf(trade("a", { uid: "u-2" }))).toBe("u-2");
    expect(tradeIdOf(trade("a"))).toBeUndefined();
  });
});

describe("proposalChanges", () => {
  it("lists the decision fields that changed, and nothing else", () => {
    const before = trade("a", { rv: "1", status: { phase: "Proposed" } });
    const after = trade("a", {
      rv: "2",
      spec: { limitPrice: 1.2 },
      status: { phase: "Previewed", preview: { maxProfit: 120, maxLoss: 380, breakeven: 578.8, initMargin: 500 } },
    });
    const changes = proposalChanges(before, after);
    expect(changes).toContainEqual({ field: "limit price", before: "1.25", after: "1.20" });
    expect(changes).toContainEqual({ field: "preview max loss", before: "unset", after: "380" });
    expect(changes).toContainEqual({ field: "phase", before: "Proposed", after: "Previewed" });
    expect(changes.map((c) => c.field)).not.toContain("quantity");
  });

  it("is empty when only bookkeeping changed", () => {
    expect(proposalChanges(trade("a", { rv: "1" }), trade("a", { rv: "2" }))).toEqual([]);
  });
});

describe("sortBy", () => {
  const rows = [{ n: "a", v: 3 }, { n: "b", v: undefined }, { n: "c", v: -1 }, { n: "d", v: 10 }];

  it("sorts ascending and descending with unknown values last both ways", () => {
    expect(sortBy(rows, (r) => r.v, "ascending").map((r) => r.n)).toEqual(["c", "a", "d", "b"]);
    expect(sortBy(rows, (r) => r.v, "descending").map((r) => r.n)).toEqual(["d", "a", "c", "b"]);
  });

  it("sorts strings and keeps equal keys in their order", () => {
    const s = [{ n: "1", v: "QQQ" }, { n: "2", v: "IWM" }, { n: "3", v: "QQQ" }];
    expect(sortBy(s, (r) => r.v, "ascending").map((r) => r.n)).toEqual(["2", "1", "3"]);
  });
});

describe("statusNote", () => {
  const reason = "RSI(14) 27 < 30: bullish; bull put 580/575";
  it("drops the repeated reason and keeps the rest of the controller's message", () => {
    expect(statusNote(`waiting for approval (set spec.approved: true); ${reason}; preview: max loss 620 USD`, reason))
      .toBe("waiting for approval (set spec.approved: true); preview: max loss 620 USD");
    expect(statusNote(`waiting for approval; ${reason}`, reason)).toBe("waiting for approval");
  });
  it("keeps a message that does not repeat the reason, and drops one that is only the reason", () => {
    expect(statusNote("order submitted, id 17", reason)).toBe("order submitted, id 17");
    expect(statusNote(reason, reason)).toBeUndefined();
    expect(statusNote("", reason)).toBeUndefined();
    expect(statusNote("placed", undefined)).toBe("placed");
  });
});
