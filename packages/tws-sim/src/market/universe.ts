/**
 * The simulated universe: liquid US ETFs and large caps plus a few small, illiquid (fictional)
 * names so universe filters have something to reject. Reference numbers (prices, volumes, market
 * caps, yields, implied vols) are plausible round figures, not market data; contract ids are
 * IB-like and stable per symbol but not guaranteed to equal IB's.
 *
 * @packageDocumentation
 */

import { OPTION_CONID_BASE } from "./contract-ids.js";

/** Primary listing exchange as IB names it. */
export type PrimaryExchange = "NASDAQ" | "NYSE" | "ARCA" | "AMEX";

/**
 * Liquidity tier. It sets the option listing (weeklies, how far out), spread widths, quote
 * sizes, option volume/open interest and the option tick rule.
 */
export type LiquidityTier = "index" | "high" | "medium" | "low";

/**
 * Option minimum price variation: `penny-all` quotes every price in $0.01 (SPY, QQQ, IWM);
 * `penny` (the penny program) $0.01 below $3 and $0.05 from $3; `nickel` (classes outside the
 * program) $0.05 below $3 and $0.10 from $3.
 */
export type OptionTickRule = "penny-all" | "penny" | "nickel";

/** Reference data and model parameters of one underlying. */
export interface SymbolSpec {
  /** Ticker. */
  readonly symbol: string;
  /** IB-like stock contract id (< 2³⁰; option ids live above). */
  readonly conId: number;
  /** Option class number 1–63 used inside option contract ids; 0 when not optionable. */
  readonly optionClass: number;
  /** Company or fund name (contract details' longName). */
  readonly longName: string;
  /** Primary listing exchange. */
  readonly primaryExchange: PrimaryExchange;
  /** IB stock type. */
  readonly stockType: "COMMON" | "ETF";
  /** Contract details' industry / category / subcategory. */
  readonly industry: string;
  readonly category: string;
  readonly subcategory: string;
  /** Price at the simulation's start time, USD. */
  readonly price: number;
  /** Average daily volume, shares. */
  readonly averageVolume: number;
  /** Market capitalisation in USD (assets under management for ETFs). */
  readonly marketCap: number;
  /** Continuous dividend yield per year. */
  readonly dividendYield: number;
  /** Long-run 30-day at-the-money implied volatility (the level the vol state reverts to). */
  readonly baseIv: number;
  /** Liquidity tier. */
  readonly liquidity: LiquidityTier;
  /** True when options are listed. */
  readonly optionable: boolean;
  /** SSVI correlation ρ of the smile (negative = put skew); a per-tier default when absent. */
  readonly skew?: number;
}

type Row = readonly [
  symbol: string,
  conId: number,
  optionClass: number,
  longName: string,
  primaryExchange: PrimaryExchange,
  stockType: "COMMON" | "ETF",
  classification: readonly [string, string, string],
  price: number,
  averageVolume: number,
  marketCap: number,
  dividendYield: number,
  baseIv: number,
  liquidity: LiquidityTier,
];

const FUND: readonly [string, string, string] = ["Funds", "Equity Fund", "Large Cap"];

