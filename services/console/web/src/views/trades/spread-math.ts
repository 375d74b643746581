/**
 * The spread of a Trade spelled out for a trader: its two legs, credit or debit, and the
 * per-share economics (CONVENTIONS.md "Spreads"). Pure; the proposal card, the approval dialog
 * and the detail page use it to show what the order is and to cross-check the what-if preview.
 *
 * | kind      | legs (same expiry and right)      | max profit | max loss | breakeven  |
 * | bullPut   | SELL put K_high, BUY put K_low     | C          | W − C    | K_high − C |
 * | bearCall  | SELL call K_low, BUY call K_high   | C          | W − C    | K_low + C  |
 * | bullCall  | BUY call K_low, SELL call K_high   | W − D      | D        | K_low + D  |
 * | bearPut   | BUY put K_high, SELL put K_low     | W − D      | D        | K_high − D |
 */
export type SpreadKind = "bullPut" | "bearCall" | "bullCall" | "bearPut";
export type OptionRight = "P" | "C";
export type LegAction = "BUY" | "SELL";

export interface SpreadShape {
  readonly underlying: string;
  readonly kind: SpreadKind;
  readonly expiry: string;
  readonly shortStrike: number;
  readonly longStrike: number;
  readonly quantity: number;
}

export interface Leg {
  /** The sold leg (shortStrike) or the bought one (longStrike). */
  readonly role: "short" | "long";
  readonly action: LegAction;
  readonly quantity: number;
  readonly underlying: string;
  readonly expiry: string;
  readonly strike: number;
  readonly right: OptionRight;
}

const KIND_INFO: Record<SpreadKind, { right: OptionRight; credit: boolean; label: string; shortIsHigher: boolean }> = {
  bullPut: { right: "P", credit: true, label: "bull put", shortIsHigher: true },
  bearCall: { right: "C", credit: true, label: "bear call", shortIsHigher: false },
  bullCall: { right: "C", credit: false, label: "bull call", shortIsHigher: true },
  bearPut: { right: "P", credit: false, label: "bear put", shortIsHigher: false },
};

export const isSpreadKind = (kind: string | undefined): kind is SpreadKind => kind !== undefined && Object.hasOwn(KIND_INFO, kind);

export const rightOf = (kind: SpreadKind): OptionRight => KIND_INFO[kind].right;

/** Credit spreads (bullPut, bearCall) receive the limit at open; debit spreads pay it. */
export const isCredit = (kind: SpreadKind): boolean => KIND_INFO[kind].credit;

/** "bull put credit spread", "bear put debit spread". */
export const kindLabel = (kind: SpreadKind): string => `${KIND_INFO[kind].label} ${KIND_INFO[kind].credit ? "credit" : "debit"} spread`;

/** A strike as traders write it: 580, 572.5, 12.25 (no trailing zeros). */
export function strikeText(strike: number): string {
  if (!Number.isFinite(strike)) return "—";
  return String(Math.round(strike * 1000) / 1000);
}

/**
 * When the strikes sit on the wrong side for the kind (the CRD's CEL rules forbid it, so this
 * means the data is not what it claims), a sentence saying so; otherwise undefined.
 */
export function strikeProblem(shape: Pick<SpreadShape, "kind" | "shortStrike" | "longStrike">): string | undefined {
  const { kind, shortStrike, longStrike } = shape;
  if (shortStrike === longStrike) return `shortStrike and longStrike are both ${strikeText(shortStrike)}: that is not a spread`;
  const shortIsHigher = shortStrike > longStrike;
  // A bull spread sells the higher strike… of its right: bull put sells the higher put, bull call
  // sells the higher call (buys the lower one). Bear spreads sell the lower strike.
  const expected = KIND_INFO[kind].shortIsHigher;
  if (shortIsHigher === expected) return undefined;
  const right = KIND_INFO[kind].right === "P" ? "put" : "call";
  return `${kind} sells the ${expected ? "higher" : "lower"} ${right}, but shortStrike ${strikeText(shortStrike)} is ${shortIsHigher ? "above" : "below"} longStrike ${strikeText(longStrike)}`;
}

/**
 * The two legs in the order the conventions list them: credit spreads lead with the sold leg,
 * debit spreads with the bought one. The short leg is always a SELL, the long leg a BUY.
 */
export function legsOf(shape: SpreadShape): readonly [Leg, Leg] {
  const right = rightOf(shape.kind);
  const base = { quantity: shape.quantity, underlying: shape.underlying, expiry: shape.expiry, right };
  const short: Leg = { ...base, role: "short", action: "SELL", strike: shape.shortStrike };
  const long: Leg = { ...base, role: "long", action: "BUY", strike: shape.longStrike };
  return isCredit(shape.kind) ? [short, long] : [long, short];
}

