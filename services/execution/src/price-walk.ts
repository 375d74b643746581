import { roundToTick } from "@spreadops/core";

/** The prices of a walk: index 0 is the start, index `steps` reaches the target. */
export interface WalkPlan {
  readonly start: number;
  readonly target: number;
  readonly prices: readonly number[];
}

/**
 * Plans a price-improvement walk of a premium (USD per share in the order's direction) from
 * `start` toward the natural price in `steps` equal moves on the tick. A credit walks down (we
 * accept less), a debit up (we pay more). Intermediate prices round toward the start (never
 * more aggressive than the plan); the last one rounds toward natural so it reaches the
 * marketable side. Prices stay within [tick, width − tick]: a walk never crosses zero, and a
 * natural already at or behind the start means no move at all.
 */
export function planWalk(options: { start: number; natural: number; steps: number; tick: number; width: number; receiving: boolean }): WalkPlan {
  const { start, natural, steps, tick, width, receiving } = options;
  const floor = roundToTick(tick, tick, "up");
  const ceiling = roundToTick(width - tick, tick, "down");
  const clamp = (p: number): number => Math.min(Math.max(p, floor), ceiling);
  // Receiving a premium: walk down toward natural; paying: walk up.
  const rawTarget = clamp(roundToTick(natural, tick, receiving ? "down" : "up"));
  const target = receiving ? Math.min(rawTarget, start) : Math.max(rawTarget, start);
  const prices = [start];
  for (let i = 1; i <= steps; i++) {
    const raw = start + ((target - start) * i) / steps;
    const price = i === steps ? target : clamp(roundToTick(raw, tick, receiving ? "up" : "down"));
    prices.push(price);
  }
  return { start, target, prices };
}
