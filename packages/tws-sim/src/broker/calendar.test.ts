import { describe, expect, it } from "vitest";

import { weekdayCloseCalendar } from "./calendar.js";

describe("weekday close calendar (16:00 America/New_York)", () => {
  const cal = weekdayCloseCalendar();

  it("closes the same day before 16:00 ET (EST = UTC−5)", () => {
    expect(cal.sessionClose(Date.UTC(2025, 0, 6, 15))).toBe(Date.UTC(2025, 0, 6, 21));
  });

  it("an order at or after the close belongs to the next weekday", () => {
    expect(cal.sessionClose(Date.UTC(2025, 0, 6, 21))).toBe(Date.UTC(2025, 0, 7, 21));
    // Friday 17:00 ET → Monday.
    expect(cal.sessionClose(Date.UTC(2025, 0, 10, 22))).toBe(Date.UTC(2025, 0, 13, 21));
  });

  it("follows daylight saving time (EDT = UTC−4), also across the switch weekend", () => {
    expect(cal.sessionClose(Date.UTC(2025, 6, 1, 14))).toBe(Date.UTC(2025, 6, 1, 20));
    expect(cal.sessionClose(Date.UTC(2025, 2, 7, 22))).toBe(Date.UTC(2025, 2, 10, 20));
  });

  it("takes another zone and hour", () => {
    const london = weekdayCloseCalendar({ timeZone: "Europe/London", closeHour: 16, closeMinute: 30 });
    expect(london.sessionClose(Date.UTC(2025, 0, 6, 9))).toBe(Date.UTC(2025, 0, 6, 16, 30));
  });
});
