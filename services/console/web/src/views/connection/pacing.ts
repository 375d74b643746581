/**
 * How close a budgeted counter of the TWS session is to its limits, pure: IB disconnects a
 * client that sends more than 50 messages a second and refuses historical requests beyond its
 * pacing; the gateway budgets below those limits.
 */
export type Level = "ok" | "near" | "over-budget" | "over-limit" | "unknown";

/**
 * `near` from 80 % of the budget, `over-budget` above the budget, `over-limit` at or above the
 * hard limit (when there is one). A budget of 0 means the gateway did not report one.
 */
export function meterLevel(value: number, budget: number, limit?: number): Level {
  if (!Number.isFinite(value) || budget <= 0) return "unknown";
  if (limit !== undefined && limit > 0 && value >= limit) return "over-limit";
  if (value > budget) return "over-budget";
  if (value >= 0.8 * budget) return "near";
  return "ok";
}

/** value / max clamped to 0–1 (0 without a max), for a bar's width. */
export function fraction(value: number, max: number): number {
  if (!(max > 0) || !Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value / max));
}

export const LEVEL_WORDS: Record<Level, string> = {
  ok: "within budget",
  near: "near the budget",
  "over-budget": "over the gateway's budget",
  "over-limit": "at IB's hard limit",
  unknown: "budget not reported",
};

/** "850 ms", "12 s", "3 min 5 s". */
export function durationText(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}
