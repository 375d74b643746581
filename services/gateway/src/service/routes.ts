import type { ConnectRouter } from "@connectrpc/connect";
import { GatewayService } from "@spreadops/api";
import type { GatewayServiceImpl } from "./areas.js";

/** Registers the GatewayService on a router (the one place the gateway's routes are named). */
export function registerGatewayRoutes(router: ConnectRouter, service: GatewayServiceImpl): void {
  router.service(GatewayService, service);
}
