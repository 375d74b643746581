// Test-only: the controller over an EmbeddedStore with fake services on a fake clock, and the
// helpers the scenarios share.
import type { StoredEvent, StrategyResource, StrategySpec, TradeResource } from "@spreadops/resources";
import { API_VERSION, EmbeddedStore, STRATEGY, TRADE } from "@spreadops/resources";
import type { Leadership } from "@spreadops/runtime";
import { createMetrics } from "@spreadops/runtime";
import type { Controller, ControllerTuning } from "../build-controller.js";
import { buildController } from "../build-controller.js";
import type { ExecutionPort, StrategyPort } from "../ports.js";
import { FakeClock, settle } from "./fake-clock.js";
import { FakeExecutionService, FakeGateway, FakeStrategyService } from "./fake-services.js";
import { quietLogger } from "./quiet-logger.js";

export const NS = "default";

/** A valid Strategy spec (the ARCHITECTURE.md example, one symbol), with overrides. */
export function strategySpec(overrides: Partial<StrategySpec> = {}): StrategySpec {
  return {
    mode: "paper",
    universe: { symbols: ["SPY"] },
    schedule: { scanInterval: "5m", timezone: "America/New_York", window: { start: "09:45", end: "15:45" } },
    entry: [{ indicator: "rsi", period: 14, below: 30, direction: "bullish" }],
    spread: { kind: "bullPut", dte: { min: 30, max: 60 }, shortDelta: { min: 0.25, max: 0.35 }, width: { min: 1, max: 10 } },
    risk: { maxOpenTrades: 5, maxRiskPerTrade: 500, maxDailyLoss: 1000, takeProfitPercent: 50, exitAtDte: 7 },
    execution: { approval: "auto", limitOffset: 0.02 },
    ...overrides,
  };
}

/** Waits (without moving time) until `check` holds, letting the store, informers and workers run. */
export async function until(check: () => boolean | Promise<boolean>, what: string, turns = 400): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (await check()) return;
    await settle(2);
  }
  throw new Error(`never happened: ${what}`);
}

/** Like {@link until}, moving the clock `stepMs` between looks (for what waits on a timer). */
export async function untilAdvancing(clock: FakeClock, check: () => boolean | Promise<boolean>, what: string, stepMs = 500, steps = 40): Promise<void> {
  for (let i = 0; i < steps; i++) {
    if (await check()) return;
    await clock.advance(stepMs);
  }
  throw new Error(`never happened: ${what}`);
}

export interface HarnessOptions {
  readonly tuning?: ControllerTuning;
  readonly clock?: FakeClock;
  readonly store?: EmbeddedStore;
  readonly strategy?: StrategyPort;
  readonly execution?: ExecutionPort;
  readonly leadership?: Leadership;
}

/** One controller and everything around it. */
export class Harness {
  readonly clock: FakeClock;
  readonly store: EmbeddedStore;
  readonly strategyService = new FakeStrategyService();
  readonly executionService = new FakeExecutionService();
  readonly gateway = new FakeGateway();
  readonly metrics = createMetrics({ service: "controller-test", defaultMetrics: false });
  readonly controller: Controller;

  constructor(options: HarnessOptions = {}) {
    this.clock = options.clock ?? new FakeClock();
    this.store = options.store ?? new EmbeddedStore({ types: [{ type: STRATEGY }, { type: TRADE }], clock: this.clock });
    this.controller = buildController({
      store: this.store,
      strategy: options.strategy ?? this.strategyService,
      execution: options.execution ?? this.executionService,
      gateway: this.gateway,
      clock: this.clock,
      logger: quietLogger(),
      metrics: this.metrics,
      workers: 2,
      ...(options.leadership === undefined ? {} : { leadership: options.leadership }),
      tuning: { rateLimit: { baseDelayMs: 1_000, maxDelayMs: 60_000 }, ...options.tuning },
    });
  }

  async apply(name: string, spec: StrategySpec = strategySpec()): Promise<StrategyResource> {
    return this.store.create<StrategyResource>(STRATEGY, { apiVersion: API_VERSION, kind: "Strategy", metadata: { name, namespace: NS }, spec });
  }

  async strategy(name: string): Promise<StrategyResource | undefined> {
    try {
      return await this.store.get<StrategyResource>(STRATEGY, NS, name);
    } catch {
      return undefined;
    }
  }

  async trades(): Promise<TradeResource[]> {
    return (await this.store.list<TradeResource>(TRADE, NS)).items;
  }

  async onlyTrade(): Promise<TradeResource> {
    const trades = await this.trades();
    if (trades.length !== 1) throw new Error(`expected one trade, found ${trades.length}`);
    return trades[0] as TradeResource;
  }

  async patchTrade(name: string, spec: Record<string, unknown>): Promise<void> {
    await this.store.patch(TRADE, NS, name, { spec });
  }

  async patchStrategy(name: string, spec: Record<string, unknown>): Promise<void> {
    await this.store.patch(STRATEGY, NS, name, { spec });
  }

  async events(kind: "Strategy" | "Trade", name: string): Promise<StoredEvent[]> {
    return this.store.listEvents(NS, { kind, name });
  }

  async reasons(kind: "Strategy" | "Trade", name: string): Promise<string[]> {
    return (await this.events(kind, name)).map((e) => e.reason);
  }

  async tradePhase(): Promise<string | undefined> {
    const trades = await this.trades();
    return trades[0]?.status?.phase;
  }

  /** Waits until the only trade satisfies `check`. */
  async tradeMatches(check: (trade: TradeResource) => boolean, what: string): Promise<TradeResource> {
    await until(async () => (await this.trades()).some(check), what);
    return this.onlyTrade();
  }

  /** Waits until the only trade is in `phase`. */
  async tradeReaches(phase: string): Promise<TradeResource> {
    await until(async () => (await this.tradePhase()) === phase, `trade in ${phase} (is ${(await this.tradePhase()) ?? "none"})`);
    return this.onlyTrade();
  }
}
