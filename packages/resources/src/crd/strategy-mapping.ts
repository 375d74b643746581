/**
 * The one mapping between the custom resources and the protos (strategy.proto says the two differ
 * only in enums and durations; this module is where that is true): Strategy spec ↔ StrategySpec,
 * Trade → execution TradeSpec / PlaceSpread / EvaluateExits, and a strategy Proposal → Trade spec
 * with its deterministic name. Errors name the CR field (`spec.schedule.scanInterval: …`).
 */
import { createHash } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { DurationSchema, type Duration } from "@bufbuild/protobuf/wkt";
import {
  Approval,
  Direction,
  EvaluateExitsRequestSchema,
  Indicator,
  PlaceSpreadRequestSchema,
  PriceWalkSchema,
  SpreadKind,
  SpreadKindSelection,
  StrategyRiskSchema,
  StrategySpecSchema,
  TradeSpecSchema,
  TradingMode,
  type DoubleRange,
  type EvaluateExitsRequest,
  type IntRange,
  type PlaceSpreadRequest,
  type PriceWalk,
  type Proposal,
  type StrategyRisk,
  type StrategySpec as StrategySpecProto,
  type TradeSpec as TradeSpecProto,
} from "@spreadops/api";
import { DATE_PATTERN, DURATION_PATTERN } from "./schema.js";
import type {
  ApprovalName,
  DirectionName,
  EntryRuleSpec,
  ExitRulesSpec,
  IndicatorName,
  NumberRange,
  SpreadKindChoice,
  SpreadKindName,
  StrategyResource,
  StrategySpec,
  TradeResource,
  TradeSpec,
  TradingModeName,
  WalkSpec,
} from "./types.js";

/** A CR value that cannot be mapped; `field` is its path in CR terms. */
export class CrFieldError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = "CrFieldError";
    this.field = field;
  }
}

// ---------------------------------------------------------------------------------------------
// Enums: exhaustive tables (a new CR name without a proto value does not compile)
// ---------------------------------------------------------------------------------------------

const MODES: Record<TradingModeName, TradingMode> = { paper: TradingMode.PAPER, live: TradingMode.LIVE };
const APPROVALS: Record<ApprovalName, Approval> = { manual: Approval.MANUAL, auto: Approval.AUTO };
const DIRECTIONS: Record<DirectionName, Direction> = { bullish: Direction.BULLISH, bearish: Direction.BEARISH };
const INDICATORS: Record<IndicatorName, Indicator> = {
  rsi: Indicator.RSI, sma: Indicator.SMA, ema: Indicator.EMA, smaCross: Indicator.SMA_CROSS, emaCross: Indicator.EMA_CROSS, atrMove: Indicator.ATR_MOVE,
};
const KIND_CHOICES: Record<SpreadKindChoice, SpreadKindSelection> = {
  auto: SpreadKindSelection.AUTO, bullPut: SpreadKindSelection.BULL_PUT, bearCall: SpreadKindSelection.BEAR_CALL, bullCall: SpreadKindSelection.BULL_CALL, bearPut: SpreadKindSelection.BEAR_PUT,
};
const KINDS: Record<SpreadKindName, SpreadKind> = {
  bullPut: SpreadKind.BULL_PUT, bearCall: SpreadKind.BEAR_CALL, bullCall: SpreadKind.BULL_CALL, bearPut: SpreadKind.BEAR_PUT,
};

function toProtoEnum<Name extends string, Value>(table: Record<Name, Value>, name: string, field: string): Value {
  if (!Object.hasOwn(table, name)) throw new CrFieldError(field, `expected one of ${Object.keys(table).join(", ")}, got ${JSON.stringify(name)}`);
  return table[name as Name];
}

function fromProtoEnum<Name extends string, Value>(table: Record<Name, Value>, value: Value, field: string): Name {
  const entry = (Object.entries(table) as [Name, Value][]).find(([, v]) => v === value);
  if (entry === undefined) throw new CrFieldError(field, `no CR value for proto enum value ${String(value)}`);
  return entry[0];
}

// ---------------------------------------------------------------------------------------------
// Durations ("5m" ↔ google.protobuf.Duration), dates ("2026-12-18" ↔ 20261218)
// ---------------------------------------------------------------------------------------------

const DURATION_RE = new RegExp(DURATION_PATTERN);
const UNIT_NANOS = { ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 } as const;

