import { z } from "zod";
import type { Clock } from "./clock.js";
import { option } from "./config.js";
import { envPrefix } from "./service-main.js";

/** Largest shift accepted: a month either way is plenty to reach the last session. */
const MAX_OFFSET_SECONDS = 31 * 86_400;

/**
 * `--clock-offset`: seconds added to the wall clock for everything that depends on the time of
 * day or the date (trading windows, DTE, expiries, exchange days). It exists for the simulator
 * outside market hours (demos, CI on kind): the simulator and every service get the same value,
 * so they agree on a market time that is open. With a real TWS it must stay 0.
 */
export function clockOffsetOption(service: string) {
  return {
    clockOffset: option({
      type: z.number().int().min(-MAX_OFFSET_SECONDS).max(MAX_OFFSET_SECONDS),
      env: `${envPrefix(service)}CLOCK_OFFSET`,
      flag: "--clock-offset",
      default: 0,
      description: "Seconds added to the wall clock for trading windows, DTE and dates; only with the simulator (the same value everywhere); 0 with a real TWS.",
    }),
  };
}

/**
 * The clock `offsetMs` ahead of `base` (behind when negative). Durations, timers and sleeps are
 * the base's, so pacing and timeouts keep their real lengths; only `now()` moves.
 */
export function offsetClock(base: Clock, offsetMs: number): Clock {
  if (offsetMs === 0) return base;
  return {
    now: () => base.now() + offsetMs,
    sleep: (ms, signal) => base.sleep(ms, signal),
    setTimer: (ms, fn) => base.setTimer(ms, fn),
  };
}
