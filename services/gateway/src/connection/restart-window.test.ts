import { describe, expect, it } from "vitest";
import { parseHhMm, restartWindowAt, validateRestartWindow, zonedTimeToEpoch } from "./restart-window.js";

const NY = { at: "23:45", timeZone: "America/New_York", durationMs: 15 * 60_000 };
const iso = (ms: number): string => new Date(ms).toISOString();

describe("restartWindowAt", () => {
  it("finds today's window in New York (EST, then EDT)", () => {
    const w = restartWindowAt(Date.parse("2026-01-05T12:00:00Z"), NY);
    expect(iso(w.startMs)).toBe("2026-01-06T04:45:00.000Z");
    expect(iso(w.endMs)).toBe("2026-01-06T05:00:00.000Z");
    const summer = restartWindowAt(Date.parse("2026-07-01T12:00:00Z"), NY);
    expect(iso(summer.startMs)).toBe("2026-07-02T03:45:00.000Z");
  });

  it("returns the current window when inside it, the next once it ended", () => {
    const inside = restartWindowAt(Date.parse("2026-01-06T04:50:00Z"), NY);
    expect(iso(inside.startMs)).toBe("2026-01-06T04:45:00.000Z");
    const after = restartWindowAt(Date.parse("2026-01-06T05:00:00Z"), NY);
    expect(iso(after.startMs)).toBe("2026-01-07T04:45:00.000Z");
  });

  it("moves by an hour in UTC across the spring DST change (2026-03-08) without skipping a day", () => {
    const sat = restartWindowAt(Date.parse("2026-03-07T12:00:00Z"), NY);
    expect(iso(sat.startMs)).toBe("2026-03-08T04:45:00.000Z"); // Sat 23:45 EST
    const sun = restartWindowAt(sat.endMs, NY);
    expect(iso(sun.startMs)).toBe("2026-03-09T03:45:00.000Z"); // Sun 23:45 EDT, 23 h later
    expect(sun.startMs - sat.startMs).toBe(23 * 3_600_000);
  });

  it("moves back across the autumn DST change (2026-11-01), 25 hours apart", () => {
    const sat = restartWindowAt(Date.parse("2026-10-31T12:00:00Z"), NY);
    expect(iso(sat.startMs)).toBe("2026-11-01T03:45:00.000Z"); // Sat 23:45 EDT
    const sun = restartWindowAt(sat.endMs, NY);
    expect(iso(sun.startMs)).toBe("2026-11-02T04:45:00.000Z"); // Sun 23:45 EST
    expect(sun.startMs - sat.startMs).toBe(25 * 3_600_000);
  });

  it("handles a window that crosses midnight and one inside the DST gap", () => {
    const late = { at: "23:55", timeZone: "America/New_York", durationMs: 30 * 60_000 };
    const w = restartWindowAt(Date.parse("2026-01-06T05:10:00Z"), late); // 00:10 local, still inside
    expect(iso(w.startMs)).toBe("2026-01-06T04:55:00.000Z");
    // 02:30 does not exist on 2026-03-08 in New York: it maps to 03:30 EDT.
    expect(iso(zonedTimeToEpoch({ year: 2026, month: 3, day: 8 }, 2, 30, "America/New_York"))).toBe("2026-03-08T07:30:00.000Z");
    // 01:30 happens twice on 2026-11-01: the first (EDT) is used.
    expect(iso(zonedTimeToEpoch({ year: 2026, month: 11, day: 1 }, 1, 30, "America/New_York"))).toBe("2026-11-01T05:30:00.000Z");
  });

  it("works in other zones (Europe/Zurich, 2026-03-29 DST)", () => {
    const zurich = { at: "06:00", timeZone: "Europe/Zurich", durationMs: 600_000 };
    const a = restartWindowAt(Date.parse("2026-03-28T12:00:00Z"), zurich);
    expect(iso(a.startMs)).toBe("2026-03-29T04:00:00.000Z");
    const b = restartWindowAt(Date.parse("2026-03-27T12:00:00Z"), zurich);
    expect(iso(b.startMs)).toBe("2026-03-28T05:00:00.000Z");
  });

  it("validates specs", () => {
    expect(parseHhMm("07:05")).toEqual({ hour: 7, minute: 5 });
    expect(() => parseHhMm("24:00")).toThrow(RangeError);
    expect(() => parseHhMm("7:05")).toThrow(RangeError);
    expect(() => { validateRestartWindow({ ...NY, timeZone: "Mars/Olympus" }); }).toThrow(RangeError);
    expect(() => { validateRestartWindow({ ...NY, durationMs: 86_400_000 }); }).toThrow(RangeError);
    expect(() => { validateRestartWindow(NY); }).not.toThrow();
  });
});
