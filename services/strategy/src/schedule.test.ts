import { create } from "@bufbuild/protobuf";
import { Direction, SpreadKind, SpreadKindSelection, StrategyScheduleSchema } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { chooseKind } from "./kind-choice.js";
import { inTradingWindow, instantOf, localDate, nextScanTime } from "./schedule.js";

const ny = create(StrategyScheduleSchema, { timezone: "America/New_York", window: { start: "09:45", end: "15:45" }, scanInterval: { seconds: 300n } });

describe("trading window", () => {
  it("uses the schedule's zone across DST (EST in winter, EDT in summer)", () => {
    expect(inTradingWindow(Date.parse("2026-01-15T14:45:00Z"), ny)).toBe(true); // 09:45 EST
    expect(inTradingWindow(Date.parse("2026-01-15T14:44:59Z"), ny)).toBe(false);
    expect(inTradingWindow(Date.parse("2026-07-15T13:45:00Z"), ny)).toBe(true); // 09:45 EDT
    expect(inTradingWindow(Date.parse("2026-07-15T19:45:00Z"), ny)).toBe(false); // 15:45 EDT, end exclusive
    expect(inTradingWindow(Date.parse("2026-07-18T15:00:00Z"), ny)).toBe(false); // Saturday
  });

  it("next scan: +interval inside the window, else the next window start", () => {
    const t = Date.parse("2026-03-10T15:00:00Z");
    expect(nextScanTime(t, ny)).toBe(t + 300_000);
    // Friday 15:44 EST → Monday 09:45, across the DST change on Sunday 2026-03-08.
    expect(new Date(nextScanTime(Date.parse("2026-03-06T20:44:00Z"), ny)).toISOString()).toBe("2026-03-09T13:45:00.000Z");
    // Before the window on a weekday → today's start.
    expect(new Date(nextScanTime(Date.parse("2026-03-10T12:00:00Z"), ny)).toISOString()).toBe("2026-03-10T13:45:00.000Z");
  });

  it("local dates and instants in the zone", () => {
    expect(localDate(Date.parse("2026-03-11T03:00:00Z"), "America/New_York")).toBe(20260310);
    expect(new Date(instantOf(20_522, 9 * 60 + 45, "Europe/Berlin")).toISOString()).toBe("2026-03-10T08:45:00.000Z");
  });
});

describe("chooseKind", () => {
  it("AUTO: credit above the threshold, debit at or below it, with the reason", () => {
    expect(chooseKind(SpreadKindSelection.AUTO, Direction.BULLISH, 84, 80)).toEqual({ ok: true, kind: SpreadKind.BULL_PUT, selection: SpreadKindSelection.BULL_PUT, reason: "auto: IV percentile 84.0 > 80 → credit (bull put)" });
    expect(chooseKind(SpreadKindSelection.AUTO, Direction.BEARISH, 84, 80)).toMatchObject({ kind: SpreadKind.BEAR_CALL });
    expect(chooseKind(SpreadKindSelection.AUTO, Direction.BULLISH, 80, 80)).toMatchObject({ kind: SpreadKind.BULL_CALL, reason: "auto: IV percentile 80.0 ≤ 80 → debit (bull call)" });
    expect(chooseKind(SpreadKindSelection.AUTO, Direction.BEARISH, 10)).toMatchObject({ kind: SpreadKind.BEAR_PUT });
  });

  it("AUTO with an unknown IV percentile fails; a fixed kind does not need it", () => {
    expect(chooseKind(SpreadKindSelection.AUTO, Direction.BULLISH, undefined)).toMatchObject({ ok: false });
    expect(chooseKind(SpreadKindSelection.BEAR_PUT, Direction.BEARISH, undefined)).toMatchObject({ ok: true, kind: SpreadKind.BEAR_PUT, reason: "fixed by spec: bear put" });
  });
});