/** Parses a CR duration ("20s", "1h30m", "250ms") into a Duration; throws naming the field. */
export function durationToProto(text: string, field: string): Duration {
  if (typeof text !== "string" || !DURATION_RE.test(text)) {
    throw new CrFieldError(field, `expected a duration such as "20s", "5m" or "1h30m" (units ms, s, m, h), got ${JSON.stringify(text)}`);
  }
  let nanos = 0;
  for (const [, amount, unit] of text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g)) {
    nanos += Math.round(Number(amount) * UNIT_NANOS[unit as keyof typeof UNIT_NANOS]);
  }
  return create(DurationSchema, { seconds: BigInt(Math.floor(nanos / 1e9)), nanos: nanos % 1e9 });
}

/** Formats a Duration the way the CR writes it ("1h30m", "20s", "250ms"). */
export function durationFromProto(duration: Duration): string {
  let rest = Math.round(Number(duration.seconds) * 1000 + duration.nanos / 1e6);
  if (rest <= 0) return "0s";
  let out = "";
  for (const [unit, size] of [["h", 3_600_000], ["m", 60_000], ["s", 1000], ["ms", 1]] as const) {
    const amount = Math.floor(rest / size);
    if (amount > 0) out += `${amount}${unit}`;
    rest -= amount * size;
  }
  return out;
}

const DATE_RE = new RegExp(DATE_PATTERN);

/** "2026-12-18" → 20261218. */
export function expiryToProto(expiry: string, field: string): number {
  if (typeof expiry !== "string" || !DATE_RE.test(expiry)) throw new CrFieldError(field, `expected a date YYYY-MM-DD, got ${JSON.stringify(expiry)}`);
  return Number(expiry.replaceAll("-", ""));
}

/** 20261218 → "2026-12-18". */
export function expiryFromProto(yyyymmdd: number, field: string): string {
  const text = String(yyyymmdd);
  const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  if (!Number.isInteger(yyyymmdd) || text.length !== 8 || !DATE_RE.test(iso)) throw new CrFieldError(field, `expected a date YYYYMMDD, got ${yyyymmdd}`);
  return iso;
}

// ---------------------------------------------------------------------------------------------
// Strategy spec ↔ StrategySpec
// ---------------------------------------------------------------------------------------------

const rangeInit = (range: NumberRange | undefined) => (range === undefined ? undefined : { min: range.min, max: range.max });

/** Drops undefined members, so mapped CR objects compare and serialize like hand-written ones. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function rangeFromProto(range: IntRange | DoubleRange | undefined): NumberRange {
  return range === undefined ? {} : compact({ min: range.min, max: range.max });
}

function walkInit(walk: WalkSpec | undefined, field: string) {
  return walk === undefined ? undefined : { steps: walk.steps, every: durationToProto(walk.every, `${field}.every`) };
}

/** The CR's exit rules as the proto's StrategyRisk exit fields (limits are left unset). */
function exitRulesInit(exits: ExitRulesSpec | undefined) {
  if (exits === undefined) return {};
  return {
    stopLossAtrMultiple: exits.stopLossAtrMultiple,
    takeProfitPercent: exits.takeProfitPercent,
    exitAtDte: exits.exitAtDte,
    roll: exits.roll === undefined ? undefined : { enabled: exits.roll.enabled, atDte: exits.roll.atDte },
  };
}

function entryRuleInit(rule: EntryRuleSpec, i: number) {
  return {
    indicator: toProtoEnum(INDICATORS, rule.indicator, `spec.entry[${i}].indicator`),
    direction: toProtoEnum(DIRECTIONS, rule.direction, `spec.entry[${i}].direction`),
    period: rule.period,
    fast: rule.fast,
    slow: rule.slow,
    above: rule.above,
    below: rule.below,
    multiple: rule.multiple,
  };
}

/**
 * Strategy `spec` → StrategySpec for the strategy service. The spread's dte, shortDelta and width
 * also go into the filter set (the scanner applies the filter set; the strategy intersects them).
 * `onDelete` is the controller's alone and has no proto field.
 */
