import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Indicator, OptionRight, SpreadFilterId, type SpreadCandidate, type SpreadLeg, type SymbolEvaluation } from "@spreadops/api";
import type { StrategySpec } from "@spreadops/resources/schema";
import { clockTime, num, pct, usd } from "../../components/format";
import { filterChecks, type CheckStatus } from "./filter-checks";
import { describeDrop, directionLabel, enumWords, isCredit, kindLabel, universeLabel, type ScannerRow } from "./scanner-model";

const RIGHT: Record<OptionRight, string> = { [OptionRight.UNSPECIFIED]: "—", [OptionRight.CALL]: "Call", [OptionRight.PUT]: "Put" };

const CHECK_TEXT: Record<CheckStatus, { mark: string; text: string; className: string }> = {
  passed: { mark: "✓", text: "passed", className: "pos" },
  failed: { mark: "✗", text: "outside", className: "neg" },
  unknown: { mark: "?", text: "unknown", className: "hint" },
  "not-applied": { mark: "–", text: "not applied", className: "hint" },
};

function LegRow({ side, leg }: { side: string; leg: SpreadLeg | undefined }) {
  if (leg === undefined) return <tr><th scope="row">{side}</th><td colSpan={10}>—</td></tr>;
  return (
    <tr>
      <th scope="row">{side}</th>
      <td className="num">{num(leg.strike, 2)}</td>
      <td>{RIGHT[leg.right]}</td>
      <td className="num">{num(leg.bid, 2)}</td>
      <td className="num">{num(leg.ask, 2)}</td>
      <td className="num">{num(leg.mid, 3)}</td>
      <td className="num">{num(leg.delta, 3)}</td>
      <td className="num">{num(leg.gamma, 4)}</td>
      <td className="num">{num(leg.theta, 3)}</td>
      <td className="num">{num(leg.vega, 3)}</td>
      <td className="num">{pct(leg.impliedVol, 1)}</td>
    </tr>
  );
}

function Legs({ candidate }: { candidate: SpreadCandidate }) {
  return (
    <section className="scanner-detail-block wide" aria-label="Legs">
      <h3>Legs <span className="hint">(per share; greeks as reported)</span></h3>
      <table className="scanner-legs">
        <thead>
          <tr>
            <th scope="col">Leg</th>
            <th scope="col" className="num">Strike</th>
            <th scope="col">Right</th>
            <th scope="col" className="num">Bid</th>
            <th scope="col" className="num">Ask</th>
            <th scope="col" className="num">Mid</th>
            <th scope="col" className="num">Delta</th>
            <th scope="col" className="num">Gamma</th>
            <th scope="col" className="num">Theta</th>
            <th scope="col" className="num">Vega</th>
            <th scope="col" className="num">IV</th>
          </tr>
        </thead>
        <tbody>
          <LegRow side="SELL (short)" leg={candidate.shortLeg} />
          <LegRow side="BUY (long)" leg={candidate.longLeg} />
        </tbody>
      </table>
    </section>
  );
}

function SpreadFacts({ candidate }: { candidate: SpreadCandidate }) {
  const quotesAt = candidate.quotesAsOf === undefined ? undefined : timestampMs(candidate.quotesAsOf);
  return (
    <section className="scanner-detail-block" aria-label="Spread">
      <h3>Spread</h3>
      <dl className="facts">
        <dt>Key</dt><dd>{candidate.key}</dd>
        <dt>Price</dt><dd>{isCredit(candidate) ? "credit" : "debit"}: limit {num(candidate.limitPrice)}, mid {num(candidate.midPrice)}, natural {num(candidate.naturalPrice)}</dd>
        <dt>Breakeven</dt><dd>{num(candidate.breakeven)}</dd>
        <dt>Max profit / loss</dt><dd>{num(candidate.maxProfit)} / {num(candidate.maxLoss)} per share · {usd(candidate.maxProfitPerSpreadUsd)} / {usd(candidate.maxLossPerSpreadUsd)} per spread</dd>
        <dt>POP / max profit</dt><dd>{pct(candidate.probabilityOfProfit, 1)} / {pct(candidate.probabilityOfMaxProfit, 1)}</dd>
        <dt>Net Δ Γ Θ V</dt><dd>{num(candidate.netDelta, 3)} · {num(candidate.netGamma, 4)} · {num(candidate.netTheta, 3)} · {num(candidate.netVega, 3)}</dd>
        <dt>Underlying</dt><dd>{num(candidate.underlyingPrice)}</dd>
        <dt>Quotes as of</dt><dd>{clockTime(quotesAt)}</dd>
      </dl>
    </section>
  );
}

