/**
 * Builds and starts a whole simulator from plain settings: clock, market (live, recorded or
 * replayed), broker, limits, the TWS API server and the fault injector. The CLI and
 * `spreadops all` call this; tests may too.
 */
import { closeSync, openSync, readFileSync, writeSync } from "node:fs";
import type { Logger, Metrics } from "@spreadops/runtime";
import { Broker } from "../broker/index.js";
import type { MarketSource } from "../market/index.js";
import { RecordingMarket, ReplayMarket, SimClock, SimMarket } from "../market/index.js";
import { marketBrokerPorts } from "./broker-ports.js";
import type { TwsSimServerConfig } from "./config.js";
import { DEFAULT_SERVER_CONFIG } from "./config.js";
import { registerSimMetrics } from "./admin/sim-metrics.js";
import { FaultInjector } from "./faults/fault-injector.js";
import { HistoricalPacer } from "./limits/historical-pacing.js";
import { MarketDataLineBudget } from "./limits/line-budget.js";
import { MessageRateLimiter } from "./limits/message-rate.js";
import type { LimitFactories, SimWorld, TwsSimAddress } from "./tws-sim-server.js";
import { TwsSimServer } from "./tws-sim-server.js";

/** How simulated time moves. */
export type SimClockMode = "real" | "accelerated" | "stepped";

/** Everything a simulator is built from. */
export interface SimulatorSettings extends Partial<TwsSimServerConfig> {
  /** Seed of the synthetic market (and of the drop fault). */
  readonly seed: number;
  /** Simulated start, epoch ms; default now. Ignored by the real clock. */
  readonly startMs?: number;
  readonly clock: SimClockMode;
  /** Simulated seconds per real second for the accelerated clock. */
  readonly speed?: number;
  readonly startingCash?: number;
  /** Marketable order → fill, simulated ms. */
  readonly fillLatencyMs?: number;
  /** Write what clients see of the market to this file (JSON Lines). */
  readonly recordPath?: string;
  /** Answer from this recording instead of the synthetic market. */
  readonly replayPath?: string;
}

/** A started simulator. */
export interface RunningSimulator {
  readonly server: TwsSimServer;
  readonly faults: FaultInjector;
  readonly address: TwsSimAddress;
  /** Stops the server and flushes the recording. */
  close(): Promise<void>;
}

/** The limit modules with the settings' limits. */
export function limitFactories(config: Pick<TwsSimServerConfig, "maxMessagesPerSecond" | "rateDisconnectAfter">): LimitFactories {
  return {
    messageRate: () =>
      new MessageRateLimiter({ maxPerSecond: config.maxMessagesPerSecond, disconnectAfterViolations: config.rateDisconnectAfter }),
    lineBudget: (limit) => new MarketDataLineBudget(limit),
    historicalPacer: () => new HistoricalPacer(),
  };
}

/** Opens the recording file (truncating it) and writes lines synchronously, so nothing is lost on exit. */
class RecordingFile {
  #fd: number | undefined;
  constructor(readonly path: string) {}
  write = (line: string): void => {
    this.#fd ??= openSync(this.path, "w");
    writeSync(this.#fd, line);
  };
  restart(): void {
    this.close();
  }
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

function makeClock(settings: SimulatorSettings, start: number): SimClock {
  switch (settings.clock) {
    case "real":
      return SimClock.real();
    case "accelerated":
      return SimClock.accelerated({ start, factor: settings.speed ?? 1 });
    case "stepped":
      return SimClock.manual(start);
  }
}

/** A world factory for the settings (called again by `reset`). */
export function worldFactory(settings: SimulatorSettings, recording: RecordingFile | undefined): () => SimWorld {
  const replayText = settings.replayPath === undefined ? undefined : readFileSync(settings.replayPath, "utf8");
  const account = settings.account ?? DEFAULT_SERVER_CONFIG.account;
  return () => {
    let market: MarketSource;
    let clock: SimClock;
    if (replayText !== undefined) {
      const probe = ReplayMarket.fromText(replayText);
      clock = makeClock(settings, settings.startMs ?? probe.header.start);
      market = ReplayMarket.fromText(replayText, { clock });
    } else {
      clock = makeClock(settings, settings.startMs ?? Date.now());
      market = new SimMarket({ seed: settings.seed, clock, start: clock.now() });
    }
    if (recording !== undefined) {
      recording.restart();
      market = new RecordingMarket(market, { write: recording.write, seed: settings.seed, meta: { source: "tws-sim" } });
    }
    const broker = new Broker(marketBrokerPorts(() => market), {
      account,
      ...(settings.startingCash === undefined ? {} : { startingCash: settings.startingCash }),
      ...(settings.fillLatencyMs === undefined ? {} : { fillLatencyMs: settings.fillLatencyMs }),
    });
    return { clock, market, broker };
  };
}

/** Builds and starts a simulator; resolves once the TWS API port is listening. */
export async function startSimulator(settings: SimulatorSettings, logger: Logger, metrics?: Metrics): Promise<RunningSimulator> {
  const config: TwsSimServerConfig = { ...DEFAULT_SERVER_CONFIG, ...settings };
  const recording = settings.recordPath === undefined ? undefined : new RecordingFile(settings.recordPath);
  const build = worldFactory(settings, recording);
  const server = new TwsSimServer({
    world: build(),
    rebuildWorld: build,
    config,
    logger,
    limits: limitFactories(config),
  });
  if (metrics !== undefined) registerSimMetrics(metrics, () => server.stats());
  const faults = new FaultInjector(server, { logger });
  server.attachFaults(faults);
  const address = await server.listen();
  return {
    server,
    faults,
    address,
    close: async () => {
      await server.close();
      recording?.close();
    },
  };
}
