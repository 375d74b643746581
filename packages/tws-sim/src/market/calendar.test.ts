import { describe, expect, it } from "vitest";
import { TradingCalendar } from "./calendar.js";
import { civilFromDays, daysFromCivil, isoFromDays, parseDate, toIbDate, tryParseDate, weekday } from "./civil-date.js";
import { easterSunday, nyseEarlyCloses, nyseHolidays } from "./holidays.js";
import { ExchangeTimeZone } from "./time-zone.js";

const utc = (iso: string): number => Date.parse(iso);
const day = (iso: string): number => parseDate(iso);
const calendar = new TradingCalendar();

describe("civil dates", () => {
  it("round-trips day numbers and knows weekdays", () => {
    for (let d = -800_000; d < 800_000; d += 997) {
      const { year, month, day: dom } = civilFromDays(d);
      expect(daysFromCivil(year, month, dom)).toBe(d);
    }
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(isoFromDays(daysFromCivil(2024, 2, 29))).toBe("2024-02-29");
    expect(weekday(day("2026-03-08"))).toBe(0); // a Sunday
    expect(weekday(day("2026-11-27"))).toBe(5); // a Friday
  });

  it("parses ISO and IB dates and rejects impossible ones", () => {
    expect(parseDate("20260320")).toBe(parseDate("2026-03-20"));
    expect(toIbDate("2026-03-20")).toBe("20260320");
    expect(tryParseDate("2026-02-30")).toBeUndefined();
    expect(tryParseDate("2026-13-01")).toBeUndefined();
    expect(tryParseDate("202603")).toBeUndefined();
  });
});

