/**
 * Market-wide model parameters (documented in docs/simulator-market.md).
 *
 * @packageDocumentation
 */

/** Parameters shared by every underlying. */
export interface MarketSettings {
  /** Continuously compounded risk-free rate per year. */
  readonly rate: number;
  /** Mean reversion κ of log-volatility (and of the term structure) per year. */
  readonly volMeanReversion: number;
  /** Volatility η of log-volatility per √year. */
  readonly volOfVol: number;
  /** Share of daily variance realised overnight (as the opening gap). */
  readonly overnightShare: number;
  /** Expected stock return per year. */
  readonly drift: number;
  /** Implied variance / expected realised variance. */
  readonly variancePremium: number;
  /** SSVI η (capped per underlying at 2/(1 + |ρ|) to stay arbitrage-free). */
  readonly smileEta: number;
  /** SSVI γ in (0, ½]. */
  readonly smileGamma: number;
  /** Years of daily history before the start time. */
  readonly historyYears: number;
}

/** The defaults. */
export const DEFAULT_MARKET_SETTINGS: MarketSettings = {
  rate: 0.04,
  volMeanReversion: 4,
  volOfVol: 0.9,
  overnightShare: 0.2,
  drift: 0.07,
  variancePremium: 1.2,
  smileEta: 1,
  smileGamma: 0.45,
  historyYears: 2,
};
