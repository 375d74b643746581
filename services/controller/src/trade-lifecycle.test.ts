import { create } from "@bufbuild/protobuf";
import { ExitAction, ExitDecisionSchema, ExitReason } from "@spreadops/api";
import type { TradeResource } from "@spreadops/resources";
import { API_VERSION, STRATEGY_FINALIZER, TRADE } from "@spreadops/resources";
import { afterEach, describe, expect, it } from "vitest";
import { APPROVAL_ANNOTATION, STRATEGY_GENERATION_ANNOTATION } from "./names.js";
import { proposal } from "./testing/fake-services.js";
import { Harness, NS, strategySpec, until } from "./testing/harness.js";

describe("Trade lifecycle over the embedded store", () => {
  let h: Harness;
  afterEach(async () => {
    await h.controller.stop();
  });

  it("auto approval: scan → Trade → preview → order → fill → exit → Closed, every step in status and events", async () => {
    h = new Harness();
    await h.controller.start();
    const strategy = await h.apply("spy");

    const proposed = await h.tradeReaches("Submitted");
    const fresh = await h.strategy("spy");
    expect(fresh?.metadata.finalizers).toContain(STRATEGY_FINALIZER);
    expect(h.strategyService.validateCalls).toBe(1);
    expect(h.strategyService.evaluateCalls[0]?.strategyRef).toBe("default/spy");
    expect(proposed.metadata.ownerReferences).toEqual([
      { apiVersion: "trading.spreadops.dev/v1alpha1", kind: "Strategy", name: "spy", uid: strategy.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(proposed.metadata.annotations?.[STRATEGY_GENERATION_ANNOTATION]).toBe("1");
    expect(proposed.metadata.annotations?.[APPROVAL_ANNOTATION]).toBe("auto");
    expect(proposed.spec).toMatchObject({ strategyRef: "spy", underlying: "SPY", kind: "bullPut", expiry: "2026-04-17", shortStrike: 580, longStrike: 575, approved: true });
    expect(proposed.status).toMatchObject({ phase: "Submitted", orderRef: proposed.metadata.uid, orderId: 100, permId: 900001 });
    expect(proposed.status?.preview).toMatchObject({ maxLoss: 375, maxProfit: 125, initMargin: 500, commission: 2.6 });
    expect(h.executionService.automatic(proposed.metadata.uid ?? "")).toBe(true);
    expect(h.executionService.ordersSent).toBe(1);

    // The fill arrives on the event stream: no poll needed.
    await until(() => h.executionService.streams() > 0, "event stream open");
    h.executionService.fill(proposed.metadata.uid ?? "");
    const open = await h.tradeReaches("Open");
    expect(open.status).toMatchObject({ filledQuantity: 1, avgFillPrice: 1.25 });
    expect(open.status?.fills?.map((f) => `${f.leg} ${f.action}`)).toEqual(["short SELL", "long BUY"]);
    expect(open.status?.openedAt).toBeDefined();
    await until(async () => (await h.onlyTrade()).status?.lastExitCheck !== undefined, "first exit check");
    expect(h.executionService.exitCalls).toBe(1);
    expect((await h.onlyTrade()).status?.unrealizedPnl).toBe(12.5);

    // Exits are checked on the schedule; a take-profit decision closes it.
    await h.clock.advance(30_000);
    expect(h.executionService.exitCalls).toBe(1);
    h.executionService.exitDecision = create(ExitDecisionSchema, { action: ExitAction.CLOSE, reason: ExitReason.TAKE_PROFIT, message: "captured 52% ≥ 50%" });
    await h.clock.advance(30_000);
    const closing = await h.tradeReaches("Closing");
    expect(h.executionService.closeCalls).toEqual([{ tradeId: open.metadata.uid, reason: ExitReason.TAKE_PROFIT }]);
    expect(closing.status?.exit).toMatchObject({ reason: "takeProfit", message: "captured 52% ≥ 50%" });
    h.executionService.fillClose(open.metadata.uid ?? "", 63.4);
    const closed = await h.tradeReaches("Closed");
    expect(closed.status).toMatchObject({ realizedPnl: 63.4, closeOrderId: 101 });
    expect(closed.status?.closedAt).toBeDefined();

    expect(await h.reasons("Trade", closed.metadata.name)).toEqual(
      expect.arrayContaining(["Proposed", "Approved", "Previewed", "Submitted", "Opened", "ExitDecided", "Closing", "Closed"]),
    );
    expect(await h.reasons("Strategy", "spy")).toEqual(expect.arrayContaining(["Scanned", "Proposed"]));
    await until(async () => (await h.strategy("spy"))?.status?.realizedPnl === 63.4, "strategy roll-up");
    expect((await h.strategy("spy"))?.status).toMatchObject({ phase: "Active", openTrades: 0, realizedPnl: 63.4, dayPnl: 63.4 });
    expect(h.executionService.ordersSent).toBe(1);
  });

  it("manual approval: the Trade waits in Proposed with the preview a person needs, then places non-automatic", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("manual", strategySpec({ execution: { approval: "manual" } }));
    await h.tradeReaches("Proposed");
    // The what-if is attached while it waits (one preview, not one per reconcile); nothing is placed.
    const waiting = await h.tradeMatches((t) => t.status?.preview !== undefined, "a preview on the proposed trade");
    expect(waiting.spec?.approved).toBe(false);
    expect(waiting.status?.phase).toBe("Proposed");
    expect(waiting.status?.message).toContain("waiting for approval");
    expect(waiting.status?.preview?.maxLoss).toBeGreaterThan(0);
    expect((await h.events("Trade", waiting.metadata.name)).map((e) => e.reason)).toContain("Previewed");
    await h.clock.advance(60_000);
    expect(h.executionService.previewCalls).toBe(1);
    expect(h.executionService.placeCalls).toBe(0);

    await h.patchTrade(waiting.metadata.name, { approved: true });
    const submitted = await h.tradeReaches("Submitted");
    expect(h.executionService.automatic(submitted.metadata.uid ?? "")).toBe(false);
    expect((await h.events("Trade", submitted.metadata.name)).find((e) => e.reason === "Approved")?.message).toBe("approved (spec.approved)");
  });

  it("spec.rejected ends a manual proposal Rejected: nothing reaches the broker, and the next scan does not propose it again", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("manual", strategySpec({ execution: { approval: "manual" } }));
    const waiting = await h.tradeMatches((t) => t.status?.preview !== undefined, "a preview on the proposed trade");
    const previews = h.executionService.previewCalls;
    const scans = h.strategyService.evaluateCalls.length;

    await h.patchTrade(waiting.metadata.name, { rejected: true });
    const rejected = await h.tradeReaches("Rejected");
    expect(rejected.status?.message).toBe("rejected by a user before placement (spec.rejected): no order placed");
    expect(rejected.status?.closedAt).toBe(new Date(h.clock.now()).toISOString());
    expect(rejected.status?.conditions?.find((c) => c.type === "Degraded")?.status).toBe("False");
    const events = await h.events("Trade", rejected.metadata.name);
    expect(events.find((e) => e.reason === "RejectedByUser")).toMatchObject({ type: "Normal", message: rejected.status?.message });
    // A person's decision, not a failure: no Warning "Rejected" as a refused placement has.
    expect(events.map((e) => e.reason)).not.toContain("Rejected");

    // The next scan proposes the same spread: the kept Trade's name makes it a repeat, and the
    // Rejected trade holds no slot, no risk and no symbol in the risk context.
    await h.clock.advance(5 * 60_000);
    await until(() => h.strategyService.evaluateCalls.length > scans, "the next scan");
    expect(h.strategyService.evaluateCalls.at(-1)?.riskContext).toMatchObject({ openTrades: 0, openRiskUsd: 0, openSymbols: [] });
    await until(async () => (await h.strategy("manual"))?.status?.lastScanTime === new Date(h.clock.now()).toISOString(), "the scan written");
    const after = await h.onlyTrade();
    expect(after.metadata.uid).toBe(rejected.metadata.uid);
    expect(after.status?.phase).toBe("Rejected");
    expect((await h.strategy("manual"))?.status?.openTrades).toBe(0);

    // Nothing was placed at the (imaginary) broker, and nothing was previewed after the rejection.
    expect(h.executionService.spreads.size).toBe(0);
    expect(h.executionService.ordersSent).toBe(0);
    expect(h.executionService.placeCalls).toBe(0);
    expect(h.executionService.previewCalls).toBe(previews);
  });

  it("a Trade created already rejected is never previewed or placed", async () => {
    h = new Harness();
    await h.controller.start();
    await h.store.create<TradeResource>(TRADE, {
      apiVersion: API_VERSION, kind: "Trade", metadata: { name: "by-hand", namespace: NS },
      spec: { strategyRef: "none", underlying: "SPY", kind: "bullPut", expiry: "2026-04-17", shortStrike: 580, longStrike: 575, quantity: 1, limitPrice: 1.25, mode: "paper", rejected: true },
    });
    const rejected = await h.tradeReaches("Rejected");
    expect(await h.reasons("Trade", rejected.metadata.name)).toEqual(["RejectedByUser"]);
    await h.clock.advance(10 * 60_000);
    expect(h.executionService.previewCalls).toBe(0);
    expect(h.executionService.placeCalls).toBe(0);
    expect(h.executionService.spreads.size).toBe(0);
  });

  it("an approved trade ignores spec.rejected (a store without the CRD's rule let both through): placed, then left alone once open", async () => {
    h = new Harness(); // the harness store has no validator, so the CEL rule against approved && rejected does not run
    await h.controller.start();
    await h.apply("manual", strategySpec({ execution: { approval: "manual" } }));
    const waiting = await h.tradeMatches((t) => t.status?.preview !== undefined, "a preview on the proposed trade");
    await h.patchTrade(waiting.metadata.name, { approved: true, rejected: true });
    const submitted = await h.tradeReaches("Submitted");
    expect(h.executionService.ordersSent).toBe(1);
    expect(h.executionService.spreads.has(submitted.metadata.uid ?? "")).toBe(true);

    // A rejection arriving once the order is working or filled changes nothing either.
    h.executionService.fill(submitted.metadata.uid ?? "");
    await h.tradeReaches("Open");
    await h.patchTrade(submitted.metadata.name, { approved: false, rejected: true });
    await h.clock.advance(60_000);
    await until(async () => (await h.onlyTrade()).metadata.generation === (await h.onlyTrade()).status?.observedGeneration, "the spec change observed");
    expect((await h.onlyTrade()).status?.phase).toBe("Open");
    expect(await h.reasons("Trade", submitted.metadata.name)).not.toContain("RejectedByUser");
    expect(h.executionService.ordersSent).toBe(1);
  });

  it("an unapproved proposal lapses at the end of its exchange day", async () => {
    h = new Harness({ tuning: { statusRefreshMs: 6 * 3_600_000 } });
    h.strategyService.proposals = (ref) => (h.strategyService.evaluateCalls.length > 1 ? [] : [proposal(ref)]);
    await h.controller.start();
    await h.apply("manual", strategySpec({ execution: { approval: "manual" }, schedule: { scanInterval: "1h", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } } }));
    await h.tradeReaches("Proposed");
    await h.clock.advance(Date.parse("2026-03-11T04:00:00Z") - h.clock.now() - 1_000); // one second before midnight in New York
    expect(await h.tradePhase()).toBe("Proposed");
    await h.clock.advance(1_000);
    const lapsed = await h.tradeReaches("Cancelled");
    expect(lapsed.status?.message).toContain("not approved on the day it was proposed (20260310)");
    expect(h.executionService.placeCalls).toBe(0);
  });

  it("after an execution-service restart an open trade is re-adopted from the broker, never placed again", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("spy");
    const submitted = await h.tradeReaches("Submitted");
    h.executionService.fill(submitted.metadata.uid ?? "");
    await h.tradeReaches("Open");
    const sent = h.executionService.ordersSent;
    h.executionService.forgetAll(); // the service restarted; the broker still lists the order
    await h.clock.advance(60_000); // the next exit check meets NotFound
    await until(async () => (await h.reasons("Trade", submitted.metadata.name)).includes("Adopted"), "the trade re-adopted");
    const after = await h.onlyTrade();
    expect(after.status?.phase).toBe("Open");
    expect(after.status?.conditions?.find((c) => c.type === "Degraded")?.status ?? "False").toBe("False");
    expect(h.executionService.ordersSent).toBe(sent);
  });

  it("an open trade the broker no longer lists is reported NotTrackedByExecution, with nothing sent", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("spy");
    const submitted = await h.tradeReaches("Submitted");
    h.executionService.fill(submitted.metadata.uid ?? "");
    await h.tradeReaches("Open");
    const sent = h.executionService.ordersSent;
    h.executionService.forgetAll();
    h.executionService.loseBrokerOrders(); // e.g. a fresh simulator after an all-in-one restart
    await h.clock.advance(60_000);
    const degraded = await h.tradeMatches((t) => t.status?.conditions?.some((c) => c.type === "Degraded" && c.status === "True" && c.reason === "NotTrackedByExecution") === true, "Degraded/NotTrackedByExecution");
    expect(degraded.status?.phase).toBe("Open");
    expect(h.executionService.ordersSent).toBe(sent);
    // Looked at again later, still without sending anything.
    await h.clock.advance(5 * 60_000);
    expect(h.executionService.ordersSent).toBe(sent);
  });

  it("spec.close: true closes an open trade by hand", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("spy");
    const submitted = await h.tradeReaches("Submitted");
    h.executionService.fill(submitted.metadata.uid ?? "");
    await h.tradeReaches("Open");
    await h.patchTrade(submitted.metadata.name, { close: true });
    const closing = await h.tradeReaches("Closing");
    expect(h.executionService.closeCalls).toEqual([{ tradeId: submitted.metadata.uid, reason: ExitReason.MANUAL }]);
    expect(closing.status?.exit?.reason).toBe("manual");
    h.executionService.fillClose(submitted.metadata.uid ?? "", -20);
    expect((await h.tradeReaches("Closed")).status?.realizedPnl).toBe(-20);
  });

  it("a ROLL decision closes the trade with reason roll and says that no replacement is opened", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("spy");
    const submitted = await h.tradeReaches("Submitted");
    h.executionService.exitDecision = create(ExitDecisionSchema, { action: ExitAction.ROLL, reason: ExitReason.ROLL, message: "DTE 9 ≤ roll.atDte 10" });
    h.executionService.fill(submitted.metadata.uid ?? "");
    const closing = await h.tradeReaches("Closing");
    expect(h.executionService.closeCalls).toEqual([{ tradeId: submitted.metadata.uid, reason: ExitReason.ROLL }]);
    expect(closing.status?.exit?.reason).toBe("roll");
    const warning = (await h.events("Trade", submitted.metadata.name)).find((e) => e.reason === "RollUnavailable");
    expect(warning?.message).toContain("closing without opening one");
  });

  it("a refused placement ends in Rejected with the reason, and is not retried", async () => {
    h = new Harness();
    h.executionService.refusePlacement = "risk gate: margin unknown blocks automatic execution";
    await h.controller.start();
    await h.apply("spy");
    const rejected = await h.tradeReaches("Rejected");
    expect(rejected.status?.message).toBe("placement refused: risk gate: margin unknown blocks automatic execution");
    const calls = h.executionService.placeCalls;
    await h.clock.advance(10 * 60_000);
    expect(h.executionService.placeCalls).toBe(calls);
    expect((await h.events("Trade", rejected.metadata.name)).find((e) => e.reason === "Rejected")?.type).toBe("Warning");
  });

  it("an unavailable execution service degrades the Trade and is retried with backoff, never lost", async () => {
    h = new Harness();
    h.executionService.down = true;
    await h.controller.start();
    await h.apply("spy");
    await until(async () => (await h.trades())[0]?.status?.conditions?.some((c) => c.type === "Degraded" && c.status === "True") === true, "degraded");
    const trade = await h.onlyTrade();
    expect(trade.status?.phase).toBe("Approved");
    expect(trade.status?.conditions?.find((c) => c.type === "Degraded")).toMatchObject({ reason: "ExecutionUnavailable" });
    const before = h.executionService.previewCalls;
    await h.clock.advance(1_000);
    await h.clock.advance(2_000);
    await h.clock.advance(4_000);
    const retries = h.executionService.previewCalls - before;
    expect(retries).toBeGreaterThanOrEqual(2);
    expect(retries).toBeLessThanOrEqual(4); // backoff, not a hot loop
    h.executionService.down = false;
    await h.clock.advance(10_000);
    const submitted = await h.tradeReaches("Submitted");
    expect(submitted.status?.conditions?.find((c) => c.type === "Degraded")?.status).toBe("False");
    expect(await h.reasons("Trade", submitted.metadata.name)).toContain("ExecutionUnavailable");
  });

  it("a partial fill shows as PartiallyFilled, then Open", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("spy", strategySpec({ risk: { maxRiskPerTrade: 2000 } }));
    const submitted = await h.tradeReaches("Submitted");
    h.executionService.fillPartly(submitted.metadata.uid ?? "", 1);
    expect((await h.tradeReaches("PartiallyFilled")).status?.filledQuantity).toBe(1);
    h.executionService.fill(submitted.metadata.uid ?? "");
    await h.tradeReaches("Open");
  });
});