// Option classes are never renumbered or reused: they are part of every option contract id.
const ROWS: readonly Row[] = [
  ["SPY", 756733, 1, "SPDR S&P 500 ETF TRUST", "ARCA", "ETF", FUND, 600, 65e6, 620e9, 0.012, 0.17, "index"],
  ["QQQ", 320227571, 2, "INVESCO QQQ TRUST SERIES 1", "NASDAQ", "ETF", FUND, 520, 40e6, 350e9, 0.006, 0.21, "index"],
  ["IWM", 9579970, 3, "ISHARES RUSSELL 2000 ETF", "ARCA", "ETF", ["Funds", "Equity Fund", "Small Cap"], 220, 30e6, 68e9, 0.012, 0.24, "index"],
  ["DIA", 73128548, 4, "SPDR DJ INDUSTRIAL AVERAGE ETF", "ARCA", "ETF", FUND, 430, 3.5e6, 36e9, 0.016, 0.16, "high"],
  ["AAPL", 265598, 5, "APPLE INC", "NASDAQ", "COMMON", ["Technology", "Computers", "Computers"], 230, 55e6, 3.4e12, 0.0045, 0.27, "high"],
  ["MSFT", 272093, 6, "MICROSOFT CORP", "NASDAQ", "COMMON", ["Technology", "Software", "Applications Software"], 500, 20e6, 3.7e12, 0.007, 0.24, "high"],
  ["NVDA", 4815747, 7, "NVIDIA CORP", "NASDAQ", "COMMON", ["Technology", "Semiconductors", "Electronic Compo-Semicon"], 180, 180e6, 4.4e12, 0.0003, 0.45, "high"],
  ["AMZN", 3691937, 8, "AMAZON.COM INC", "NASDAQ", "COMMON", ["Communications", "Internet", "E-Commerce/Products"], 225, 40e6, 2.4e12, 0, 0.32, "high"],
  ["META", 107113386, 9, "META PLATFORMS INC-CLASS A", "NASDAQ", "COMMON", ["Communications", "Internet", "Internet Content-Entmnt"], 700, 12e6, 1.76e12, 0.003, 0.36, "high"],
  ["GOOGL", 208813719, 10, "ALPHABET INC-CL A", "NASDAQ", "COMMON", ["Communications", "Internet", "Web Portals/ISP"], 250, 30e6, 3.0e12, 0.0035, 0.3, "high"],
  ["TSLA", 76792991, 11, "TESLA INC", "NASDAQ", "COMMON", ["Consumer, Cyclical", "Auto Manufacturers", "Auto-Cars/Light Trucks"], 400, 100e6, 1.3e12, 0, 0.58, "high"],
  ["AMD", 4391, 12, "ADVANCED MICRO DEVICES", "NASDAQ", "COMMON", ["Technology", "Semiconductors", "Electronic Compo-Semicon"], 160, 45e6, 260e9, 0, 0.5, "high"],
  ["JPM", 1520593, 13, "JPMORGAN CHASE & CO", "NYSE", "COMMON", ["Financial", "Banks", "Super-Regional Banks-US"], 300, 9e6, 830e9, 0.02, 0.23, "high"],
  ["XOM", 13977, 14, "EXXON MOBIL CORP", "NYSE", "COMMON", ["Energy", "Oil&Gas", "Oil Comp-Integrated"], 110, 15e6, 470e9, 0.035, 0.25, "high"],
  ["XLF", 4215220, 15, "FINANCIAL SELECT SECTOR SPDR", "ARCA", "ETF", ["Funds", "Equity Fund", "Financial"], 52, 40e6, 52e9, 0.014, 0.19, "high"],
  ["XLE", 4215217, 16, "ENERGY SELECT SECTOR SPDR", "ARCA", "ETF", ["Funds", "Equity Fund", "Energy"], 90, 15e6, 30e9, 0.032, 0.26, "high"],
  ["GLD", 51529211, 17, "SPDR GOLD SHARES", "ARCA", "ETF", ["Funds", "Commodity Fund", "Precious Metals"], 300, 9e6, 100e9, 0, 0.17, "high"],
  ["TLT", 15547841, 18, "ISHARES 20+ YEAR TREASURY BOND", "NASDAQ", "ETF", ["Funds", "Debt Fund", "Government"], 88, 35e6, 50e9, 0.042, 0.15, "high"],
  ["BAC", 10098, 19, "BANK OF AMERICA CORP", "NYSE", "COMMON", ["Financial", "Banks", "Super-Regional Banks-US"], 48, 38e6, 360e9, 0.022, 0.26, "high"],
  ["WMT", 13824, 20, "WALMART INC", "NYSE", "COMMON", ["Consumer, Non-cyclical", "Retail", "Retail-Discount"], 100, 18e6, 800e9, 0.009, 0.21, "medium"],
  ["KO", 8894, 21, "COCA-COLA CO/THE", "NYSE", "COMMON", ["Consumer, Non-cyclical", "Beverages", "Beverages-Non-alcoholic"], 70, 14e6, 300e9, 0.029, 0.16, "medium"],
  ["DIS", 6459, 22, "WALT DISNEY CO/THE", "NYSE", "COMMON", ["Communications", "Media", "Multimedia"], 115, 9e6, 207e9, 0.009, 0.27, "medium"],
  ["BA", 4762, 23, "BOEING CO/THE", "NYSE", "COMMON", ["Industrial", "Aerospace/Defense", "Aerospace/Defense"], 220, 8e6, 166e9, 0, 0.35, "medium"],
  ["INTC", 270639, 24, "INTEL CORP", "NASDAQ", "COMMON", ["Technology", "Semiconductors", "Electronic Compo-Semicon"], 24, 90e6, 105e9, 0, 0.48, "high"],
  ["PFE", 11809, 25, "PFIZER INC", "NYSE", "COMMON", ["Consumer, Non-cyclical", "Pharmaceuticals", "Medical-Drugs"], 25, 40e6, 142e9, 0.068, 0.25, "medium"],
  ["F", 9599491, 26, "FORD MOTOR CO", "NYSE", "COMMON", ["Consumer, Cyclical", "Auto Manufacturers", "Auto-Cars/Light Trucks"], 11, 60e6, 44e9, 0.055, 0.33, "high"],
  ["CVX", 8924, 27, "CHEVRON CORP", "NYSE", "COMMON", ["Energy", "Oil&Gas", "Oil Comp-Integrated"], 155, 8e6, 270e9, 0.044, 0.24, "medium"],
  ["UNH", 11860, 28, "UNITEDHEALTH GROUP INC", "NYSE", "COMMON", ["Consumer, Non-cyclical", "Healthcare-Services", "Medical-HMO"], 300, 9e6, 270e9, 0.029, 0.34, "medium"],
  ["V", 49462172, 29, "VISA INC-CLASS A SHARES", "NYSE", "COMMON", ["Financial", "Diversified Finan Serv", "Finance-Credit Card"], 340, 7e6, 660e9, 0.007, 0.2, "medium"],
  ["ORCL", 272800, 30, "ORACLE CORP", "NYSE", "COMMON", ["Technology", "Software", "Enterprise Software/Serv"], 230, 12e6, 650e9, 0.009, 0.38, "medium"],
  ["PLTR", 444857009, 31, "PALANTIR TECHNOLOGIES INC-A", "NASDAQ", "COMMON", ["Technology", "Software", "Computer Software"], 150, 80e6, 355e9, 0, 0.62, "high"],
  ["CAT", 5437, 32, "CATERPILLAR INC", "NYSE", "COMMON", ["Industrial", "Machinery-Constr&Mining", "Machinery-Constr&Mining"], 420, 3e6, 197e9, 0.015, 0.29, "medium"],
  ["GS", 4627828, 33, "GOLDMAN SACHS GROUP INC", "NYSE", "COMMON", ["Financial", "Banks", "Super-Regional Banks-US"], 720, 2.2e6, 220e9, 0.018, 0.3, "medium"],
  ["COST", 272997, 34, "COSTCO WHOLESALE CORP", "NASDAQ", "COMMON", ["Consumer, Non-cyclical", "Retail", "Retail-Discount"], 950, 2e6, 420e9, 0.005, 0.21, "medium"],
  ["T", 37018770, 35, "AT&T INC", "NYSE", "COMMON", ["Communications", "Telecommunications", "Telephone-Integrated"], 28, 35e6, 200e9, 0.04, 0.21, "medium"],
  ["UBER", 365207014, 36, "UBER TECHNOLOGIES INC", "NYSE", "COMMON", ["Communications", "Internet", "Internet Application Sftwr"], 90, 18e6, 188e9, 0, 0.4, "high"],
  // Fictional small caps: low price, thin volume, small market cap, wide option markets.
  ["PBLT", 712345601, 40, "PEBBLE LITHIUM CORP", "NASDAQ", "COMMON", ["Basic Materials", "Mining", "Metal-Diversified"], 3.4, 180e3, 85e6, 0, 0.85, "low"],
  ["CDRX", 712345602, 41, "CEDAR RIDGE THERAPEUTICS INC", "NASDAQ", "COMMON", ["Consumer, Non-cyclical", "Biotechnology", "Medical-Biomedical/Gene"], 7.8, 320e3, 240e6, 0, 0.95, "low"],
  ["HLMN", 712345603, 42, "HOLLOW MOUNTAIN MINING CORP", "AMEX", "COMMON", ["Basic Materials", "Mining", "Gold Mining"], 2.15, 90e3, 45e6, 0, 0.8, "low"],
  ["BRKW", 712345604, 43, "BROOKWATER BANCORP INC", "NASDAQ", "COMMON", ["Financial", "Banks", "Commer Banks-Eastern US"], 18.5, 40e3, 310e6, 0.035, 0.3, "low"],
  ["FNTM", 712345605, 0, "PHANTOM FREIGHT INC", "NASDAQ", "COMMON", ["Industrial", "Transportation", "Transport-Truck"], 4.6, 60e3, 38e6, 0, 0.7, "low"],
  ["QRKS", 712345606, 0, "QUIRKS APPAREL INC", "NYSE", "COMMON", ["Consumer, Cyclical", "Retail", "Retail-Apparel/Shoe"], 1.35, 25e3, 12e6, 0, 0.9, "low"],
  ["LMNL", 712345607, 0, "LIMINAL MEDIA GROUP INC", "NASDAQ", "COMMON", ["Communications", "Media", "Multimedia"], 12.4, 150e3, 520e6, 0, 0.55, "low"],
];

