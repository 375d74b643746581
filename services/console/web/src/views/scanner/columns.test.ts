import { describe, expect, it } from "vitest";
import { COLUMNS, compareSortValues, nextSort, sortRows, type SortValue } from "./columns";
import { syntheticRows, type ScannerRow } from "./scanner-model";

const sortValues = (values: SortValue[], direction: "ascending" | "descending") => [...values].sort((a, b) => compareSortValues(a, b, direction));

describe("compareSortValues", () => {
  it("sorts numbers numerically, not as text", () => {
    expect(sortValues([10, 2, -1, 0.5], "ascending")).toEqual([-1, 0.5, 2, 10]);
    expect(sortValues([10, 2, -1, 0.5], "descending")).toEqual([10, 2, 0.5, -1]);
  });

  it("puts unknowns (undefined, NaN, empty) last in both directions", () => {
    expect(sortValues([undefined, 3, Number.NaN, 1], "ascending").slice(0, 2)).toEqual([1, 3]);
    expect(sortValues([undefined, 3, Number.NaN, 1], "descending").slice(0, 2)).toEqual([3, 1]);
    expect(sortValues(["", "b", undefined, "a"], "ascending").slice(0, 2)).toEqual(["a", "b"]);
    expect(sortValues(["", "b", undefined, "a"], "descending").slice(0, 2)).toEqual(["b", "a"]);
    expect(compareSortValues(undefined, Number.NaN, "ascending")).toBe(0);
  });

  it("sorts strings by the locale, ignoring case, with numeric parts in order", () => {
    expect(sortValues(["spy", "QQQ", "iwm"], "ascending")).toEqual(["iwm", "QQQ", "spy"]);
    expect(sortValues(["ns/s10", "ns/s9", "ns/s100"], "ascending")).toEqual(["ns/s9", "ns/s10", "ns/s100"]);
  });
});

const row = (key: string, limit: number | undefined): ScannerRow => {
  const [base] = syntheticRows(1, 0);
  if (base?.candidate === undefined) throw new Error("fixture");
  return { ...base, key, candidate: limit === undefined ? undefined : { ...base.candidate, limitPrice: limit } };
};

describe("sortRows", () => {
  const rows = [row("a", 1.2), row("none-1", undefined), row("b", 0.8), row("c", 1.2), row("none-2", undefined), row("d", 2)];

  it("sorts by the column's value with unknowns last, keeping ties in incoming order", () => {
    expect(sortRows(rows, { column: "limit", direction: "ascending" }).map((r) => r.key)).toEqual(["b", "a", "c", "d", "none-1", "none-2"]);
    expect(sortRows(rows, { column: "limit", direction: "descending" }).map((r) => r.key)).toEqual(["d", "a", "c", "b", "none-1", "none-2"]);
  });

  it("does not change its input", () => {
    const keys = rows.map((r) => r.key);
    sortRows(rows, { column: "limit", direction: "ascending" });
    expect(rows.map((r) => r.key)).toEqual(keys);
  });

  it("sorts short delta by |delta| and proposed first", () => {
    const base = row("x", 1);
    const put = { ...base, key: "put", candidate: { ...base.candidate!, shortLeg: { ...base.candidate!.shortLeg!, delta: -0.35 } } };
    const call = { ...base, key: "call", candidate: { ...base.candidate!, shortLeg: { ...base.candidate!.shortLeg!, delta: 0.2 } } };
    expect(sortRows([put, call], { column: "shortDelta", direction: "ascending" }).map((r) => r.key)).toEqual(["call", "put"]);
    const proposed = { ...base, key: "p", proposal: syntheticRows(1, 0)[0]!.proposal };
    const notProposed = { ...base, key: "n", proposal: undefined };
    expect(sortRows([notProposed, proposed], { column: "proposed", direction: "ascending" }).map((r) => r.key)).toEqual(["p", "n"]);
  });

  it("sorts 20,000 rows", () => {
    const many = syntheticRows(20_000, 0);
    const sorted = sortRows(many, { column: "score", direction: "descending" });
    expect(sorted).toHaveLength(20_000);
    const outOfOrder = sorted.findIndex((r, i) => i > 0 && sorted[i - 1]!.candidate!.score < r.candidate!.score);
    expect(outOfOrder).toBe(-1);
  });
});

describe("columns", () => {
  it("has a unique id per column and flips or starts a sort", () => {
    expect(new Set(COLUMNS.map((c) => c.id)).size).toBe(COLUMNS.length);
    expect(nextSort({ column: "score", direction: "descending" }, "score")).toEqual({ column: "score", direction: "ascending" });
    expect(nextSort({ column: "score", direction: "ascending" }, "score")).toEqual({ column: "score", direction: "descending" });
    expect(nextSort({ column: "score", direction: "descending" }, "symbol")).toEqual({ column: "symbol", direction: "ascending" });
  });
});
