/**
 * The Strategy and Trade custom resources (ARCHITECTURE.md §2) as TypeBox schemas: the single
 * source of the CRDs' OpenAPI schemas (crd-manifests.ts), of the TypeScript types (types.ts,
 * `Static<…>`), and through the CRDs of the validator (validate.ts). Field meanings follow
 * proto/spreadops/v1/strategy.proto, which mirrors the spec field by field.
 *
 * Bounds that one field puts on another are CEL rules (`x-kubernetes-validations`), so the API
 * server rejects them at `kubectl apply` time, and the embedded store does the same.
 */
import { Type } from "@sinclair/typebox";
import {
  arrayField,
  booleanField,
  enumField,
  integerField,
  numberField,
  objectField,
  rangeField,
  stringField,
  type CelRule,
} from "./schema-builders.js";

export const TRADING_MODES = ["paper", "live"] as const;
export const DIRECTIONS = ["bullish", "bearish"] as const;
export const SPREAD_KINDS = ["bullPut", "bearCall", "bullCall", "bearPut"] as const;
export const SPREAD_KIND_CHOICES = ["auto", ...SPREAD_KINDS] as const;
export const INDICATORS = ["rsi", "sma", "ema", "smaCross", "emaCross", "atrMove"] as const;
export const APPROVALS = ["manual", "auto"] as const;
export const ON_DELETE_POLICIES = ["leaveOpen", "closeOpenTrades"] as const;
export const STRATEGY_PHASES = ["Active", "Paused", "Halted", "Degraded", "Invalid"] as const;
export const TRADE_PHASES = [
  "Proposed", "Approved", "Previewed", "Submitted", "PartiallyFilled", "Open", "Closing",
  "Closed", "Rejected", "Cancelled", "Expired",
] as const;

/** Ticker as IB spells it: upper case, digits and dots (e.g. BRK.B), 1–12 characters. */
export const SYMBOL_PATTERN = "^[A-Z][A-Z0-9.]{0,11}$";
/** 24-hour "HH:MM"; zero-padded, so string order is time order (the window rule relies on it). */
export const HH_MM_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
/**
 * Go-style durations ("20s", "5m", "1h30m", "250ms"): what CEL's `duration()` and the runtime's
 * `parseDuration` both read. Days are left out because Go durations have none.
 */
export const DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";
export const DATE_PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
/** IANA zone names ("America/New_York", "Etc/GMT+5", "UTC"); existence is checked by the strategy service. */
export const TIME_ZONE_PATTERN = "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$";
/** A Kubernetes object name (DNS-1123 subdomain). */
export const OBJECT_NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/** metav1.Condition's reason: CamelCase. */
const CONDITION_REASON_PATTERN = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

const BULL_KINDS = "['bullPut', 'bullCall']";
const BEAR_KINDS = "['bearCall', 'bearPut']";
const CROSSES = "['smaCross', 'emaCross']";

const durationField = (description: string, min: string, max: string, defaultValue?: string) =>
  stringField(`${description} A duration such as "20s", "5m" or "1h30m" (units ms, s, m, h); ${min} to ${max}.`, {
    pattern: DURATION_PATTERN,
    maxLength: 32,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    rules: [{
      rule: `duration(self) >= duration('${min}') && duration(self) <= duration('${max}')`,
      message: `must be between ${min} and ${max}`,
      messageExpression: `'must be between ${min} and ${max}, got ' + self`,
      reason: "FieldValueInvalid",
    }],
  });

// ---------------------------------------------------------------------------------------------
// Strategy spec
// ---------------------------------------------------------------------------------------------

