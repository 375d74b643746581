/** Which kind of account the gateway may trade. */
export type TradingMode = "paper" | "live";

/** TWS and IB Gateway default paper ports. */
export const PAPER_PORTS: readonly number[] = [7497, 4002];

/** What {@link checkAccountMode} decides. */
export type ModeDecision = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Inputs of {@link checkAccountMode}. */
export interface ModeFacts {
  readonly mode: TradingMode;
  /** The explicit live opt-in flag (`--live-trading-confirmed`). */
  readonly liveConfirmed: boolean;
  readonly port: number;
  /** Accounts from managedAccounts; undefined before TWS sent them. */
  readonly accounts?: readonly string[];
}

/** IB paper accounts start with `DU` (demo user). */
export function isPaperAccount(account: string): boolean {
  return account.toUpperCase().startsWith("DU");
}

/**
 * The paper/live guard. Live needs the mode *and* the opt-in flag; a live gateway refuses paper
 * ports and DU accounts, a paper gateway refuses any non-DU account. Messages never contain an
 * account id (the caller logs masked ones).
 */
export function checkAccountMode(facts: ModeFacts): ModeDecision {
  if (facts.mode === "live") {
    if (!facts.liveConfirmed) {
      return { ok: false, reason: "live mode requires the explicit live-trading opt-in flag" };
    }
    if (PAPER_PORTS.includes(facts.port)) {
      return { ok: false, reason: `live mode refuses port ${facts.port}, a paper-trading port` };
    }
  }
  const accounts = facts.accounts;
  if (accounts === undefined) return { ok: true };
  if (accounts.length === 0) return { ok: false, reason: "TWS reported no managed account" };
  if (facts.mode === "live" && accounts.some(isPaperAccount)) {
    return { ok: false, reason: "live mode is connected to a paper (DU) account; refusing" };
  }
  if (facts.mode === "paper" && !accounts.every(isPaperAccount)) {
    return { ok: false, reason: "paper mode is connected to a live (non-DU) account; refusing" };
  }
  return { ok: true };
}

/** Splits TWS's managedAccounts text ("DU1,DU2,") into account ids. */
export function parseManagedAccounts(text: string): string[] {
  return text
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
}
