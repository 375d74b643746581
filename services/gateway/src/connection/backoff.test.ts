import { describe, expect, it } from "vitest";
import { Backoff } from "./backoff.js";

describe("Backoff", () => {
  it("doubles from the initial delay up to the cap", () => {
    const backoff = new Backoff({ initialMs: 500, maxMs: 30_000, jitter: 0 });
    expect(Array.from({ length: 9 }, () => backoff.next())).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    backoff.reset();
    expect(backoff.next()).toBe(500);
  });

  it("keeps jittered delays within [base × (1 − jitter), base]", () => {
    let seed = 1;
    const random = (): number => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    const backoff = new Backoff({ initialMs: 1000, maxMs: 60_000, jitter: 0.5 }, random);
    for (let i = 0; i < 200; i++) {
      const base = backoff.baseDelay(backoff.attempt);
      const delay = backoff.next();
      expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.5));
      expect(delay).toBeLessThanOrEqual(base);
    }
  });

  it("pins the extremes of the random source", () => {
    expect(new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.5 }, () => 0).next()).toBe(1000);
    expect(new Backoff({ initialMs: 1000, maxMs: 1000, jitter: 0.5 }, () => 0.999999).next()).toBe(500);
  });

  it("refuses nonsense bounds", () => {
    expect(() => new Backoff({ initialMs: 0, maxMs: 10 })).toThrow(RangeError);
    expect(() => new Backoff({ initialMs: 100, maxMs: 10 })).toThrow(RangeError);
  });
});
