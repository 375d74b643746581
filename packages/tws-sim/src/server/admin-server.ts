/**
 * Serves the admin endpoints (`admin/admin-http.ts`) with the runtime's server on their own
 * port, next to `/metrics`, `/healthz` and `/readyz`. `spreadops sim` gets the same endpoints
 * through its service definition; `spreadops all` uses this because its main port serves the
 * platform.
 */
import type { ConnectServer, HttpHandler, Logger, Metrics, Readiness, ServerAddress } from "@spreadops/runtime";
import { buildServer } from "@spreadops/runtime";
import { createAdminHandlers } from "./admin/admin-http.js";
import type { RunningSimulator } from "./simulator.js";

/** The admin HTTP handlers of a running simulator, by path. */
export function simulatorHttpHandlers(sim: RunningSimulator, logger: Logger): Record<string, HttpHandler> {
  return createAdminHandlers(sim.server, sim.faults, logger);
}

/** A started admin server. */
export interface AdminServer {
  readonly server: ConnectServer;
  readonly address: ServerAddress;
}

/** Starts the admin HTTP server of `sim` on `host:port` (0 picks a free port). */
export async function startAdminServer(options: {
  readonly sim: RunningSimulator;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly readiness?: Readiness;
  readonly host: string;
  readonly port: number;
}): Promise<AdminServer> {
  const server = buildServer({
    routes: () => undefined,
    logger: options.logger,
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.readiness === undefined ? {} : { readiness: options.readiness }),
    http: simulatorHttpHandlers(options.sim, options.logger),
  });
  const address = await server.listen(options.port, options.host);
  return { server, address };
}
