import { describe, expect, it } from "vitest";
import { findCondition, setCondition, setConditions } from "./conditions.js";

const T0 = Date.UTC(2026, 2, 10, 14, 0);
const T1 = T0 + 60_000;

describe("conditions", () => {
  it("keeps lastTransitionTime when the status does not change, moves it when it does", () => {
    const first = setCondition(undefined, { type: "Ready", status: "True", reason: "Scanned", message: "ok", observedGeneration: 1 }, T0);
    const same = setCondition(first, { type: "Ready", status: "True", reason: "Scanned", message: "ok again", observedGeneration: 2 }, T1);
    expect(same[0]).toEqual({ type: "Ready", status: "True", reason: "Scanned", message: "ok again", lastTransitionTime: new Date(T0).toISOString(), observedGeneration: 2 });
    const flipped = setCondition(same, { type: "Ready", status: "False", reason: "InvalidSpec", message: "bad" }, T1);
    expect(flipped[0]?.lastTransitionTime).toBe(new Date(T1).toISOString());
    expect(flipped[0]?.observedGeneration).toBeUndefined();
  });

  it("adds new types in order, replaces in place and never mutates its input", () => {
    const list = setConditions(undefined, [
      { type: "Ready", status: "Unknown", reason: "Reconciling", message: "" },
      { type: "BrokerConnected", status: "True", reason: "Connected", message: "" },
    ], T0);
    const frozen = Object.freeze(list.map((c) => Object.freeze(c)));
    const next = setCondition(frozen, { type: "Ready", status: "True", reason: "Scanned", message: "" }, T1);
    expect(next.map((c) => c.type)).toEqual(["Ready", "BrokerConnected"]);
    expect(findCondition(frozen, "Ready")?.status).toBe("Unknown");
    expect(findCondition(next, "Ready")?.status).toBe("True");
  });
});
