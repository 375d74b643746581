/** Number and time formatting shared by every view; "—" marks an unknown value, never 0. */
const usdFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const UNKNOWN = "—";

export function usd(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return UNKNOWN;
  return usdFormat.format(value);
}

/** A signed amount, "+$12.00" / "−$3.50", for P&L. */
export function signedUsd(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return UNKNOWN;
  if (value === 0) return usdFormat.format(0);
  return `${value > 0 ? "+" : "−"}${usdFormat.format(Math.abs(value))}`;
}

export function num(value: number | undefined | null, digits = 2): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return UNKNOWN;
  return value.toFixed(digits);
}

export function pct(fraction: number | undefined | null, digits = 0): string {
  if (fraction === undefined || fraction === null || !Number.isFinite(fraction)) return UNKNOWN;
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function clockTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return UNKNOWN;
  return new Date(ms).toLocaleTimeString("en-GB", { hour12: false });
}

export function dateTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return UNKNOWN;
  const d = new Date(ms);
  return `${d.toISOString().slice(0, 10)} ${d.toLocaleTimeString("en-GB", { hour12: false })}`;
}

/** "12s", "4m", "3h", "2d" for an age in ms. */
export function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** RFC 3339 → ms; undefined when absent or unparsable. */
export function parseTime(rfc3339: string | undefined): number | undefined {
  if (rfc3339 === undefined) return undefined;
  const ms = Date.parse(rfc3339);
  return Number.isNaN(ms) ? undefined : ms;
}
