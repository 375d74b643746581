/**
 * Moves the market and the broker through simulated time together: the broker's wakeups (acks,
 * fills due, cancels, DAY expiries) are visited in order, each session open starts a new P&L
 * day, and every step ends with a matching pass at the new quotes.
 */
import type { Broker } from "../broker/index.js";
import type { MarketSource } from "../market/index.js";

/** Steps one advance may take; far above anything real, it only stops a runaway loop. */
const MAX_STEPS = 100_000;

/** Advances `market` to `target`, running `broker` at every instant it has work. */
export function advanceWorld(market: MarketSource, broker: Broker, target: number): void {
  for (let step = 0; step < MAX_STEPS; step++) {
    const now = market.now();
    if (now >= target) break;
    let next = target;
    const wakeup = broker.nextWakeup();
    if (wakeup !== undefined && wakeup > now && wakeup < next) next = wakeup;
    const open = market.calendar.nextSessionAfter(now).open;
    const opens = open > now && open <= next;
    if (opens) next = open;
    market.advanceTo(next);
    if (opens) broker.rollDay();
    broker.match();
  }
  const due = broker.nextWakeup();
  if (due !== undefined && due <= market.now()) broker.match();
}
