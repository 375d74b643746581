/** One cached formatter per time zone: building an Intl.DateTimeFormat is far slower than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Wall-clock parts of an instant in a time zone, zero-padded as TWS prints them. */
interface WallClock {
  readonly date: string;
  readonly time: string;
}

function wallClock(epochMs: number, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) parts[part.type] = part.value;
  return {
    date: `${parts.year ?? ""}${parts.month ?? ""}${parts.day ?? ""}`,
    time: `${parts.hour ?? ""}:${parts.minute ?? ""}:${parts.second ?? ""}`,
  };
}

/**
 * `yyyyMMdd HH:mm:ss <timeZone>`, the form TWS uses for the connection time, execution times
 * and intraday bar dates. `timeZone` must be an IANA name (e.g. `US/Eastern`): ib_async feeds it
 * to `ZoneInfo()`.
 */
export function formatTwsDateTime(epochMs: number, timeZone: string): string {
  const { date, time } = wallClock(epochMs, timeZone);
  return `${date} ${time} ${timeZone}`;
}

/** `yyyyMMdd` in the given time zone: daily bar dates and expiries. */
export function formatTwsDate(epochMs: number, timeZone: string): string {
  return wallClock(epochMs, timeZone).date;
}

/** `HH:mm` in the given time zone: the updateAccountTime stamp. */
export function formatTwsClock(epochMs: number, timeZone: string): string {
  return wallClock(epochMs, timeZone).time.slice(0, 5);
}
