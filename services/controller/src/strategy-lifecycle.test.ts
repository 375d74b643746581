import { TRADE } from "@spreadops/resources";
import { afterEach, describe, expect, it } from "vitest";
import { STRATEGY_GENERATION_ANNOTATION } from "./names.js";
import { proposal } from "./testing/fake-services.js";
import { Harness, NS, strategySpec, until } from "./testing/harness.js";

const condition = (h: Harness, name: string, type: string) => async () => (await h.strategy(name))?.status?.conditions?.find((c) => c.type === type);

describe("Strategy reconciler over the embedded store", () => {
  let h: Harness;
  afterEach(async () => {
    await h.controller.stop();
  });

  it("scans on the schedule only: once at start, again when the interval is due, never in between", async () => {
    h = new Harness();
    h.strategyService.proposals = () => [];
    await h.controller.start();
    await h.apply("spy");
    await until(async () => (await h.strategy("spy"))?.status?.phase === "Active", "active");
    const status = (await h.strategy("spy"))?.status;
    expect(status?.nextScanTime).toBe(new Date(h.clock.now() + 5 * 60_000).toISOString());
    expect(status?.lastScanTime).toBe(new Date(h.clock.now()).toISOString());
    expect(status?.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
      "BrokerConnected=True/Connected", "InTradingWindow=True/InsideWindow", "RiskBudgetAvailable=True/BudgetAvailable",
      "OpenTradesOnPreviousSpec=False/OpenTradesCurrent", "Ready=True/Scanning",
    ]);
    expect(status?.conditions?.every((c) => c.observedGeneration === 1)).toBe(true);
    await h.clock.advance(4 * 60_000);
    expect(h.strategyService.evaluateCalls).toHaveLength(1);
    await h.clock.advance(60_000);
    await until(() => h.strategyService.evaluateCalls.length === 2, "second scan");
    await h.clock.advance(60_000);
    expect(h.strategyService.evaluateCalls).toHaveLength(2);
  });

  it("outside the trading window: no scan, InTradingWindow=False, next scan at the window's opening", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("late", strategySpec({ schedule: { scanInterval: "5m", timezone: "America/New_York", window: { start: "14:00", end: "15:00" } } }));
    await until(async () => (await condition(h, "late", "InTradingWindow")())?.status === "False", "outside window");
    expect((await h.strategy("late"))?.status?.nextScanTime).toBe("2026-03-10T18:00:00.000Z");
    expect(h.strategyService.evaluateCalls).toHaveLength(0);
    await h.clock.advance(Date.parse("2026-03-10T18:00:00Z") - h.clock.now());
    await until(() => h.strategyService.evaluateCalls.length === 1, "scan at the opening");
  });

  it("pause stops scans but open trades keep their exits; resume scans again at once", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("spy");
    const submitted = await h.tradeReaches("Submitted");
    h.executionService.fill(submitted.metadata.uid ?? "");
    await h.tradeReaches("Open");
    await h.patchStrategy("spy", { paused: true });
    await until(async () => (await h.strategy("spy"))?.status?.phase === "Paused", "paused");
    expect((await condition(h, "spy", "Ready")())).toMatchObject({ status: "False", reason: "Paused" });
    const scans = h.strategyService.evaluateCalls.length;
    const exitChecks = h.executionService.exitCalls;
    await h.clock.advance(20 * 60_000);
    expect(h.strategyService.evaluateCalls).toHaveLength(scans);
    expect(h.executionService.exitCalls).toBeGreaterThan(exitChecks);
    await h.patchStrategy("spy", { paused: false });
    await until(() => h.strategyService.evaluateCalls.length === scans + 1, "scan after resume");
    await until(async () => (await h.reasons("Strategy", "spy")).includes("Resumed"), "Resumed event");
    expect(await h.reasons("Strategy", "spy")).toContain("Paused");
    // The open SPY trade is in the risk context: the strategy service is told, and the repeat proposal is not duplicated.
    expect(h.strategyService.evaluateCalls.at(-1)?.riskContext).toMatchObject({ openTrades: 1, openSymbols: ["SPY"] });
    expect(await h.trades()).toHaveLength(1);
  });

  it("a trade approved while its strategy is paused waits, and is placed once it resumes", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("spy", strategySpec({ execution: { approval: "manual" } }));
    const proposed = await h.tradeReaches("Proposed");
    await h.patchStrategy("spy", { paused: true });
    await until(async () => (await h.strategy("spy"))?.status?.phase === "Paused", "paused");
    await h.patchTrade(proposed.metadata.name, { approved: true });
    await until(async () => (await h.onlyTrade()).status?.message?.includes("is paused") === true, "held");
    await h.clock.advance(2 * 60_000);
    expect(h.executionService.placeCalls).toBe(0);
    expect((await h.onlyTrade()).status?.phase).toBe("Proposed");
    await h.patchStrategy("spy", { paused: false });
    await h.tradeReaches("Submitted");
  });

  it("an invalid spec: phase Invalid naming the field, Ready=False, no retries until the spec changes", async () => {
    h = new Harness();
    h.strategyService.violations = [{ field: "spec.entry[0].period", message: "rsi needs period" }];
    await h.controller.start();
    await h.apply("bad");
    await until(async () => (await h.strategy("bad"))?.status?.phase === "Invalid", "invalid");
    const status = (await h.strategy("bad"))?.status;
    expect(status?.message).toBe("invalid spec: spec.entry[0].period: rsi needs period");
    expect(await condition(h, "bad", "Ready")()).toMatchObject({ status: "False", reason: "InvalidSpec", message: "spec.entry[0].period: rsi needs period", observedGeneration: 1 });
    await h.clock.advance(60 * 60_000);
    expect(h.strategyService.validateCalls).toBe(1);
    expect(h.strategyService.evaluateCalls).toHaveLength(0);
    const invalidEvents = (await h.events("Strategy", "bad")).filter((e) => e.reason === "Invalid");
    expect(invalidEvents).toHaveLength(1);
    expect(invalidEvents[0]?.type).toBe("Warning");

    h.strategyService.violations = [];
    await h.patchStrategy("bad", { entry: [{ indicator: "rsi", period: 21, below: 30, direction: "bullish" }] });
    await until(async () => (await h.strategy("bad"))?.status?.phase === "Active", "valid again");
    expect((await h.strategy("bad"))?.status?.observedGeneration).toBe(2);
    expect(await h.reasons("Strategy", "bad")).toContain("Valid");
  });

  it("a spec the mapping cannot express is Invalid with the field, without calling the strategy service", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("odd", strategySpec({ schedule: { scanInterval: "5 minutes", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } } }));
    await until(async () => (await h.strategy("odd"))?.status?.phase === "Invalid", "invalid");
    expect((await h.strategy("odd"))?.status?.message).toMatch(/^invalid spec: spec\.schedule\.scanInterval: expected a duration/);
    expect(h.strategyService.validateCalls).toBe(0);
  });

  it("daily loss beyond maxDailyLoss halts new entries for the day, with a reason and an event", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("spy", strategySpec({ risk: { maxDailyLoss: 100, maxOpenTrades: 5 } }));
    const submitted = await h.tradeReaches("Submitted");
    h.executionService.fill(submitted.metadata.uid ?? "");
    await h.tradeReaches("Open");
    h.executionService.mark(submitted.metadata.uid ?? "", -150);
    await h.clock.advance(60_000); // next exit check refreshes the P&L
    await until(async () => (await h.strategy("spy"))?.status?.phase === "Halted", "halted");
    const risk = await condition(h, "spy", "RiskBudgetAvailable")();
    expect(risk).toMatchObject({ status: "False", reason: "DailyLossLimitHit" });
    expect(risk?.message).toContain("today's P&L -150 USD reached maxDailyLoss 100 USD");
    expect((await h.strategy("spy"))?.status?.dayPnl).toBe(-150);
    const scans = h.strategyService.evaluateCalls.length;
    await h.clock.advance(30 * 60_000);
    expect(h.strategyService.evaluateCalls).toHaveLength(scans);
    expect((await h.events("Strategy", "spy")).find((e) => e.reason === "DailyLossLimitHit")?.type).toBe("Warning");
  });

  it("a disconnected broker: BrokerConnected=False, phase Degraded, no scans until it is back", async () => {
    h = new Harness();
    h.gateway.connected = false;
    await h.controller.start();
    await h.apply("spy");
    await until(async () => (await h.strategy("spy"))?.status?.phase === "Degraded", "degraded");
    expect(await condition(h, "spy", "BrokerConnected")()).toMatchObject({ status: "False", reason: "Disconnected", message: "not connected to TWS" });
    expect(h.strategyService.evaluateCalls).toHaveLength(0);
    h.gateway.connected = true;
    await h.clock.advance(30_000);
    await until(() => h.strategyService.evaluateCalls.length === 1, "scan once connected");
    await until(async () => (await h.strategy("spy"))?.status?.phase === "Active", "active");
  });

  it("a spec change with open trades is reported as a condition; open trades keep their snapshot, new trades use the new spec", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("spy");
    const first = await h.tradeReaches("Submitted");
    await h.patchStrategy("spy", { risk: { maxOpenTrades: 5, maxRiskPerTrade: 500, maxDailyLoss: 1000, takeProfitPercent: 80, exitAtDte: 7 } });
    await until(async () => (await condition(h, "spy", "OpenTradesOnPreviousSpec")())?.status === "True", "drift condition");
    expect((await condition(h, "spy", "OpenTradesOnPreviousSpec")())?.message).toContain(first.metadata.name);
    expect((await h.onlyTrade()).spec?.exits?.takeProfitPercent).toBe(50);
    expect(await h.reasons("Strategy", "spy")).toContain("SpecChangeDeferred");
    // The generation change scans at once; a new symbol's trade takes the new settings.
    h.strategyService.proposals = (ref) => [proposal(ref, "QQQ")];
    await h.patchStrategy("spy", { universe: { symbols: ["SPY", "QQQ"] } });
    await until(async () => (await h.trades()).length === 2, "second trade");
    const second = (await h.trades()).find((t) => t.spec?.underlying === "QQQ");
    expect(second?.spec?.exits?.takeProfitPercent).toBe(80);
    expect(second?.metadata.annotations?.[STRATEGY_GENERATION_ANNOTATION]).toBe("3");
  });

  it("maxOpenTrades reached: no scan, RiskBudgetAvailable=False", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("one", strategySpec({ risk: { maxOpenTrades: 1 } }));
    await h.tradeReaches("Submitted");
    await h.clock.advance(5 * 60_000);
    await until(async () => (await condition(h, "one", "RiskBudgetAvailable")())?.reason === "MaxOpenTradesReached", "slots full");
    expect(h.strategyService.evaluateCalls).toHaveLength(1);
  });

  it("repeated proposals never duplicate Trades (deterministic names)", async () => {
    h = new Harness();
    await h.controller.start();
    await h.apply("spy", strategySpec({ execution: { approval: "manual" } }));
    await h.tradeReaches("Proposed");
    // The strategy service proposes the same spread again (it does not know about the trade here).
    await h.clock.advance(5 * 60_000);
    await until(() => h.strategyService.evaluateCalls.length === 2, "second scan");
    await h.clock.advance(5 * 60_000);
    await until(() => h.strategyService.evaluateCalls.length === 3, "third scan");
    expect((await h.store.list(TRADE, NS)).items).toHaveLength(1);
  });
});
