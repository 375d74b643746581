/**
 * A strategy-based (Reg-T style) margin model over the whole portfolio.
 *
 * The simulator counts every position at its mark in equity with loan value (EWL = net
 * liquidation). Requirements are therefore "what can still be lost beyond the current value":
 *
 * - Stock: initial 50%, maintenance 25% of |market value| (long and short alike).
 * - Defined-risk option pairs — a short and a long of the same underlying, expiry, right and
 *   multiplier (verticals): value − worst value at expiry, i.e.
 *   credit spread: (width − credit) × multiplier × qty, the max loss;
 *   debit spread: debit × multiplier × qty (its current value). Credit/debit at the marks.
 * - Long options left over: their premium (current value).
 * - Short options left over (naked), per contract:
 *   call: max(20% × S − OTM amount, 10% × S) × multiplier;
 *   put:  max(20% × S − OTM amount, 10% × K) × multiplier;
 *   S = underlying price (the strike when unknown). This is the Reg-T formula without its
 *   "+ premium" term, because the premium is already a liability in EWL here.
 *
 * Option requirements are the same for initial and maintenance. With EWL excluding options as
 * IB does, IB's numbers differ (credit spread: width; long option: 0), but available funds and
 * excess liquidity come out the same; the simulator's form makes "margin = max loss" literal.
 *
 * Pairing is greedy: repeatedly pair the short and long whose strike difference risks the least
 * (puts: max(0, K_short − K_long); calls: max(0, K_long − K_short)). Calendars, diagonals,
 * covered calls and iron-condor one-side relief are not recognised (each side is margined).
 *
 * @packageDocumentation
 */

import type { ContractInfo } from "./ports.js";

/** Fractions of the model. */
export interface MarginParams {
  readonly stockInitial: number;
  readonly stockMaintenance: number;
  /** Naked short: fraction of the underlying before the OTM deduction (0.20). */
  readonly nakedUnderlyingFraction: number;
  /** Naked short floor: fraction of the underlying (calls) or strike (puts) (0.10). */
  readonly nakedMinimumFraction: number;
}

/** The simulator's defaults (Reg-T). */
export const REG_T_MARGIN: MarginParams = {
  stockInitial: 0.5,
  stockMaintenance: 0.25,
  nakedUnderlyingFraction: 0.2,
  nakedMinimumFraction: 0.1,
};

/** A position as the margin model sees it. */
export interface MarginPosition {
  readonly contract: ContractInfo;
  /** Signed quantity. */
  readonly quantity: number;
  /** Mark per share. */
  readonly mark: number;
  /** Underlying price for options, when known. */
  readonly underlyingPrice: number | undefined;
}

/** Initial and maintenance requirements, in account currency. */
export interface MarginRequirement {
  readonly initial: number;
  readonly maintenance: number;
}

interface OptionLot {
  readonly strike: number;
  readonly mark: number;
  readonly underlyingPrice: number | undefined;
  quantity: number;
}

interface OptionGroup {
  readonly right: "C" | "P";
  readonly multiplier: number;
  readonly shorts: OptionLot[];
  readonly longs: OptionLot[];
}

/** Per-share loss at expiry a short/long pair can suffer from its strikes. */
function widthLoss(right: "C" | "P", shortStrike: number, longStrike: number): number {
  return right === "P" ? Math.max(0, shortStrike - longStrike) : Math.max(0, longStrike - shortStrike);
}

/** Per-contract requirement of a naked short option. */
export function nakedShortRequirement(
  right: "C" | "P",
  strike: number,
  underlyingPrice: number | undefined,
  multiplier: number,
  params: MarginParams,
): number {
  const s = underlyingPrice ?? strike;
  const otm = right === "C" ? Math.max(0, strike - s) : Math.max(0, s - strike);
  const floor = params.nakedMinimumFraction * (right === "C" ? s : strike);
  return Math.max(params.nakedUnderlyingFraction * s - otm, floor) * multiplier;
}

function groupOptions(positions: readonly MarginPosition[]): OptionGroup[] {
  const groups = new Map<string, OptionGroup>();
  for (const p of positions) {
    const c = p.contract;
    if (c.secType !== "OPT" || p.quantity === 0 || c.right === undefined) continue;
    const key = `${c.underlyingConId ?? c.symbol}|${c.lastTradeDateOrContractMonth ?? ""}|${c.right}|${c.multiplier}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { right: c.right, multiplier: c.multiplier, shorts: [], longs: [] };
      groups.set(key, group);
    }
    const lot: OptionLot = { strike: c.strike ?? 0, mark: p.mark, underlyingPrice: p.underlyingPrice, quantity: Math.abs(p.quantity) };
    (p.quantity < 0 ? group.shorts : group.longs).push(lot);
  }
  for (const group of groups.values()) {
    group.shorts.sort((a, b) => a.strike - b.strike);
    group.longs.sort((a, b) => a.strike - b.strike);
  }
  return [...groups.values()];
}

function groupRequirement(group: OptionGroup, params: MarginParams): number {
  const m = group.multiplier;
  let total = 0;
  for (;;) {
    let best: { short: OptionLot; long: OptionLot; loss: number } | undefined;
    for (const short of group.shorts) {
      if (short.quantity <= 0) continue;
      for (const long of group.longs) {
        if (long.quantity <= 0) continue;
        const loss = widthLoss(group.right, short.strike, long.strike);
        if (best === undefined || loss < best.loss) best = { short, long, loss };
      }
    }
    if (best === undefined) break;
    const n = Math.min(best.short.quantity, best.long.quantity);
    // Value of the pair minus its worst value at expiry (−loss).
    total += n * m * Math.max(0, best.long.mark - best.short.mark + best.loss);
    best.short.quantity -= n;
    best.long.quantity -= n;
  }
  for (const long of group.longs) total += long.quantity * m * long.mark;
  for (const short of group.shorts) {
    total += short.quantity * nakedShortRequirement(group.right, short.strike, short.underlyingPrice, m, params);
  }
  return total;
}

/** Requirements of a whole portfolio. */
export function marginRequirement(positions: readonly MarginPosition[], params: MarginParams = REG_T_MARGIN): MarginRequirement {
  let initial = 0;
  let maintenance = 0;
  for (const p of positions) {
    if (p.contract.secType !== "STK") continue;
    const value = Math.abs(p.quantity * p.mark * p.contract.multiplier);
    initial += params.stockInitial * value;
    maintenance += params.stockMaintenance * value;
  }
  for (const group of groupOptions(positions)) {
    const req = groupRequirement(group, params);
    initial += req;
    maintenance += req;
  }
  return { initial, maintenance };
}
