import type { StrategyResource, TradeResource } from "@spreadops/resources/schema";
import { describe, expect, it } from "vitest";
import { activePending, prunePending, conditionNeedsAttention, conditionTone, describeEntryRule, rangeText, sortConditions, tradesOf } from "./strategy-model";

const strategy = (paused: boolean | undefined): StrategyResource => ({
  apiVersion: "trading.spreadops.dev/v1alpha1", kind: "Strategy", metadata: { name: "s" },
  spec: { ...(paused === undefined ? {} : { paused }) } as StrategyResource["spec"],
});

describe("conditions", () => {
  it("highlights a False Ready-like condition, not a closed trading window", () => {
    expect(conditionTone({ type: "Ready", status: "False" })).toBe("bad");
    expect(conditionTone({ type: "BrokerConnected", status: "False" })).toBe("bad");
    expect(conditionTone({ type: "Ready", status: "True" })).toBe("good");
    expect(conditionTone({ type: "InTradingWindow", status: "False" })).toBe("muted");
    expect(conditionTone({ type: "Degraded", status: "True" })).toBe("bad");
    expect(conditionTone({ type: "Ready", status: "Unknown" })).toBe("warn");
    expect(conditionNeedsAttention({ type: "OpenTradesOnPreviousSpec", status: "True" })).toBe(false);
  });

  it("lists problems first, otherwise in order", () => {
    const sorted = sortConditions([
      { type: "InTradingWindow", status: "True" }, { type: "Ready", status: "True" }, { type: "BrokerConnected", status: "False" },
    ] as const);
    expect(sorted.map((c) => c.type)).toEqual(["BrokerConnected", "InTradingWindow", "Ready"]);
  });
});

describe("spec texts", () => {
  it("writes ranges", () => {
    expect(rangeText({ min: 30, max: 60 }, "days")).toBe("30–60 days");
    expect(rangeText({ min: 0.25 })).toBe("≥ 0.25");
    expect(rangeText({ max: 5 })).toBe("≤ 5");
    expect(rangeText({})).toBe("any");
    expect(rangeText({ min: 0.1 + 0.2, max: 0.3 + 1e-12 })).toBe("0.3");
  });

  it("describes entry rules", () => {
    expect(describeEntryRule({ indicator: "rsi", period: 14, below: 30, direction: "bullish" })).toBe("rsi(14) below 30 → bullish");
    expect(describeEntryRule({ indicator: "ema", period: 50, above: 2, direction: "bearish" })).toBe("ema(50) above 2% → bearish");
    expect(describeEntryRule({ indicator: "emaCross", fast: 20, slow: 50, direction: "bullish" })).toBe("emaCross 20/50 → bullish");
    expect(describeEntryRule({ indicator: "smaCross", fast: 5, slow: 20, period: 3, direction: "bearish" })).toBe("smaCross 5/20 within 3 bars → bearish");
    expect(describeEntryRule({ indicator: "atrMove", period: 14, multiple: 1.5, direction: "bearish" })).toBe("atrMove(14) ≥ 1.5 ATR → bearish");
  });
});

describe("pause pending state", () => {
  it("stays until the stream shows the target", () => {
    const pending = { target: true, acknowledged: true };
    expect(activePending(pending, strategy(false))).toBe(pending);
    expect(activePending(pending, strategy(undefined))).toBe(pending);
    expect(activePending(pending, strategy(true))).toBeUndefined();
    expect(activePending({ target: false, acknowledged: false }, strategy(undefined))).toBeUndefined();
    expect(activePending(pending, undefined)).toBeUndefined();
  });

  it("prunes confirmed and orphaned requests, keeping the map when nothing changed", () => {
    const named = (name: string, paused: boolean) => ({ ...strategy(paused), metadata: { name } });
    const pending = new Map([["a", { target: true, acknowledged: true }], ["b", { target: true, acknowledged: false }], ["gone", { target: false, acknowledged: true }]]);
    const pruned = prunePending(pending, [named("a", true), named("b", false)]);
    expect([...pruned.keys()]).toEqual(["b"]);
    expect(pending.size).toBe(3);
    const same = new Map([["b", { target: true, acknowledged: false }]]);
    expect(prunePending(same, [named("b", false)])).toBe(same);
  });

  it("finds a Strategy's trades", () => {
    const t = (name: string, ref: string) => ({ metadata: { name }, spec: { strategyRef: ref } }) as unknown as TradeResource;
    expect(tradesOf([t("a", "s"), t("b", "x"), t("c", "s")], "s").map((x) => x.metadata.name)).toEqual(["a", "c"]);
  });
});
