import { describe, expect, it } from "vitest";
import { daysFromCivil, isoFromDays } from "./civil-date.js";
import { decodeOptionConId, encodeOptionConId, expiryWeek, fridayOfWeek, isOptionConId, OPTION_CONID_BASE } from "./contract-ids.js";
import { Xoshiro128 } from "./rng.js";
import { DEFAULT_UNIVERSE } from "./universe.js";

describe("option contract ids", () => {
  it("round-trip every field and stay positive int32 above the stock range", () => {
    const rng = new Xoshiro128(11);
    const bad: unknown[] = [];
    const seen = new Set<number>();
    for (let i = 0; i < 5_000; i++) {
      const fields = { optionClass: 1 + rng.int(63), week: rng.int(1024), strike: (1 + rng.int(8191)) / 2, right: rng.int(2) === 0 ? ("C" as const) : ("P" as const) };
      const conId = encodeOptionConId(fields);
      const back = decodeOptionConId(conId);
      seen.add(conId);
      const ok = conId >= OPTION_CONID_BASE && conId <= 2 ** 31 - 1 && isOptionConId(conId) && back !== undefined &&
        back.optionClass === fields.optionClass && back.week === fields.week && back.strike === fields.strike && back.right === fields.right;
      if (!ok) bad.push({ fields, conId, back });
    }
    expect(bad.slice(0, 3)).toEqual([]);
    expect(seen.size).toBeGreaterThan(4_990);
  });

  it("never collide with the universe's stock ids", () => {
    for (const spec of DEFAULT_UNIVERSE) {
      expect(isOptionConId(spec.conId)).toBe(false);
      expect(decodeOptionConId(spec.conId)).toBeUndefined();
    }
  });

  it("reject fields the layout cannot hold", () => {
    expect(() => encodeOptionConId({ optionClass: 64, week: 0, strike: 10, right: "C" })).toThrow(RangeError);
    expect(() => encodeOptionConId({ optionClass: 1, week: 1024, strike: 10, right: "C" })).toThrow(RangeError);
    expect(() => encodeOptionConId({ optionClass: 1, week: 0, strike: 10.25, right: "C" })).toThrow(RangeError);
    expect(() => encodeOptionConId({ optionClass: 1, week: 0, strike: 4096, right: "C" })).toThrow(RangeError);
  });

  it("number weeks by their Friday (Thursday expiries belong to the same week)", () => {
    const friday = daysFromCivil(2026, 4, 3); // Good Friday 2026
    expect(isoFromDays(fridayOfWeek(expiryWeek(friday)))).toBe("2026-04-03");
    expect(expiryWeek(friday - 1)).toBe(expiryWeek(friday));
    expect(expiryWeek(friday + 1)).toBe(expiryWeek(friday) + 1);
  });
});
