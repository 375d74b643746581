/**
 * What the list and the detail page show of a Strategy: condition tones, short texts of the spec,
 * and the pause button's pending state.
 */
import type { Condition, StrategyResource, TradeResource } from "@spreadops/resources/schema";

export type Tone = "good" | "bad" | "warn" | "info" | "muted";

/** Conditions whose True is the healthy state (a False one needs attention). */
const POSITIVE = new Set(["Ready", "BrokerConnected", "RiskBudgetAvailable"]);
/** Conditions whose True is trouble. */
const NEGATIVE = new Set(["Degraded", "Halted", "Stalled"]);
/** Conditions that describe, in either state, nothing wrong (outside the trading window is normal). */
const NEUTRAL = new Set(["InTradingWindow", "OpenTradesOnPreviousSpec"]);

export function conditionTone(condition: Pick<Condition, "type" | "status">): Tone {
  const { type, status } = condition;
  if (status === "Unknown") return "warn";
  if (NEUTRAL.has(type)) return status === "True" ? "info" : "muted";
  if (NEGATIVE.has(type)) return status === "True" ? "bad" : "good";
  if (POSITIVE.has(type)) return status === "True" ? "good" : "bad";
  // Unknown types: most Kubernetes conditions are positive.
  return status === "True" ? "good" : "warn";
}

/** Whether the condition is a problem the list highlights. */
export const conditionNeedsAttention = (c: Pick<Condition, "type" | "status">): boolean => {
  const tone = conditionTone(c);
  return tone === "bad" || tone === "warn";
};

/** Conditions with the ones needing attention first, otherwise in their order. */
export function sortConditions<C extends Pick<Condition, "type" | "status">>(conditions: readonly C[] | undefined): C[] {
  const list = [...(conditions ?? [])];
  return list.map((c, i) => ({ c, i, a: conditionNeedsAttention(c) ? 0 : 1 })).sort((x, y) => x.a - y.a || x.i - y.i).map((x) => x.c);
}

const trim = (n: number): string => String(Number(n.toFixed(6)));

/** "30–60", "≥ 30", "≤ 60" or "any" for an inclusive range. */
export function rangeText(range: { min?: number; max?: number } | undefined, unit = ""): string {
  const u = unit === "" ? "" : ` ${unit}`;
  if (range === undefined) return "any";
  const { min, max } = range;
  if (min !== undefined && max !== undefined) return trim(min) === trim(max) ? `${trim(min)}${u}` : `${trim(min)}–${trim(max)}${u}`;
  if (min !== undefined) return `≥ ${trim(min)}${u}`;
  if (max !== undefined) return `≤ ${trim(max)}${u}`;
  return "any";
}

interface EntryRuleLike {
  indicator?: unknown;
  direction?: unknown;
  period?: unknown;
  fast?: unknown;
  slow?: unknown;
  above?: unknown;
  below?: unknown;
  multiple?: unknown;
}

const n = (v: unknown): string => (typeof v === "number" ? trim(v) : "?");

/** "rsi(14) below 30 → bullish", "emaCross 20/50 within 5 bars → bullish". */
export function describeEntryRule(rule: EntryRuleLike): string {
  const indicator = typeof rule.indicator === "string" ? rule.indicator : "?";
  const direction = typeof rule.direction === "string" ? rule.direction : "?";
  let text: string;
  switch (indicator) {
    case "smaCross":
    case "emaCross":
      text = `${indicator} ${n(rule.fast)}/${n(rule.slow)}${rule.period === undefined ? "" : ` within ${n(rule.period)} bars`}`;
      break;
    case "atrMove":
      text = `atrMove(${n(rule.period)}) ≥ ${n(rule.multiple)} ATR`;
      break;
    default: {
      const unit = indicator === "rsi" ? "" : "%";
      const parts = [
        rule.above === undefined ? "" : `above ${n(rule.above)}${unit}`,
        rule.below === undefined ? "" : `below ${n(rule.below)}${unit}`,
      ].filter((p) => p !== "");
      text = `${indicator}(${n(rule.period)})${parts.length === 0 ? "" : ` ${parts.join(" and ")}`}`;
    }
  }
  return `${text} → ${direction}`;
}

/** The Strategy's trades (spec.strategyRef), in the order given. */
export const tradesOf = (trades: readonly TradeResource[], name: string): TradeResource[] => trades.filter((t) => t.spec?.strategyRef === name);

export const isPaused = (s: StrategyResource): boolean => s.spec?.paused === true;

/** A pause/resume the user asked for and the stream has not shown yet. */
export interface PendingPause {
  readonly target: boolean;
  /** The call returned OK; waiting for the stream. */
  readonly acknowledged: boolean;
}

/**
 * The pending request still to show: none once the stored object has the target (the stream
 * confirmed it) or is gone.
 */
export function activePending(pending: PendingPause | undefined, strategy: StrategyResource | undefined): PendingPause | undefined {
  if (pending === undefined || strategy === undefined) return undefined;
  return isPaused(strategy) === pending.target ? undefined : pending;
}

/** The pending map without entries the stream has confirmed (or whose Strategy is gone); the same map when nothing changed. */
export function prunePending(pending: ReadonlyMap<string, PendingPause>, strategies: readonly StrategyResource[]): ReadonlyMap<string, PendingPause> {
  let next: Map<string, PendingPause> | undefined;
  for (const [name, p] of pending) {
    if (activePending(p, strategies.find((s) => s.metadata.name === name)) === undefined) {
      next ??= new Map(pending);
      next.delete(name);
    }
  }
  return next ?? pending;
}

/** P&L of the status: day, realized, unrealized (undefined when not reported). */
export function pnlOf(s: StrategyResource): { day?: number; realized?: number; unrealized?: number } {
  const st = s.status;
  return { day: st?.dayPnl, realized: st?.realizedPnl, unrealized: st?.unrealizedPnl };
}
