import { describe, expect, it } from "vitest";
import { durationText, fraction, meterLevel } from "./pacing";

describe("meterLevel", () => {
  // The gateway's defaults: a budget of 45 messages per second under IB's hard limit of 50.
  it("grades the message rate against budget 45 and limit 50", () => {
    expect(meterLevel(10, 45, 50)).toBe("ok");
    expect(meterLevel(35, 45, 50)).toBe("ok"); // 35 < 36 = 80 % of 45
    expect(meterLevel(36, 45, 50)).toBe("near");
    expect(meterLevel(45, 45, 50)).toBe("near");
    expect(meterLevel(46, 45, 50)).toBe("over-budget");
    expect(meterLevel(50, 45, 50)).toBe("over-limit");
  });

  it("grades a counter without a hard limit (historical requests: 60 per 10 minutes)", () => {
    expect(meterLevel(48, 60)).toBe("near");
    expect(meterLevel(61, 60)).toBe("over-budget");
  });

  it("says unknown when no budget is reported", () => {
    expect(meterLevel(3, 0, 50)).toBe("unknown");
  });
});

describe("fraction", () => {
  it("clamps to 0–1 and treats a missing max as empty", () => {
    expect(fraction(25, 50)).toBe(0.5);
    expect(fraction(80, 50)).toBe(1);
    expect(fraction(5, 0)).toBe(0);
  });
});

describe("durationText", () => {
  it("writes short and long durations", () => {
    expect(durationText(850)).toBe("850 ms");
    expect(durationText(12_400)).toBe("12 s");
    expect(durationText(185_000)).toBe("3 min 5 s");
    expect(durationText(undefined)).toBe("—");
  });
});
