import { create } from "@bufbuild/protobuf";
import type { EntryRule, IndicatorValue, SignalResult } from "@spreadops/api";
import { Direction, Indicator, IndicatorSeries, IndicatorValueSchema, SignalResultSchema } from "@spreadops/api";
import { atr, crossover, ema, rsi, sma } from "@spreadops/core";

/** One daily bar as the signals need it (USD per share), oldest first. */
export interface PriceBar {
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** A rule's outcome, plus whether it could be computed at all. */
export interface RuleOutcome {
  readonly result: SignalResult;
  /** True when there were too few bars for the rule's indicator. */
  readonly insufficientData: boolean;
}

/** Every rule's outcome for one symbol, and whether they all agree. */
export interface SignalsOutcome {
  readonly rules: readonly RuleOutcome[];
  /** Every rule agreed (false for an empty rule set: no rules, no entries). */
  readonly agreed: boolean;
  /** The shared direction when agreed, else UNSPECIFIED. */
  readonly direction: Direction;
  /** Some rule had too few bars. */
  readonly insufficientData: boolean;
  /** "RSI(14) 27.3 < 30: bullish; … → enter bullish" or why not. */
  readonly reason: string;
}

const fmt = (v: number, digits = 2): string => (Number.isFinite(v) ? v.toFixed(digits) : "n/a");
const dirWord = (d: Direction): string => (d === Direction.BULLISH ? "bullish" : d === Direction.BEARISH ? "bearish" : "no direction");

function value(series: IndicatorSeries, period: number, label: string, values: ArrayLike<number>): IndicatorValue {
  const last = values[values.length - 1] ?? Number.NaN;
  const prev = values[values.length - 2] ?? Number.NaN;
  return create(IndicatorValueSchema, { series, period, label, value: last, ...(Number.isFinite(prev) ? { previousValue: prev } : {}) });
}

/**
 * Bars needed before the last one is trustworthy for every rule: RSI and ATR need period + 1
 * closes (plus one for the previous value), SMAs period, EMAs and crosses 3 × period so the
 * seed has decayed (α-weighting leaves < 1 % of it after about 3 periods for common periods).
 */
export function barsNeeded(rules: readonly EntryRule[]): number {
  let need = 2;
  for (const r of rules) {
    const period = r.period ?? 0;
    const slow = r.slow ?? 0;
    switch (r.indicator) {
      case Indicator.RSI:
      case Indicator.ATR_MOVE:
      case Indicator.SMA:
        need = Math.max(need, period + 2);
        break;
      case Indicator.EMA:
        need = Math.max(need, period * 3);
        break;
      case Indicator.SMA_CROSS:
        need = Math.max(need, slow + period + 1);
        break;
      case Indicator.EMA_CROSS:
        need = Math.max(need, slow * 3 + period);
        break;
      default:
        break;
    }
  }
  return need;
}

function thresholdText(v: number, above: number | undefined, below: number | undefined, unit: string): { ok: boolean; text: string } {
  const parts: string[] = [];
  let ok = true;
  if (above !== undefined) {
    const pass = v > above;
    ok &&= pass;
    parts.push(`${pass ? ">" : "≤"} ${above}${unit}`);
  }
  if (below !== undefined) {
    const pass = v < below;
    ok &&= pass;
    parts.push(`${pass ? "<" : "≥"} ${below}${unit}`);
  }
  return { ok, text: parts.join(" and ") };
}

/** Evaluates one entry rule on daily bars (oldest first, the last bar being the evaluation's). */
export function evaluateRule(rule: EntryRule, index: number, bars: readonly PriceBar[]): RuleOutcome {
  const closes = bars.map((b) => b.close);
  const n = closes.length;
  const base = { ruleIndex: index, indicator: rule.indicator, direction: rule.direction };
  const close = value(IndicatorSeries.CLOSE, 0, "close", closes);
  const bullish = rule.direction === Direction.BULLISH;
  const insufficient = (label: string, need: number): RuleOutcome => ({
    result: create(SignalResultSchema, { ...base, agreed: false, values: [close], reason: `${label}: only ${n} bars, needs ${need}` }),
    insufficientData: true,
  });

  switch (rule.indicator) {
    case Indicator.RSI: {
      const period = rule.period ?? 14;
      const series = rsi(closes, period);
      const v = series[n - 1] ?? Number.NaN;
      if (!Number.isFinite(v)) return insufficient(`RSI(${period})`, period + 1);
      const t = thresholdText(v, rule.above, rule.below, "");
      return {
        result: create(SignalResultSchema, { ...base, agreed: t.ok, values: [value(IndicatorSeries.RSI, period, `rsi(${period})`, series)], reason: `RSI(${period}) ${fmt(v, 1)} ${t.text}` }),
        insufficientData: false,
      };
    }
    case Indicator.SMA:
    case Indicator.EMA: {
      const period = rule.period ?? 20;
      const isSma = rule.indicator === Indicator.SMA;
      const name = isSma ? "SMA" : "EMA";
      const ma = isSma ? sma(closes, period) : ema(closes, period);
      const m = ma[n - 1] ?? Number.NaN;
      const c = closes[n - 1] ?? Number.NaN;
      if (!Number.isFinite(m) || m === 0) return insufficient(`${name}(${period})`, period);
      const distance = closes.map((x, i) => ((x - (ma[i] ?? Number.NaN)) / (ma[i] ?? Number.NaN)) * 100);
      const d = distance[n - 1] ?? Number.NaN;
      let ok: boolean;
      let cond: string;
      if (rule.above === undefined && rule.below === undefined) {
        ok = bullish ? c > m : c < m;
        cond = `close ${fmt(c)} ${c > m ? ">" : c < m ? "<" : "="} ${name}(${period}) ${fmt(m)}`;
      } else {
        const t = thresholdText(d, rule.above, rule.below, "%");
        ok = t.ok;
        cond = `close ${fmt(c)} is ${fmt(d)}% from ${name}(${period}) ${fmt(m)}, ${t.text}`;
      }
      return {
        result: create(SignalResultSchema, {
          ...base,
          agreed: ok,
          values: [close, value(isSma ? IndicatorSeries.SMA : IndicatorSeries.EMA, period, `${name.toLowerCase()}(${period})`, ma), value(IndicatorSeries.MA_DISTANCE_PERCENT, period, `${name.toLowerCase()}(${period}) distance %`, distance)],
          reason: cond,
        }),
        insufficientData: false,
      };
    }
    case Indicator.SMA_CROSS:
    case Indicator.EMA_CROSS: {
      const fastP = rule.fast ?? 0;
      const slowP = rule.slow ?? 0;
      const isSma = rule.indicator === Indicator.SMA_CROSS;
      const name = isSma ? "SMA" : "EMA";
      const f = isSma ? sma(closes, fastP) : ema(closes, fastP);
      const s = isSma ? sma(closes, slowP) : ema(closes, slowP);
      if (!Number.isFinite(s[n - 1] ?? Number.NaN) || !Number.isFinite(f[n - 1] ?? Number.NaN)) return insufficient(`${name}${fastP}/${name}${slowP}`, slowP);
      const state = crossover(f, s);
      const wanted = bullish ? "above" : "below";
      let ok = state.position === wanted;
      let text = `${name}${fastP} ${fmt(f[n - 1] ?? Number.NaN)} ${state.position === "above" ? ">" : state.position === "below" ? "<" : "="} ${name}${slowP} ${fmt(s[n - 1] ?? Number.NaN)}`;
      if (state.lastCrossIndex >= 0) {
        const ago = n - 1 - state.lastCrossIndex;
        text += `, crossed ${state.lastCrossDirection ?? ""} ${ago} bar${ago === 1 ? "" : "s"} ago`;
        // "Within the last N bars": the cross bar itself is 0 bars ago.
        if (rule.period !== undefined) ok &&= state.lastCrossDirection === wanted && ago < rule.period;
      } else {
        text += ", no cross in the history";
        if (rule.period !== undefined) ok = false;
      }
      if (rule.period !== undefined) text += ` (needs a cross ${wanted} within ${rule.period} bars)`;
      const seriesKind = isSma ? IndicatorSeries.SMA : IndicatorSeries.EMA;
      return {
        result: create(SignalResultSchema, { ...base, agreed: ok, values: [value(seriesKind, fastP, `${name.toLowerCase()}(${fastP})`, f), value(seriesKind, slowP, `${name.toLowerCase()}(${slowP})`, s)], reason: text }),
        insufficientData: false,
      };
    }
    case Indicator.ATR_MOVE: {
      const period = rule.period ?? 14;
      const multiple = rule.multiple ?? 1;
      const a = atr(bars.map((b) => b.high), bars.map((b) => b.low), closes, period);
      // The ATR before the move: the last bar's own range would dilute the move it measures.
      const base_ = a[n - 2] ?? Number.NaN;
      if (n < 2 || !Number.isFinite(base_) || base_ <= 0) return insufficient(`ATR(${period})`, period + 1);
      const move = (closes[n - 1] ?? Number.NaN) - (closes[n - 2] ?? Number.NaN);
      const inAtr = move / base_;
      const ok = bullish ? inAtr >= multiple : inAtr <= -multiple;
      const moves = closes.map((x, i) => (i === 0 ? Number.NaN : (x - (closes[i - 1] ?? Number.NaN)) / (a[i - 1] ?? Number.NaN)));
      return {
        result: create(SignalResultSchema, {
          ...base,
          agreed: ok,
          values: [close, value(IndicatorSeries.ATR, period, `atr(${period})`, a.subarray(0, n - 1)), value(IndicatorSeries.ATR_MOVE, period, `atr(${period}) move`, moves)],
          reason: `move ${move >= 0 ? "+" : ""}${fmt(move)} = ${inAtr >= 0 ? "+" : ""}${fmt(inAtr)} × ATR(${period}) ${fmt(base_)} ${ok ? (bullish ? "≥" : "≤") : bullish ? "<" : ">"} ${bullish ? "" : "−"}${multiple}`,
        }),
        insufficientData: false,
      };
    }
    default:
      return { result: create(SignalResultSchema, { ...base, agreed: false, reason: "unknown indicator" }), insufficientData: true };
  }
}

/** Evaluates every rule; they must all agree (validation guarantees one shared direction). */
export function evaluateSignals(rules: readonly EntryRule[], bars: readonly PriceBar[]): SignalsOutcome {
  const outcomes = rules.map((r, i) => evaluateRule(r, i, bars));
  const direction = rules[0]?.direction ?? Direction.UNSPECIFIED;
  const agreed = outcomes.length > 0 && outcomes.every((o) => o.result.agreed);
  const parts = outcomes.map((o) => `${o.result.reason}: ${o.result.agreed ? dirWord(o.result.direction) : "no"}`);
  const tail = outcomes.length === 0 ? "no entry rules → no entries" : agreed ? `→ enter ${dirWord(direction)}` : "→ no entry";
  return {
    rules: outcomes,
    agreed,
    direction: agreed ? direction : Direction.UNSPECIFIED,
    insufficientData: outcomes.some((o) => o.insufficientData),
    reason: outcomes.length === 0 ? tail : `${parts.join("; ")} ${tail}`,
  };
}
