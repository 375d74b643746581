import type { Condition } from "@spreadops/resources";

/** A condition as a reconciler decides it; the transition time is managed here. */
export interface ConditionUpdate {
  readonly type: string;
  readonly status: Condition["status"];
  /** UpperCamelCase, e.g. "DailyLossLimitHit". */
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Returns `conditions` with `update` set (added or replaced, same position). The
 * `lastTransitionTime` moves only when the status changes, so re-asserting a condition every
 * reconcile leaves it — and the object — unchanged. Never mutates its input.
 */
export function setCondition(conditions: readonly Condition[] | undefined, update: ConditionUpdate, nowMs: number): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === update.type);
  const existing = index >= 0 ? list[index] : undefined;
  const next: Condition = {
    type: update.type,
    status: update.status,
    reason: update.reason,
    message: update.message,
    lastTransitionTime: existing !== undefined && existing.status === update.status ? existing.lastTransitionTime : iso(nowMs),
    ...(update.observedGeneration === undefined ? {} : { observedGeneration: update.observedGeneration }),
  };
  if (index >= 0) list[index] = next;
  else list.push(next);
  return list;
}

/** Applies several updates in order. */
export function setConditions(conditions: readonly Condition[] | undefined, updates: readonly ConditionUpdate[], nowMs: number): Condition[] {
  return updates.reduce<Condition[]>((list, update) => setCondition(list, update, nowMs), [...(conditions ?? [])]);
}

/** The condition of `type`, if set. */
export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Whether the condition of `type` is set with `status`. */
export function isConditionStatus(conditions: readonly Condition[] | undefined, type: string, status: Condition["status"]): boolean {
  return findCondition(conditions, type)?.status === status;
}
