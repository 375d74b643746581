import type { TradeResource, TradeSpec, TradeStatus } from "@spreadops/resources/schema";
import { describe, expect, it } from "vitest";
import { filledText } from "./bits";

const spec: TradeSpec = { strategyRef: "s", underlying: "SPY", kind: "bullPut", expiry: "2026-12-18", shortStrike: 580, longStrike: 575, quantity: 2, limitPrice: 1.25, mode: "paper" };

function trade(over: { spec?: TradeSpec; status?: TradeStatus } = {}): TradeResource {
  return {
    apiVersion: "trading.spreadops.dev/v1alpha1",
    kind: "Trade",
    metadata: { name: "t", resourceVersion: "1" },
    ...(over.spec === undefined ? {} : { spec: over.spec }),
    ...(over.status === undefined ? {} : { status: over.status }),
  };
}

describe("filledText", () => {
  it("shows contracts filled / ordered", () => {
    expect(filledText(trade({ spec, status: { filledQuantity: 1 } }))).toBe("1 / 2");
  });

  it("marks an unknown fill count or quantity with —", () => {
    expect(filledText(trade({ spec }))).toBe("— / 2");
    expect(filledText(trade({ status: { filledQuantity: 0 } }))).toBe("0 / —");
  });
});
