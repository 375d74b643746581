import { create } from "@bufbuild/protobuf";
import { StrategyScheduleSchema } from "@spreadops/api";
import { daysFromCivil } from "@spreadops/core";
import { offsetClock, systemClock, type Clock } from "@spreadops/runtime";
import { inTradingWindow, instantOf, localDate } from "@spreadops/strategy";

const EXCHANGE_ZONE = "America/New_York";
/** The US regular session, Monday to Friday (exchange holidays are not modelled). */
const SESSION = create(StrategyScheduleSchema, { timezone: EXCHANGE_ZONE, window: { start: "09:30", end: "16:00" } });
/** Where a simulated session starts: after the open, inside every example's entry window. */
const SIMULATED_START_MINUTES = 10 * 60;
/** The examples' entry window, less the time an install takes, for {@link marketClockOffsetSeconds}. */
const ENTRY_HOURS = create(StrategyScheduleSchema, { timezone: EXCHANGE_ZONE, window: { start: "09:45", end: "15:15" } });

/**
 * When the built-in simulator should start its market clock. Inside a US session: undefined
 * (real time). Outside it — nights, weekends — the latest weekday at 10:00 New York before
 * `nowMs`, so the platform on a laptop trades at any hour against a market that is open, with
 * time passing at the normal rate from there.
 */
export function simulatedMarketStart(nowMs: number): number | undefined {
  if (inTradingWindow(nowMs, SESSION)) return undefined;
  return latestSessionStart(nowMs);
}

/** The latest weekday 10:00 New York strictly before `nowMs`. */
function latestSessionStart(nowMs: number): number {
  const ymd = localDate(nowMs, EXCHANGE_ZONE);
  const today = daysFromCivil(Math.floor(ymd / 10_000), Math.floor(ymd / 100) % 100, ymd % 100);
  for (let day = today; day > today - 8; day--) {
    const at = instantOf(day, SIMULATED_START_MINUTES, EXCHANGE_ZONE);
    if (at < nowMs && inTradingWindow(at, SESSION)) return at;
  }
  throw new Error("no weekday in the last 8 days");
}

/**
 * The `--clock-offset` (seconds) that puts the simulator and the services inside the example
 * strategies' entry window, for a cluster on the simulator (CI on kind): 0 when the wall clock is
 * already well inside it, else back to 10:00 New York on the latest weekday.
 */
export function marketClockOffsetSeconds(nowMs: number): number {
  if (inTradingWindow(nowMs, ENTRY_HOURS)) return 0;
  return Math.round((latestSessionStart(nowMs) - nowMs) / 1000);
}

/**
 * The platform's clock on the simulator's market time: the wall clock shifted to where the
 * simulated session started, running at its rate, with real timers — pacing, walks and schedules
 * keep their real durations while windows, DTE and expiries agree with the simulated market.
 */
export function marketClock(marketStartMs: number, startedAtMs: number): Clock {
  return offsetClock(systemClock, marketStartMs - startedAtMs);
}
