import { ExitAction, ExitReason } from "@spreadops/api";

/** What an exit decision is computed from; unknown inputs are undefined. */
export interface ExitInputs {
  readonly bullish: boolean;
  readonly dte: number;
  readonly underlyingPrice: number | undefined;
  readonly entryUnderlyingPrice: number | undefined;
  readonly atr: number | undefined;
  /** Entry premium per share (avg fill, else limit). */
  readonly entryPremium: number;
  readonly credit: boolean;
  readonly width: number;
  /** Current spread mid per share in the spread's direction. */
  readonly currentMid: number | undefined;
  readonly multiplier: number;
  readonly openQuantity: number;
  readonly stopLossAtrMultiple: number | undefined;
  readonly takeProfitPercent: number | undefined;
  readonly exitAtDte: number | undefined;
  readonly rollEnabled: boolean;
  readonly rollAtDte: number | undefined;
}

/** A decision with the numbers behind it. */
export interface ExitVerdict {
  readonly action: ExitAction;
  readonly reason: ExitReason;
  readonly message: string;
  readonly stopPrice: number | undefined;
  readonly profitCapturedPercent: number | undefined;
  readonly unrealizedPnlUsd: number | undefined;
}

const fmt = (x: number): string => String(Math.round(x * 100) / 100);

/**
 * Exit rules in order STOP_LOSS, TAKE_PROFIT, ROLL, DTE; the first that triggers wins. A rule
 * whose input is unknown does not trigger, and the message says so. The stop-loss anchors on
 * the underlying at entry and moves k × ATR against the position (down for bullish spreads,
 * up for bearish ones).
 */
export function evaluateExit(i: ExitInputs): ExitVerdict {
  const unknown: string[] = [];
  let stopPrice: number | undefined;
  let profitCapturedPercent: number | undefined;
  let unrealizedPnlUsd: number | undefined;
  if (i.currentMid !== undefined) {
    const perShare = i.credit ? i.entryPremium - i.currentMid : i.currentMid - i.entryPremium;
    const maxProfit = i.credit ? i.entryPremium : i.width - i.entryPremium;
    profitCapturedPercent = maxProfit > 0 ? (perShare / maxProfit) * 100 : undefined;
    unrealizedPnlUsd = perShare * i.multiplier * i.openQuantity;
  }
  const done = (action: ExitAction, reason: ExitReason, message: string): ExitVerdict => ({ action, reason, message, stopPrice, profitCapturedPercent, unrealizedPnlUsd });

  if (i.stopLossAtrMultiple !== undefined && i.stopLossAtrMultiple > 0) {
    if (i.entryUnderlyingPrice === undefined || i.atr === undefined || i.underlyingPrice === undefined) {
      unknown.push("stop-loss: underlying, entry price or ATR unknown");
    } else {
      const distance = i.stopLossAtrMultiple * i.atr;
      stopPrice = i.bullish ? i.entryUnderlyingPrice - distance : i.entryUnderlyingPrice + distance;
      const hit = i.bullish ? i.underlyingPrice <= stopPrice : i.underlyingPrice >= stopPrice;
      if (hit) {
        return done(ExitAction.CLOSE, ExitReason.STOP_LOSS,
          `underlying ${fmt(i.underlyingPrice)} ${i.bullish ? "≤" : "≥"} stop ${fmt(stopPrice)} (entry ${fmt(i.entryUnderlyingPrice)} ${i.bullish ? "−" : "+"} ${i.stopLossAtrMultiple} × ATR ${fmt(i.atr)})`);
      }
    }
  }
  if (i.takeProfitPercent !== undefined && i.takeProfitPercent > 0) {
    if (profitCapturedPercent === undefined) unknown.push("take-profit: spread mid unknown");
    else if (profitCapturedPercent >= i.takeProfitPercent) {
      return done(ExitAction.CLOSE, ExitReason.TAKE_PROFIT, `captured ${fmt(profitCapturedPercent)}% ≥ ${i.takeProfitPercent}% of max profit`);
    }
  }
  if (i.rollEnabled && i.rollAtDte !== undefined && i.dte <= i.rollAtDte) {
    return done(ExitAction.ROLL, ExitReason.ROLL, `DTE ${i.dte} ≤ roll at ${i.rollAtDte}: close and open further out`);
  }
  if (i.exitAtDte !== undefined && i.dte <= i.exitAtDte) {
    return done(ExitAction.CLOSE, ExitReason.DTE, `DTE ${i.dte} ≤ exit at ${i.exitAtDte}`);
  }
  return done(ExitAction.HOLD, ExitReason.UNSPECIFIED, unknown.length > 0 ? `hold; ${unknown.join("; ")}` : "hold: no rule triggered");
}