/** "SELL 1 SPY 2026-12-18 580 P". */
export const legText = (leg: Leg): string => `${leg.action} ${leg.quantity} ${leg.underlying} ${leg.expiry} ${strikeText(leg.strike)} ${leg.right}`;

export interface SpreadEconomics {
  /** K_high − K_low, USD per share. */
  readonly width: number;
  /** USD per share. */
  readonly maxProfit: number;
  /** USD per share, positive. */
  readonly maxLoss: number;
  /** Underlying price at expiry, USD per share. */
  readonly breakeven: number;
}

/** Per-share max profit, max loss and breakeven at `price` (credit received or debit paid). */
export function economics(shape: Pick<SpreadShape, "kind" | "shortStrike" | "longStrike">, price: number): SpreadEconomics {
  const high = Math.max(shape.shortStrike, shape.longStrike);
  const low = Math.min(shape.shortStrike, shape.longStrike);
  const width = high - low;
  switch (shape.kind) {
    case "bullPut": return { width, maxProfit: price, maxLoss: width - price, breakeven: high - price };
    case "bearCall": return { width, maxProfit: price, maxLoss: width - price, breakeven: low + price };
    case "bullCall": return { width, maxProfit: width - price, maxLoss: price, breakeven: low + price };
    case "bearPut": return { width, maxProfit: width - price, maxLoss: price, breakeven: high - price };
  }
}

export type MultiplierSource = "execution" | "preview" | "assumed";

export interface Multiplier {
  readonly value: number;
  readonly source: MultiplierSource;
}

/** Shares per contract when nothing carries it; shown as an assumption wherever it is used. */
export const ASSUMED_MULTIPLIER = 100;
const KNOWN_MULTIPLIERS = [100, 10, 1000, 1] as const;

/**
 * The contract multiplier: the execution service's (from contract details) when known; else the
 * one the what-if preview implies — for every vertical max profit + max loss = width ×
 * multiplier × quantity; else 100, flagged as assumed.
 */
export function multiplierOf(
  shape: Pick<SpreadShape, "kind" | "shortStrike" | "longStrike" | "quantity">,
  preview: { maxProfit: number; maxLoss: number } | undefined,
  executionMultiplier?: number,
): Multiplier {
  if (executionMultiplier !== undefined && Number.isFinite(executionMultiplier) && executionMultiplier > 0) {
    return { value: executionMultiplier, source: "execution" };
  }
  const width = Math.abs(shape.shortStrike - shape.longStrike);
  if (preview !== undefined && width > 0 && shape.quantity > 0) {
    const implied = (preview.maxProfit + preview.maxLoss) / (width * shape.quantity);
    // US equity and index options use 100 (10 for minis); any other ratio means the preview does
    // not fit the spread (e.g. taken at another quantity), and proves nothing about the multiplier.
    const known = KNOWN_MULTIPLIERS.find((m) => Math.abs(implied - m) < 1e-6 * m);
    if (known !== undefined) return { value: known, source: "preview" };
  }
  return { value: ASSUMED_MULTIPLIER, source: "assumed" };
}

/** USD of the whole order: per-share price × multiplier × quantity. */
export const orderUsd = (perShare: number, multiplier: number, quantity: number): number => perShare * multiplier * quantity;

export interface PreviewNumbers {
  readonly maxProfit: number;
  readonly maxLoss: number;
  readonly breakeven: number;
}

/**
 * Where the what-if preview disagrees with the spread math at the Trade's current limit and
 * quantity (by more than a cent, or half a cent of breakeven): usually a preview taken at an
 * older price. One sentence per disagreement; empty when they agree.
 */
export function previewMismatches(shape: SpreadShape, limitPrice: number, preview: PreviewNumbers, multiplier: number): string[] {
  const math = economics(shape, limitPrice);
  const scale = multiplier * shape.quantity;
  const out: string[] = [];
  const money = (n: number) => `$${n.toFixed(2)}`;
  const check = (what: string, shown: number, expected: number, tolerance: number, format: (n: number) => string) => {
    if (!Number.isFinite(shown) || Math.abs(shown - expected) > tolerance) {
      out.push(`${what}: the preview says ${format(shown)}, the spread at limit ${limitPrice.toFixed(2)} gives ${format(expected)}`);
    }
  };
  check("Max loss", preview.maxLoss, math.maxLoss * scale, 0.011, money);
  check("Max profit", preview.maxProfit, math.maxProfit * scale, 0.011, money);
  check("Breakeven", preview.breakeven, math.breakeven, 0.0051, (n) => n.toFixed(2));
  return out;
}
