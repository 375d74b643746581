import type { CallOptions } from "@connectrpc/connect";
import { LeaderElector, MemoryLeaseStore } from "@spreadops/runtime";
import { afterEach, describe, expect, it } from "vitest";
import type { ExecutionPort } from "./ports.js";
import type { FakeClock } from "./testing/fake-clock.js";
import { Harness, until } from "./testing/harness.js";
import { quietLogger } from "./testing/quiet-logger.js";

/** A second controller on the first one's store, clock and services (a restarted or standby replica). */
function sibling(first: Harness, options: { execution?: ExecutionPort; leadership?: LeaderElector } = {}): Harness {
  return new Harness({
    store: first.store, clock: first.clock, strategy: first.strategyService, execution: options.execution ?? first.executionService,
    ...(options.leadership === undefined ? {} : { leadership: options.leadership }),
  });
}

describe("controller restart mid-lifecycle", () => {
  const running: Harness[] = [];
  afterEach(async () => {
    for (const h of running.splice(0)) await h.controller.stop();
  });

  it("a new controller continues where the old one stopped: no duplicate Trades, no duplicate orders", async () => {
    const a = new Harness();
    await a.controller.start();
    await a.apply("spy");
    await a.tradeReaches("Submitted");
    await a.controller.stop();

    const b = sibling(a);
    running.push(b);
    await b.controller.start();
    // The next scan proposes the same spread again: the deterministic name makes it a no-op.
    await a.clock.advance(5 * 60_000);
    await until(() => a.strategyService.evaluateCalls.length === 2, "scan after restart");
    const trade = await b.onlyTrade();
    a.executionService.fill(trade.metadata.uid ?? "");
    await b.tradeReaches("Open");
    expect(await b.trades()).toHaveLength(1);
    expect(a.executionService.ordersSent).toBe(1);
  });

  it("a crash between PlaceSpread and recording it: the next controller adopts the order, nothing is sent twice", async () => {
    const a = new Harness();
    let placed!: () => void;
    const wasPlaced = new Promise<void>((resolve) => { placed = resolve; });
    // The order reaches the broker, but the controller dies before it can record the answer.
    const dying: ExecutionPort = {
      ...bind(a.executionService),
      placeSpread: async (request, options?: CallOptions) => {
        await a.executionService.placeSpread(request, options);
        placed();
        return new Promise((_resolve, reject) => { options?.signal?.addEventListener("abort", () => { reject(new Error("process died")); }); });
      },
    };
    const first = sibling(a, { execution: dying });
    await first.controller.start();
    await a.apply("spy");
    await wasPlaced;
    await first.controller.stop();
    expect((await a.onlyTrade()).status?.phase).toBe("Previewed");
    expect(a.executionService.ordersSent).toBe(1);

    const b = sibling(a);
    running.push(b);
    await b.controller.start();
    const submitted = await b.tradeReaches("Submitted");
    expect(a.executionService.ordersSent).toBe(1);
    expect(a.executionService.placeCalls).toBe(2);
    expect(await b.reasons("Trade", submitted.metadata.name)).toContain("Adopted");
  });
});

describe("leader election", () => {
  const running: Harness[] = [];
  afterEach(async () => {
    for (const h of running.splice(0)) await h.controller.stop();
  });

  const elector = (store: MemoryLeaseStore, clock: FakeClock, identity: string): LeaderElector =>
    new LeaderElector({ store, lease: { namespace: "default", name: "spreadops-controller" }, identity, logger: quietLogger(), clock, random: () => 0.5 });

  it("only the leader reconciles; at handover the new leader continues without duplicating anything", async () => {
    const a = new Harness();
    const leases = new MemoryLeaseStore();
    const first = sibling(a, { leadership: elector(leases, a.clock, "a") });
    const second = sibling(a, { leadership: elector(leases, a.clock, "b") });
    running.push(first, second);
    let overlap = false;
    const check = (): void => { if (first.controller.isActive() && second.controller.isActive()) overlap = true; };

    await first.controller.start();
    await until(() => first.controller.isActive(), "first leads");
    await second.controller.start();
    await a.clock.advance(10_000);
    check();
    expect(second.controller.isActive()).toBe(false);

    await a.apply("spy");
    const submitted = await a.tradeReaches("Submitted");
    expect(a.strategyService.evaluateCalls).toHaveLength(1);

    // The leader goes away (graceful: releases the lease); the standby takes over.
    await first.controller.stop();
    check();
    for (let i = 0; i < 20 && !second.controller.isActive(); i++) {
      await a.clock.advance(1_000);
      check();
    }
    expect(second.controller.isActive()).toBe(true);
    a.executionService.fill(submitted.metadata.uid ?? "");
    await second.tradeReaches("Open");
    expect(await a.trades()).toHaveLength(1);
    expect(a.executionService.ordersSent).toBe(1);
    expect(overlap).toBe(false);
  });

  it("a leader that cannot renew its lease stops its workers before anyone else can lead", async () => {
    const a = new Harness();
    const leases = new MemoryLeaseStore();
    const first = sibling(a, { leadership: elector(leases, a.clock, "a") });
    const second = sibling(a, { leadership: elector(leases, a.clock, "b") });
    running.push(first, second);
    let overlap = false;
    await first.controller.start();
    await until(() => first.controller.isActive(), "first leads");
    await second.controller.start();
    leases.failNext("update", 100); // renewals fail from now on (the standby's takeover needs update too)
    for (let i = 0; i < 15; i++) {
      await a.clock.advance(1_000);
      if (first.controller.isActive() && second.controller.isActive()) overlap = true;
    }
    expect(first.controller.isActive()).toBe(false);
    expect(overlap).toBe(false);
  });
});

/** The fake's methods as plain functions (a spread of a class instance loses its prototype). */
function bind(service: ExecutionPort): ExecutionPort {
  return {
    previewSpread: service.previewSpread.bind(service),
    placeSpread: service.placeSpread.bind(service),
    getSpread: service.getSpread.bind(service),
    cancelSpread: service.cancelSpread.bind(service),
    closeSpread: service.closeSpread.bind(service),
    evaluateExits: service.evaluateExits.bind(service),
    streamSpreadEvents: service.streamSpreadEvents.bind(service),
  };
}
