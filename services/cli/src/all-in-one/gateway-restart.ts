import { setTimeout as sleep } from "node:timers/promises";
import type { Lifecycle, Logger, Readiness, RunningService, SignalSource } from "@spreadops/runtime";
import { hostedReadiness } from "./host-service.js";

/** What {@link hostRestartableGateway} needs. */
export interface RestartableGatewayOptions {
  /** Starts a gateway listening on `port` (0 = a free one), the way `hostService` does. */
  readonly start: (port: number) => Promise<RunningService<unknown>>;
  /** The configured port. With 0 (tests) restarts reuse the port the first start got. */
  readonly port: number;
  readonly logger: Logger;
  /** The all-in-one's: its shutdown stops whichever gateway is current. */
  readonly lifecycle: Lifecycle;
  /** The all-in-one's: gets the "gateway" check, failing while a restart is under way. */
  readonly readiness: Readiness;
  /** Where SIGUSR2 comes from; without one only {@link RestartableGateway.restart} restarts. */
  readonly signals?: SignalSource;
  /** Wait before trying again when the new gateway does not start (its port not free yet); default 1 s. */
  readonly retryDelayMs?: number;
}

/** The all-in-one's gateway, which can be restarted in place. */
export interface RestartableGateway {
  /** Its base URL: the same before and after every restart, so the other services keep it. */
  readonly url: string;
  /** The gateway running now; undefined while a restart is under way. */
  current(): RunningService<unknown> | undefined;
  /**
   * Stops the gateway and starts a new one on the same port with the same flags, as a gateway
   * pod restart would. Calls during a restart share it. Never rejects: a gateway that does not
   * come back is logged and tried again until it does or the all-in-one shuts down.
   */
  restart(): Promise<void>;
}

/**
 * Hosts the gateway so that SIGUSR2 restarts it: the drill for what the other services and the
 * console do when the gateway goes away and comes back. It owns "the current gateway" — the
 * lifecycle entry, the readiness check and the signal listener all go through it, so shutdown
 * stops the gateway that runs then, not the one that ran first.
 */
export async function hostRestartableGateway(options: RestartableGatewayOptions): Promise<RestartableGateway> {
  const { start, logger, lifecycle, readiness, signals } = options;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const first = await start(options.port);
  // The port the first start got, so a restart with port 0 does not move the gateway.
  const { url, port } = first.address;
  let current: RunningService<unknown> | undefined = first;
  let restarting: Promise<void> | undefined;

  const startAgain = async (): Promise<RunningService<unknown> | undefined> => {
    for (let attempt = 1; !lifecycle.shuttingDown; attempt++) {
      try {
        return await start(port);
      } catch (error) {
        logger.error({ err: error, attempt, url }, "the gateway did not come back; trying again");
        await sleep(retryDelayMs);
      }
    }
    return undefined;
  };

  const restart = (): Promise<void> => {
    if (lifecycle.shuttingDown) return Promise.resolve();
    restarting ??= (async () => {
      logger.warn({ url }, "restarting the gateway (SIGUSR2)");
      const old = current;
      current = undefined;
      await old?.stop();
      current = await startAgain();
      if (current !== undefined) logger.info({ url }, `gateway back on ${url}`);
    })().finally(() => {
      restarting = undefined;
    });
    return restarting;
  };

  const onSignal = (): void => {
    void restart();
  };
  signals?.on("SIGUSR2", onSignal);
  lifecycle.register("gateway", async () => {
    signals?.off("SIGUSR2", onSignal);
    // A restart under way finishes first, so the gateway it starts is the one stopped here.
    await restarting;
    await current?.stop();
  });
  readiness.add("gateway", () => {
    if (current === undefined) throw new Error(`restarting (SIGUSR2), ${url}`);
    return hostedReadiness(current);
  });

  return { url, current: () => current, restart };
}
