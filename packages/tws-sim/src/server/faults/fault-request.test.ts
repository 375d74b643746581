import { describe, expect, it } from "vitest";
import { FaultRequestError, parseFaultRequest } from "./fault-request.js";

function errorOf(json: unknown): FaultRequestError {
  try {
    parseFaultRequest(json);
  } catch (error: unknown) {
    if (error instanceof FaultRequestError) return error;
    throw error;
  }
  throw new Error("expected a FaultRequestError");
}

describe("parseFaultRequest", () => {
  it("parses every kind, with durations as ms or text", () => {
    expect(parseFaultRequest({ kind: "connectivityLost", durationMs: "30s", dataLost: true })).toEqual({
      kind: "connectivityLost",
      durationMs: 30_000,
      dataLost: true,
    });
    expect(parseFaultRequest({ kind: "connectivityLost" })).toEqual({ kind: "connectivityLost" });
    expect(parseFaultRequest({ kind: "farm", farm: "historical", ok: false, durationMs: 1_000 })).toEqual({
      kind: "farm",
      farm: "historical",
      ok: false,
      durationMs: 1_000,
    });
    expect(parseFaultRequest({ kind: "restartWindow", durationMs: "5m" })).toEqual({ kind: "restartWindow", durationMs: 300_000 });
    expect(
      parseFaultRequest({ kind: "restartWindow", durationMs: "5m", daily: { at: "23:45", timeZone: "America/New_York" } }),
    ).toEqual({ kind: "restartWindow", durationMs: 300_000, daily: { at: "23:45", timeZone: "America/New_York" } });
    expect(parseFaultRequest({ kind: "competingSession", durationMs: "1h" })).toEqual({ kind: "competingSession", durationMs: 3_600_000 });
    expect(parseFaultRequest({ kind: "rejectOrders", reason: "margin", count: 2 })).toEqual({ kind: "rejectOrders", reason: "margin", count: 2 });
    expect(parseFaultRequest({ kind: "slowResponses", delayMs: "250ms" })).toEqual({ kind: "slowResponses", delayMs: 250 });
    expect(parseFaultRequest({ kind: "dropResponses", fraction: 0.25, durationMs: 10 })).toEqual({
      kind: "dropResponses",
      fraction: 0.25,
      durationMs: 10,
    });
  });

  it.each([
    [[], "", "a JSON object"],
    [{ kind: "meteor" }, "kind", "one of connectivityLost, farm"],
    [{}, "kind", "one of connectivityLost"],
    [{ kind: "connectivityLost", durationMs: "soon" }, "durationMs", "milliseconds (a positive integer) or a duration"],
    [{ kind: "connectivityLost", durationMs: 0 }, "durationMs", "positive"],
    [{ kind: "connectivityLost", duration: "5s" }, "duration", "no such field (allowed: kind, durationMs, dataLost)"],
    [{ kind: "connectivityLost", dataLost: "yes" }, "dataLost", "true or false"],
    [{ kind: "farm", farm: "usfarm", ok: false }, "farm", "one of marketData, historical, secDef"],
    [{ kind: "farm", farm: "secDef" }, "ok", "true or false"],
    [{ kind: "restartWindow" }, "durationMs", "milliseconds"],
    [{ kind: "restartWindow", durationMs: "5m", daily: "23:45" }, "daily", "an object"],
    [{ kind: "restartWindow", durationMs: "5m", daily: { at: "25:00" } }, "daily.at", "HH:MM"],
    [{ kind: "restartWindow", durationMs: "5m", daily: { at: "23:45", timeZone: "Mars/Olympus" } }, "daily.timeZone", "IANA"],
    [{ kind: "restartWindow", durationMs: "5m", daily: { at: "23:45", tz: "UTC" } }, "daily.tz", "no such field"],
    [{ kind: "restartWindow", durationMs: "1d", daily: { at: "23:45" } }, "durationMs", "less than a day"],
    [{ kind: "rejectOrders", reason: "", count: 1 }, "reason", "a non-empty string"],
    [{ kind: "rejectOrders", reason: "x", count: 1.5 }, "count", "a positive integer"],
    [{ kind: "slowResponses", delayMs: -1 }, "delayMs", "non-negative"],
    [{ kind: "dropResponses", fraction: 1.5 }, "fraction", "a number from 0 to 1"],
  ])("%j → field %s", (json, field, expected) => {
    const error = errorOf(json);
    expect(error.field).toBe(field);
    expect(error.expected).toContain(expected);
  });

  it("says what was given", () => {
    const error = errorOf({ kind: "dropResponses", fraction: "half" });
    expect(error.message).toBe('invalid fraction: expected a number from 0 to 1, got "half"');
    expect(error.given).toBe('"half"');
    expect(errorOf({ kind: "farm", ok: true }).message).toBe(
      "invalid farm: expected one of marketData, historical, secDef, got nothing",
    );
  });
});