const ENTRY_RULE_RULES: CelRule[] = [
  { rule: `!(self.indicator in ['rsi', 'sma', 'ema', 'atrMove']) || has(self.period)`, message: "rsi, sma, ema and atrMove need period", messageExpression: "self.indicator + ' needs period'", fieldPath: ".period", reason: "FieldValueRequired" },
  { rule: `self.indicator != 'rsi' || has(self.above) || has(self.below)`, message: "rsi needs above or below", fieldPath: ".below", reason: "FieldValueRequired" },
  { rule: `!(self.indicator in ${CROSSES}) || (has(self.fast) && has(self.slow))`, message: "smaCross and emaCross need fast and slow", messageExpression: "self.indicator + ' needs fast and slow'", fieldPath: ".fast", reason: "FieldValueRequired" },
  { rule: `self.indicator != 'atrMove' || has(self.multiple)`, message: "atrMove needs multiple", fieldPath: ".multiple", reason: "FieldValueRequired" },
  { rule: `!has(self.fast) && !has(self.slow) || self.indicator in ${CROSSES}`, message: "fast and slow apply only to smaCross and emaCross", messageExpression: "self.indicator + ' does not use fast or slow'", fieldPath: ".fast", reason: "FieldValueForbidden" },
  { rule: `!has(self.multiple) || self.indicator == 'atrMove'`, message: "multiple applies only to atrMove", messageExpression: "self.indicator + ' does not use multiple'", fieldPath: ".multiple", reason: "FieldValueForbidden" },
  { rule: `!has(self.above) && !has(self.below) || self.indicator in ['rsi', 'sma', 'ema']`, message: "above and below apply only to rsi, sma and ema", messageExpression: "self.indicator + ' does not use above or below'", fieldPath: ".above", reason: "FieldValueForbidden" },
  { rule: `self.indicator != 'rsi' || ((!has(self.above) || self.above >= 0.0 && self.above <= 100.0) && (!has(self.below) || self.below >= 0.0 && self.below <= 100.0))`, message: "rsi thresholds are RSI levels 0-100", fieldPath: ".below", reason: "FieldValueInvalid" },
  { rule: `!has(self.above) || !has(self.below) || self.above < self.below`, message: "above must be less than below", messageExpression: "'above (' + string(self.above) + ') must be less than below (' + string(self.below) + ')'", fieldPath: ".above", reason: "FieldValueInvalid" },
  { rule: `!has(self.fast) || !has(self.slow) || self.fast < self.slow`, message: "fast must be less than slow", messageExpression: "'fast (' + string(self.fast) + ') must be less than slow (' + string(self.slow) + ')'", fieldPath: ".fast", reason: "FieldValueInvalid" },
];

const bars = (description: string) => integerField(`${description} Bars (daily, regular hours), 1–1000.`, { minimum: 1, maximum: 1000 });

export const EntryRuleSchema = objectField(
  "One entry signal on the underlying's daily bars. All rules of a Strategy must agree (and share one direction) before it enters. Which fields apply depends on the indicator: rsi (period, above and/or below), sma/ema (period, optional above/below), smaCross/emaCross (fast, slow, optional period), atrMove (period, multiple).",
  {
    indicator: enumField(INDICATORS, "The indicator: rsi (Wilder RSI), sma/ema (close vs moving average), smaCross/emaCross (fast vs slow average), atrMove (last move in ATRs)."),
    direction: enumField(DIRECTIONS, "What the rule signals when it agrees; decides bull or bear spreads."),
    period: Type.Optional(bars("rsi/sma/ema/atrMove: the lookback. smaCross/emaCross: the cross must have happened within this many bars.")),
    fast: Type.Optional(bars("smaCross/emaCross: bars of the fast average; less than slow.")),
    slow: Type.Optional(bars("smaCross/emaCross: bars of the slow average; greater than fast.")),
    above: Type.Optional(numberField("Lower threshold, exclusive: RSI level 0–100 for rsi; percent distance of the close from the average, (close − ma) / ma × 100, for sma/ema.", { minimum: -1000, maximum: 1000 })),
    below: Type.Optional(numberField("Upper threshold, exclusive: RSI level 0–100 for rsi; percent distance of the close from the average for sma/ema.", { minimum: -1000, maximum: 1000 })),
    multiple: Type.Optional(numberField("atrMove: the last close-to-close move must be at least this many ATRs (over period bars), > 0 and ≤ 20.", { minimum: 0, exclusiveMinimum: true, maximum: 20 })),
  },
  { rules: ENTRY_RULE_RULES },
);

export const WalkSchema = objectField(
  "Price-improvement walk: after the initial limit, move the price toward natural in `steps` equal moves, one every `every`; cancel the remainder `every` after the last move.",
  {
    steps: integerField("Number of price moves after the initial price, 0–20; 0 never moves the price.", { minimum: 0, maximum: 20 }),
    every: durationField("Time between moves.", "1s", "1h"),
  },
);

