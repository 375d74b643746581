import type { ResourceStore, StrategyResource, TradeResource } from "@spreadops/resources";
import type { Clock, Logger } from "@spreadops/runtime";
import type { ReconcileResult } from "./controller-loop.js";
import type { EventSink } from "./event-recorder.js";
import type { ExecutionPort } from "./ports.js";
import type { TradeStatusWriter } from "./trade-status-writer.js";

/** What one step of a Trade's lifecycle decided: go on with the updated Trade, or stop here. */
export type StepOutcome =
  | { readonly kind: "continue"; readonly trade: TradeResource }
  | { readonly kind: "done"; readonly result: ReconcileResult | undefined };

export const proceed = (trade: TradeResource): StepOutcome => ({ kind: "continue", trade });
export const stop = (result?: ReconcileResult): StepOutcome => ({ kind: "done", result });

/** Reads Strategies from the synced cache. */
export interface StrategyLookup {
  get(key: string): StrategyResource | undefined;
}

/** What the lifecycle steps share. */
export interface TradeStepDeps {
  readonly store: Pick<ResourceStore, "get" | "updateStatus">;
  readonly strategies: StrategyLookup;
  readonly execution: ExecutionPort;
  readonly writer: TradeStatusWriter;
  readonly events: EventSink;
  readonly clock: Pick<Clock, "now">;
  readonly logger: Logger;
  /** Checked right before every order-sending call. */
  readonly isLeader?: () => boolean;
}

/** Timings of the lifecycle. */
export interface TradeTimings {
  /** GetSpread interval while an order works (the event stream usually beats it); default 2 s. */
  readonly pollIntervalMs: number;
  /** Exit checks of an open trade; default 60 s. */
  readonly exitCheckIntervalMs: number;
  /** Deadline of each execution call; default 15 s. */
  readonly rpcTimeoutMs: number;
  /** Retry interval of a trade the execution service does not know; default 5 min. */
  readonly notTrackedRetryMs: number;
}

export const DEFAULT_TRADE_TIMINGS: TradeTimings = {
  pollIntervalMs: 2_000,
  exitCheckIntervalMs: 60_000,
  rpcTimeoutMs: 15_000,
  notTrackedRetryMs: 5 * 60_000,
};

/** Throws when leadership was lost: nothing may be sent by a replica that is not the leader. */
export function assertLeader(deps: Pick<TradeStepDeps, "isLeader">): void {
  if (deps.isLeader?.() === false) throw new Error("leadership lost: not sending orders");
}
