import type { StrategySpec, TradeSpec } from "../../crd/types.js";
import { apiVersionOf } from "../types.js";
import type { KubeObject, OwnerReference, ResourceType } from "../types.js";

// Valid under the real CRD schema: the suite must also pass against a cluster that validates.

export const strategySpec = (): StrategySpec => ({
  mode: "paper",
  universe: { symbols: ["SPY", "QQQ"], minPrice: 20 },
  schedule: { scanInterval: "5m", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } },
  entry: [{ indicator: "rsi", period: 14, below: 30, direction: "bullish" }],
  spread: { kind: "bullPut", dte: { min: 30, max: 60 }, shortDelta: { min: 0.25, max: 0.35 }, width: { min: 1, max: 10 } },
  risk: { maxOpenTrades: 5, maxRiskPerTrade: 500 },
  execution: { approval: "manual" },
});

export const tradeSpec = (strategyRef: string): TradeSpec => ({
  strategyRef,
  underlying: "SPY",
  kind: "bullPut",
  expiry: "2026-12-18",
  shortStrike: 580,
  longStrike: 575,
  quantity: 1,
  limitPrice: 1.25,
  mode: "paper",
});

export function objectOf<Spec, Status = never>(type: ResourceType, namespace: string, name: string, spec: Spec, meta: Partial<KubeObject["metadata"]> = {}): KubeObject<Spec, Status> {
  return { apiVersion: apiVersionOf(type), kind: type.kind, metadata: { ...meta, name, namespace }, spec };
}

export const ownerRef = (type: ResourceType, owner: KubeObject): OwnerReference => ({
  apiVersion: apiVersionOf(type),
  kind: type.kind,
  name: owner.metadata.name,
  uid: owner.metadata.uid ?? "",
  controller: true,
  blockOwnerDeletion: true,
});

/** A finalizer name the API server accepts (domain-qualified). */
export const TEST_FINALIZER = "conformance.spreadops.dev/hold";