/** The default universe, in a stable order. */
export const DEFAULT_UNIVERSE: readonly SymbolSpec[] = ROWS.map(
  ([symbol, conId, optionClass, longName, primaryExchange, stockType, [industry, category, subcategory], price, averageVolume, marketCap, dividendYield, baseIv, liquidity]) => ({
    symbol,
    conId,
    optionClass,
    longName,
    primaryExchange,
    stockType,
    industry,
    category,
    subcategory,
    price,
    averageVolume,
    marketCap,
    dividendYield,
    baseIv,
    liquidity,
    optionable: optionClass > 0,
  }),
);

/** Highest option class a contract id can carry. */
export const MAX_OPTION_CLASS = 63;

/**
 * Checks a universe: unique symbols, stock conIds and option classes; stock conIds in
 * [1, 2³⁰); option classes 1–63 for optionable names and 0 otherwise; positive prices.
 * @throws RangeError naming the first offending symbol.
 */
export function validateUniverse(specs: readonly SymbolSpec[]): void {
  const symbols = new Set<string>();
  const conIds = new Set<number>();
  const classes = new Set<number>();
  for (const spec of specs) {
    const fail = (why: string): never => {
      throw new RangeError(`universe: ${spec.symbol}: ${why}`);
    };
    if (!/^[A-Z][A-Z0-9.]{0,5}$/.test(spec.symbol)) fail("symbol must be 1–6 upper-case characters");
    if (symbols.has(spec.symbol)) fail("duplicate symbol");
    symbols.add(spec.symbol);
    if (!Number.isInteger(spec.conId) || spec.conId < 1 || spec.conId >= OPTION_CONID_BASE) fail("conId must be an integer in [1, 2^30)");
    if (conIds.has(spec.conId)) fail("duplicate conId");
    conIds.add(spec.conId);
    if (spec.optionable) {
      if (!Number.isInteger(spec.optionClass) || spec.optionClass < 1 || spec.optionClass > MAX_OPTION_CLASS) fail("optionClass must be 1–63");
      if (classes.has(spec.optionClass)) fail("duplicate optionClass");
      classes.add(spec.optionClass);
    } else if (spec.optionClass !== 0) {
      fail("a name without options must have optionClass 0");
    }
    if (!(spec.price >= 1)) fail("price must be ≥ 1 (stock ticks are $0.01)");
    if (!(spec.baseIv > 0.01 && spec.baseIv < 3)) fail("baseIv must be in (0.01, 3)");
    if (!(spec.averageVolume > 0) || !(spec.marketCap > 0)) fail("averageVolume and marketCap must be > 0");
    if (!(spec.dividendYield >= 0 && spec.dividendYield < 0.5)) fail("dividendYield must be in [0, 0.5)");
    if (spec.skew !== undefined && !(spec.skew > -1 && spec.skew < 1)) fail("skew must be in (−1, 1)");
  }
}

/** The option tick rule of a tier. */
export function optionTickRule(tier: LiquidityTier): OptionTickRule {
  return tier === "index" ? "penny-all" : tier === "low" ? "nickel" : "penny";
}