export function toStrategySpecProto(spec: StrategySpec): StrategySpecProto {
  const { universe, schedule, spread, risk, execution } = spec;
  const filters = spec.filters ?? {};
  return create(StrategySpecSchema, {
    paused: spec.paused ?? false,
    mode: toProtoEnum(MODES, spec.mode, "spec.mode"),
    universe: { symbols: [...(universe.symbols ?? [])], minPrice: universe.minPrice, minAvgVolume: universe.minAvgVolume, minMarketCap: universe.minMarketCap },
    schedule: {
      scanInterval: durationToProto(schedule.scanInterval, "spec.schedule.scanInterval"),
      timezone: schedule.timezone,
      window: { start: schedule.window.start, end: schedule.window.end },
    },
    entry: spec.entry.map(entryRuleInit),
    spread: {
      kind: toProtoEnum(KIND_CHOICES, spread.kind, "spec.spread.kind"),
      creditWhenIvPercentileAbove: spread.creditWhenIvPercentileAbove,
      dte: rangeInit(spread.dte),
      shortDelta: rangeInit(spread.shortDelta),
      width: rangeInit(spread.width),
    },
    filters: {
      dte: rangeInit(spread.dte),
      shortDelta: rangeInit(spread.shortDelta),
      width: rangeInit(spread.width),
      longDelta: rangeInit(filters.longDelta),
      vega: rangeInit(filters.vega),
      minVolume: filters.minVolume,
      minOpenInterest: filters.minOpenInterest,
      maxBidAskSpread: filters.maxBidAskSpread,
      maxBidAskSpreadPercent: filters.maxBidAskSpreadPercent,
      minIvPercentile: filters.minIvPercentile,
      minIvRank: filters.minIvRank,
      thetaAbove: filters.thetaAbove,
      maxGamma: filters.maxGamma,
      minProbabilityOfProfit: filters.minProbabilityOfProfit,
      minReturnOnRisk: filters.minReturnOnRisk,
      minCreditToWidth: filters.minCreditToWidth,
      maxDebitToWidth: filters.maxDebitToWidth,
      minExpectedValue: filters.minExpectedValue,
    },
    risk: {
      maxOpenTrades: risk.maxOpenTrades,
      maxRiskPerTrade: risk.maxRiskPerTrade,
      maxDailyLoss: risk.maxDailyLoss,
      ...exitRulesInit(risk),
    },
    execution: {
      approval: toProtoEnum(APPROVALS, execution.approval, "spec.execution.approval"),
      limitOffset: execution.limitOffset,
      walk: walkInit(execution.walk, "spec.execution.walk"),
    },
  });
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new CrFieldError(field, "missing in the proto");
  return value;
}

/**
 * StrategySpec → Strategy `spec` (the inverse of toStrategySpecProto, for showing a proto spec in
 * CR terms). The filter set's dte/shortDelta/width are not read back: in the CR they live in
 * `spread`, and `onDelete` has no proto field.
 */
export function fromStrategySpecProto(proto: StrategySpecProto): StrategySpec {
  const universe = proto.universe;
  const schedule = required(proto.schedule, "spec.schedule");
  const window = required(schedule.window, "spec.schedule.window");
  const spread = required(proto.spread, "spec.spread");
  const execution = required(proto.execution, "spec.execution");
  const risk = proto.risk;
  const filters = proto.filters;
  return compact({
    paused: proto.paused,
    mode: fromProtoEnum(MODES, proto.mode, "spec.mode"),
    universe: compact({
      symbols: universe === undefined || universe.symbols.length === 0 ? undefined : [...universe.symbols],
      minPrice: universe?.minPrice,
      minAvgVolume: universe?.minAvgVolume,
      minMarketCap: universe?.minMarketCap,
    }),
    schedule: {
      scanInterval: durationFromProto(required(schedule.scanInterval, "spec.schedule.scanInterval")),
      timezone: schedule.timezone,
      window: { start: window.start, end: window.end },
    },
    entry: proto.entry.map((rule, i) => compact({
      indicator: fromProtoEnum(INDICATORS, rule.indicator, `spec.entry[${i}].indicator`),
      direction: fromProtoEnum(DIRECTIONS, rule.direction, `spec.entry[${i}].direction`),
      period: rule.period,
      fast: rule.fast,
      slow: rule.slow,
      above: rule.above,
      below: rule.below,
      multiple: rule.multiple,
    })),
    spread: compact({
      kind: fromProtoEnum(KIND_CHOICES, spread.kind, "spec.spread.kind"),
      creditWhenIvPercentileAbove: spread.creditWhenIvPercentileAbove,
      dte: rangeFromProto(spread.dte),
      shortDelta: rangeFromProto(spread.shortDelta),
      width: rangeFromProto(spread.width),
    }),
    filters: filters === undefined ? undefined : compact({
      longDelta: filters.longDelta === undefined ? undefined : rangeFromProto(filters.longDelta),
      vega: filters.vega === undefined ? undefined : rangeFromProto(filters.vega),
      minVolume: filters.minVolume,
      minOpenInterest: filters.minOpenInterest,
      maxBidAskSpread: filters.maxBidAskSpread,
      maxBidAskSpreadPercent: filters.maxBidAskSpreadPercent,
      minIvPercentile: filters.minIvPercentile,
      minIvRank: filters.minIvRank,
      thetaAbove: filters.thetaAbove,
      maxGamma: filters.maxGamma,
      minProbabilityOfProfit: filters.minProbabilityOfProfit,
      minReturnOnRisk: filters.minReturnOnRisk,
      minCreditToWidth: filters.minCreditToWidth,
      maxDebitToWidth: filters.maxDebitToWidth,
      minExpectedValue: filters.minExpectedValue,
    }),
    risk: risk === undefined ? {} : compact({
      maxOpenTrades: risk.maxOpenTrades,
      maxRiskPerTrade: risk.maxRiskPerTrade,
      maxDailyLoss: risk.maxDailyLoss,
      ...exitRulesFromProto(risk),
    }),
    execution: compact({
      approval: fromProtoEnum(APPROVALS, execution.approval, "spec.execution.approval"),
      limitOffset: execution.limitOffset,
      walk: execution.walk === undefined ? undefined : { steps: execution.walk.steps, every: durationFromProto(required(execution.walk.every, "spec.execution.walk.every")) },
    }),
  });
}

