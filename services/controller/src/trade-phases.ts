import type { TradePhase } from "@spreadops/api";
import type { TradePhase as TradePhaseName } from "@spreadops/resources";
import { tradePhaseFromProto } from "@spreadops/resources";

/** Phases after which nothing happens to a Trade any more. */
export const TERMINAL_PHASES: ReadonlySet<TradePhaseName> = new Set(["Closed", "Rejected", "Cancelled", "Expired"]);

/** Phases before anything was sent to the broker. */
export const PRE_ORDER_PHASES: ReadonlySet<TradePhaseName> = new Set(["Proposed", "Approved", "Previewed"]);

/**
 * Phases in which a person's rejection (spec.rejected) still ends the Trade, with an unset phase
 * (just created): nothing was sent. Approved is not among them: approval wins over a rejection.
 */
export const REJECTABLE_PHASES: ReadonlySet<TradePhaseName> = new Set(["Proposed", "Previewed"]);

/** Phases with a position or a working order at the broker. */
export const AT_BROKER_PHASES: ReadonlySet<TradePhaseName> = new Set(["Submitted", "PartiallyFilled", "Open", "Closing"]);

/** Whether a Trade in `phase` (unset = just created, i.e. Proposed) is over. */
export function isTerminal(phase: TradePhaseName | undefined): boolean {
  return phase !== undefined && TERMINAL_PHASES.has(phase);
}

/** The Trade phase of the execution service's phase; undefined for UNSPECIFIED. */
export const phaseFromProto = (phase: TradePhase): TradePhaseName | undefined => tradePhaseFromProto(phase);
