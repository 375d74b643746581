/** Small pieces shared by the Trades view's cards, tables and detail page. */
import type { TradeResource } from "@spreadops/resources/schema";
import { PhaseBadge } from "../../components/PhaseBadge";
import { num, signedUsd, UNKNOWN } from "../../components/format";
import { isSpreadKind, kindLabel, rightOf, strikeText } from "./spread-math";

/** The trade's phase badge; `phase-<name>` on every trade in every section. */
export function TradePhase({ trade }: { trade: TradeResource }) {
  return <span data-testid={`phase-${trade.metadata.name}`} className="trade-phase"><PhaseBadge phase={trade.status?.phase} /></span>;
}

/** paper / LIVE as the trade was proposed; LIVE in red, in words as well as colour. */
export function TradeMode({ mode }: { mode: string | undefined }) {
  if (mode === "live") return <span className="mode live" title="Orders of this trade go to a LIVE account with real money">LIVE</span>;
  if (mode === "paper") return <span className="mode paper" title="Paper trading account">paper</span>;
  return <span className="mode unknown">mode unknown</span>;
}

/** A signed P&L amount, coloured, "—" when unknown. */
export function Pnl({ value, testId }: { value: number | undefined; testId?: string }) {
  const tone = value === undefined || value === 0 ? "" : value > 0 ? "pos" : "neg";
  return <span className={tone} data-testid={testId}>{value === undefined ? UNKNOWN : signedUsd(value)}</span>;
}

/** "SPY" with the spread in words: "bull put credit spread". */
export function kindText(kind: string | undefined): string {
  return isSpreadKind(kind) ? kindLabel(kind) : (kind ?? UNKNOWN);
}

/** "580 / 575 P" (short / long). */
export function strikesText(trade: TradeResource): string {
  const spec = trade.spec;
  if (spec === undefined) return UNKNOWN;
  const right = isSpreadKind(spec.kind) ? ` ${rightOf(spec.kind)}` : "";
  return `${strikeText(spec.shortStrike)} / ${strikeText(spec.longStrike)}${right}`;
}

/** "1 / 2": contracts filled so far / ordered. */
export function filledText(trade: TradeResource): string {
  return `${num(trade.status?.filledQuantity, 0)} / ${trade.spec?.quantity ?? UNKNOWN}`;
}

/** One-line title of a trade: "SPY 580/575 P 2026-12-18". */
export function tradeTitle(trade: TradeResource): string {
  const spec = trade.spec;
  if (spec === undefined) return trade.metadata.name;
  return `${spec.underlying} ${strikesText(trade).replace(" / ", "/")} ${spec.expiry}`;
}

