import { unavailable } from "@spreadops/runtime";

/**
 * Order ids and request ids (tickerIds, reqIds) of one TWS client, from ONE increasing sequence,
 * so a request id can never equal an order id and every order id is above every id the session
 * has seen: `nextValidId` (after connect and `reqIds`), and the ids of `openOrder` / `orderStatus`
 * (IB: with several clients on one account a new order id must exceed all of those). Gaps are
 * harmless — TWS only requires order ids to increase.
 */
export class IdAllocator {
  /** The next id to hand out. */
  #next = 1;
  #synced = false;

  /** `nextValidId` from TWS: ids below it are taken. Marks order ids as usable. */
  onNextValidId(id: number): void {
    this.observe(id - 1);
    this.#synced = true;
  }

  /** An id TWS reported (openOrder, orderStatus): never hand it out, nor anything below it. */
  observe(id: number): void {
    if (Number.isSafeInteger(id) && id >= this.#next) this.#next = id + 1;
  }

  /** Whether TWS has told us where order ids start (a `nextValidId` arrived). */
  get synced(): boolean {
    return this.#synced;
  }

  /**
   * The next order id.
   * @throws ConnectError `unavailable` before the first `nextValidId`: an id guessed before TWS
   *   said where to start could collide with an existing order (error 103).
   */
  nextOrderId(): number {
    if (!this.#synced) throw unavailable("order ids are not synchronised with TWS yet (no nextValidId)");
    return this.#next++;
  }

  /** The next request id (tickerId / reqId): any time, from the same sequence as order ids. */
  nextRequestId(): number {
    return this.#next++;
  }

  /** The id the next call will return (for status and tests). */
  peek(): number {
    return this.#next;
  }
}
