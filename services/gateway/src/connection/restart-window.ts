/** A daily restart window in a named time zone. */
export interface RestartWindowSpec {
  /** Local start time, `HH:MM` (24 h). */
  readonly at: string;
  /** IANA zone the time is in, e.g. `America/New_York` (never the machine's zone). */
  readonly timeZone: string;
  /** How long TWS is away, ms (less than a day). */
  readonly durationMs: number;
}

/** One occurrence of the window, epoch ms, `[startMs, endMs)`. */
export interface RestartWindow {
  readonly startMs: number;
  readonly endMs: number;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses `HH:MM`; throws RangeError on anything else. */
export function parseHhMm(text: string): { readonly hour: number; readonly minute: number } {
  const match = HH_MM.exec(text);
  if (match === null) throw new RangeError(`expected a time HH:MM (24 h), got ${JSON.stringify(text)}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** Checks a spec: valid time, a zone Intl knows, a duration from 1 ms to under a day. */
export function validateRestartWindow(spec: RestartWindowSpec): void {
  parseHhMm(spec.at);
  // Throws RangeError for an unknown zone.
  new Intl.DateTimeFormat("en-US", { timeZone: spec.timeZone });
  if (!(spec.durationMs > 0 && spec.durationMs < 86_400_000)) {
    throw new RangeError(`restart window duration must be between 1 ms and 24 h, got ${spec.durationMs} ms`);
  }
}

interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function localParts(epochMs: number, timeZone: string): LocalParts {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? "0");
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** The zone's offset from UTC at `epochMs`, ms (local − UTC), whole seconds. */
function offsetAt(epochMs: number, timeZone: string): number {
  const p = localParts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * The instant a local wall time happens in `timeZone`. A time skipped by a spring-forward gap
 * maps to the same distance after the gap (02:30 → 03:30), a time repeated in the autumn to its
 * first occurrence.
 */
export function zonedTimeToEpoch(
  date: { readonly year: number; readonly month: number; readonly day: number },
  hour: number,
  minute: number,
  timeZone: string,
): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // Two passes converge: the offset guessed at the wall time, then at the candidate instant.
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  if (second === first) return first;
  // The offsets disagree around a transition: prefer the earlier instant that maps back to the wall time.
  const candidates = [first, second].sort((a, b) => a - b);
  for (const c of candidates) {
    if (c + offsetAt(c, timeZone) === wall) return c;
  }
  // In a gap neither maps back: use the pre-transition offset, which lands after the gap.
  return wall - offsetAt(wall - 86_400_000, timeZone);
}

/**
 * The window that contains `nowMs`, or else the next one to start. Computed per local calendar
 * day in the spec's zone, so across DST the UTC start moves by an hour and no day is skipped or
 * doubled.
 */
export function restartWindowAt(nowMs: number, spec: RestartWindowSpec): RestartWindow {
  const { hour, minute } = parseHhMm(spec.at);
  const today = localParts(nowMs, spec.timeZone);
  // Yesterday's window may still be open (a window that crosses midnight), so look from yesterday on.
  for (let dayOffset = -1; dayOffset <= 2; dayOffset++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + dayOffset));
    const startMs = zonedTimeToEpoch(
      { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() },
      hour,
      minute,
      spec.timeZone,
    );
    const endMs = startMs + spec.durationMs;
    if (endMs > nowMs) return { startMs, endMs };
  }
  throw new Error("unreachable: a daily window starts within three days");
}
