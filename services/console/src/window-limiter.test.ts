import { describe, expect, it } from "vitest";
import { WindowLimiter } from "./window-limiter.js";

describe("WindowLimiter", () => {
  it("allows `limit` events per window, flags the first refused one, and starts over in the next window", () => {
    let now = 1_000;
    const limiter = new WindowLimiter({ limit: 3, windowMs: 60_000, clock: { now: () => now } });
    expect([limiter.take(), limiter.take(), limiter.take(), limiter.take(), limiter.take()])
      .toEqual(["allowed", "allowed", "allowed", "first-refused", "refused"]);
    now += 59_999;
    expect(limiter.take()).toBe("refused");
    now += 1;
    expect([limiter.take(), limiter.take(), limiter.take(), limiter.take()]).toEqual(["allowed", "allowed", "allowed", "first-refused"]);
  });
});
