/**
 * Input and output shapes of the vertical-spread scan engine. Columns are `ArrayLike<number>` so
 * protobuf-es `number[]` columns and typed arrays both pass without copying.
 *
 * @packageDocumentation
 */

import type { SpreadKind } from "../spread.js";
import type { ScanFilterIdValue } from "./filter-ids.js";

/** Right codes of {@link ScanChain.right}: equal to proto `OptionRight` (1 call, 2 put). */
export const ScanRight = { Call: 1, Put: 2 } as const;

/**
 * One underlying's option chain in columnar form (proto `OptionChain`): every column has
 * `rowCount` entries, NaN = unknown. Rows are expected sorted by (expiry, right, strike); an
 * unsorted chain is still scanned correctly, through a sorted index (slower, allocates).
 */
export interface ScanChain {
  /** Number of rows. */
  readonly rowCount: number;
  /** Expiry, YYYYMMDD. */
  readonly expiry: ArrayLike<number>;
  /** Calendar days to expiry. */
  readonly dte: ArrayLike<number>;
  /** Strike, USD per share. */
  readonly strike: ArrayLike<number>;
  /** {@link ScanRight} code; other values are skipped. */
  readonly right: ArrayLike<number>;
  /** Bid, USD per share. */
  readonly bid: ArrayLike<number>;
  /** Ask, USD per share. */
  readonly ask: ArrayLike<number>;
  /** Today's volume, contracts. */
  readonly volume: ArrayLike<number>;
  /** Open interest, contracts. */
  readonly openInterest: ArrayLike<number>;
  /** Implied volatility, annualized fraction. */
  readonly impliedVol: ArrayLike<number>;
  /** Delta per share (calls 0..1, puts −1..0). */
  readonly delta: ArrayLike<number>;
  /** Gamma per 1 USD move. */
  readonly gamma: ArrayLike<number>;
  /** Theta, USD per share per calendar day. */
  readonly theta: ArrayLike<number>;
  /** Vega, USD per share per volatility point. */
  readonly vega: ArrayLike<number>;
  /** Underlying price, USD per share; NaN = unknown (then POP and EV are unknown). */
  readonly underlyingPrice: number;
  /** Minimum tick, USD per share; used when `incrementLowEdges` is empty. */
  readonly minTick: number;
  /** Low edges of the market rule's price increments, ascending; empty = `minTick` everywhere. */
  readonly incrementLowEdges: ArrayLike<number>;
  /** Increment from the matching low edge upward. */
  readonly increments: ArrayLike<number>;
}

/**
 * The filter set (proto `FilterSet`). Every bound is inclusive; undefined = not applied; a set
 * filter whose input is unknown (NaN) rejects.
 */
export interface ScanFilters {
  /** DTE bounds, calendar days. */
  readonly dteMin?: number | undefined;
  readonly dteMax?: number | undefined;
  /** |delta| bounds of the short leg, 0–1. */
  readonly shortDeltaMin?: number | undefined;
  readonly shortDeltaMax?: number | undefined;
  /** |delta| bounds of the long leg, 0–1. */
  readonly longDeltaMin?: number | undefined;
  readonly longDeltaMax?: number | undefined;
  /** Width K_high − K_low bounds, USD per share. */
  readonly widthMin?: number | undefined;
  readonly widthMax?: number | undefined;
  /** Minimum volume of each leg, contracts. */
  readonly minVolume?: number | undefined;
  /** Minimum open interest of each leg, contracts. */
  readonly minOpenInterest?: number | undefined;
  /** Maximum ask − bid of each leg, USD per share. */
  readonly maxBidAskSpread?: number | undefined;
  /** Maximum (ask − bid) / mid × 100 of each leg, percent. */
  readonly maxBidAskSpreadPercent?: number | undefined;
  /** Minimum IV percentile of the underlying, 0–100. */
  readonly minIvPercentile?: number | undefined;
  /** Minimum IV rank of the underlying, 0–100. */
  readonly minIvRank?: number | undefined;
  /** Net theta (long − short) ≥ this, USD per share per day. */
  readonly thetaAbove?: number | undefined;
  /** |net gamma| ≤ this. */
  readonly maxGamma?: number | undefined;
  /** Net vega bounds, USD per share per vol point. */
  readonly vegaMin?: number | undefined;
  readonly vegaMax?: number | undefined;
  /** Minimum probability of profit, 0–1. */
  readonly minProbabilityOfProfit?: number | undefined;
  /** Minimum max profit / max loss. */
  readonly minReturnOnRisk?: number | undefined;
  /** Credit kinds only: minimum limit / width. */
  readonly minCreditToWidth?: number | undefined;
  /** Debit kinds only: maximum limit / width. */
  readonly maxDebitToWidth?: number | undefined;
  /** Minimum expected value at expiry, USD per share. */
  readonly minExpectedValue?: number | undefined;
}

