import { describe, expect, it } from "vitest";

import { EventBus, type BrokerEvent } from "./events.js";

const error = (id: number): BrokerEvent => ({ type: "error", time: 0, clientId: 1, id, code: 202, message: "" });

describe("event bus", () => {
  it("delivers events emitted from a listener after the current one, to every listener", () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.subscribe((e) => {
      if (e.type !== "error") return;
      seen.push(`a${e.id}`);
      if (e.id === 1) bus.emit(error(2));
    });
    bus.subscribe((e) => {
      if (e.type === "error") seen.push(`b${e.id}`);
    });
    bus.emit(error(1));
    expect(seen).toEqual(["a1", "b1", "a2", "b2"]);
  });

  it("a throwing listener does not starve the others; the error surfaces afterwards", () => {
    const bus = new EventBus();
    const seen: number[] = [];
    bus.subscribe(() => {
      throw new Error("boom");
    });
    const off = bus.subscribe((e) => {
      if (e.type === "error") seen.push(e.id);
    });
    expect(() => {
      bus.emit(error(1));
    }).toThrow("boom");
    expect(seen).toEqual([1]);
    off();
    expect(() => {
      bus.emit(error(2));
    }).toThrow("boom");
    expect(seen).toEqual([1]);
  });
});
