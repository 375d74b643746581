import type { Duration } from "@bufbuild/protobuf/wkt";
import type { DoubleRange, EntryRule, FilterSet, IntRange, StrategySpec } from "@spreadops/api";
import { Approval, Direction, Indicator, SpreadKindSelection, TradingMode } from "@spreadops/api";
import { invalidArgument } from "@spreadops/runtime";
import type { ConnectError } from "@connectrpc/connect";

/** One problem with a spec field, in CR terms (`spec.entry[1].period`). */
export interface SpecViolation {
  /** CR field path, e.g. `spec.spread.dte.min`. */
  readonly field: string;
  /** The expected form, e.g. "an integer ≤ spec.spread.dte.max (60)". */
  readonly expected: string;
  /** The value given, as shown to the user. */
  readonly given: string;
  /** `expected …, got …`. */
  readonly message: string;
  /** The raw value, for the InvalidArgument detail. */
  readonly value: unknown;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of an "HH:MM" string; undefined when malformed. */
export function parseHhMm(text: string): number | undefined {
  const match = HH_MM.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Whether `zone` is an IANA time zone this runtime knows (Intl is the only source of truth here). */
export function isValidTimeZone(zone: string): boolean {
  if (zone === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}

/** Collects violations; one instance per validation run. */
class Collector {
  readonly violations: SpecViolation[] = [];
  add(field: string, expected: string, given: unknown): void {
    const shown = show(given);
    this.violations.push({ field, expected, given: shown, message: `expected ${expected}, got ${shown}`, value: given });
  }
}

function durationMs(d: Duration): number {
  return Number(d.seconds) * 1000 + d.nanos / 1e6;
}

function checkIntRange(c: Collector, path: string, range: IntRange | undefined, min: number): void {
  if (range === undefined) return;
  if (range.min !== undefined && range.min < min) c.add(`${path}.min`, `an integer ≥ ${min}`, range.min);
  if (range.max !== undefined && range.max < min) c.add(`${path}.max`, `an integer ≥ ${min}`, range.max);
  if (range.min !== undefined && range.max !== undefined && range.min > range.max) c.add(`${path}.min`, `≤ ${path}.max (${range.max})`, range.min);
}

function checkDoubleRange(c: Collector, path: string, range: DoubleRange | undefined, lo: number, hi: number, exclusiveLo = false): void {
  if (range === undefined) return;
  const form = `${exclusiveLo ? `> ${lo}` : `≥ ${lo}`}${Number.isFinite(hi) ? ` and ≤ ${hi}` : ""}`;
  for (const key of ["min", "max"] as const) {
    const v = range[key];
    if (v === undefined) continue;
    const ok = Number.isFinite(v) && (exclusiveLo ? v > lo : v >= lo) && v <= hi;
    if (!ok) c.add(`${path}.${key}`, `a number ${form}`, v);
  }
  if (range.min !== undefined && range.max !== undefined && range.min > range.max) c.add(`${path}.min`, `≤ ${path}.max (${range.max})`, range.min);
}

function positive(c: Collector, path: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) c.add(path, "a number > 0", value);
}

/** Which optional EntryRule fields each indicator needs and allows. */
const RULE_FIELDS: Readonly<Record<Exclude<Indicator, Indicator.UNSPECIFIED>, { readonly name: string; readonly required: readonly (keyof EntryRule)[]; readonly allowed: readonly (keyof EntryRule)[] }>> = {
  [Indicator.RSI]: { name: "rsi", required: ["period"], allowed: ["period", "above", "below"] },
  [Indicator.SMA]: { name: "sma", required: ["period"], allowed: ["period", "above", "below"] },
  [Indicator.EMA]: { name: "ema", required: ["period"], allowed: ["period", "above", "below"] },
  [Indicator.SMA_CROSS]: { name: "smaCross", required: ["fast", "slow"], allowed: ["fast", "slow", "period"] },
  [Indicator.EMA_CROSS]: { name: "emaCross", required: ["fast", "slow"], allowed: ["fast", "slow", "period"] },
  [Indicator.ATR_MOVE]: { name: "atrMove", required: ["period", "multiple"], allowed: ["period", "multiple"] },
};

/** The CR name of an indicator (`rsi`, `smaCross`, …). */
export function indicatorName(indicator: Indicator): string {
  return indicator === Indicator.UNSPECIFIED ? "unspecified" : RULE_FIELDS[indicator].name;
}

const OPTIONAL_RULE_FIELDS = ["period", "fast", "slow", "above", "below", "multiple"] as const;

function checkRule(c: Collector, rule: EntryRule, path: string): void {
  // Unknown enum numbers arrive from JSON as-is, so the table lookup can miss.
  const known = (RULE_FIELDS as Partial<Record<Indicator, unknown>>)[rule.indicator];
  if (rule.indicator === Indicator.UNSPECIFIED || known === undefined) {
    c.add(`${path}.indicator`, "one of rsi, sma, ema, smaCross, emaCross, atrMove", rule.indicator);
    return;
  }
  const fields = RULE_FIELDS[rule.indicator];
  for (const key of fields.required) {
    if (rule[key] === undefined) c.add(`${path}.${key}`, `a value (${fields.name} needs ${key})`, undefined);
  }
  for (const key of OPTIONAL_RULE_FIELDS) {
    if (rule[key] !== undefined && !fields.allowed.includes(key)) c.add(`${path}.${key}`, `nothing (${fields.name} does not use ${key})`, rule[key]);
  }
  for (const key of ["period", "fast", "slow"] as const) {
    const v = rule[key];
    if (v !== undefined && !(v >= 1 && v <= 1000)) c.add(`${path}.${key}`, "a whole number of bars 1–1000", v);
  }
  if (rule.indicator === Indicator.RSI) {
    if (rule.above === undefined && rule.below === undefined) c.add(`${path}.below`, "a threshold (rsi needs above or below)", undefined);
    for (const key of ["above", "below"] as const) {
      const v = rule[key];
      if (v !== undefined && !(v >= 0 && v <= 100)) c.add(`${path}.${key}`, "an RSI level 0–100", v);
    }
  }
  for (const key of ["above", "below"] as const) {
    const v = rule[key];
    if (v !== undefined && !Number.isFinite(v)) c.add(`${path}.${key}`, "a finite number", v);
  }
  if (rule.above !== undefined && rule.below !== undefined && rule.above >= rule.below) c.add(`${path}.above`, `< ${path}.below (${rule.below})`, rule.above);
  if (rule.fast !== undefined && rule.slow !== undefined && rule.fast >= rule.slow) c.add(`${path}.fast`, `< ${path}.slow (${rule.slow})`, rule.fast);
  positive(c, `${path}.multiple`, rule.multiple);
  if (rule.direction !== Direction.BULLISH && rule.direction !== Direction.BEARISH) c.add(`${path}.direction`, "bullish or bearish", rule.direction);
}

/** A bound of a number: inclusive unless `exclusive`. */
interface Bound {
  readonly value: number;
  readonly exclusive?: boolean;
}

function checkNumber(c: Collector, path: string, value: number | undefined, expected: string, lo?: Bound, hi?: Bound): void {
  if (value === undefined) return;
  const ok = Number.isFinite(value)
    && (lo === undefined || (lo.exclusive === true ? value > lo.value : value >= lo.value))
    && (hi === undefined || (hi.exclusive === true ? value < hi.value : value <= hi.value));
  if (!ok) c.add(path, expected, value);
}

/** The largest DTE any listed option has (LEAPS reach about 3 years); the scanner's bound too. */
const MAX_DTE = 1500;

/**
 * Every field of `spec.filters`, in its unit's range, with the scanner's bounds (so a spec that
 * validates here is not refused by the scanner later): DTE whole days 0–1500, |delta| and
 * fractions 0–1, percents 0–100, widths > 0, spreads, gamma and return on risk ≥ 0, theta,
 * vega and expected value finite; no range inverted.
 */
function checkFilters(c: Collector, filters: FilterSet | undefined): void {
  if (filters === undefined) return;
  const p = "spec.filters";
  checkIntRange(c, `${p}.dte`, filters.dte, 0);
  for (const key of ["min", "max"] as const) {
    const v = filters.dte?.[key];
    if (v !== undefined && v > MAX_DTE) c.add(`${p}.dte.${key}`, `whole days 0–${MAX_DTE}`, v);
  }
  checkDoubleRange(c, `${p}.shortDelta`, filters.shortDelta, 0, 1);
  checkDoubleRange(c, `${p}.longDelta`, filters.longDelta, 0, 1);
  checkDoubleRange(c, `${p}.width`, filters.width, 0, Number.POSITIVE_INFINITY, true);
  for (const key of ["minVolume", "minOpenInterest"] as const) {
    const v = filters[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) c.add(`${p}.${key}`, "a whole number of contracts ≥ 0", v);
  }
  checkNumber(c, `${p}.maxBidAskSpread`, filters.maxBidAskSpread, "USD per share ≥ 0", { value: 0 });
  for (const key of ["maxBidAskSpreadPercent", "minIvPercentile", "minIvRank"] as const) checkNumber(c, `${p}.${key}`, filters[key], "a percent 0–100", { value: 0 }, { value: 100 });
  checkNumber(c, `${p}.thetaAbove`, filters.thetaAbove, "a finite number, USD per share per day");
  checkNumber(c, `${p}.maxGamma`, filters.maxGamma, "a gamma ≥ 0", { value: 0 });
  const vega = filters.vega;
  if (vega !== undefined) {
    checkNumber(c, `${p}.vega.min`, vega.min, "a finite vega, USD per share per volatility point");
    checkNumber(c, `${p}.vega.max`, vega.max, "a finite vega, USD per share per volatility point");
    if (vega.min !== undefined && vega.max !== undefined && vega.min > vega.max) c.add(`${p}.vega.min`, `≤ ${p}.vega.max (${vega.max})`, vega.min);
  }
  for (const key of ["minProbabilityOfProfit", "minCreditToWidth", "maxDebitToWidth"] as const) checkNumber(c, `${p}.${key}`, filters[key], "a fraction 0–1", { value: 0 }, { value: 1 });
  checkNumber(c, `${p}.minReturnOnRisk`, filters.minReturnOnRisk, "a fraction ≥ 0 (0.2 = 20 %)", { value: 0 });
  checkNumber(c, `${p}.minExpectedValue`, filters.minExpectedValue, "a finite number, USD per share");
}

/**
 * Every violation of a spec, with CR field paths. Pure: no market data, no clock. Every
 * `spec.filters` field is checked here with the scanner's bounds, so a bad filter is an
 * InvalidArgument of the spec rather than a SCAN_FAILED drop later.
 */
export function validateSpec(spec: StrategySpec | undefined): SpecViolation[] {
  const c = new Collector();
  if (spec === undefined) {
    c.add("spec", "a Strategy spec", undefined);
    return c.violations;
  }
  if (spec.mode !== TradingMode.PAPER && spec.mode !== TradingMode.LIVE) c.add("spec.mode", "paper or live", spec.mode);

  const universe = spec.universe;
  universe?.symbols.forEach((symbol, i) => {
    if (!/^[A-Z][A-Z0-9.]{0,11}$/.test(symbol)) c.add(`spec.universe.symbols[${i}]`, "an upper-case ticker of 1–12 characters", symbol);
  });
  const seen = new Set<string>();
  universe?.symbols.forEach((symbol, i) => {
    if (seen.has(symbol)) c.add(`spec.universe.symbols[${i}]`, "each symbol once", symbol);
    seen.add(symbol);
  });
  for (const key of ["minPrice", "minAvgVolume", "minMarketCap"] as const) {
    const v = universe?.[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) c.add(`spec.universe.${key}`, "a number ≥ 0", v);
  }

  const schedule = spec.schedule;
  if (schedule === undefined) {
    c.add("spec.schedule", "a schedule with timezone and window", undefined);
  } else {
    if (schedule.scanInterval !== undefined && !(durationMs(schedule.scanInterval) >= 1000)) c.add("spec.schedule.scanInterval", "a duration ≥ 1s", `${durationMs(schedule.scanInterval)}ms`);
    if (!isValidTimeZone(schedule.timezone)) c.add("spec.schedule.timezone", "an IANA time zone, e.g. America/New_York", schedule.timezone);
    const window = schedule.window;
    if (window === undefined) {
      c.add("spec.schedule.window", "{ start, end } as HH:MM", undefined);
    } else {
      const start = parseHhMm(window.start);
      const end = parseHhMm(window.end);
      if (start === undefined) c.add("spec.schedule.window.start", "HH:MM, 24-hour", window.start);
      if (end === undefined) c.add("spec.schedule.window.end", "HH:MM, 24-hour", window.end);
      if (start !== undefined && end !== undefined && start >= end) c.add("spec.schedule.window.start", `earlier than spec.schedule.window.end (${window.end})`, window.start);
    }
  }

  spec.entry.forEach((rule, i) => { checkRule(c, rule, `spec.entry[${i}]`); });
  const first = spec.entry.find((r) => r.direction === Direction.BULLISH || r.direction === Direction.BEARISH)?.direction;
  spec.entry.forEach((rule, i) => {
    if (first !== undefined && (rule.direction === Direction.BULLISH || rule.direction === Direction.BEARISH) && rule.direction !== first) {
      c.add(`spec.entry[${i}].direction`, `${first === Direction.BULLISH ? "bullish" : "bearish"} like the other rules (mixed directions are invalid)`, rule.direction === Direction.BULLISH ? "bullish" : "bearish");
    }
  });

  const spread = spec.spread;
  if (spread === undefined) {
    c.add("spec.spread", "a spread with kind, dte, shortDelta and width", undefined);
  } else {
    if (spread.kind === SpreadKindSelection.UNSPECIFIED || !(spread.kind in SpreadKindSelection)) c.add("spec.spread.kind", "auto, bullPut, bearCall, bullCall or bearPut", spread.kind);
    const t = spread.creditWhenIvPercentileAbove;
    if (t !== undefined && !(t >= 0 && t <= 100)) c.add("spec.spread.creditWhenIvPercentileAbove", "an IV percentile 0–100", t);
    checkIntRange(c, "spec.spread.dte", spread.dte, 0);
    checkDoubleRange(c, "spec.spread.shortDelta", spread.shortDelta, 0, 1);
    checkDoubleRange(c, "spec.spread.width", spread.width, 0, Number.POSITIVE_INFINITY, true);
    // A bull spread with a bearish rule set would trade against the signal.
    const implied = impliedDirection(spread.kind);
    if (first !== undefined && implied !== undefined && implied !== first) {
      c.add("spec.spread.kind", `a ${first === Direction.BULLISH ? "bullish (bullPut, bullCall)" : "bearish (bearCall, bearPut)"} kind or auto, matching spec.entry's direction`, SpreadKindSelection[spread.kind]);
    }
  }
  checkFilters(c, spec.filters);

  const risk = spec.risk;
  if (risk !== undefined) {
    if (risk.maxOpenTrades !== undefined && risk.maxOpenTrades < 1) c.add("spec.risk.maxOpenTrades", "a whole number ≥ 1", risk.maxOpenTrades);
    positive(c, "spec.risk.maxRiskPerTrade", risk.maxRiskPerTrade);
    positive(c, "spec.risk.maxDailyLoss", risk.maxDailyLoss);
    positive(c, "spec.risk.stopLossAtrMultiple", risk.stopLossAtrMultiple);
    const tp = risk.takeProfitPercent;
    if (tp !== undefined && !(tp > 0 && tp <= 100)) c.add("spec.risk.takeProfitPercent", "a percent > 0 and ≤ 100", tp);
    if (risk.roll?.enabled === true && risk.roll.atDte === undefined) c.add("spec.risk.roll.atDte", "a DTE when roll.enabled is true", undefined);
  }

  const execution = spec.execution;
  if (execution !== undefined) {
    if (execution.approval !== Approval.MANUAL && execution.approval !== Approval.AUTO) c.add("spec.execution.approval", "manual or auto", execution.approval);
    const offset = execution.limitOffset;
    if (offset !== undefined && !(Number.isFinite(offset) && offset >= 0)) c.add("spec.execution.limitOffset", "USD per share ≥ 0", offset);
    const walk = execution.walk;
    if (walk !== undefined && walk.steps > 0 && !(walk.every !== undefined && durationMs(walk.every) > 0)) c.add("spec.execution.walk.every", "a duration > 0 when walk.steps > 0", walk.every === undefined ? undefined : `${durationMs(walk.every)}ms`);
  }
  return c.violations;
}

/** The direction a concrete spread kind implies; undefined for AUTO. */
export function impliedDirection(kind: SpreadKindSelection): Direction | undefined {
  switch (kind) {
    case SpreadKindSelection.BULL_PUT:
    case SpreadKindSelection.BULL_CALL:
      return Direction.BULLISH;
    case SpreadKindSelection.BEAR_CALL:
    case SpreadKindSelection.BEAR_PUT:
      return Direction.BEARISH;
    default:
      return undefined;
  }
}

/** InvalidArgument for the first violation (Evaluate's error), or undefined for a valid spec. */
export function firstViolationError(violations: readonly SpecViolation[]): ConnectError | undefined {
  const first = violations[0];
  if (first === undefined) return undefined;
  const error = invalidArgument(first.field, first.expected, first.value);
  return error;
}
