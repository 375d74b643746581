// Test-only: the embedded store with the real CRD validators, valid objects, and small helpers.
import type { KubeObject } from "@spreadops/resources";
import { API_VERSION, EmbeddedStore, crdTypeRegistrations } from "@spreadops/resources";

/** An in-memory store validating Strategies and Trades as a cluster would. */
export function memoryStore(): EmbeddedStore {
  return new EmbeddedStore({ types: crdTypeRegistrations() });
}

/** A valid Strategy spec as a user writes it. */
export function strategySpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    mode: "paper",
    universe: { symbols: ["SPY", "QQQ"], minPrice: 20 },
    schedule: { scanInterval: "5m", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } },
    entry: [{ indicator: "rsi", period: 14, below: 30, direction: "bullish" }],
    spread: { kind: "bullPut", dte: { min: 30, max: 60 }, shortDelta: { min: 0.25, max: 0.35 }, width: { min: 1, max: 10 } },
    risk: { maxOpenTrades: 5, maxRiskPerTrade: 500, exitAtDte: 7 },
    execution: { approval: "manual", limitOffset: 0.02, walk: { steps: 3, every: "20s" } },
    ...overrides,
  };
}

export function strategyObject(name: string, namespace = "default", spec = strategySpec()): KubeObject {
  return { apiVersion: API_VERSION, kind: "Strategy", metadata: { name, namespace }, spec };
}

export function tradeObject(name: string, namespace = "default", overrides: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: "Trade",
    metadata: { name, namespace },
    spec: { strategyRef: "spy", underlying: "SPY", kind: "bullPut", expiry: "2026-12-18", shortStrike: 580, longStrike: 575, quantity: 1, limitPrice: 1.25, mode: "paper", ...overrides },
  };
}

/** A what-if preview as the controller writes it. */
export const PREVIEW = { initMargin: 500, maintMargin: 500, commission: 2.6, maxProfit: 125, maxLoss: 375, breakeven: 578.75 };

/** Waits until `check` holds, polling; fails naming `what` after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
