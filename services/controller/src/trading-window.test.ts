import { describe, expect, it } from "vitest";
import { inTradingWindow, localDate, nextLocalMidnight, nextWindowOpen, parseHhMm } from "./trading-window.js";

const NY = { scanInterval: "5m", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } };

describe("trading window", () => {
  it("is judged in the schedule's zone, start inclusive, end exclusive, weekdays only", () => {
    expect(inTradingWindow(Date.parse("2026-03-10T13:45:00Z"), NY)).toBe(true); // 09:45 EDT, Tuesday
    expect(inTradingWindow(Date.parse("2026-03-10T13:44:59Z"), NY)).toBe(false);
    expect(inTradingWindow(Date.parse("2026-03-10T19:45:00Z"), NY)).toBe(false); // 15:45 EDT
    expect(inTradingWindow(Date.parse("2026-03-14T15:00:00Z"), NY)).toBe(false); // Saturday
    expect(inTradingWindow(Date.parse("2026-03-06T14:45:00Z"), NY)).toBe(true); // 09:45 EST
  });

  it("finds the next opening across evenings, weekends and DST", () => {
    expect(nextWindowOpen(Date.parse("2026-03-10T20:00:00Z"), NY)).toBe(Date.parse("2026-03-11T13:45:00Z"));
    expect(nextWindowOpen(Date.parse("2026-03-13T21:00:00Z"), NY)).toBe(Date.parse("2026-03-16T13:45:00Z"));
    // Friday before the spring-forward Sunday (8 March 2026): EST Friday, EDT Monday.
    expect(nextWindowOpen(Date.parse("2026-03-06T21:00:00Z"), NY)).toBe(Date.parse("2026-03-09T13:45:00Z"));
    const inside = Date.parse("2026-03-10T15:00:00Z");
    expect(nextWindowOpen(inside, NY)).toBe(inside);
  });

  it("gives local dates and midnights", () => {
    expect(localDate(Date.parse("2026-03-11T03:00:00Z"), "America/New_York")).toBe(20260310);
    expect(nextLocalMidnight(Date.parse("2026-03-10T15:00:00Z"), "America/New_York")).toBe(Date.parse("2026-03-11T04:00:00Z"));
    expect(parseHhMm("24:00")).toBeUndefined();
  });
});