describe("ExchangeTimeZone (America/New_York via Intl)", () => {
  const tz = new ExchangeTimeZone();
  const HOUR = 3_600_000;

  it("switches to EDT at 02:00 EST on 2026-03-08 and back to EST at 02:00 EDT on 2026-11-01", () => {
    expect(tz.offsetMs(utc("2026-03-08T06:59:59Z"))).toBe(-5 * HOUR);
    expect(tz.offsetMs(utc("2026-03-08T07:00:00Z"))).toBe(-4 * HOUR);
    expect(tz.offsetMs(utc("2026-11-01T05:59:59Z"))).toBe(-4 * HOUR);
    expect(tz.offsetMs(utc("2026-11-01T06:00:00Z"))).toBe(-5 * HOUR);
  });

  it("converts wall-clock times on both sides of the changes", () => {
    expect(tz.toUtc(day("2026-03-06"), 9.5 * HOUR)).toBe(utc("2026-03-06T14:30:00Z"));
    expect(tz.toUtc(day("2026-03-09"), 9.5 * HOUR)).toBe(utc("2026-03-09T13:30:00Z"));
    expect(tz.toUtc(day("2026-10-30"), 16 * HOUR)).toBe(utc("2026-10-30T20:00:00Z"));
    expect(tz.toUtc(day("2026-11-02"), 16 * HOUR)).toBe(utc("2026-11-02T21:00:00Z"));
    // Late evening in New York is already the next day in UTC.
    expect(tz.dayOf(utc("2026-07-01T03:30:00Z"))).toBe(day("2026-06-30"));
    expect(tz.timeOfDayMs(utc("2026-07-01T03:30:00Z"))).toBe(23.5 * HOUR);
  });

  it("does not depend on the machine's time zone", () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = "Asia/Tokyo";
      const fresh = new TradingCalendar();
      expect(fresh.session(day("2026-03-09"))?.open).toBe(utc("2026-03-09T13:30:00Z"));
      expect(fresh.dayOf(utc("2026-07-01T03:30:00Z"))).toBe(day("2026-06-30"));
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe("NYSE holidays", () => {
  it("computes Easter (known dates)", () => {
    expect(isoFromDays(easterSunday(2024))).toBe("2024-03-31");
    expect(isoFromDays(easterSunday(2025))).toBe("2025-04-20");
    expect(isoFromDays(easterSunday(2026))).toBe("2026-04-05");
    expect(isoFromDays(easterSunday(2027))).toBe("2027-03-28");
  });

  it("lists the published 2026 NYSE holidays", () => {
    const dates = [...nyseHolidays(2026).keys()].map(isoFromDays).sort();
    expect(dates).toEqual([
      "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19",
      "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25",
    ]);
  });

  it("observes weekend holidays on the nearest weekday, except New Year's Day on a Saturday", () => {
    expect(nyseHolidays(2027).has(day("2027-07-05"))).toBe(true); // July 4 is a Sunday
    expect(nyseHolidays(2027).has(day("2027-12-24"))).toBe(true); // Christmas is a Saturday
    expect(nyseHolidays(2021).has(day("2021-12-31"))).toBe(false); // 2022-01-01 is a Saturday
    expect(nyseHolidays(2022).has(day("2022-06-20"))).toBe(true); // Juneteenth on a Sunday
  });

  it("knows the 13:00 early closes", () => {
    expect([...nyseEarlyCloses(2026).keys()].map(isoFromDays).sort()).toEqual(["2026-11-27", "2026-12-24"]);
    expect(nyseEarlyCloses(2025).has(day("2025-07-03"))).toBe(true);
    const session = calendar.session(day("2026-11-27"));
    expect(session?.close).toBe(utc("2026-11-27T18:00:00Z"));
    expect(session?.earlyClose).toBe(true);
  });
});

describe("TradingCalendar", () => {
  it("has sessions 09:30–16:00 New York on trading days only", () => {
    const session = calendar.session(day("2026-03-10"));
    expect(session).toMatchObject({ date: "2026-03-10", open: utc("2026-03-10T13:30:00Z"), close: utc("2026-03-10T20:00:00Z"), earlyClose: false });
    expect(calendar.session(day("2026-03-07"))).toBeUndefined(); // Saturday
    expect(calendar.session(day("2026-04-03"))).toBeUndefined(); // Good Friday
    expect(calendar.holidayName(day("2026-04-03"))).toBe("Good Friday");
  });

  it("is open exactly during sessions", () => {
    expect(calendar.isOpen(utc("2026-03-10T13:29:59Z"))).toBe(false);
    expect(calendar.isOpen(utc("2026-03-10T13:30:00Z"))).toBe(true);
    expect(calendar.isOpen(utc("2026-03-10T19:59:59Z"))).toBe(true);
    expect(calendar.isOpen(utc("2026-03-10T20:00:00Z"))).toBe(false);
    expect(calendar.isOpen(utc("2026-03-07T15:00:00Z"))).toBe(false); // Saturday
    expect(calendar.isOpen(utc("2026-06-19T15:00:00Z"))).toBe(false); // Juneteenth
  });

  it("keeps the market state at the last close while closed", () => {
    const fridayClose = utc("2026-03-06T21:00:00Z"); // 16:00 EST
    expect(calendar.stateTime(utc("2026-03-07T15:00:00Z"))).toBe(fridayClose);
    expect(calendar.stateTime(utc("2026-03-09T13:00:00Z"))).toBe(fridayClose); // Monday pre-open (EDT now)
    expect(calendar.stateTime(utc("2026-03-09T13:30:00Z"))).toBe(utc("2026-03-09T13:30:00Z"));
    expect(calendar.nextSessionAfter(utc("2026-04-02T21:00:00Z")).date).toBe("2026-04-06");
  });

  it("accepts extra closures and writes IB trading-hours strings", () => {
    const custom = new TradingCalendar({ extraHolidays: ["20260311"] });
    expect(custom.isTradingDay(day("2026-03-11"))).toBe(false);
    expect(calendar.tradingHoursString(day("2026-11-26"), 3)).toBe("20261126:CLOSED;20261127:0930-20261127:1300;20261128:CLOSED");
  });
});
