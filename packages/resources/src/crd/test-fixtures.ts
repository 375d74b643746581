/**
 * Valid Strategy and Trade objects for the crd tests, written out by hand (not derived from the
 * schema), as a user would write them.
 */
import type { KubeObject } from "../store/types.js";
import type { StrategySpec, TradeSpec } from "./types.js";

export function strategyObject(spec: Partial<StrategySpec> = {}): KubeObject<Record<string, unknown>> {
  return {
    apiVersion: "trading.spreadops.dev/v1alpha1",
    kind: "Strategy",
    metadata: { name: "spy-bull-put", namespace: "default" },
    spec: {
      mode: "paper",
      universe: { symbols: ["SPY", "QQQ"], minPrice: 20 },
      schedule: { scanInterval: "5m", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } },
      entry: [{ indicator: "rsi", period: 14, below: 30, direction: "bullish" }],
      spread: { kind: "bullPut", dte: { min: 30, max: 60 }, shortDelta: { min: 0.25, max: 0.35 }, width: { min: 1, max: 10 } },
      risk: { maxOpenTrades: 5, maxRiskPerTrade: 500, exitAtDte: 7 },
      execution: { approval: "manual", limitOffset: 0.02, walk: { steps: 3, every: "20s" } },
      ...spec,
    },
  };
}

export function tradeObject(spec: Partial<TradeSpec> = {}): KubeObject<Record<string, unknown>> {
  return {
    apiVersion: "trading.spreadops.dev/v1alpha1",
    kind: "Trade",
    metadata: { name: "spy-bull-put-spy-261218-1a2b3c4d", namespace: "default", uid: "6f1c9a52-2d1e-4c1b-9a57-0d1f2e3a4b5c" },
    spec: {
      strategyRef: "spy-bull-put",
      underlying: "SPY",
      kind: "bullPut",
      expiry: "2026-12-18",
      shortStrike: 580,
      longStrike: 575,
      quantity: 1,
      limitPrice: 1.25,
      mode: "paper",
      ...spec,
    },
  };
}
