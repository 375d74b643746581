import { ExitReason } from "@spreadops/api";
import type { TradeResource } from "@spreadops/resources";
import { STRATEGY } from "@spreadops/resources";
import { afterEach, describe, expect, it } from "vitest";
import { ORPHANED_ANNOTATION } from "./names.js";
import { proposal } from "./testing/fake-services.js";
import { Harness, NS, strategySpec, until, untilAdvancing } from "./testing/harness.js";

/** Three trades of "mix": SPY open, QQQ working at the broker, IWM never approved. */
async function threeTrades(h: Harness, onDelete?: "closeOpenTrades"): Promise<{ spy: TradeResource; qqq: TradeResource; iwm: TradeResource }> {
  h.strategyService.proposals = (ref) => ["SPY", "QQQ", "IWM"].map((s) => proposal(ref, s));
  await h.controller.start();
  await h.apply("mix", strategySpec({ universe: { symbols: ["SPY", "QQQ", "IWM"] }, execution: { approval: "manual" }, ...(onDelete === undefined ? {} : { onDelete }) }));
  await until(async () => (await h.trades()).length === 3 && (await h.trades()).every((t) => t.status?.phase === "Proposed"), "three proposals");
  const bySymbol = async (s: string) => (await h.trades()).find((t) => t.spec?.underlying === s) as TradeResource;
  await h.patchTrade((await bySymbol("SPY")).metadata.name, { approved: true });
  await h.patchTrade((await bySymbol("QQQ")).metadata.name, { approved: true });
  await until(async () => (await bySymbol("SPY")).status?.phase === "Submitted" && (await bySymbol("QQQ")).status?.phase === "Submitted", "two orders");
  h.executionService.fill((await bySymbol("SPY")).metadata.uid ?? "");
  await until(async () => (await bySymbol("SPY")).status?.phase === "Open", "SPY open");
  return { spy: await bySymbol("SPY"), qqq: await bySymbol("QQQ"), iwm: await bySymbol("IWM") };
}

describe("Strategy finalizer", () => {
  let h: Harness;
  afterEach(async () => {
    await h.controller.stop();
  });

  it("cancels working orders, leaves open positions open (orphaned, reported), then lets the Strategy go", async () => {
    h = new Harness();
    const { spy, qqq, iwm } = await threeTrades(h);
    await h.store.delete(STRATEGY, NS, "mix");
    await untilAdvancing(h.clock, async () => (await h.strategy("mix")) === undefined, "strategy gone");

    expect(h.executionService.cancelCalls).toContain(qqq.metadata.uid);
    expect(h.executionService.spreads.get(qqq.metadata.uid ?? "")?.order.phase).toBe(10); // CANCELLED at the broker
    expect(h.executionService.closeCalls).toEqual([]);
    expect(h.executionService.automatic(iwm.metadata.uid ?? "")).toBeUndefined(); // never placed

    // Only the open trade survives the cascade, without owner and saying why.
    await until(async () => (await h.trades()).length === 1, "cascade of the rest");
    const survivor = await h.onlyTrade();
    expect(survivor.metadata.name).toBe(spy.metadata.name);
    expect(survivor.metadata.ownerReferences ?? []).toEqual([]);
    expect(survivor.metadata.annotations?.[ORPHANED_ANNOTATION]).toMatch(/^mix\//);
    expect(survivor.status?.phase).toBe("Open");
    expect(await h.reasons("Trade", spy.metadata.name)).toContain("Orphaned");
    const left = (await h.events("Strategy", "mix")).find((e) => e.reason === "OpenTradesLeftOpen");
    expect(left?.type).toBe("Warning");
    expect(left?.message).toContain(spy.metadata.name);
    expect(await h.reasons("Strategy", "mix")).toEqual(expect.arrayContaining(["OrderCancelled", "Finalized"]));

    // The orphan is still managed: a manual close works.
    await h.patchTrade(spy.metadata.name, { close: true });
    await h.tradeReaches("Closing");
  });

  it("onDelete: closeOpenTrades closes open positions with reason STRATEGY_DELETED; they stay until closed", async () => {
    h = new Harness();
    const { spy } = await threeTrades(h, "closeOpenTrades");
    await h.store.delete(STRATEGY, NS, "mix");
    await untilAdvancing(h.clock, async () => (await h.strategy("mix")) === undefined, "strategy gone");
    expect(h.executionService.closeCalls).toEqual([{ tradeId: spy.metadata.uid, reason: ExitReason.STRATEGY_DELETED }]);
    await until(async () => (await h.trades()).length === 1, "cascade of the rest");
    const closing = await h.tradeReaches("Closing");
    expect(closing.status?.exit?.reason).toBe("strategyDeleted");
    expect(await h.reasons("Strategy", "mix")).toContain("ClosingOpenTrades");
    h.executionService.fillClose(spy.metadata.uid ?? "", 10);
    await h.tradeReaches("Closed");
  });

  it("waits while the execution service is down: the finalizer stays until the orders are cancelled", async () => {
    h = new Harness();
    const { qqq } = await threeTrades(h);
    h.executionService.down = true;
    await h.store.delete(STRATEGY, NS, "mix");
    await h.clock.advance(10_000);
    expect((await h.strategy("mix"))?.metadata.deletionTimestamp).toBeDefined();
    expect(await h.reasons("Strategy", "mix")).toContain("CancelFailed");
    h.executionService.down = false;
    await h.clock.advance(60_000);
    await untilAdvancing(h.clock, async () => (await h.strategy("mix")) === undefined, "strategy gone");
    expect(h.executionService.spreads.get(qqq.metadata.uid ?? "")?.order.phase).toBe(10);
  });
});
