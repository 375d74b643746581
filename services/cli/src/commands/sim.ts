import { z } from "zod";
import { clockOffsetOption, commonOptions, duration, option, redactAccount, runService, type ServiceDefinition } from "@spreadops/runtime";
import { simulatorHttpHandlers, startSimulator, type RunningSimulator } from "@spreadops/tws-sim";
import type { Command } from "../command.js";

const port = (what: string) => z.number().int().min(0).max(65535).describe(what);

/**
 * `spreadops sim`'s options. The runtime's server (`port`) is the admin port here: it serves
 * the admin endpoints with /metrics, /healthz and /readyz; `--port` is the TWS API port.
 */
export function simOptions() {
  return {
    ...commonOptions("sim"),
    port: option({
      type: port("admin port"),
      env: "SPREADOPS_SIM_ADMIN_PORT",
      flag: "--admin-port",
      default: 7498,
      description: "Admin HTTP port: /stats, /faults…, /clock, /reset, /metrics, /healthz, /readyz (0 picks one).",
    }),
    host: option({
      type: z.string().min(1),
      env: "SPREADOPS_SIM_HOST",
      flag: "--host",
      default: "127.0.0.1",
      description: "Address of the TWS API and admin ports (0.0.0.0 exposes them beyond this machine).",
    }),
    twsPort: option({
      type: port("TWS API port"),
      env: "SPREADOPS_SIM_PORT",
      flag: "--port",
      default: 7497,
      description: "TWS API socket port clients connect to (7497 = TWS paper; 0 picks one).",
    }),
    seed: option({
      type: z.number().int().min(0),
      env: "SPREADOPS_SIM_SEED",
      flag: "--seed",
      default: 42,
      description: "Seed of the synthetic market: same seed and start, same market.",
    }),
    start: option({
      type: z.iso.datetime({ offset: true }).optional(),
      env: "SPREADOPS_SIM_START",
      flag: "--start",
      description: "Simulated start time (ISO 8601 with zone, e.g. 2026-03-10T14:00:00Z); default now. Ignored by --clock real.",
    }),
    clock: option({
      type: z.enum(["real", "accelerated", "stepped"]),
      env: "SPREADOPS_SIM_CLOCK",
      flag: "--clock",
      default: "real",
      description: "real: wall-clock time; accelerated: --speed times faster from --start; stepped: moves only via POST /clock.",
    }),
    speed: option({
      type: z.number().positive(),
      env: "SPREADOPS_SIM_SPEED",
      flag: "--speed",
      default: 1,
      description: "Simulated seconds per real second with --clock accelerated.",
    }),
    // The same option as the services': with the same value everywhere, the simulated market and
    // the platform agree on a market time (only with --clock real; a clock of its own ignores it).
    ...clockOffsetOption("sim"),
    account: option({
      type: z.string().regex(/^[A-Z]{1,2}\d+$/),
      env: "SPREADOPS_SIM_ACCOUNT",
      flag: "--account",
      default: "DU1234567",
      description: "The one managed account (paper accounts start with DU).",
      // Even a simulated account number is never logged in full: logs get copied around.
      logAs: (account: string) => redactAccount(account),
    }),
    startingCash: option({
      type: z.number().positive(),
      env: "SPREADOPS_SIM_STARTING_CASH",
      flag: "--starting-cash",
      default: 100_000,
      description: "Cash of the account at start and after reset, USD.",
    }),
    lineLimit: option({
      type: z.number().int().min(1),
      env: "SPREADOPS_SIM_LINE_LIMIT",
      flag: "--line-limit",
      default: 100,
      description: "Market-data lines of the account; one more reqMktData gets error 101.",
    }),
    rateLimit: option({
      type: z.number().int().min(1),
      env: "SPREADOPS_SIM_RATE_LIMIT",
      flag: "--rate-limit",
      default: 50,
      description: "Client messages per second per connection; more gets error 100.",
    }),
    rateDisconnectAfter: option({
      type: z.number().int().min(0),
      env: "SPREADOPS_SIM_RATE_DISCONNECT_AFTER",
      flag: "--rate-disconnect-after",
      default: 3,
      description: "Rate violations (error 100) after which the connection is closed; 0 never closes.",
    }),
    fillLatency: option({
      type: duration(),
      env: "SPREADOPS_SIM_FILL_LATENCY",
      flag: "--fill-latency",
      default: "50ms",
      description: "Simulated time between an order becoming marketable and its fill.",
    }),
    record: option({
      type: z.string().min(1).optional(),
      env: "SPREADOPS_SIM_RECORD",
      flag: "--record",
      description: "Record what clients see of the market to this file (JSON Lines) for --replay.",
    }),
    replay: option({
      type: z.string().min(1).optional(),
      env: "SPREADOPS_SIM_REPLAY",
      flag: "--replay",
      description: "Answer from this recording instead of the synthetic market.",
    }),
  };
}

/** The simulator as a runtime service: the admin port is the service's port. */
export function simService(version: string, onReady?: (sim: RunningSimulator) => void) {
  let running: RunningSimulator | undefined;
  const definition: ServiceDefinition<ReturnType<typeof simOptions>> = {
    name: "sim",
    version,
    summary: "A TWS API simulator: synthetic options market, order matching, faults, record/replay.",
    options: simOptions(),
    async start({ config, logger, metrics, readiness, lifecycle }) {
      const sim = await startSimulator(
        {
          host: config.host,
          port: config.twsPort,
          seed: config.seed,
          ...(config.clock === "real" && config.clockOffset !== 0
            ? { clock: "accelerated" as const, speed: 1, startMs: Date.now() + config.clockOffset * 1000 }
            : { clock: config.clock, speed: config.speed, ...(config.start === undefined ? {} : { startMs: Date.parse(config.start) }) }),
          account: config.account,
          startingCash: config.startingCash,
          lineLimit: config.lineLimit,
          maxMessagesPerSecond: config.rateLimit,
          rateDisconnectAfter: config.rateDisconnectAfter,
          fillLatencyMs: config.fillLatency,
          ...(config.record === undefined ? {} : { recordPath: config.record }),
          ...(config.replay === undefined ? {} : { replayPath: config.replay }),
        },
        logger,
        metrics,
      );
      running = sim;
      lifecycle.register("tws-sim", () => sim.close());
      readiness.add("tws-sim", () => ({ ok: true, message: `TWS API on ${sim.address.host}:${sim.address.port}` }));
      onReady?.(sim);
      return { routes: () => undefined, http: simulatorHttpHandlers(sim, logger) };
    },
  };
  return { definition, simulator: () => running };
}

/** `spreadops sim`. */
export function simCommand(version: string): Command {
  return {
    name: "sim",
    summary: "the TWS API simulator on its own (npm run sim)",
    run: (io) => {
      const { definition, simulator } = simService(version);
      return runService(definition, io, (service) => {
        const sim = simulator();
        service.logger.info(
          { tws: sim === undefined ? undefined : `${sim.address.host}:${sim.address.port}`, admin: service.address.url },
          "tws-sim ready",
        );
      });
    },
  };
}