export const RollSchema = objectField(
  "Rolling: close at `atDte` and open a replacement further out, instead of closing at exitAtDte.",
  {
    enabled: booleanField("Roll instead of closing when atDte is reached.", false),
    atDte: Type.Optional(integerField("Roll at or below this many calendar days to expiry, 0–1000.", { minimum: 0, maximum: 1000 })),
  },
  { rules: [{ rule: "!self.enabled || has(self.atDte)", message: "atDte is required when rolling is enabled", fieldPath: ".atDte", reason: "FieldValueRequired" }] },
);

/** Exit settings: shared by Strategy `risk` and, copied at proposal time, Trade `exits`. */
const exitRuleProperties = {
  stopLossAtrMultiple: Type.Optional(numberField("Close when the underlying moves this many ATRs (14 daily bars) against the position from its price at entry; > 0 and ≤ 20.", { minimum: 0, exclusiveMinimum: true, maximum: 20 })),
  takeProfitPercent: Type.Optional(numberField("Close when the captured profit reaches this percent of max profit, > 0 and ≤ 100.", { minimum: 0, exclusiveMinimum: true, maximum: 100 })),
  exitAtDte: Type.Optional(integerField("Close at or below this many calendar days to expiry, 0–1000.", { minimum: 0, maximum: 1000 })),
  roll: Type.Optional(RollSchema),
};

export const ExitRulesSchema = objectField("Exit rules of an open spread; unset rules are not applied.", exitRuleProperties);

const universeSchema = objectField(
  "The underlyings to consider and the filter each must pass (optionable is always required). With no symbols, the universe comes from the broker's market scan with the same filters.",
  {
    symbols: Type.Optional(arrayField("Underlying tickers, e.g. [SPY, QQQ, IWM]; each once, at most 100.", stringField("Ticker as IB spells it, upper case, e.g. SPY or BRK.B.", { pattern: SYMBOL_PATTERN, maxLength: 12 }), { maxItems: 100, listType: "set" })),
    minPrice: Type.Optional(numberField("Minimum last price, USD per share, inclusive; ≥ 0.", { minimum: 0 })),
    minAvgVolume: Type.Optional(numberField("Minimum average daily volume, shares; ≥ 0.", { minimum: 0 })),
    minMarketCap: Type.Optional(numberField("Minimum market capitalization, USD (assets under management for ETFs); ≥ 0.", { minimum: 0 })),
  },
);

const windowSchema = objectField(
  "The daily trading window, in the schedule's time zone, on weekdays; entries only inside it.",
  {
    start: stringField('Start, "HH:MM" 24-hour, inclusive, e.g. "09:45".', { pattern: HH_MM_PATTERN, maxLength: 5 }),
    end: stringField('End, "HH:MM" 24-hour, exclusive, e.g. "15:45"; later than start.', { pattern: HH_MM_PATTERN, maxLength: 5 }),
  },
  {
    default: { start: "09:45", end: "15:45" },
    rules: [{ rule: "self.start < self.end", message: "start must be earlier than end", messageExpression: "'start (' + self.start + ') must be earlier than end (' + self.end + ')'", fieldPath: ".start", reason: "FieldValueInvalid" }],
  },
);

const scheduleSchema = objectField(
  "When the Strategy scans for entries.",
  {
    scanInterval: durationField("Time between scans.", "1s", "24h", "5m"),
    timezone: stringField('IANA time zone of the window, e.g. "America/New_York"; never the machine\'s zone.', { pattern: TIME_ZONE_PATTERN, maxLength: 64, default: "America/New_York" }),
    window: windowSchema,
  },
  // The API server validates a default as written (no nested defaulting), so it must be complete.
  { default: { scanInterval: "5m", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } } },
);

const spreadSchema = objectField(
  "Which vertical spreads to build.",
  {
    kind: enumField(SPREAD_KIND_CHOICES, "auto (credit spreads when the IV percentile is above creditWhenIvPercentileAbove, debit spreads otherwise, in the entry rules' direction) or one kind: bullPut, bearCall (credit), bullCall, bearPut (debit)."),
    creditWhenIvPercentileAbove: Type.Optional(numberField("auto: build credit spreads when the underlying's IV percentile (0–100) is strictly above this, debit spreads otherwise.", { minimum: 0, maximum: 100, default: 50 })),
    dte: rangeField("Days to expiry of both legs, calendar days, inclusive; an unset bound is open.", (which) => integerField(`${which === "min" ? "Fewest" : "Most"} calendar days to expiry, 0–1000.`, { minimum: 0, maximum: 1000 })),
    shortDelta: rangeField("|delta| of the short leg, 0–1, inclusive (one range serves puts and calls).", (which) => numberField(`${which === "min" ? "Lowest" : "Highest"} |delta| of the short leg, 0–1.`, { minimum: 0, maximum: 1 })),
    width: rangeField("Strike width (high strike − low strike), USD per share, inclusive.", (which) => numberField(`${which === "min" ? "Narrowest" : "Widest"} strike width, USD per share, > 0 and ≤ 1000.`, { minimum: 0, exclusiveMinimum: true, maximum: 1000 })),
  },
);

