/**
 * The ranking score (proto `RankingWeights`): score = Σ wᵢ·cᵢ / Σ wᵢ with fixed-scale components
 * so scores compare across underlyings:
 * c_pop = probability of profit; c_ror = ror / (1 + ror); c_ev = clamp((1 + EV/width)/2, 0, 1);
 * c_liq = liquidity score. A component whose input is unknown (NaN) counts as 0.
 *
 * @packageDocumentation
 */

import type { ScanWeights } from "./types.js";

/** Default weights: 1, 1, 1 and 0.5 for liquidity. */
export const DEFAULT_SCAN_WEIGHTS: ScanWeights = {
  probabilityOfProfit: 1,
  returnOnRisk: 1,
  expectedValue: 1,
  liquidity: 0.5,
};

/**
 * The score of one spread, 0–1. Scalar arguments only (it runs once per surviving pair).
 * @param weightSum wPop + wRor + wEv + wLiq (> 0), passed in so the loop computes it once.
 */
export function spreadScore(
  pop: number,
  ror: number,
  ev: number,
  width: number,
  liquidity: number,
  wPop: number,
  wRor: number,
  wEv: number,
  wLiq: number,
  weightSum: number,
): number {
  const cPop = pop >= 0 ? pop : 0;
  const cRor = ror >= 0 ? ror / (1 + ror) : 0;
  let cEv = (1 + ev / width) / 2;
  cEv = cEv > 0 ? (cEv < 1 ? cEv : 1) : 0; // NaN → 0
  const cLiq = liquidity >= 0 ? liquidity : 0;
  return (wPop * cPop + wRor * cRor + wEv * cEv + wLiq * cLiq) / weightSum;
}
