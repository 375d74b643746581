/**
 * Builders shared by the scan tests (not exported from the package).
 *
 * @packageDocumentation
 */

import { DEFAULT_SCAN_WEIGHTS } from "./score.js";
import { ScanRight, type ScanChain, type ScanConfig } from "./types.js";

/** One row of a hand-built chain; unset numbers are NaN (unknown). */
export interface RowSpec {
  expiry?: number;
  dte?: number;
  strike: number;
  right: "C" | "P";
  bid?: number;
  ask?: number;
  volume?: number;
  openInterest?: number;
  iv?: number;
  delta?: number;
  gamma?: number;
  theta?: number;
  vega?: number;
}

/** A ScanChain from rows (in the given order). */
export function chainOf(
  rows: readonly RowSpec[],
  opts: { spot?: number; minTick?: number; edges?: number[]; increments?: number[] } = {},
): ScanChain {
  const col = (pick: (r: RowSpec) => number | undefined): number[] => rows.map((r) => pick(r) ?? NaN);
  return {
    rowCount: rows.length,
    expiry: col((r) => r.expiry ?? 20250321),
    dte: col((r) => r.dte ?? 30),
    strike: col((r) => r.strike),
    right: rows.map((r) => (r.right === "C" ? ScanRight.Call : ScanRight.Put)),
    bid: col((r) => r.bid),
    ask: col((r) => r.ask),
    volume: col((r) => r.volume),
    openInterest: col((r) => r.openInterest),
    impliedVol: col((r) => r.iv),
    delta: col((r) => r.delta),
    gamma: col((r) => r.gamma),
    theta: col((r) => r.theta),
    vega: col((r) => r.vega),
    underlyingPrice: opts.spot ?? NaN,
    minTick: opts.minTick ?? 0.05,
    incrementLowEdges: opts.edges ?? [],
    increments: opts.increments ?? [],
  };
}

/** A config with defaults (bull put, no filters, offset 0, top 10, default weights, drift 0). */
export function configOf(over: Partial<ScanConfig> = {}): ScanConfig {
  return {
    kinds: ["bullPut"],
    filters: {},
    limitOffset: 0,
    topK: 10,
    weights: DEFAULT_SCAN_WEIGHTS,
    drift: 0,
    ...over,
  };
}
