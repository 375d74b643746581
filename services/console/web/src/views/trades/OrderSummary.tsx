/**
 * What an opening order is, in full: both legs, quantity, limit per share and in dollars, and the
 * what-if preview's numbers (max risk, max profit, breakeven, margin, commission), with every
 * unknown flagged and any disagreement between the preview and the spread math called out.
 * Used by the proposal card (with test ids) and the approval dialog (a frozen copy).
 */
import type { TradeResource } from "@spreadops/resources/schema";
import { num, usd, UNKNOWN } from "../../components/format";
import { economics, isCredit, isSpreadKind, legsOf, legText, multiplierOf, orderUsd, previewMismatches, strikeProblem, type Multiplier } from "./spread-math";

export function multiplierFor(trade: TradeResource, executionMultiplier?: number): Multiplier | undefined {
  const spec = trade.spec;
  if (spec === undefined || !isSpreadKind(spec.kind)) return undefined;
  return multiplierOf(spec, trade.status?.preview, executionMultiplier);
}

const MULTIPLIER_NOTE: Record<Multiplier["source"], string> = {
  execution: "multiplier from contract details",
  preview: "multiplier implied by the what-if preview",
  assumed: "multiplier 100 assumed: nothing reported it yet",
};

export function Legs({ trade, reverse = false }: { trade: TradeResource; reverse?: boolean }) {
  const spec = trade.spec;
  if (spec === undefined || !isSpreadKind(spec.kind)) return <p className="error">This Trade has no valid spread kind ({spec?.kind ?? "none"}).</p>;
  const legs = legsOf(spec).map((leg) => (reverse ? { ...leg, action: leg.action === "BUY" ? ("SELL" as const) : ("BUY" as const) } : leg));
  return (
    <ul className="legs" aria-label={reverse ? "Legs of the closing order" : "Legs"}>
      {legs.map((leg) => <li key={leg.role} className={leg.action === "SELL" ? "sell" : "buy"}>{legText(leg)}</li>)}
    </ul>
  );
}

/** "credit $1.25 / share · $250.00 total". */
export function limitText(trade: TradeResource, multiplier: Multiplier | undefined): string {
  const spec = trade.spec;
  if (spec === undefined || !isSpreadKind(spec.kind)) return UNKNOWN;
  const effect = isCredit(spec.kind) ? "credit" : "debit";
  const total = multiplier === undefined ? UNKNOWN : usd(orderUsd(spec.limitPrice, multiplier.value, spec.quantity));
  return `${effect} ${usd(spec.limitPrice)} / share · ${total} total`;
}

export function OrderSummary({ trade, testIds = false, executionMultiplier }: { trade: TradeResource; testIds?: boolean; executionMultiplier?: number }) {
  const spec = trade.spec;
  const preview = trade.status?.preview;
  const multiplier = multiplierFor(trade, executionMultiplier);
  const id = (name: string) => (testIds ? name : undefined);
  if (spec === undefined) return <p className="error">This Trade has no spec.</p>;
  const kindOk = isSpreadKind(spec.kind);
  const problem = kindOk ? strikeProblem(spec) : undefined;
  const mismatches = kindOk && preview !== undefined && multiplier !== undefined ? previewMismatches(spec, spec.limitPrice, preview, multiplier.value) : [];
  const perShare = kindOk ? economics(spec, spec.limitPrice) : undefined;
  return (
    <div className="order-summary">
      <Legs trade={trade} />
      {problem === undefined ? null : <p className="error" role="alert">Strikes do not fit the kind: {problem}.</p>}
      <dl className="facts">
        <dt>Quantity</dt><dd>{spec.quantity} spread{spec.quantity === 1 ? "" : "s"}</dd>
        <dt>Limit</dt>
        <dd>
          {limitText(trade, multiplier)}
          {multiplier === undefined ? null : <span className={`hint multiplier ${multiplier.source}`}> ({MULTIPLIER_NOTE[multiplier.source]}: ×{multiplier.value} × {spec.quantity})</span>}
        </dd>
        {preview === undefined ? null : (
          <>
            <dt>Max risk</dt>
            <dd><strong data-testid={id("preview-max-loss")}>{usd(preview.maxLoss)}</strong>{perShare === undefined ? null : <span className="hint"> ({num(perShare.maxLoss)} / share)</span>}</dd>
            <dt>Max profit</dt>
            <dd><span data-testid={id("preview-max-profit")}>{usd(preview.maxProfit)}</span>{perShare === undefined ? null : <span className="hint"> ({num(perShare.maxProfit)} / share)</span>}</dd>
            <dt>Breakeven</dt>
            <dd><span data-testid={id("preview-breakeven")}>{usd(preview.breakeven)}</span><span className="hint"> underlying at expiry</span></dd>
            <dt>Initial margin</dt>
            <dd>
              {preview.initMargin === undefined
                ? <span className="unknown-flag" data-testid={id("preview-margin")}>unknown</span>
                : <span data-testid={id("preview-margin")}>{usd(preview.initMargin)}</span>}
              {preview.maintMargin === undefined ? null : <span className="hint"> (maintenance {usd(preview.maintMargin)})</span>}
            </dd>
            <dt>Commission</dt>
            <dd>
              {preview.commission === undefined
                ? <span className="unknown-flag" data-testid={id("preview-commission")}>unknown</span>
                : <span data-testid={id("preview-commission")}>{usd(preview.commission)}</span>}
            </dd>
          </>
        )}
      </dl>
      {preview !== undefined && preview.initMargin === undefined
        ? <p className="warn-note">The what-if returned no margin: IB did not say what this order needs. Unknown margin is never taken as zero; automatic execution is blocked and only a manual approval can place it.</p>
        : null}
      {preview?.automaticExecutionAllowed === false && preview.initMargin !== undefined
        ? <p className="warn-note">The preview blocks automatic execution (margin unknown or insufficient); a manual approval may still place it.</p>
        : null}
      {mismatches.length === 0 ? null : (
        <div className="warn-note" role="note">
          The preview does not match this order at its current limit — it may be from an older price:
          <ul>{mismatches.map((m) => <li key={m}>{m}</li>)}</ul>
        </div>
      )}
    </div>
  );
}
