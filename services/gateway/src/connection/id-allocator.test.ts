import { describe, expect, it } from "vitest";
import { IdAllocator } from "./id-allocator.js";

describe("IdAllocator", () => {
  it("refuses order ids before nextValidId and starts at it", () => {
    const ids = new IdAllocator();
    expect(() => ids.nextOrderId()).toThrow(/nextValidId/);
    ids.onNextValidId(100);
    expect(ids.nextOrderId()).toBe(100);
    expect(ids.nextOrderId()).toBe(101);
  });

  it("stays above every id seen, even when TWS reports a lower nextValidId after a reconnect", () => {
    const ids = new IdAllocator();
    ids.onNextValidId(10);
    ids.observe(57); // another client's order in openOrder
    expect(ids.nextOrderId()).toBe(58);
    ids.onNextValidId(12);
    expect(ids.nextOrderId()).toBe(59);
    ids.onNextValidId(200);
    expect(ids.nextOrderId()).toBe(200);
  });

  it("never hands out the same id twice across order and request ids, and always increases", () => {
    const ids = new IdAllocator();
    ids.onNextValidId(1);
    let seed = 3;
    const seen = new Set<number>();
    let last = 0;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 48271) % 2147483647;
      const r = seed % 10;
      if (r === 0) {
        ids.observe(last + (seed % 7));
        continue;
      }
      if (r === 1) {
        ids.onNextValidId(Math.max(1, last - 5));
        continue;
      }
      const id = r < 5 ? ids.nextOrderId() : ids.nextRequestId();
      expect(seen.has(id)).toBe(false);
      expect(id).toBeGreaterThan(last);
      seen.add(id);
      last = id;
    }
  });

  it("ignores non-integer ids", () => {
    const ids = new IdAllocator();
    ids.observe(Number.NaN);
    ids.observe(Number.POSITIVE_INFINITY);
    expect(ids.peek()).toBe(1);
  });
});
