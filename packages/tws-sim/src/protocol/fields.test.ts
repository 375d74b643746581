import { describe, expect, it } from "vitest";
import { ProtocolError } from "./errors.js";
import {
  formatBool,
  formatDecimalOrEmpty,
  formatDouble,
  formatDoubleOrUnset,
  formatInt,
  formatIntOrEmpty,
  formatIntOrUnset,
  UNSET_DOUBLE_FIELD,
} from "./field-writer.js";
import { FieldReader, parseNumberField } from "./fields.js";
import { parseTagValueList } from "./tag-values.js";

/** A reader over one field after a message id. */
function one(raw: string): FieldReader {
  return new FieldReader(["99", raw], "testMessage");
}

function errorOf(read: () => unknown): ProtocolError {
  try {
    read();
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error("expected a ProtocolError");
}

describe("FieldReader numbers", () => {
  it("reads what both clients write: 150, 150.0, 1e-05, -2, Infinity, Infinite", () => {
    expect(one("150").readDouble("x")).toBe(150);
    expect(one("150.0").readDouble("x")).toBe(150);
    expect(one("1e-05").readDouble("x")).toBe(0.00001);
    expect(one("-2").readDouble("x")).toBe(-2);
    expect(one(".5").readDouble("x")).toBe(0.5);
    expect(one("Infinity").readOptionalDouble("x")).toBe(Infinity);
    expect(one("Infinite").readOptionalDouble("x")).toBe(Infinity);
    expect(one("-inf").readOptionalDouble("x")).toBe(-Infinity);
  });

  it('maps "" and the MAX sentinels to undefined in the optional readers', () => {
    expect(one("").readOptionalDouble("x")).toBeUndefined();
    expect(one("1.7976931348623157E308").readOptionalDouble("x")).toBeUndefined();
    expect(one("").readOptionalInt("x")).toBeUndefined();
    expect(one("2147483647").readOptionalInt("x")).toBeUndefined();
    expect(one("").readOptionalDecimal("x")).toBeUndefined();
    expect(one("").readOptionalBool("x")).toBeUndefined();
  });

  it("reads an int written as a float, but not a fraction", () => {
    expect(one("5.0").readInt("x")).toBe(5);
    expect(errorOf(() => one("5.5").readInt("qty"))).toMatchObject({ code: "badField", context: { field: "qty", value: "5.5" } });
  });

  it("rejects what Number() would wrongly accept", () => {
    for (const raw of ["0x10", " 7", "7 ", "1,5", "NaN", "abc"]) {
      expect(Number.isNaN(parseNumberField(raw)), raw).toBe(true);
      expect(errorOf(() => one(raw).readOptionalDouble("price")).code).toBe("badField");
    }
  });

  it('rejects "" where a value is required, naming the message and field', () => {
    const error = errorOf(() => one("").readInt("reqId"));
    expect(error).toMatchObject({ code: "badField", context: { messageName: "testMessage", field: "reqId", fieldIndex: 1 } });
    expect(error.message).toContain("testMessage");
  });
});

describe("FieldReader booleans", () => {
  it("reads 0/1, other ints and true/false", () => {
    expect(one("1").readBool("x")).toBe(true);
    expect(one("0").readBool("x")).toBe(false);
    expect(one("2").readBool("x")).toBe(true);
    expect(one("false").readBool("x")).toBe(false);
  });

  it('gives "" the default passed to readFlag (false, or true for transmit)', () => {
    expect(one("").readFlag("outsideRth")).toBe(false);
    expect(one("").readFlag("transmit", true)).toBe(true);
    expect(one("0").readFlag("transmit", true)).toBe(false);
  });

  it("rejects anything else", () => {
    expect(errorOf(() => one("yes").readBool("whatIf"))).toMatchObject({ code: "badField", context: { field: "whatIf" } });
  });
});

describe("FieldReader bounds", () => {
  it("reports an underrun with the missing field's name", () => {
    const reader = new FieldReader(["2", "1"], "cancelMktData");
    reader.skip("version");
    expect(errorOf(() => reader.readInt("tickerId"))).toMatchObject({
      code: "underrun",
      context: { messageName: "cancelMktData", field: "tickerId", fieldIndex: 2 },
    });
  });

  it("reports fields left over after the layout", () => {
    const reader = new FieldReader(["49", "1", "surplus"], "reqCurrentTime");
    reader.skip("version");
    expect(reader.remaining).toBe(1);
    expect(errorOf(() => { reader.end(); })).toMatchObject({ code: "leftoverFields", context: { fieldIndex: 2, value: "surplus" } });
  });
});

describe("field writer", () => {
  it("never writes a decimal point into an int field", () => {
    expect(formatInt(176)).toBe("176");
    expect(formatInt(-1)).toBe("-1");
    expect(() => formatInt(1.5)).toThrow(RangeError);
    expect(() => formatInt(Number.NaN)).toThrow(RangeError);
  });

  it("writes unset values as IB does", () => {
    expect(formatDoubleOrUnset(undefined)).toBe(UNSET_DOUBLE_FIELD);
    expect(formatDoubleOrUnset(Number.MAX_VALUE)).toBe("1.7976931348623157E308");
    expect(formatDoubleOrUnset(Number.NaN)).toBe(UNSET_DOUBLE_FIELD);
    expect(formatDoubleOrUnset(-1.25)).toBe("-1.25");
    expect(formatIntOrUnset(undefined)).toBe("2147483647");
    expect(formatIntOrEmpty(undefined)).toBe("");
    expect(formatDecimalOrEmpty(undefined)).toBe("");
    expect(formatBool(undefined)).toBe("0");
    expect(formatBool(true)).toBe("1");
  });

  it("refuses NaN where a value is required (ib_async's bare float() could not tell it from data)", () => {
    expect(() => formatDouble(Number.NaN)).toThrow(RangeError);
    expect(formatDouble(Infinity)).toBe("Infinity");
  });
});

describe("parseTagValueList", () => {
  it("splits tag=value; lists, keeping '=' inside values", () => {
    expect(parseTagValueList("")).toEqual([]);
    expect(parseTagValueList("optVolumeAbove=1000;expr=a=b;")).toEqual([
      { tag: "optVolumeAbove", value: "1000" },
      { tag: "expr", value: "a=b" },
    ]);
  });
});