/** Ranking weights (proto `RankingWeights`), all ≥ 0, not all zero. */
export interface ScanWeights {
  readonly probabilityOfProfit: number;
  readonly returnOnRisk: number;
  readonly expectedValue: number;
  readonly liquidity: number;
}

/** Stop condition: the scan throws {@link ScanDeadlineError} once `now() > atMs`. */
export interface ScanDeadline {
  /** Epoch ms (or any clock `now` agrees with). */
  readonly atMs: number;
  /** The clock; read every {@link DEADLINE_CHECK_EVERY} pairs and between leg-pass chunks. */
  readonly now: () => number;
}

/** How often (in pairs) the deadline clock is read. */
export const DEADLINE_CHECK_EVERY = 4096;

/** Everything a scan needs besides the chain. */
export interface ScanConfig {
  /** Kinds to build (at least one, no duplicates). */
  readonly kinds: readonly SpreadKind[];
  /** The filters. */
  readonly filters: ScanFilters;
  /** Limit offset from mid toward natural, USD per share, ≥ 0. */
  readonly limitOffset: number;
  /** Candidates to return, ≥ 1. */
  readonly topK: number;
  /** Ranking weights. */
  readonly weights: ScanWeights;
  /** Lognormal drift μ per year for POP / EV (risk-neutral: r − q). */
  readonly drift: number;
  /** Underlying IV percentile 0–100; NaN/undefined = unknown. */
  readonly ivPercentile?: number | undefined;
  /** Underlying IV rank 0–100; NaN/undefined = unknown. */
  readonly ivRank?: number | undefined;
  /** Optional deadline. */
  readonly deadline?: ScanDeadline | undefined;
}

/** One ranked spread. Prices are per share in the spread's direction (credit or debit). */
export interface ScanCandidate {
  readonly kind: SpreadKind;
  /** Row index of the short and long leg in the chain. */
  readonly shortRow: number;
  readonly longRow: number;
  readonly expiry: number;
  readonly dte: number;
  /** {@link ScanRight} code. */
  readonly right: number;
  readonly shortStrike: number;
  readonly longStrike: number;
  /** K_high − K_low. */
  readonly width: number;
  readonly naturalPrice: number;
  readonly midPrice: number;
  /** Mid moved toward natural by the offset, rounded to `priceIncrement` (core `limitPrice`). */
  readonly limitPrice: number;
  readonly priceIncrement: number;
  readonly maxProfit: number;
  readonly maxLoss: number;
  readonly breakeven: number;
  readonly returnOnRisk: number;
  /** limit / width. */
  readonly priceToWidth: number;
  /** NaN when IV or the underlying price is unknown. */
  readonly probabilityOfProfit: number;
  readonly probabilityOfMaxProfit: number;
  readonly expectedValue: number;
  /** 0–1, see {@link legLiquidity}. */
  readonly liquidityScore: number;
  readonly score: number;
  /** 1-based. */
  readonly rank: number;
  /** Net greeks long − short; NaN when a leg's greek is unknown. */
  readonly netDelta: number;
  readonly netGamma: number;
  readonly netTheta: number;
  readonly netVega: number;
  /** Filters that were set and passed, plus the built-in checks, in evaluation order. */
  readonly passedFilters: readonly ScanFilterIdValue[];
}

/** Result of one scan. */
export interface ScanOutput {
  /** Underlying-level filters that failed (then nothing else was scanned). */
  readonly underlyingRejectedBy: readonly ScanFilterIdValue[];
  readonly rowsInChain: number;
  /** Rows with a right some selected kind uses that passed the leg-level filters in a role. */
  readonly rowsUsable: number;
  readonly pairsEvaluated: number;
  readonly pairsPassed: number;
  /** Removals per filter id (index = id); rows for leg filters, pairs for spread filters. */
  readonly rejections: Uint32Array;
  /** Best first, at most topK. */
  readonly candidates: readonly ScanCandidate[];
}
