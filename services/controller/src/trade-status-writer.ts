import type { ResourceStore, TradeResource, TradeStatus } from "@spreadops/resources";
import { TRADE } from "@spreadops/resources";
import type { Clock } from "@spreadops/runtime";
import { findCondition, setCondition } from "./conditions.js";
import type { EventSink } from "./event-recorder.js";
import { Reason, TradeCondition, TradeEvent } from "./reasons.js";
import { rpcErrorMessage } from "./rpc-errors.js";
import { sameStatus } from "./status-equality.js";

/** The Event of a phase move: its reason, and whether it is a Warning. */
export interface PhaseEvent {
  readonly reason: string;
  readonly warning?: boolean;
}

/** A phase move worth an Event, with its reason. */
const PHASE_EVENTS: Readonly<Partial<Record<NonNullable<TradeStatus["phase"]>, PhaseEvent>>> = {
  Submitted: { reason: TradeEvent.Submitted },
  PartiallyFilled: { reason: TradeEvent.PartiallyFilled },
  Open: { reason: TradeEvent.Opened },
  Closing: { reason: TradeEvent.Closing },
  Closed: { reason: TradeEvent.Closed },
  Cancelled: { reason: TradeEvent.Cancelled },
  Rejected: { reason: TradeEvent.Rejected, warning: true },
  Expired: { reason: TradeEvent.Expired },
};

/**
 * Writes a Trade's status through the status subresource (guarded by its resourceVersion, so a
 * stale view loses with Conflict and is retried), with observedGeneration, the Degraded
 * condition, and an Event for every phase it moves to.
 */
export class TradeStatusWriter {
  readonly #store: Pick<ResourceStore, "updateStatus">;
  readonly #events: EventSink;
  readonly #clock: Pick<Clock, "now">;

  constructor(store: Pick<ResourceStore, "updateStatus">, events: EventSink, clock: Pick<Clock, "now">) {
    this.#store = store;
    this.#events = events;
    this.#clock = clock;
  }

  /**
   * Writes `status` (with Degraded cleared) and emits the phase Event when the phase changed;
   * `detail` says what happened, `phaseEvent` replaces the phase's usual Event (one phase can
   * have different causes, e.g. Rejected by the broker or by a person). Returns the updated
   * Trade (the input when nothing changed).
   */
  async write(trade: TradeResource, status: TradeStatus, detail?: string, phaseEvent?: PhaseEvent): Promise<TradeResource> {
    const generation = trade.metadata.generation ?? 1;
    let conditions = status.conditions ?? trade.status?.conditions;
    if (findCondition(conditions, TradeCondition.Degraded)?.status !== "False") {
      conditions = setCondition(conditions, { type: TradeCondition.Degraded, status: "False", reason: Reason.AsExpected, message: "execution service reachable", observedGeneration: generation }, this.#clock.now());
    }
    const next: TradeStatus = { ...status, observedGeneration: generation, conditions };
    const updated = await this.#put(trade, next);
    const from = trade.status?.phase;
    const to = next.phase;
    if (to !== undefined && to !== from) {
      const event = phaseEvent ?? PHASE_EVENTS[to];
      const message = detail ?? next.message ?? to;
      if (event !== undefined) {
        if (event.warning === true) await this.#events.warning(updated, event.reason, message);
        else await this.#events.normal(updated, event.reason, message);
      }
    }
    return updated;
  }

  /** Marks the Trade Degraded (the execution service is away or lost it); the phase stays. */
  async degrade(trade: TradeResource, reason: string, error: unknown): Promise<TradeResource> {
    const generation = trade.metadata.generation ?? 1;
    const message = typeof error === "string" ? error : rpcErrorMessage(error);
    const wasDegraded = findCondition(trade.status?.conditions, TradeCondition.Degraded)?.status === "True";
    const status: TradeStatus = {
      ...trade.status,
      observedGeneration: generation,
      conditions: setCondition(trade.status?.conditions, { type: TradeCondition.Degraded, status: "True", reason, message, observedGeneration: generation }, this.#clock.now()),
    };
    const updated = await this.#put(trade, status);
    if (!wasDegraded) {
      await this.#events.warning(updated, reason === Reason.NotTrackedByExecution ? TradeEvent.NotTracked : TradeEvent.ExecutionUnavailable, message);
    }
    return updated;
  }

  async #put(trade: TradeResource, status: TradeStatus): Promise<TradeResource> {
    if (sameStatus(trade.status, status)) return trade;
    return this.#store.updateStatus<TradeResource>(TRADE, { ...trade, status });
  }
}
