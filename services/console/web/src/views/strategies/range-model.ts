/**
 * The dual-handle range input's arithmetic: the track's domain from the schema's bounds, the
 * handles' step, and keeping the low handle at or below the high one.
 */

export interface RangeDomain {
  /** Lowest value a handle can take (an exclusive minimum moves up by one step). */
  readonly lo: number;
  readonly hi: number;
  readonly step: number;
  readonly integer: boolean;
  /**
   * How values sit on the track: "sqrt" spreads the low end of a wide non-negative domain (days to
   * expiry 0–1000: 30–60 takes a fifth of the track instead of 3 %), "linear" otherwise.
   */
  readonly scale: "linear" | "sqrt";
}

/** Positions of a handle on the track: 0 … TRACK_STEPS. */
export const TRACK_STEPS = 1000;

/** 1, 2 or 5 × 10^k nearest at or below `x`. */
export function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const exp = Math.floor(Math.log10(x));
  const base = 10 ** exp;
  const m = x / base;
  const nice = m >= 5 ? 5 : m >= 2 ? 2 : 1;
  return Number((nice * base).toPrecision(12));
}

/**
 * The domain of a range field from its bound schema: integers step by 1; numbers in hundredths
 * of a span up to 10 (|delta| 0–1 → 0.01) and thousandths of a wider span (width 0–1000 → 1).
 */
export function rangeDomain(bound: { type?: string; minimum?: number; maximum?: number; exclusiveMinimum?: boolean; exclusiveMaximum?: boolean }): RangeDomain {
  const integer = bound.type === "integer";
  const min = bound.minimum ?? 0;
  const max = bound.maximum ?? Math.max(min + 100, 100);
  const span = max - min;
  const step = integer ? 1 : niceStep(span <= 10 ? span / 100 : span / 1000);
  const lo = bound.exclusiveMinimum === true ? roundTo(min + step, step) : min;
  const hi = bound.exclusiveMaximum === true ? roundTo(max - step, step) : max;
  const scale = lo >= 0 && (hi - lo) / step > 200 ? "sqrt" : "linear";
  return { lo, hi, step, integer, scale };
}

/** `value` rounded to a multiple of `step` (without float noise). */
export function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number((Math.round(value / step) * step).toFixed(Math.min(decimals, 12)));
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** A new low handle value: within the domain and never above the high bound (or the domain's top when open). */
export function moveLow(domain: RangeDomain, value: number, max: number | undefined): number {
  return clamp(roundTo(value, domain.step), domain.lo, Math.min(domain.hi, max ?? domain.hi));
}

/** A new high handle value: within the domain and never below the low bound. */
export function moveHigh(domain: RangeDomain, value: number, min: number | undefined): number {
  return clamp(roundTo(value, domain.step), Math.max(domain.lo, min ?? domain.lo), domain.hi);
}

/** The track position (0 … TRACK_STEPS) of a value. */
export function toPosition(domain: RangeDomain, value: number): number {
  const span = domain.hi - domain.lo;
  if (span <= 0) return 0;
  const fraction = clamp((value - domain.lo) / span, 0, 1);
  return Math.round((domain.scale === "sqrt" ? Math.sqrt(fraction) : fraction) * TRACK_STEPS);
}

/** The value at a track position, rounded to the domain's step. */
export function fromPosition(domain: RangeDomain, position: number): number {
  const p = clamp(position / TRACK_STEPS, 0, 1);
  const fraction = domain.scale === "sqrt" ? p * p : p;
  return clamp(roundTo(domain.lo + fraction * (domain.hi - domain.lo), domain.step), domain.lo, domain.hi);
}

/**
 * The value after a key on a handle, in value steps whatever the scale (arrows one step, Page
 * Up/Down ten, Home/End the ends); undefined for other keys.
 */
export function keyValue(domain: RangeDomain, current: number, key: string): number | undefined {
  const big = domain.step * 10;
  switch (key) {
    case "ArrowRight": case "ArrowUp": return clamp(roundTo(current + domain.step, domain.step), domain.lo, domain.hi);
    case "ArrowLeft": case "ArrowDown": return clamp(roundTo(current - domain.step, domain.step), domain.lo, domain.hi);
    case "PageUp": return clamp(roundTo(current + big, domain.step), domain.lo, domain.hi);
    case "PageDown": return clamp(roundTo(current - big, domain.step), domain.lo, domain.hi);
    case "Home": return domain.lo;
    case "End": return domain.hi;
    default: return undefined;
  }
}

/** Where a value sits on the track, 0–100 (an open bound sits at its end). */
export function trackPercent(domain: RangeDomain, value: number | undefined, open: "low" | "high"): number {
  if (value === undefined) return open === "low" ? 0 : 100;
  return (toPosition(domain, value) / TRACK_STEPS) * 100;
}
