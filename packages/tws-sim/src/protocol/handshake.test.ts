import { describe, expect, it } from "vitest";
import { ProtocolError } from "./errors.js";
import { handshakeReplyFields, negotiateVersion, parseClientHello, SERVER_VERSION } from "./handshake.js";
import type { ClientHello } from "./handshake.js";
import { formatTwsClock, formatTwsDate, formatTwsDateTime } from "./time-format.js";

function hello(versionString: string): ClientHello {
  const parsed = parseClientHello(versionString);
  if (parsed instanceof ProtocolError) throw parsed;
  return parsed;
}

describe("parseClientHello", () => {
  it("reads the ranges the real clients send", () => {
    expect(hello("v100..193")).toEqual({ minVersion: 100, maxVersion: 193, options: "" });
    expect(hello("v157..178 +PACEAPI")).toEqual({ minVersion: 157, maxVersion: 178, options: " +PACEAPI" });
    expect(hello("v176")).toEqual({ minVersion: 176, maxVersion: 176, options: "" });
  });

  it("rejects strings that are not a version range", () => {
    for (const bad of ["", "100..193", "v..193", "vABC", "v200..100"]) {
      expect(parseClientHello(bad)).toMatchObject({ code: "badHandshake" });
    }
  });
});

describe("negotiateVersion", () => {
  it("answers min(clientMax, 176)", () => {
    expect(negotiateVersion(hello("v100..193"))).toBe(176);
    expect(negotiateVersion(hello("v157..178"))).toBe(176);
    expect(negotiateVersion(hello("v157..176"))).toBe(176);
    expect(SERVER_VERSION).toBe(176);
  });

  it("refuses a client that cannot speak 176", () => {
    expect(negotiateVersion(hello("v100..175"))).toMatchObject({ code: "unsupportedVersion" });
    expect(negotiateVersion(hello("v177..225"))).toMatchObject({ code: "unsupportedVersion" });
  });
});

describe("handshakeReplyFields", () => {
  it("is exactly [version, yyyyMMdd HH:mm:ss tz] in the given zone (ib_async needs 2 fields)", () => {
    const winter = Date.UTC(2025, 0, 2, 14, 30, 5);
    expect(handshakeReplyFields(176, winter)).toEqual(["176", "20250102 09:30:05 US/Eastern"]);
    const summer = Date.UTC(2025, 6, 1, 3, 4, 0);
    expect(handshakeReplyFields(176, summer, "America/New_York")).toEqual(["176", "20250630 23:04:00 America/New_York"]);
  });
});

describe("time formatting", () => {
  it("prints dates, times and clocks in the exchange zone, midnight as 00", () => {
    const midnight = Date.UTC(2025, 2, 10, 4, 0, 0); // 00:00 EDT, the day after the DST switch
    expect(formatTwsDateTime(midnight, "US/Eastern")).toBe("20250310 00:00:00 US/Eastern");
    expect(formatTwsDate(midnight, "US/Eastern")).toBe("20250310");
    expect(formatTwsClock(midnight + 61 * 60_000, "US/Eastern")).toBe("01:01");
  });
});