const fraction = (description: string) => numberField(`${description} Fraction 0–1.`, { minimum: 0, maximum: 1 });

const filtersSchema = objectField(
  "The scanner's filter set; every field optional (unset = not applied), bounds inclusive. A set filter whose input is unknown (e.g. no open interest) rejects. The spread's dte, shortDelta and width are always applied too.",
  {
    longDelta: Type.Optional(rangeField("|delta| of the long leg, 0–1.", (which) => numberField(`${which === "min" ? "Lowest" : "Highest"} |delta| of the long leg, 0–1.`, { minimum: 0, maximum: 1 }))),
    vega: Type.Optional(rangeField("Net vega of the spread as bought, USD per share per volatility point (signed).", (which) => numberField(`${which === "min" ? "Lowest" : "Highest"} net vega, USD per share per volatility point.`, { minimum: -1000, maximum: 1000 }))),
    minVolume: Type.Optional(integerField("Minimum today's volume of each leg, contracts; ≥ 0.", { minimum: 0 })),
    minOpenInterest: Type.Optional(integerField("Minimum open interest of each leg, contracts; ≥ 0.", { minimum: 0 })),
    maxBidAskSpread: Type.Optional(numberField("Maximum ask − bid of each leg, USD per share; ≥ 0.", { minimum: 0 })),
    maxBidAskSpreadPercent: Type.Optional(numberField("Maximum (ask − bid) / mid of each leg, percent 0–200.", { minimum: 0, maximum: 200 })),
    minIvPercentile: Type.Optional(numberField("Minimum IV percentile of the underlying (share of the last year's days with lower 30-day IV), 0–100.", { minimum: 0, maximum: 100 })),
    minIvRank: Type.Optional(numberField("Minimum IV rank of the underlying, (IV − 1-year low) / (1-year high − 1-year low) × 100, 0–100.", { minimum: 0, maximum: 100 })),
    thetaAbove: Type.Optional(numberField("Net theta of the spread as bought must be ≥ this, USD per share per calendar day (signed).", { minimum: -1000, maximum: 1000 })),
    maxGamma: Type.Optional(numberField("|Net gamma| of the spread as bought must be ≤ this, per share per 1 USD underlying move; ≥ 0.", { minimum: 0 })),
    minProbabilityOfProfit: Type.Optional(fraction("Minimum probability of profit at expiry.")),
    minReturnOnRisk: Type.Optional(numberField("Minimum max profit / max loss, fraction (0.2 = 20 %); 0–100.", { minimum: 0, maximum: 100 })),
    minCreditToWidth: Type.Optional(fraction("Credit spreads only: minimum credit / width.")),
    maxDebitToWidth: Type.Optional(fraction("Debit spreads only: maximum debit / width.")),
    minExpectedValue: Type.Optional(numberField("Minimum expected value at expiry, USD per share (signed).", { minimum: -1000, maximum: 1000 })),
  },
);

const riskSchema = objectField(
  "Risk limits and exit rules; unset limits are not applied.",
  {
    maxOpenTrades: Type.Optional(integerField("Maximum Trades of this Strategy that are not terminal, 1–1000.", { minimum: 1, maximum: 1000 })),
    maxRiskPerTrade: Type.Optional(numberField("Maximum max-loss of one trade, USD (max loss per share × multiplier × quantity); sizes the quantity; > 0.", { minimum: 0, exclusiveMinimum: true })),
    maxDailyLoss: Type.Optional(numberField("USD, > 0: when today's P&L (realized + unrealized) is at or below −this, new entries pause for the rest of the exchange day.", { minimum: 0, exclusiveMinimum: true })),
    ...exitRuleProperties,
  },
  { default: {} },
);

