import { describe, expect, it } from "vitest";
import { marketClockOffsetSeconds, simulatedMarketStart } from "./market-time.js";

// Reference instants written in UTC from the New York offsets (EST = UTC−5 in November, EDT =
// UTC−4 in July), not computed by the code under test.
describe("simulatedMarketStart", () => {
  it("keeps real time inside a US session", () => {
    expect(simulatedMarketStart(Date.parse("2026-11-20T15:00:00Z"))).toBeUndefined(); // Fri 10:00 EST
    expect(simulatedMarketStart(Date.parse("2026-07-15T19:59:00Z"))).toBeUndefined(); // Wed 15:59 EDT
  });

  it("outside a session starts at 10:00 New York on the latest weekday before now", () => {
    // Saturday 01:30 UTC = Friday 20:30 EST → Friday 10:00 EST.
    expect(simulatedMarketStart(Date.parse("2026-11-21T01:30:00Z"))).toBe(Date.parse("2026-11-20T15:00:00Z"));
    // Sunday noon UTC → Friday.
    expect(simulatedMarketStart(Date.parse("2026-11-22T12:00:00Z"))).toBe(Date.parse("2026-11-20T15:00:00Z"));
    // Monday 09:00 EST (before the open) → the previous Friday.
    expect(simulatedMarketStart(Date.parse("2026-11-23T14:00:00Z"))).toBe(Date.parse("2026-11-20T15:00:00Z"));
    // Tuesday 17:00 EDT (after the close) → that Tuesday 10:00 EDT.
    expect(simulatedMarketStart(Date.parse("2026-07-14T21:00:00Z"))).toBe(Date.parse("2026-07-14T14:00:00Z"));
  });
});

describe("marketClockOffsetSeconds", () => {
  it("is 0 well inside the entry window and otherwise goes back to 10:00 New York of the latest weekday", () => {
    expect(marketClockOffsetSeconds(Date.parse("2026-11-20T16:00:00Z"))).toBe(0); // Fri 11:00 EST
    // Fri 15:20 EST is past the window's last usable quarter hour → back to Fri 10:00.
    expect(marketClockOffsetSeconds(Date.parse("2026-11-20T20:20:00Z"))).toBe(-(5 * 3600 + 20 * 60));
    // Saturday 01:30 UTC → Friday 15:00 UTC: 10.5 hours back.
    expect(marketClockOffsetSeconds(Date.parse("2026-11-21T01:30:00Z"))).toBe(-10.5 * 3600);
  });
});