function SymbolFacts({ symbol }: { symbol: SymbolEvaluation }) {
  return (
    <section className="scanner-detail-block" aria-label="Symbol">
      <h3>{symbol.symbol}</h3>
      <dl className="facts">
        <dt>Last price</dt><dd>{num(symbol.underlyingPrice)}</dd>
        <dt>Universe</dt><dd>{symbol.inUniverse ? "in universe" : `not in universe${symbol.universeFailed.length === 0 ? "" : `: ${symbol.universeFailed.map(universeLabel).join(", ")}`}`}</dd>
        <dt>Entry</dt><dd>{symbol.entryAgreed ? `all rules agree, ${directionLabel(symbol.direction)}` : "rules do not agree"}</dd>
        <dt>IV percentile / rank</dt><dd>{num(symbol.ivPercentile, 1)} / {num(symbol.ivRank, 1)}</dd>
        <dt>Kind</dt><dd>{kindLabel(symbol.chosenKind) || "—"}{symbol.kindReason === "" ? null : <> — {symbol.kindReason}</>}</dd>
      </dl>
    </section>
  );
}

function Signals({ symbol }: { symbol: SymbolEvaluation }) {
  return (
    <section className="scanner-detail-block wide" aria-label="Signals">
      <h3>Signals</h3>
      {symbol.signals.length === 0 ? <p className="hint">No entry rules were evaluated.</p> : (
        <table>
          <thead><tr><th scope="col">Indicator</th><th scope="col">Values</th><th scope="col">Agreed</th><th scope="col">Reason</th></tr></thead>
          <tbody>
            {symbol.signals.map((signal) => (
              <tr key={signal.ruleIndex}>
                <th scope="row">{enumWords(Indicator, signal.indicator)} <span className="hint">{directionLabel(signal.direction)}</span></th>
                <td>{signal.values.length === 0 ? "—" : signal.values.map((v) => `${v.label} ${num(v.value)}`).join(", ")}</td>
                <td className={signal.agreed ? "pos" : "neg"}>{signal.agreed ? "✓ agreed" : "✗ did not agree"}</td>
                <td>{signal.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Checklist({ row, spec, specKnown }: { row: ScannerRow; spec: StrategySpec | undefined; specKnown: boolean }) {
  const candidate = row.candidate;
  if (candidate === undefined) return null;
  const checks = filterChecks(spec, candidate, row.symbolEvaluation);
  return (
    <section className="scanner-detail-block checklist" aria-label="Filters passed" data-testid="filter-checklist">
      <h3>Filters</h3>
      {!specKnown ? <p className="hint">The Strategy is not in the store (deleted, or not loaded yet), so its filters cannot be shown.</p> : null}
      {specKnown && checks.length === 0 ? <p className="hint">The strategy sets no filters beyond the built-in checks.</p> : null}
      {checks.length > 0 ? (
        <>
          <p className="hint">Every candidate the strategy service lists passed the filters of the spec it evaluated; these are the Strategy's current settings.</p>
          <table>
            <thead><tr><th scope="col">Filter</th><th scope="col">Required</th><th scope="col">Candidate</th><th scope="col">Result</th></tr></thead>
            <tbody>
              {checks.map((check) => {
                const t = CHECK_TEXT[check.status];
                return (
                  <tr key={check.field} data-status={check.status}>
                    <th scope="row" title={check.field}>{check.label}</th>
                    <td>{check.requirement}</td>
                    <td>{check.actual}</td>
                    <td className={`result ${t.className}`}><span aria-hidden="true">{t.mark} </span>{t.text}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : null}
      {candidate.passedFilters.length > 0 ? (
        <p className="hint">Reported passed by the strategy service: {candidate.passedFilters.map((id) => enumWords(SpreadFilterId, id)).join(", ")}.</p>
      ) : null}
    </section>
  );
}

function Outcome({ row }: { row: ScannerRow }) {
  const { proposal, drop } = row;
  return (
    <section className="scanner-detail-block" aria-label="Outcome">
      <h3>Outcome</h3>
      {proposal !== undefined ? (
        <p><span className="badge good">Proposed</span> {proposal.quantity} spread{proposal.quantity === 1 ? "" : "s"}, risk {usd(proposal.riskUsedUsd)}{proposal.reason === "" ? null : <> — {proposal.reason}</>}</p>
      ) : null}
      {drop !== undefined ? (
        <p data-testid="drop-reason"><span className="badge warn">Dropped</span> {describeDrop(drop)}{drop.candidateKey === "" && row.candidate !== undefined ? <span className="hint"> (the whole symbol)</span> : null}</p>
      ) : null}
      {proposal === undefined && drop === undefined ? <p>{row.candidate === undefined ? row.status : "Not proposed; no drop reason reported."}</p> : null}
    </section>
  );
}

/** The expanded part of a row: legs, the symbol's evaluation and signals, the filter checklist and the outcome. */
export function RowDetails({ row, spec, specKnown }: { row: ScannerRow; spec: StrategySpec | undefined; specKnown: boolean }) {
  const symbol = row.symbolEvaluation;
  return (
    <div className="scanner-details-inner">
      {row.synthetic ? <p className="hint">Synthetic demo row — made up in the browser, not market data.</p> : null}
      {row.candidate !== undefined ? <Legs candidate={row.candidate} /> : null}
      <Outcome row={row} />
      <Checklist row={row} spec={spec} specKnown={specKnown} />
      {row.candidate !== undefined ? <SpreadFacts candidate={row.candidate} /> : null}
      {symbol !== undefined ? <SymbolFacts symbol={symbol} /> : null}
      {symbol !== undefined ? <Signals symbol={symbol} /> : null}
    </div>
  );
}
