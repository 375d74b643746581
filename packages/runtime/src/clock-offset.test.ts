import { describe, expect, it } from "vitest";
import { systemClock } from "./clock.js";
import { parseConfig } from "./config.js";
import { clockOffsetOption, offsetClock } from "./clock-offset.js";

describe("offsetClock", () => {
  it("moves now() by the offset and leaves timers at their real length", async () => {
    const shifted = offsetClock(systemClock, -3 * 86_400_000);
    const before = Date.now();
    const now = shifted.now();
    expect(now).toBeGreaterThanOrEqual(before - 3 * 86_400_000);
    expect(now).toBeLessThanOrEqual(Date.now() - 3 * 86_400_000);
    const started = Date.now();
    await shifted.sleep(30);
    // A shifted clock must not shift durations: the sleep took about 30 real milliseconds, not days.
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("is the base clock itself for a zero offset", () => {
    expect(offsetClock(systemClock, 0)).toBe(systemClock);
  });
});

describe("clockOffsetOption", () => {
  it("takes negative seconds from the flag or the service's env var, and names both on a bad value", () => {
    const options = clockOffsetOption("strategy");
    expect(parseConfig(options, { argv: ["--clock-offset", "-86400"], env: {} }).clockOffset).toBe(-86_400);
    expect(parseConfig(options, { argv: [], env: { SPREADOPS_STRATEGY_CLOCK_OFFSET: "3600" } }).clockOffset).toBe(3600);
    expect(parseConfig(options, { argv: [], env: {} }).clockOffset).toBe(0);
    expect(() => parseConfig(options, { argv: ["--clock-offset", "1.5"], env: {} })).toThrow(/--clock-offset/);
  });
});
