/**
 * The execution service's TradePhase (proto) as the Trade resource names it (status.phase): one
 * table for the controller, which writes it, and the console, which reports order events in it.
 */
import { TradePhase as TradePhaseProto } from "@spreadops/api";
import type { TradePhase } from "./types.js";

const FROM_PROTO: Readonly<Record<TradePhaseProto, TradePhase | undefined>> = {
  [TradePhaseProto.UNSPECIFIED]: undefined,
  [TradePhaseProto.PROPOSED]: "Proposed",
  [TradePhaseProto.PREVIEWED]: "Previewed",
  [TradePhaseProto.APPROVED]: "Approved",
  [TradePhaseProto.SUBMITTED]: "Submitted",
  [TradePhaseProto.PARTIALLY_FILLED]: "PartiallyFilled",
  [TradePhaseProto.OPEN]: "Open",
  [TradePhaseProto.CLOSING]: "Closing",
  [TradePhaseProto.CLOSED]: "Closed",
  [TradePhaseProto.REJECTED]: "Rejected",
  [TradePhaseProto.CANCELLED]: "Cancelled",
  [TradePhaseProto.EXPIRED]: "Expired",
};

/** The Trade phase of the execution service's phase; undefined for UNSPECIFIED. */
export function tradePhaseFromProto(phase: TradePhaseProto): TradePhase | undefined {
  return FROM_PROTO[phase];
}