const strategyExecutionProperties = {
  limitOffset: Type.Optional(numberField("Move the limit price from mid toward natural by this much, USD per share, 0–100.", { minimum: 0, maximum: 100 })),
  walk: Type.Optional(WalkSchema),
};

const executionSchema = objectField(
  "How proposals become orders.",
  {
    approval: enumField(APPROVALS, "manual: Trades stay Proposed until approved (console or kubectl patch with approved: true); auto: Trades are approved at once (unknown what-if margin still blocks placement).", "manual"),
    ...strategyExecutionProperties,
  },
  { default: { approval: "manual" } },
);

const STRATEGY_SPEC_RULES: CelRule[] = [
  { rule: `!(self.spread.kind in ${BULL_KINDS}) || self.entry.all(r, r.direction == 'bullish')`, message: "bullPut and bullCall spreads need bullish entry rules", messageExpression: "self.spread.kind + ' spreads need bullish entry rules'", fieldPath: ".spread.kind", reason: "FieldValueInvalid" },
  { rule: `!(self.spread.kind in ${BEAR_KINDS}) || self.entry.all(r, r.direction == 'bearish')`, message: "bearCall and bearPut spreads need bearish entry rules", messageExpression: "self.spread.kind + ' spreads need bearish entry rules'", fieldPath: ".spread.kind", reason: "FieldValueInvalid" },
  // A trade opened inside the exit band would be closed by the first exit check.
  { rule: "!has(self.risk.exitAtDte) || !has(self.spread.dte.min) || self.risk.exitAtDte < self.spread.dte.min", message: "risk.exitAtDte must be below spread.dte.min, or a new trade would be closed at once", messageExpression: "'risk.exitAtDte (' + string(self.risk.exitAtDte) + ') must be below spread.dte.min (' + string(self.spread.dte.min) + '), or a new trade would be closed at once'", fieldPath: ".risk.exitAtDte", reason: "FieldValueInvalid" },
  { rule: "!has(self.risk.roll) || !self.risk.roll.enabled || !has(self.risk.roll.atDte) || !has(self.spread.dte.min) || self.risk.roll.atDte < self.spread.dte.min", message: "risk.roll.atDte must be below spread.dte.min, or a new trade would be rolled at once", fieldPath: ".risk.roll.atDte", reason: "FieldValueInvalid" },
];

export const StrategySpecSchema = objectField(
  "What to trade and how: universe, schedule, entry signals, spread shape, filters, risk and execution.",
  {
    paused: Type.Optional(booleanField("No new entries while true; open trades keep their exits.", false)),
    mode: enumField(TRADING_MODES, "paper or live. Live also needs the gateway started in live mode; any mismatch is refused.", "paper"),
    universe: universeSchema,
    schedule: scheduleSchema,
    entry: arrayField(
      "Entry rules, at most 10; every rule must agree, and all share one direction, which decides bullish or bearish spreads. Empty = never enter.",
      EntryRuleSchema,
      { maxItems: 10, rules: [{ rule: "self.all(r, r.direction == self[0].direction)", message: "all entry rules must have the same direction", reason: "FieldValueInvalid" }] },
    ),
    spread: spreadSchema,
    filters: Type.Optional(filtersSchema),
    risk: riskSchema,
    execution: executionSchema,
    onDelete: Type.Optional(enumField(ON_DELETE_POLICIES, "What deleting the Strategy does to its open trades: leaveOpen (default) or closeOpenTrades. Working orders are cancelled either way.", "leaveOpen")),
  },
  { rules: STRATEGY_SPEC_RULES },
);

// ---------------------------------------------------------------------------------------------
// Status (shared parts)
// ---------------------------------------------------------------------------------------------

const timestamp = (description: string) => stringField(`${description} RFC 3339 time.`, { format: "date-time", maxLength: 64 });

/** metav1.Condition, as `kubectl wait --for=condition=…` and every operator expect it. */
export const ConditionSchema = objectField(
  "A standard Kubernetes condition.",
  {
    type: stringField("Condition type in CamelCase, e.g. Ready, BrokerConnected.", { minLength: 1, maxLength: 316 }),
    status: enumField(["True", "False", "Unknown"], "Whether the condition holds."),
    reason: stringField("Machine-readable reason in CamelCase, e.g. Reconciled.", { pattern: CONDITION_REASON_PATTERN, minLength: 1, maxLength: 1024 }),
    message: stringField("Human-readable detail.", { maxLength: 32768 }),
    lastTransitionTime: timestamp("When the status last changed."),
    observedGeneration: Type.Optional(integerField("The metadata.generation the condition was set for.", { minimum: 0, format: "int64" })),
  },
);

