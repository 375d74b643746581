/**
 * @spreadops/core — pure, dependency-free domain math for SpreadOps: Black-Scholes-Merton
 * prices and greeks, implied volatility, vertical-spread economics and pricing rules,
 * lognormal probabilities, indicators, exchange-date arithmetic and IB's historical-data pacing
 * rules (shared by the simulator and the gateway). No I/O.
 *
 * Units and conventions: docs/core-math.md.
 *
 * @packageDocumentation
 */

export { normCdf, normInv, normPdf } from "./normal.js";
export { bsmGreeks, bsmPrice, type BsmInput, type Greeks, type OptionMarketInputs, type OptionRight } from "./bsm.js";
export {
  createGreeksBatch,
  createOptionBatch,
  RightCode,
  rightCode,
  type GreeksBatch,
  type OptionBatch,
} from "./option-batch.js";
export { bsmGreeksBatch, DAYS_PER_YEAR } from "./bsm-batch.js";
export { impliedVol, type ImpliedVolInput, type ImpliedVolResult } from "./implied-vol.js";
export { impliedVolBatch, impliedVolGreeksBatch } from "./implied-vol-batch.js";
export { ivFailureName, IvStatus, type IvFailure, type IvStatusCode } from "./iv-status.js";
export {
  expectedCallPayoff,
  expectedPrice,
  expectedPutPayoff,
  partialExpectationAbove,
  partialExpectationBelow,
  probabilityAbove,
  probabilityBelow,
  type LognormalModel,
} from "./probability.js";
export {
  premiumProblem,
  SPREAD_KINDS,
  spreadEconomics,
  spreadLegs,
  spreadOutcome,
  spreadPayoffAtExpiry,
  spreadWidth,
  toDollars,
  verticalSpread,
  type CashFlow,
  type LegAction,
  type PremiumProblem,
  type SpreadEconomics,
  type SpreadKind,
  type SpreadKindInfo,
  type SpreadLeg,
  type SpreadLegs,
  type SpreadOutcome,
  type VerticalSpread,
} from "./spread.js";
export {
  checkComboLimit,
  comboLimitPrice,
  legStrikes,
  limitPrice,
  roundToTick,
  spreadQuote,
  type ComboLimitProblem,
  type LegQuote,
  type LimitPriceRule,
  type SpreadQuote,
} from "./spread-pricing.js";
export { atr, crossover, ema, ivPercentile, ivRank, rsi, sma, trueRange, type CrossoverState } from "./indicators.js";
export {
  addCalendarDays,
  calendarDaysBetween,
  civilFromDays,
  daysFromCivil,
  daysToExpiry,
  epochDay,
  isExchangeDate,
  yearFraction,
  type CivilDate,
} from "./dates.js";
export {
  DEFAULT_HISTORICAL_PACING_RULES,
  HistoricalPacingWindow,
  type HistoricalPacingDecision,
  type HistoricalPacingRequest,
  type HistoricalPacingRule,
  type HistoricalPacingRules,
} from "./historical-pacing.js";
export * from "./scan/index.js";
