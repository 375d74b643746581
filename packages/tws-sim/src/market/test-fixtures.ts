/**
 * Shared fixtures of the market tests (not part of the package API).
 *
 * @packageDocumentation
 */

import { TradingCalendar } from "./calendar.js";
import { SimClock } from "./clock.js";
import type { Bar } from "./market-source.js";
import { SimMarket } from "./sim-market.js";
import { DEFAULT_UNIVERSE, type SymbolSpec } from "./universe.js";

/** One calendar for all tests: its caches make markets cheap to create. */
export const testCalendar = new TradingCalendar();

/** Tuesday 2026-03-10 11:00 New York (EDT), mid-session. */
export const TUESDAY_11AM = Date.parse("2026-03-10T15:00:00Z");

/** A market on a manual clock. */
export function testMarket(options: { seed?: number; start?: number; symbols?: readonly string[] } = {}): SimMarket {
  const start = options.start ?? TUESDAY_11AM;
  const universe: readonly SymbolSpec[] = options.symbols === undefined
    ? DEFAULT_UNIVERSE
    : options.symbols.map((symbol) => {
      const spec = DEFAULT_UNIVERSE.find((s) => s.symbol === symbol);
      if (spec === undefined) throw new Error(`no ${symbol} in the default universe`);
      return spec;
    });
  return new SimMarket({ seed: options.seed ?? 1, start, clock: SimClock.manual(start), calendar: testCalendar, universe });
}

/** OHLCV of consecutive bars taken together. */
export function aggregate(bars: readonly Bar[]): { open: number; high: number; low: number; close: number; volume: number } {
  const first = bars[0];
  const last = bars.at(-1);
  if (first === undefined || last === undefined) throw new Error("no bars to aggregate");
  return {
    open: first.open,
    high: Math.max(...bars.map((b) => b.high)),
    low: Math.min(...bars.map((b) => b.low)),
    close: last.close,
    volume: bars.reduce((sum, b) => sum + b.volume, 0),
  };
}

/** Bars grouped by a key, in order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string | number): Map<string | number, T[]> {
  const groups = new Map<string | number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list === undefined) groups.set(k, [item]);
    else list.push(item);
  }
  return groups;
}
