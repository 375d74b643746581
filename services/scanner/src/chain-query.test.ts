import { create } from "@bufbuild/protobuf";
import { FilterSetSchema, OptionChainQuerySchema, OptionRight, SpreadKindSelection, SpreadSettingsSchema } from "@spreadops/api";
import { describe, expect, it } from "vitest";
import { chainQueryFor, deltaBandOf } from "./chain-query.js";

const filters = create(FilterSetSchema, { dte: { min: 20, max: 60 }, shortDelta: { min: 0.15, max: 0.4 }, longDelta: { min: 0.05, max: 0.3 } });
const bullPut = create(SpreadSettingsSchema, { kind: SpreadKindSelection.BULL_PUT });

describe("chainQueryFor", () => {
  it("fills DTE and the |delta| band (union of short and long) from the filters, and the right from a concrete kind", () => {
    const q = chainQueryFor(undefined, "SPY", filters, bullPut);
    expect(q.underlyingSymbol).toBe("SPY");
    expect(q.dte).toMatchObject({ min: 20, max: 60 });
    expect(q.band).toMatchObject({ case: "absDelta", value: { min: 0.05, max: 0.4 } });
    expect(q.right).toBe(OptionRight.PUT);
  });

  it("keeps what the query sets and does not modify it", () => {
    const query = create(OptionChainQuerySchema, { underlyingSymbol: "SPY", dte: { min: 30 }, band: { case: "strikes", value: { min: 500, max: 600 } }, right: OptionRight.CALL });
    const q = chainQueryFor(query, "SPY", filters, bullPut);
    expect(q.dte).toMatchObject({ min: 30, max: 60 });
    expect(q.band).toMatchObject({ case: "strikes", value: { min: 500, max: 600 } });
    expect(q.right).toBe(OptionRight.CALL);
    expect(query.dte?.max).toBeUndefined();
  });

  it("fetches both rights for AUTO", () => {
    expect(chainQueryFor(undefined, "SPY", filters, create(SpreadSettingsSchema, { kind: SpreadKindSelection.AUTO })).right).toBe(OptionRight.UNSPECIFIED);
  });
});

describe("deltaBandOf", () => {
  it("is open on a side where any set range is open, and unset without delta filters", () => {
    expect(deltaBandOf(create(FilterSetSchema, { shortDelta: { min: 0.2 }, longDelta: { min: 0.1, max: 0.3 } }))).toMatchObject({ min: 0.1 });
    expect(deltaBandOf(create(FilterSetSchema, { shortDelta: { min: 0.2 }, longDelta: { min: 0.1, max: 0.3 } }))?.max).toBeUndefined();
    expect(deltaBandOf(create(FilterSetSchema, {}))).toBeUndefined();
    expect(deltaBandOf(undefined)).toBeUndefined();
  });
});
