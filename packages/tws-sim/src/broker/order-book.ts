/**
 * The order store and TWS's order-id rules.
 *
 * Orders are keyed by (clientId, orderId), as TWS and its clients key them; permIds are unique
 * across the account. For each client the book remembers the highest id it has used:
 * - an id of an order of that client that is still open → a modification;
 * - any other id not above the highest → error 103 "Duplicate order id" (this covers ids of
 *   filled, cancelled and rejected orders);
 * - an id above the highest → a new order.
 * Manual ("TWS") orders are owned by client 0 and get negative ids, outside this sequence.
 *
 * @packageDocumentation
 */

import type { OrderRecord } from "./order-record.js";

/** What a placeOrder on an id means. */
export type Placement = "modify" | "duplicate" | "new";

const key = (clientId: number, orderId: number): string => `${clientId}:${orderId}`;

/** Every order of the account, in placement order. */
export class OrderBook {
  private readonly records = new Map<string, OrderRecord>();
  private readonly highestId = new Map<number, number>();

  /** How a placeOrder of `clientId` on `orderId` is treated. */
  classify(clientId: number, orderId: number): Placement {
    if (this.get(clientId, orderId)?.open === true) return "modify";
    return orderId > (this.highestId.get(clientId) ?? 0) ? "new" : "duplicate";
  }

  /** Marks `orderId` as used by `clientId`. */
  useId(clientId: number, orderId: number): void {
    if (orderId > (this.highestId.get(clientId) ?? 0)) this.highestId.set(clientId, orderId);
  }

  /** The next id that is valid for every client (nextValidId). */
  nextValidId(): number {
    let highest = 0;
    for (const id of this.highestId.values()) highest = Math.max(highest, id);
    return highest + 1;
  }

  add(record: OrderRecord): void {
    this.records.set(key(record.clientId, record.orderId), record);
  }

  get(clientId: number, orderId: number): OrderRecord | undefined {
    return this.records.get(key(clientId, orderId));
  }

  /** Open orders of every client (reqAllOpenOrders). */
  open(): OrderRecord[] {
    return [...this.records.values()].filter((r) => r.open);
  }

  /**
   * Open orders of one client (reqOpenOrders). Client 0 also sees manual orders, which it
   * owns; API orders of other clients are not included.
   */
  openFor(clientId: number): OrderRecord[] {
    return this.open().filter((r) => r.clientId === clientId);
  }

  /** Finished orders (reqCompletedOrders); `apiOnly` leaves manual orders out. */
  completed(apiOnly = false): OrderRecord[] {
    return [...this.records.values()].filter((r) => !r.open && !(apiOnly && r.manual));
  }
}
