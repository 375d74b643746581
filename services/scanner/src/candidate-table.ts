import type { ScanResult, SpreadCandidate } from "@spreadops/api";
import { PriceEffect, SpreadFilterId, SpreadKind } from "@spreadops/api";

const KIND_NAMES: Readonly<Record<number, string>> = {
  [SpreadKind.BULL_PUT]: "bull put",
  [SpreadKind.BEAR_CALL]: "bear call",
  [SpreadKind.BULL_CALL]: "bull call",
  [SpreadKind.BEAR_PUT]: "bear put",
};

/** The filter's enum name; its number when this build does not know it. */
function filterName(f: SpreadFilterId): string {
  return f in SpreadFilterId ? SpreadFilterId[f] : String(f);
}

const num = (value: number | undefined, digits: number): string => (value === undefined || !Number.isFinite(value) ? "-" : value.toFixed(digits));
const pct = (value: number | undefined): string => (value === undefined || !Number.isFinite(value) ? "-" : `${(value * 100).toFixed(1)}%`);

const COLUMNS: readonly (readonly [string, (c: SpreadCandidate) => string])[] = [
  ["#", (c) => String(c.rank)],
  ["spread", (c) => c.key],
  ["kind", (c) => KIND_NAMES[c.kind] ?? "?"],
  ["dte", (c) => String(c.dte)],
  ["width", (c) => num(c.width, 2)],
  ["limit", (c) => `${num(c.limitPrice, 2)} ${c.priceEffect === PriceEffect.CREDIT ? "cr" : "db"}`],
  ["mid", (c) => num(c.midPrice, 2)],
  ["natural", (c) => num(c.naturalPrice, 2)],
  ["max P/L $", (c) => `${num(c.maxProfitPerSpreadUsd, 0)}/${num(c.maxLossPerSpreadUsd, 0)}`],
  ["RoR", (c) => pct(c.returnOnRisk)],
  ["PoP", (c) => pct(c.probabilityOfProfit)],
  ["EV", (c) => num(c.expectedValue, 3)],
  ["short Δ", (c) => num(c.shortLeg?.delta, 3)],
  ["liq", (c) => num(c.liquidityScore, 2)],
  ["score", (c) => num(c.score, 4)],
];

/**
 * A scan result as a fixed-width text table for a terminal: a heading line (symbol, price, as of,
 * kind choice, counters), one row per candidate best first, and the filters that removed rows or
 * pairs. Per-share prices; `max P/L $` is per spread (× multiplier).
 */
export function formatScanResult(result: ScanResult): string {
  const d = result.diagnostics;
  const lines: string[] = [];
  const price = result.underlyingPrice === undefined ? "" : ` @ ${result.underlyingPrice.toFixed(2)}`;
  lines.push(`${result.underlyingSymbol}${price}: ${result.candidates.length} candidates (${d?.rowsInChain ?? 0} rows, ${d?.rowsUsable ?? 0} usable, ${d?.pairsEvaluated ?? 0} pairs, ${d?.pairsPassed ?? 0} passed)`);
  if (result.kindChoice !== undefined) lines.push(`kind: ${result.kindChoice.reason}`);
  if (result.underlyingRejectedBy.length > 0) {
    lines.push(`underlying rejected by: ${result.underlyingRejectedBy.map(filterName).join(", ")}`);
  }
  if (result.candidates.length > 0) {
    const rows = [COLUMNS.map(([title]) => title), ...result.candidates.map((c) => COLUMNS.map(([, cell]) => cell(c)))];
    const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
    lines.push("");
    for (const row of rows) lines.push(row.map((cell, i) => (i <= 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ").trimEnd());
  }
  const rejections = d?.rejections ?? [];
  if (rejections.length > 0) {
    lines.push("", `removed by: ${rejections.map((r) => `${filterName(r.filter)} ${r.count}`).join(", ")}`);
  }
  return lines.join("\n") + "\n";
}
