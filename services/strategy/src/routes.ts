import type { ConnectRouter } from "@connectrpc/connect";
import { StrategyService } from "@spreadops/api";
import type { StrategyServiceHandler } from "./strategy-service.js";

/** Registers the StrategyService on a router (the one place its routes are named). */
export function registerStrategyRoutes(router: ConnectRouter, service: StrategyServiceHandler): void {
  router.service(StrategyService, service);
}