const conditionsField = () =>
  Type.Optional(arrayField("Standard conditions, one per type.", ConditionSchema, { listType: "map", mapKeys: ["type"] }));

const observedGenerationField = () =>
  Type.Optional(integerField("The metadata.generation this status was computed for.", { minimum: 0, format: "int64" }));

const usd = (description: string) => numberField(`${description} USD (positive = profit).`);

// ---------------------------------------------------------------------------------------------
// Strategy status
// ---------------------------------------------------------------------------------------------

const strike = (description: string) => numberField(`${description} USD per share, > 0.`, { minimum: 0, exclusiveMinimum: true });

export const CandidateSummarySchema = objectField(
  "One spread from the last scan.",
  {
    underlying: stringField("Underlying ticker.", { pattern: SYMBOL_PATTERN, maxLength: 12 }),
    kind: enumField(SPREAD_KINDS, "Concrete spread kind."),
    expiry: stringField("Expiry of both legs, YYYY-MM-DD (exchange date).", { pattern: DATE_PATTERN, maxLength: 10 }),
    shortStrike: strike("Strike of the sold leg,"),
    longStrike: strike("Strike of the bought leg,"),
    limitPrice: numberField("Suggested limit, USD per share in the spread's direction (credit received or debit paid).", { minimum: 0 }),
    quantity: integerField("Spreads the risk budget allows, ≥ 0.", { minimum: 0 }),
    score: Type.Optional(numberField("Ranking score, 0–1, higher is better.", { minimum: 0, maximum: 1 })),
    reason: Type.Optional(stringField("Plain-language summary of why it was (or was not) proposed.")),
  },
);

export const StrategyStatusSchema = objectField(
  "Observed state of the Strategy, written by the controller through the status subresource.",
  {
    observedGeneration: observedGenerationField(),
    phase: Type.Optional(enumField(STRATEGY_PHASES, "Active, Paused, Halted (daily loss limit), Degraded (broker or services unavailable) or Invalid (see message).")),
    message: Type.Optional(stringField("Human-readable detail of the phase, naming the field when Invalid.")),
    conditions: conditionsField(),
    lastScanTime: Type.Optional(timestamp("When the last scan ran.")),
    nextScanTime: Type.Optional(timestamp("When the next scan is due.")),
    openTrades: Type.Optional(integerField("Trades of this Strategy that are not terminal.", { minimum: 0 })),
    realizedPnl: Type.Optional(usd("Realized P&L of this Strategy's trades,")),
    unrealizedPnl: Type.Optional(usd("Unrealized P&L of the open trades at the current mid,")),
    dayPnl: Type.Optional(usd("Today's P&L (realized + unrealized), exchange day,")),
    candidates: Type.Optional(arrayField("The top few spreads of the last scan, best first.", CandidateSummarySchema)),
  },
);

// ---------------------------------------------------------------------------------------------
// Trade
// ---------------------------------------------------------------------------------------------

const TRADE_SPEC_RULES: CelRule[] = [
  { rule: "self.shortStrike != self.longStrike", message: "shortStrike and longStrike must differ", fieldPath: ".longStrike", reason: "FieldValueInvalid" },
  { rule: `!(self.kind in ${BULL_KINDS}) || self.longStrike < self.shortStrike`, message: "bullPut and bullCall buy the lower strike: longStrike must be below shortStrike", messageExpression: "self.kind + ' buys the lower strike: longStrike (' + string(self.longStrike) + ') must be below shortStrike (' + string(self.shortStrike) + ')'", fieldPath: ".longStrike", reason: "FieldValueInvalid" },
  { rule: `!(self.kind in ${BEAR_KINDS}) || self.longStrike > self.shortStrike`, message: "bearCall and bearPut buy the higher strike: longStrike must be above shortStrike", messageExpression: "self.kind + ' buys the higher strike: longStrike (' + string(self.longStrike) + ') must be above shortStrike (' + string(self.shortStrike) + ')'", fieldPath: ".longStrike", reason: "FieldValueInvalid" },
  // A credit of the full width (or a debit of it) has no profit left: IB would reject or it is a typo.
  // Approving and rejecting the same proposal is a contradiction the controller must not resolve by guessing.
  { rule: "!(has(self.approved) && self.approved && has(self.rejected) && self.rejected)", message: "a Trade cannot be both approved and rejected", fieldPath: ".rejected", reason: "FieldValueInvalid" },
  { rule: "self.limitPrice < (self.shortStrike > self.longStrike ? self.shortStrike - self.longStrike : self.longStrike - self.shortStrike)", message: "limitPrice must be below the strike width", messageExpression: "'limitPrice (' + string(self.limitPrice) + ') must be below the strike width'", fieldPath: ".limitPrice", reason: "FieldValueInvalid" },
  // Transition rule (only on update): the spread is what the broker order carries.
  { rule: "self.strategyRef == oldSelf.strategyRef && self.underlying == oldSelf.underlying && self.kind == oldSelf.kind && self.expiry == oldSelf.expiry && self.shortStrike == oldSelf.shortStrike && self.longStrike == oldSelf.longStrike && self.mode == oldSelf.mode", message: "strategyRef, underlying, kind, expiry, strikes and mode of a Trade cannot change; create a new Trade", reason: "FieldValueForbidden" },
];

