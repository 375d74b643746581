import type { StrategyResource, TradeResource } from "@spreadops/resources";
import { formatAge } from "./age.js";

/** Left-aligned columns separated by three spaces, like kubectl's tables. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("   ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}

const usd = (value: number | undefined): string => (value === undefined ? "-" : `${value < 0 ? "-" : ""}$${Math.abs(value).toFixed(2)}`);

const SPREAD_NAMES: Record<string, string> = { bullPut: "bull put", bearCall: "bear call", bullCall: "bull call", bearPut: "bear put" };

/** `spreadops get strategies`: the Strategy printer columns (Mode, Phase, Open, Day P&L, Age). */
export function strategyTable(items: readonly StrategyResource[], nowMs: number, showNamespace: boolean): string {
  const header = [...(showNamespace ? ["NAMESPACE"] : []), "NAME", "MODE", "PHASE", "OPEN", "DAY P&L", "AGE"];
  const rows = items.map((s) => [
    ...(showNamespace ? [s.metadata.namespace ?? ""] : []),
    s.metadata.name,
    s.spec?.mode ?? "-",
    s.metadata.deletionTimestamp !== undefined ? "Terminating" : (s.status?.phase ?? "Pending"),
    String(s.status?.openTrades ?? 0),
    usd(s.status?.dayPnl),
    formatAge(s.metadata.creationTimestamp, nowMs),
  ]);
  return renderTable(header, rows);
}

/** `spreadops get trades`: the Trade printer columns (Strategy, Underlying, Spread, Qty, Phase, P&L). */
export function tradeTable(items: readonly TradeResource[], nowMs: number, showNamespace: boolean): string {
  const header = [...(showNamespace ? ["NAMESPACE"] : []), "NAME", "STRATEGY", "UNDERLYING", "SPREAD", "QTY", "PHASE", "P&L", "AGE"];
  const rows = items.map((t) => {
    const spec = t.spec;
    const spread = spec === undefined ? "-" : `${SPREAD_NAMES[spec.kind] ?? spec.kind} ${spec.expiry} ${spec.shortStrike}/${spec.longStrike}`;
    const pnl = t.status?.realizedPnl !== undefined || t.status?.unrealizedPnl !== undefined
      ? (t.status.realizedPnl ?? 0) + (t.status.unrealizedPnl ?? 0)
      : undefined;
    return [
      ...(showNamespace ? [t.metadata.namespace ?? ""] : []),
      t.metadata.name,
      spec?.strategyRef ?? "-",
      spec?.underlying ?? "-",
      spread,
      String(spec?.quantity ?? "-"),
      t.status?.phase ?? "Pending",
      usd(pnl),
      formatAge(t.metadata.creationTimestamp, nowMs),
    ];
  });
  return renderTable(header, rows);
}
