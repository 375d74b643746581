import { describe, expect, it } from "vitest";
import { addCalendarDays, calendarDaysBetween, civilFromDays, daysFromCivil, daysToExpiry, epochDay, isExchangeDate, yearFraction } from "./dates.js";

describe("calendar days between exchange dates", () => {
  it("known counts", () => {
    expect(epochDay("1970-01-01")).toBe(0);
    expect(epochDay("2000-03-01")).toBe(11017);
    expect(calendarDaysBetween("2024-01-01", "2024-12-31")).toBe(365); // 2024 is a leap year
    expect(calendarDaysBetween("2023-01-01", "2023-12-31")).toBe(364);
    expect(calendarDaysBetween("2023-02-28", "2023-03-01")).toBe(1);
    expect(calendarDaysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(calendarDaysBetween("2100-02-28", "2100-03-01")).toBe(1); // 2100 is not a leap year
    expect(calendarDaysBetween("2024-12-31", "2025-01-01")).toBe(1);
    expect(calendarDaysBetween("2025-06-20", "2025-06-13")).toBe(-7);
  });

  it("DTE: 0 on expiration day, 1 the day before", () => {
    expect(daysToExpiry("2025-06-20", "2025-06-20")).toBe(0);
    expect(daysToExpiry("2025-06-19", "2025-06-20")).toBe(1);
    expect(yearFraction(daysToExpiry("2025-01-01", "2026-01-01"))).toBe(1);
  });

  it("agrees with Date.UTC for random dates 1900-2199", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const day = 86_400_000;
    for (let k = 0; k < 2000; k++) {
      const ms = Date.UTC(1900, 0, 1) + Math.floor(random() * 300 * 365.25) * day;
      const iso = new Date(ms).toISOString().slice(0, 10);
      expect(epochDay(iso)).toBe(ms / day);
      expect(addCalendarDays("1970-01-01", ms / day)).toBe(iso);
    }
  });

  it("addCalendarDays crosses months and years", () => {
    expect(addCalendarDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addCalendarDays("2023-02-28", 1)).toBe("2023-03-01");
    expect(addCalendarDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addCalendarDays("2025-03-01", -1)).toBe("2025-02-28");
    expect(() => addCalendarDays("2025-03-01", 0.5)).toThrow(RangeError);
  });

  it("refuses malformed and non-existent dates", () => {
    for (const bad of ["2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-1-01", "20240101", "2024-01-01T00:00", ""]) {
      expect(isExchangeDate(bad), bad).toBe(false);
      expect(() => epochDay(bad), bad).toThrow(RangeError);
    }
    expect(isExchangeDate("2024-02-29")).toBe(true);
    expect(isExchangeDate("2000-02-29")).toBe(true); // divisible by 400
    expect(isExchangeDate("2100-02-29")).toBe(false); // century, not divisible by 400
    expect(isExchangeDate("1900-02-29")).toBe(false);
  });
});

describe("daysFromCivil / civilFromDays", () => {
  it("agree with Date.UTC for every day from 1899 to 2101, and invert each other", () => {
    const start = Date.UTC(1899, 0, 1) / 86_400_000;
    const end = Date.UTC(2101, 11, 31) / 86_400_000;
    for (let days = start; days <= end; days++) {
      const d = new Date(days * 86_400_000);
      const civil = { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
      expect(daysFromCivil(civil.year, civil.month, civil.day)).toBe(days);
      const back = civilFromDays(days);
      if (back.year !== civil.year || back.month !== civil.month || back.day !== civil.day) {
        expect(back).toEqual(civil);
      }
    }
  });
});
