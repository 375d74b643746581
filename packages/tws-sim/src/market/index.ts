/**
 * The simulator's synthetic market: pure and deterministic, no sockets and no I/O. See
 * docs/simulator-market.md for the model and the recording format.
 *
 * @packageDocumentation
 */

export * from "./market-source.js";
export { SimMarket, type SimMarketOptions } from "./sim-market.js";
export { RecordingMarket, type RecordingOptions } from "./recording-market.js";
export { ReplayMarket, type ReplayOptions } from "./replay-market.js";
export {
  formatEvent,
  formatHeader,
  formatRecording,
  parseRecording,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  RecordingFormatError,
  stableStringify,
  type Recording,
  type RecordingEvent,
  type RecordingHeader,
} from "./recording.js";
export { SimClock, type Clock, type ClockMode, type TimeSource } from "./clock.js";
export { TradingCalendar, type Session, type TradingCalendarOptions } from "./calendar.js";
export { ExchangeTimeZone, NEW_YORK } from "./time-zone.js";
export { ibDateFromDays, isoFromDays, parseDate, toIbDate, tryParseDate } from "./civil-date.js";
export { DEFAULT_UNIVERSE, validateUniverse, type LiquidityTier, type OptionTickRule, type PrimaryExchange, type SymbolSpec } from "./universe.js";
export { DEFAULT_MARKET_SETTINGS, type MarketSettings } from "./model-settings.js";
export { decodeOptionConId, encodeOptionConId, isOptionConId, OPTION_CONID_BASE, type OptionIdFields } from "./contract-ids.js";
export { parseBarSize, parseDuration } from "./bar-spec.js";
export { isScanCode, MAX_SCAN_ROWS } from "./scanner.js";
export { ceilToTick, floorToTick, isOnTick, priceIncrements } from "./tick-rules.js";