function exitRulesFromProto(risk: StrategyRisk): ExitRulesSpec {
  return compact({
    stopLossAtrMultiple: risk.stopLossAtrMultiple,
    takeProfitPercent: risk.takeProfitPercent,
    exitAtDte: risk.exitAtDte,
    roll: risk.roll === undefined ? undefined : compact({ enabled: risk.roll.enabled, atDte: risk.roll.atDte }),
  });
}

// ---------------------------------------------------------------------------------------------
// Trade → execution requests
// ---------------------------------------------------------------------------------------------

function tradeSpecOf(trade: TradeResource): TradeSpec {
  if (trade.spec === undefined) throw new CrFieldError("spec", "the Trade has no spec");
  return trade.spec;
}

/**
 * Trade → execution TradeSpec. `tradeId` is the Trade's uid (the IB orderRef, 1–40 characters);
 * strategy_ref becomes "namespace/name".
 */
export function tradeSpecToProto(trade: TradeResource, tradeId: string): TradeSpecProto {
  if (tradeId.length < 1 || tradeId.length > 40) throw new CrFieldError("metadata.uid", `a trade id must be 1–40 characters, got ${JSON.stringify(tradeId)}`);
  const spec = tradeSpecOf(trade);
  return create(TradeSpecSchema, {
    tradeId,
    strategyRef: `${trade.metadata.namespace ?? "default"}/${spec.strategyRef}`,
    underlying: spec.underlying,
    kind: toProtoEnum(KINDS, spec.kind, "spec.kind"),
    expiry: expiryToProto(spec.expiry, "spec.expiry"),
    shortStrike: spec.shortStrike,
    longStrike: spec.longStrike,
    quantity: spec.quantity,
    limitPrice: spec.limitPrice,
    mode: toProtoEnum(MODES, spec.mode, "spec.mode"),
    shortConId: spec.shortConId ?? 0,
    longConId: spec.longConId ?? 0,
  });
}

/** A CR walk as the proto PriceWalk; undefined when there is none. */
export function priceWalkToProto(walk: WalkSpec | undefined, field: string): PriceWalk | undefined {
  const init = walkInit(walk, field);
  return init === undefined ? undefined : create(PriceWalkSchema, init);
}

/** PlaceSpread for an approved Trade: the spread plus the walk copied from its Strategy. */
export function placeSpreadRequestFor(trade: TradeResource, tradeId: string, automatic: boolean): PlaceSpreadRequest {
  return create(PlaceSpreadRequestSchema, {
    trade: tradeSpecToProto(trade, tradeId),
    walk: priceWalkToProto(tradeSpecOf(trade).execution?.walk, "spec.execution.walk"),
    automatic,
  });
}

/** The exit rules as the `rules` of EvaluateExitsRequest (a StrategyRisk with only exit fields). */
export function exitRulesToProto(exits: ExitRulesSpec | undefined): StrategyRisk {
  return create(StrategyRiskSchema, exitRulesInit(exits));
}

/** EvaluateExits for an open Trade with the exit rules copied into it; market inputs left to the service. */
export function evaluateExitsRequestFor(trade: TradeResource, tradeId: string): EvaluateExitsRequest {
  return create(EvaluateExitsRequestSchema, { tradeId, rules: exitRulesToProto(tradeSpecOf(trade).exits) });
}