const conId = (description: string) => integerField(`${description} IB contract id, ≥ 1; unset = resolved from underlying, expiry, strike and right.`, { minimum: 1, maximum: 2147483647, format: "int32" });

export const TradeSpecSchema = objectField(
  "One vertical spread position of a Strategy: what to open, at what price, and whether it is approved or to be closed.",
  {
    strategyRef: stringField("Name of the owning Strategy, same namespace.", { pattern: OBJECT_NAME_PATTERN, maxLength: 253 }),
    underlying: stringField("Underlying ticker, e.g. SPY.", { pattern: SYMBOL_PATTERN, maxLength: 12 }),
    kind: enumField(SPREAD_KINDS, "bullPut (sell put high, buy put low), bearCall (sell call low, buy call high), bullCall (buy call low, sell call high), bearPut (buy put high, sell put low)."),
    expiry: stringField('Expiry of both legs, "YYYY-MM-DD" (exchange date), e.g. "2026-12-18".', { pattern: DATE_PATTERN, maxLength: 10 }),
    shortStrike: strike("Strike of the sold leg,"),
    longStrike: strike("Strike of the bought leg, on the correct side of shortStrike for the kind,"),
    shortConId: Type.Optional(conId("Short leg:")),
    longConId: Type.Optional(conId("Long leg:")),
    quantity: integerField("Spreads to trade, 1–10000.", { minimum: 1, maximum: 10000 }),
    limitPrice: numberField("Limit, USD per share in the spread's direction: the credit received (bullPut, bearCall) or the debit paid (bullCall, bearPut); > 0 and below the strike width.", { minimum: 0, exclusiveMinimum: true }),
    mode: enumField(TRADING_MODES, "The Strategy's mode when proposed; must match the gateway's.", "paper"),
    approved: Type.Optional(booleanField("Set true to place the order (console or kubectl patch); set at once under approval: auto.", false)),
    rejected: Type.Optional(booleanField("Set true to reject a proposal (console or kubectl patch): a Proposed or Previewed Trade ends Rejected and is never placed; ignored once approved.", false)),
    close: Type.Optional(booleanField("Set true to close the position by hand.", false)),
    execution: Type.Optional(objectField("The Strategy's execution settings when the Trade was proposed (later Strategy changes apply to new trades only).", strategyExecutionProperties)),
    exits: Type.Optional(objectField("The Strategy's exit rules when the Trade was proposed (later Strategy changes apply to new trades only); unset rules are not applied.", exitRuleProperties)),
    reason: Type.Optional(stringField("Why it was proposed, in plain language.", { maxLength: 4096 })),
  },
  { rules: TRADE_SPEC_RULES },
);

export const TradeFillSchema = objectField(
  "One leg execution.",
  {
    leg: enumField(["short", "long"], "Which leg filled."),
    action: enumField(["BUY", "SELL"], "The leg's executed side."),
    quantity: numberField("Executed quantity, contracts, > 0.", { minimum: 0, exclusiveMinimum: true }),
    price: numberField("Execution price of the leg, USD per share, ≥ 0.", { minimum: 0 }),
    time: timestamp("Execution time."),
    execId: Type.Optional(stringField("IB execution id.", { maxLength: 128 })),
    commission: Type.Optional(numberField("Commission of this execution, USD.")),
  },
);

