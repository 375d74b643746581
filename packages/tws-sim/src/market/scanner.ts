/**
 * The market scanner: filter the universe by price, volume, market cap and optionability, then
 * rank by an IB scan code.
 *
 * @packageDocumentation
 */

import { MarketDataError, type ScanCode, type ScanFilter, type ScanRow, type StockContract } from "./market-source.js";

/** What the scanner knows about one name at the current state. */
export interface ScanInput {
  readonly contract: StockContract;
  readonly last: number;
  readonly previousClose: number;
  readonly volume: number;
  /** Share of the session elapsed (0–1), to judge today's volume against the average. */
  readonly sessionFraction: number;
  readonly impliedVol?: number;
}

/** Rows IB returns at most. */
export const MAX_SCAN_ROWS = 50;

type Sorter = (a: ScanInput, b: ScanInput) => number;

const changeOf = (s: ScanInput): number => (s.last - s.previousClose) / s.previousClose;
/** Today's volume against what an average day would have traded by now. */
const relativeVolume = (s: ScanInput): number => s.volume / (s.contract.averageVolume * Math.max(0.05, s.sessionFraction));

const SORTERS: Readonly<Record<ScanCode, Sorter>> = {
  MOST_ACTIVE: (a, b) => b.volume - a.volume,
  MOST_ACTIVE_USD: (a, b) => b.volume * b.last - a.volume * a.last,
  TOP_PERC_GAIN: (a, b) => changeOf(b) - changeOf(a),
  TOP_PERC_LOSE: (a, b) => changeOf(a) - changeOf(b),
  HOT_BY_VOLUME: (a, b) => relativeVolume(b) - relativeVolume(a),
  HIGH_OPT_IMP_VOLAT: (a, b) => (b.impliedVol ?? 0) - (a.impliedVol ?? 0),
  LOW_OPT_IMP_VOLAT: (a, b) => (a.impliedVol ?? Infinity) - (b.impliedVol ?? Infinity),
};

/** True for the scan codes {@link runScan} supports. */
export function isScanCode(code: string): code is ScanCode {
  return Object.hasOwn(SORTERS, code);
}

/**
 * Filters and ranks. Ties keep universe order, so results are deterministic.
 * @throws MarketDataError invalid-request for an unknown scan code.
 */
export function runScan(inputs: readonly ScanInput[], filter: ScanFilter): ScanRow[] {
  if (!isScanCode(filter.scanCode)) throw new MarketDataError("invalid-request", `Unknown scan code ${JSON.stringify(filter.scanCode)}`);
  const sorter = SORTERS[filter.scanCode];
  const needsIv = filter.scanCode === "HIGH_OPT_IMP_VOLAT" || filter.scanCode === "LOW_OPT_IMP_VOLAT";
  const rows = inputs.filter((s) => {
    const c = s.contract;
    if (filter.minPrice !== undefined && s.last < filter.minPrice) return false;
    if (filter.maxPrice !== undefined && s.last > filter.maxPrice) return false;
    if (filter.minVolume !== undefined && s.volume < filter.minVolume) return false;
    if (filter.minAverageVolume !== undefined && c.averageVolume < filter.minAverageVolume) return false;
    if (filter.minMarketCap !== undefined && c.marketCap < filter.minMarketCap) return false;
    if (filter.maxMarketCap !== undefined && c.marketCap > filter.maxMarketCap) return false;
    if (filter.optionable !== undefined && c.optionable !== filter.optionable) return false;
    if (filter.stockType !== undefined && c.stockType !== filter.stockType) return false;
    return !needsIv || s.impliedVol !== undefined;
  });
  const ranked = rows.map((s, i) => ({ s, i })).sort((a, b) => sorter(a.s, b.s) || a.i - b.i);
  const limit = Math.max(0, Math.min(filter.maxRows ?? MAX_SCAN_ROWS, MAX_SCAN_ROWS));
  return ranked.slice(0, limit).map(({ s }, rank) => ({
    rank,
    contract: s.contract,
    last: s.last,
    changePercent: Math.round(changeOf(s) * 1e6) / 1e4,
    volume: s.volume,
    averageVolume: s.contract.averageVolume,
    marketCap: s.contract.marketCap,
    ...(s.impliedVol === undefined ? {} : { impliedVol: s.impliedVol }),
  }));
}