// ---------------------------------------------------------------------------------------------
// Proposal → Trade
// ---------------------------------------------------------------------------------------------

/**
 * The Trade `spec` for a proposal of `strategy`: the candidate spread, the proposal's quantity and
 * reason, and the Strategy's mode, execution and exit settings as they are now (later Strategy
 * changes apply to new trades only). Under approval: auto the Trade is approved at creation.
 */
export function tradeSpecFromProposal(strategy: StrategyResource, proposal: Proposal): TradeSpec {
  const spec = strategy.spec;
  if (spec === undefined) throw new CrFieldError("spec", `Strategy ${strategy.metadata.name} has no spec`);
  const candidate = proposal.candidate;
  if (candidate === undefined) throw new CrFieldError("proposal.candidate", "missing");
  const shortLeg = required(candidate.shortLeg, "proposal.candidate.shortLeg");
  const longLeg = required(candidate.longLeg, "proposal.candidate.longLeg");
  if (!(proposal.quantity >= 1)) throw new CrFieldError("proposal.quantity", `expected ≥ 1, got ${proposal.quantity}`);
  if (!(candidate.limitPrice > 0)) throw new CrFieldError("proposal.candidate.limitPrice", `expected > 0, got ${candidate.limitPrice}`);
  const { limitOffset, walk } = spec.execution;
  return compact({
    strategyRef: strategy.metadata.name,
    underlying: candidate.underlyingSymbol === "" ? proposal.symbol : candidate.underlyingSymbol,
    kind: fromProtoEnum(KINDS, candidate.kind, "proposal.candidate.kind"),
    expiry: expiryFromProto(candidate.expiry, "proposal.candidate.expiry"),
    shortStrike: shortLeg.strike,
    longStrike: longLeg.strike,
    shortConId: shortLeg.conId > 0 ? shortLeg.conId : undefined,
    longConId: longLeg.conId > 0 ? longLeg.conId : undefined,
    quantity: proposal.quantity,
    limitPrice: candidate.limitPrice,
    mode: spec.mode,
    approved: spec.execution.approval === "auto",
    close: false,
    execution: limitOffset === undefined && walk === undefined ? undefined : compact({ limitOffset, walk: walk === undefined ? undefined : { ...walk } }),
    exits: compact({
      stopLossAtrMultiple: spec.risk.stopLossAtrMultiple,
      takeProfitPercent: spec.risk.takeProfitPercent,
      exitAtDte: spec.risk.exitAtDte,
      roll: spec.risk.roll === undefined ? undefined : { ...spec.risk.roll },
    }),
    reason: proposal.reason === "" ? undefined : proposal.reason,
  });
}

const NAME_LIMIT = 63;
const HASH_LENGTH = 8;

/** Lower case, [a-z0-9-] only, no leading/trailing or doubled dashes. */
function dnsLabelPart(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

/**
 * A deterministic Trade name for a proposal: `<strategy>-<symbol>-<expiry YYMMDD>-<hash>`, a
 * DNS-1123 label (≤ 63 characters), the readable part cut to fit. The hash is of the proposal
 * key, which already carries the strategy, the spread and the exchange date: a repeated
 * reconcile maps to the same name (create then fails AlreadyExists instead of duplicating), while
 * the same spread proposed again on a later day, after the first Trade ended, gets a new one.
 */
export function tradeNameFor(strategyName: string, proposal: Proposal | string): string {
  // A bare proposal key is accepted too (the name then carries no symbol or expiry).
  const key = typeof proposal === "string" ? proposal : proposal.proposalKey;
  if (key === "") throw new CrFieldError("proposal.proposalKey", "missing; it is what makes the Trade name deterministic");
  const hash = createHash("sha256").update(key).digest("hex").slice(0, HASH_LENGTH);
  const candidate = typeof proposal === "string" ? undefined : proposal.candidate;
  const symbol = typeof proposal === "string" ? "" : candidate === undefined || candidate.underlyingSymbol === "" ? proposal.symbol : candidate.underlyingSymbol;
  const expiry = candidate !== undefined && candidate.expiry > 0 ? String(candidate.expiry).slice(2) : "";
  const readable = dnsLabelPart([strategyName, symbol, expiry].filter((part) => part !== "").join("-"));
  const prefix = readable.slice(0, NAME_LIMIT - HASH_LENGTH - 1).replace(/-+$/, "");
  return prefix === "" ? `t-${hash}` : `${prefix}-${hash}`;
}