const previewSchema = objectField(
  "What-if preview of the opening order.",
  {
    initMargin: Type.Optional(numberField("Initial margin change, account currency; unset = unknown.")),
    maintMargin: Type.Optional(numberField("Maintenance margin change, account currency; unset = unknown.")),
    commission: Type.Optional(numberField("Estimated commission of the whole order, USD; unset = unknown.")),
    maxProfit: numberField("Max profit of the whole order at the limit, USD."),
    maxLoss: numberField("Max loss of the whole order at the limit, USD, positive."),
    breakeven: numberField("Underlying price at expiry where the spread breaks even, USD per share."),
    automaticExecutionAllowed: Type.Optional(booleanField("False when unknown or insufficient margin blocks placement under approval: auto.")),
  },
);

const exitSchema = objectField(
  "Why and when the position was (or is being) closed.",
  {
    reason: stringField("Exit reason, e.g. StopLoss, TakeProfit, Dte, Roll, Manual, StrategyDeleted.", { maxLength: 64 }),
    at: timestamp("When the exit was decided."),
    message: Type.Optional(stringField("Plain-language detail, e.g. the prices behind a stop-loss.")),
  },
);

export const TradeStatusSchema = objectField(
  "Observed state of the Trade, written by the controller through the status subresource.",
  {
    observedGeneration: observedGenerationField(),
    phase: Type.Optional(enumField(TRADE_PHASES, "Proposed → Approved → (Previewed) → Submitted → (PartiallyFilled) → Open → Closing → Closed, or Rejected / Cancelled / Expired.")),
    message: Type.Optional(stringField("Human-readable detail of the phase.")),
    conditions: conditionsField(),
    orderRef: Type.Optional(stringField("IB orderRef of the orders: the Trade's uid.", { maxLength: 64 })),
    orderId: Type.Optional(integerField("IB order id of the opening order.", { format: "int32" })),
    permId: Type.Optional(integerField("IB permanent id of the opening order.", { format: "int64" })),
    closeOrderId: Type.Optional(integerField("IB order id of the closing order.", { format: "int32" })),
    filledQuantity: Type.Optional(numberField("Spreads filled by the opening order, ≥ 0.", { minimum: 0 })),
    avgFillPrice: Type.Optional(numberField("Average fill price of the opening order, USD per share in the spread's direction.")),
    fills: Type.Optional(arrayField("Leg executions, oldest first.", TradeFillSchema)),
    preview: Type.Optional(previewSchema),
    exit: Type.Optional(exitSchema),
    realizedPnl: Type.Optional(usd("Realized P&L of the closed quantity after commissions,")),
    unrealizedPnl: Type.Optional(usd("Unrealized P&L of the open quantity at the current mid,")),
    pnl: Type.Optional(usd("realizedPnl + unrealizedPnl (the printer column),")),
    openedAt: Type.Optional(timestamp("When the opening order first filled.")),
    closedAt: Type.Optional(timestamp("When the position was fully closed (or ended).")),
    lastExitCheck: Type.Optional(timestamp("When the exit rules were last evaluated.")),
  },
);

// ---------------------------------------------------------------------------------------------
// Whole objects (the CRDs' openAPIV3Schema)
// ---------------------------------------------------------------------------------------------

const objectSchema = <Spec extends ReturnType<typeof objectField>, Status extends ReturnType<typeof objectField>>(description: string, spec: Spec, status: Status) =>
  Type.Object(
    {
      apiVersion: Type.Optional(stringField("Versioned schema of this object: trading.spreadops.dev/v1alpha1.")),
      kind: Type.Optional(stringField("REST resource this object represents.")),
      // The API server owns metadata's schema; a CRD may only say it is an object (as controller-gen writes it).
      metadata: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: "object" })),
      spec,
      status: Type.Optional(status),
    },
    { description },
  );

export const StrategyObjectSchema = objectSchema(
  "A Strategy: a declarative options-trading strategy that the SpreadOps controller reconciles into scans, proposals (Trades) and orders.",
  StrategySpecSchema,
  StrategyStatusSchema,
);

export const TradeObjectSchema = objectSchema(
  "A Trade: one vertical spread position of a Strategy, from proposal to close.",
  TradeSpecSchema,
  TradeStatusSchema,
);
