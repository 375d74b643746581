import { EventName } from "@stoqey/ib";
import { unavailable } from "@spreadops/runtime";
import type { Clock } from "../scheduler/clock.js";
import type { Priority } from "../scheduler/priority.js";
import type { OrderConnection } from "./wait-event.js";
import { waitForEvent } from "./wait-event.js";

/** Collaborators of a {@link MirrorRefresher}. */
export interface MirrorRefresherDeps {
  readonly connection: OrderConnection;
  readonly clock: Pick<Clock, "setTimer">;
  /** How long each of the three answers may take. */
  readonly timeoutMs: number;
}

/**
 * Asks TWS for everything the mirror may have missed: every open order of the account (all
 * clients), the completed orders and today's executions with their commission reports. The
 * answers flow into the mirror through its feed; this only waits for the three "end" messages.
 * Concurrent callers share one refresh.
 *
 * Once a refresh has completed on a TWS session, the mirror stays complete while that session
 * lasts: TWS pushes openOrder/orderStatus/execDetails for every order of this client id, and no
 * other session can use the id meanwhile. So a full re-read (whose completed-orders answer
 * grows with every order of the day) is needed once per session, not before every placement —
 * {@link ensureSynced} — and again after anything that may have left a gap ({@link invalidate}:
 * a reconnect, a send whose acknowledgment did not arrive).
 */
export class MirrorRefresher {
  readonly #deps: MirrorRefresherDeps;
  #inflight: Promise<void> | undefined;
  /** Bumped by every invalidation; a refresh marks the mirror synced only for the generation it started in. */
  #generation = 0;
  #syncedGeneration: number | undefined;

  constructor(deps: MirrorRefresherDeps) {
    this.#deps = deps;
  }

  /**
   * Resolves once all three answers are in.
   * @throws ConnectError `unavailable` when TWS did not answer in time: the caller cannot know
   *   whether an order exists and must not place one.
   */
  refresh(priority: Priority = "control"): Promise<void> {
    this.#inflight ??= this.#run(priority).finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /**
   * Resolves at once when a refresh completed on this session since the last invalidation;
   * otherwise refreshes (with the same failure as {@link refresh}).
   */
  async ensureSynced(priority: Priority = "control"): Promise<void> {
    if (this.#syncedGeneration === this.#generation) return;
    await this.refresh(priority);
  }

  /** The mirror may have missed something: the next {@link ensureSynced} reads everything again. */
  invalidate(): void {
    this.#generation += 1;
    this.#syncedGeneration = undefined;
  }

  async #run(priority: Priority): Promise<void> {
    const { connection, clock, timeoutMs } = this.#deps;
    const generation = this.#generation;
    const reqId = connection.nextRequestId();
    try {
      await Promise.all([
        waitForEvent(connection, clock, EventName.openOrderEnd, () => true, timeoutMs, () => connection.send(priority, (ib) => ib.reqAllOpenOrders())),
        waitForEvent(connection, clock, EventName.completedOrdersEnd, () => true, timeoutMs, () => connection.send(priority, (ib) => ib.reqCompletedOrders(false))),
        waitForEvent(connection, clock, EventName.execDetailsEnd, (id) => id === reqId, timeoutMs, () => connection.send(priority, (ib) => ib.reqExecutions(reqId, {}))),
      ]);
    } catch (error) {
      throw unavailable(`could not read open orders, completed orders and executions from TWS: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    if (generation === this.#generation) this.#syncedGeneration = generation;
  }
}
