import { describe, expect, it } from "vitest";
import { duration, formatDuration, parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it("reads single and compound units into milliseconds", () => {
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("15s")).toBe(15_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("1.5s")).toBe(1_500);
    expect(parseDuration("2d")).toBe(172_800_000);
    expect(parseDuration("0")).toBe(0);
  });

  it("rejects bare numbers, unknown units and junk", () => {
    for (const text of ["15", "15x", "s", "-1s", "1 s", "", "1h 30m"]) expect(parseDuration(text), text).toBeUndefined();
  });
});

describe("formatDuration", () => {
  it("round-trips through parseDuration", () => {
    for (const ms of [0, 250, 15_000, 90_000, 5_400_000, 86_400_250]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
    expect(formatDuration(90_000)).toBe("1m30s");
  });
});

describe("duration()", () => {
  it("validates milliseconds against its bounds", () => {
    const schema = duration({ min: "1s", max: "1m" });
    expect(schema.safeParse(5_000).success).toBe(true);
    expect(schema.safeParse(500).error?.issues[0]?.message).toBe("must be at least 1s");
    expect(schema.safeParse(61_000).error?.issues[0]?.message).toBe("must be at most 1m");
  });
});
