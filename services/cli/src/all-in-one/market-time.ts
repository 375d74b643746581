import { create } from "@bufbuild/protobuf";
import { StrategyScheduleSchema } from "@spreadops/api";
import { daysFromCivil } from "@spreadops/core";
import { systemClock, type Clock } from "@spreadops/runtime";
import { inTradingWindow, instantOf, localDate } from "@spreadops/strategy";

const EXCHANGE_ZONE = "America/New_York";
/** The US regular session, Monday to Friday (exchange holidays are not modelled). */
const SESSION = create(StrategyScheduleSchema, { timezone: EXCHANGE_ZONE, window: { start: "09:30", end: "16:00" } });
/** Where a simulated session starts: after the open, inside every example's entry window. */
const SIMULATED_START_MINUTES = 10 * 60;

/**
 * When the built-in simulator should start its market clock. Inside a US session: undefined
 * (real time). Outside it — nights, weekends — the latest weekday at 10:00 New York before
 * `nowMs`, so the platform on a laptop trades at any hour against a market that is open, with
 * time passing at the normal rate from there.
 */
export function simulatedMarketStart(nowMs: number): number | undefined {
  if (inTradingWindow(nowMs, SESSION)) return undefined;
  const ymd = localDate(nowMs, EXCHANGE_ZONE);
  const today = daysFromCivil(Math.floor(ymd / 10_000), Math.floor(ymd / 100) % 100, ymd % 100);
  for (let day = today; day > today - 8; day--) {
    const at = instantOf(day, SIMULATED_START_MINUTES, EXCHANGE_ZONE);
    if (at < nowMs && inTradingWindow(at, SESSION)) return at;
  }
  return undefined;
}

/**
 * The platform's clock on the simulator's market time: the simulator's `now` (a constant offset
 * from the wall clock, running at its rate) with real timers, so pacing, walks and schedules
 * keep their real durations while windows, DTE and expiries agree with the simulated market.
 */
export function marketClock(now: () => number): Clock {
  return { now, sleep: (ms, signal) => systemClock.sleep(ms, signal), setTimer: (ms, fn) => systemClock.setTimer(ms, fn) };
}
