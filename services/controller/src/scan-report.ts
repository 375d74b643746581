import type { EvaluateResponse, SpreadCandidate } from "@spreadops/api";
import { DropReason, SpreadKind } from "@spreadops/api";
import type { CandidateSummary, SpreadKindName } from "@spreadops/resources";

const KIND_NAMES: Partial<Record<SpreadKind, SpreadKindName>> = {
  [SpreadKind.BULL_PUT]: "bullPut",
  [SpreadKind.BEAR_CALL]: "bearCall",
  [SpreadKind.BULL_CALL]: "bullCall",
  [SpreadKind.BEAR_PUT]: "bearPut",
};

function isoDate(yyyymmdd: number): string {
  const s = String(yyyymmdd);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

function summary(candidate: SpreadCandidate, quantity: number, reason: string): CandidateSummary | undefined {
  const kind = KIND_NAMES[candidate.kind];
  if (kind === undefined) return undefined;
  return {
    underlying: candidate.underlyingSymbol,
    kind,
    expiry: isoDate(candidate.expiry),
    shortStrike: candidate.shortLeg?.strike ?? 0,
    longStrike: candidate.longLeg?.strike ?? 0,
    limitPrice: candidate.limitPrice,
    quantity,
    score: Math.round(candidate.score * 1000) / 1000,
    reason,
  };
}

/**
 * The few best spreads of a scan for `status.candidates`: the proposals first (with why), then
 * the best of what the scan found but did not propose, by score.
 */
export function candidatesOf(response: EvaluateResponse, limit = 5): CandidateSummary[] {
  const out: CandidateSummary[] = [];
  const seen = new Set<string>();
  for (const p of response.proposals) {
    if (p.candidate === undefined) continue;
    const s = summary(p.candidate, p.quantity, `proposed: ${p.reason}`);
    if (s !== undefined) {
      out.push(s);
      seen.add(p.candidate.key);
    }
  }
  const dropped = new Map(response.dropped.filter((d) => d.candidateKey !== "").map((d) => [d.candidateKey, d.message]));
  const others = response.symbols.flatMap((s) => s.topCandidates).filter((c) => !seen.has(c.key)).sort((a, b) => b.score - a.score);
  for (const c of others) {
    if (out.length >= limit) break;
    const s = summary(c, 0, `not proposed${dropped.has(c.key) ? `: ${dropped.get(c.key) ?? ""}` : ""}`);
    if (s !== undefined) out.push(s);
  }
  return out.slice(0, limit);
}

/** One line for the Scanned event: what was looked at, proposed and dropped (by reason). */
export function scanMessage(response: EvaluateResponse, created: readonly string[]): string {
  const byReason = new Map<string, string[]>();
  for (const d of response.dropped) {
    const reason = DropReason[d.reason];
    byReason.set(reason, [...(byReason.get(reason) ?? []), d.symbol]);
  }
  const drops = [...byReason].map(([reason, symbols]) => `${reason} ${[...new Set(symbols)].join(",")}`).join("; ");
  const proposals = response.proposals.length;
  return `scanned ${response.symbols.length} symbols: ${proposals} proposal${proposals === 1 ? "" : "s"}` +
    (created.length > 0 ? ` (new trades ${created.join(", ")})` : "") +
    (drops === "" ? "" : `; dropped ${drops}`);
}
