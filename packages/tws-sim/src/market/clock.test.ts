import { describe, expect, it } from "vitest";
import { SimClock } from "./clock.js";

describe("SimClock", () => {
  it("follows an injected real-time source", () => {
    let real = 1_000;
    const clock = SimClock.real(() => real);
    expect(clock.mode).toBe("real");
    expect(clock.now()).toBe(1_000);
    real += 250;
    expect(clock.now()).toBe(1_250);
  });

  it("runs accelerated from a chosen start", () => {
    let real = 50_000;
    const clock = SimClock.accelerated({ start: 1_773_154_800_000, factor: 60, source: () => real });
    expect(clock.now()).toBe(1_773_154_800_000);
    real += 1_000; // one real second = one simulated minute
    expect(clock.now()).toBe(1_773_154_860_000);
    clock.setFactor(1);
    real += 1_000;
    expect(clock.now()).toBe(1_773_154_861_000);
  });

  it("moves only when stepped in manual mode and never goes back", () => {
    const clock = SimClock.manual(10_000);
    expect(clock.now()).toBe(10_000);
    clock.advance(5_000);
    expect(clock.now()).toBe(15_000);
    clock.set(20_000);
    expect(clock.now()).toBe(20_000);
    expect(() => clock.set(19_999)).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => { clock.setFactor(2); }).toThrow();
  });

  it("never reports an earlier time even if the source jumps back", () => {
    let real = 5_000;
    const clock = SimClock.real(() => real);
    real = 4_000;
    expect(clock.now()).toBe(5_000);
  });
});
