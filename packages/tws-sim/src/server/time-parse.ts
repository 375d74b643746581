/**
 * Parses the times clients send (reqHistoricalData's endDateTime, reqExecutions' filter time).
 */
import { daysFromCivil } from "../market/civil-date.js";
import type { ExchangeTimeZone } from "../market/index.js";

const TWS_TIME = /^(\d{4})(\d{2})(\d{2})(?:([ -])(\d{2}):(\d{2}):(\d{2}))?(?:\s+(\S+))?$/;

/**
 * `yyyyMMdd-HH:mm:ss` (UTC), `yyyyMMdd HH:mm:ss[ zone]` (exchange time unless the zone is UTC/GMT)
 * or `yyyyMMdd` (end of that exchange day) → epoch ms; undefined when unparseable.
 */
export function parseTwsTime(text: string, exchangeZone: ExchangeTimeZone): number | undefined {
  const match = TWS_TIME.exec(text.trim());
  if (match === null) return undefined;
  const [, y, mo, d, sep, h, mi, s, zone] = match;
  const day = daysFromCivil(Number(y), Number(mo), Number(d));
  if (h === undefined) return exchangeZone.toUtc(day, 86_400_000 - 1000);
  const timeOfDay = (Number(h) * 3600 + Number(mi) * 60 + Number(s)) * 1000;
  const utc = sep === "-" || zone === "UTC" || zone === "GMT" || zone === "Etc/UTC";
  return utc ? day * 86_400_000 + timeOfDay : exchangeZone.toUtc(day, timeOfDay);
}
