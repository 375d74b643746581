import { z } from "zod";

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

// One or more <number><unit> parts, Go style: "15s", "1h30m", "1.5s", "250ms".
const DURATION_RE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART_RE = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/** The wording used wherever a duration is expected (errors, help). */
export const DURATION_FORM = "a duration such as 15s, 5m, 1h30m or 250ms";

/**
 * Parses a human duration (`15s`, `5m`, `1h30m`, `250ms`, `1.5s`, `2d`) into whole milliseconds.
 * A bare `0` is accepted; other bare numbers are not, because their unit would be a guess.
 *
 * @returns the duration in milliseconds, or `undefined` when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "0") return 0;
  if (!DURATION_RE.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(PART_RE)) {
    const amount = Number(match[1]);
    const unit = match[2] as Unit;
    total += amount * UNIT_MS[unit];
  }
  return Math.round(total);
}

/** Formats milliseconds the way {@link parseDuration} reads them, e.g. `90000` → `1m30s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`not a duration in ms: ${ms}`);
  if (ms === 0) return "0s";
  let rest = Math.round(ms);
  let out = "";
  for (const unit of ["d", "h", "m", "s", "ms"] as const) {
    const size = UNIT_MS[unit];
    const amount = Math.floor(rest / size);
    if (amount > 0) {
      out += `${amount}${unit}`;
      rest -= amount * size;
    }
  }
  return out;
}

/** Bounds for {@link duration}, each either milliseconds or duration text such as `"1s"`. */
export interface DurationBounds {
  readonly min?: number | string;
  readonly max?: number | string;
}

function boundToMs(bound: number | string): number {
  if (typeof bound === "number") return bound;
  const ms = parseDuration(bound);
  if (ms === undefined) throw new RangeError(`duration bound "${bound}" is not ${DURATION_FORM}`);
  return ms;
}

/**
 * A zod schema for a duration option. The parsed value is whole milliseconds; config parsing turns
 * text like `15s` into milliseconds before validation (the schema carries `configKind: "duration"`
 * metadata for that), and a default may be given either as text or as milliseconds.
 */
export function duration(bounds: DurationBounds = {}): z.ZodNumber {
  let schema = z.number().int().nonnegative();
  if (bounds.min !== undefined) {
    const min = boundToMs(bounds.min);
    schema = schema.min(min, { error: `must be at least ${formatDuration(min)}` });
  }
  if (bounds.max !== undefined) {
    const max = boundToMs(bounds.max);
    schema = schema.max(max, { error: `must be at most ${formatDuration(max)}` });
  }
  // Metadata last: zod keeps metadata on the instance it was attached to, not on later clones.
  return schema.meta({ configKind: "duration" });
}
