import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { ActivitySeverity, ActivitySource } from "@spreadops/api";
import type { ActivityInit } from "./activity-feed.js";
import type { CacheChange } from "./resource-cache.js";

/** Trade phases that need a look. */
const WARNING_TRADE_PHASES = new Set(["Rejected", "Cancelled"]);
/** Strategy phases that need a look. */
const WARNING_STRATEGY_PHASES = new Set(["Halted", "Degraded", "Invalid"]);
/** Strategy conditions that are good when True: their False is a warning. */
const POSITIVE_CONDITIONS = new Set(["Ready", "BrokerConnected", "RiskBudgetAvailable"]);

const KIND_LABELS: Readonly<Record<string, string>> = { bullPut: "bull put", bearCall: "bear call", bullCall: "bull call", bearPut: "bear put" };

function record(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : undefined;
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function show(value: JsonValue | undefined): string {
  return typeof value === "number" || typeof value === "string" ? String(value) : "?";
}

/** The `metadata.name` of a stored object. */
export function objectName(object: JsonObject): string {
  return text(record(object.metadata)?.name) ?? "";
}

/** `status.phase`, or undefined before the controller set one. */
export function phaseOf(object: JsonObject | undefined): string | undefined {
  return text(record(object?.status)?.phase);
}

/** "SPY bull put 580/575 ×1 at 1.25, expiry 2026-12-18". */
export function describeTradeSpec(spec: JsonObject | undefined): string {
  if (spec === undefined) return "no spec";
  const kind = text(spec.kind);
  return `${show(spec.underlying)} ${kind === undefined ? "spread" : (KIND_LABELS[kind] ?? kind)} ${show(spec.shortStrike)}/${show(spec.longStrike)} ×${show(spec.quantity)} at ${show(spec.limitPrice)}, expiry ${show(spec.expiry)}`;
}

interface ConditionView {
  readonly status: string;
  readonly reason: string | undefined;
  readonly message: string | undefined;
}

function conditionsOf(object: JsonObject | undefined): Map<string, ConditionView> {
  const conditions = new Map<string, ConditionView>();
  const list = record(object?.status)?.conditions;
  if (!Array.isArray(list)) return conditions;
  for (const item of list) {
    const condition = record(item);
    const type = text(condition?.type);
    if (condition === undefined || type === undefined) continue;
    conditions.set(type, { status: text(condition.status) ?? "Unknown", reason: text(condition.reason), message: text(condition.message) });
  }
  return conditions;
}

function tradeEntries(change: CacheChange, name: string): ActivityInit[] {
  const base = { source: ActivitySource.RESOURCE, kind: "Trade", name } as const;
  if (change.type === "ADDED") {
    const phase = phaseOf(change.object);
    const entries: ActivityInit[] = [{ ...base, reason: "TradeProposed", message: `proposed: ${describeTradeSpec(record(change.object.spec))}` }];
    // Seen for the first time already past Proposed (e.g. after the console was away).
    if (phase !== undefined && phase !== "Proposed") entries.push(phaseEntry(base, undefined, phase, change.object, WARNING_TRADE_PHASES));
    return entries;
  }
  if (change.type === "MODIFIED") {
    const before = phaseOf(change.previous);
    const after = phaseOf(change.object);
    // The controller's first look (no phase → Proposed) is the proposal already reported.
    if (before === undefined && after === "Proposed") return [];
    if (after !== undefined && before !== after) return [phaseEntry(base, before, after, change.object, WARNING_TRADE_PHASES)];
  }
  return [];
}

function phaseEntry(base: Pick<ActivityInit, "source" | "kind" | "name">, from: string | undefined, to: string, object: JsonObject, warnings: ReadonlySet<string>): ActivityInit {
  const detail = text(record(object.status)?.message);
  return {
    ...base,
    severity: warnings.has(to) ? ActivitySeverity.WARNING : ActivitySeverity.INFO,
    reason: "PhaseChanged",
    message: `${from ?? "new"} → ${to}${detail === undefined ? "" : `: ${detail}`}`,
  };
}

function strategyEntries(change: CacheChange, name: string): ActivityInit[] {
  const base = { source: ActivitySource.RESOURCE, kind: "Strategy", name } as const;
  if (change.type === "ADDED") return [{ ...base, reason: "StrategyCreated", message: "created" }];
  if (change.type === "DELETED") return [{ ...base, reason: "StrategyDeleted", message: "deleted" }];
  const entries: ActivityInit[] = [];
  const before = phaseOf(change.previous);
  const after = phaseOf(change.object);
  if (after !== undefined && before !== after) entries.push(phaseEntry(base, before, after, change.object, WARNING_STRATEGY_PHASES));
  const previous = conditionsOf(change.previous);
  for (const [type, condition] of conditionsOf(change.object)) {
    const old = previous.get(type);
    // A condition seen for the first time is not a flip.
    if (old === undefined || old.status === condition.status) continue;
    const why = condition.reason === undefined ? "" : ` (${condition.reason})`;
    entries.push({
      ...base,
      severity: condition.status === "False" && POSITIVE_CONDITIONS.has(type) ? ActivitySeverity.WARNING : ActivitySeverity.INFO,
      reason: "ConditionChanged",
      message: `${type}: ${old.status} → ${condition.status}${why}${condition.message === undefined ? "" : `: ${condition.message}`}`,
    });
  }
  return entries;
}

/**
 * What a change of the shared cache adds to the activity feed: a Trade proposed, a Trade or
 * Strategy changing phase (with its status message), a Strategy condition flipping, a Strategy
 * created or deleted. Everything else (P&L refreshes, scan times) is left out.
 */
export function resourceActivity(change: CacheChange): ActivityInit[] {
  const name = objectName(change.object);
  return change.kind === "Trade" ? tradeEntries(change, name) : strategyEntries(change, name);
}
