import type { ConnectRouter } from "@connectrpc/connect";
import { ScannerService } from "@spreadops/api";
import type { ScannerServiceHandler } from "./scanner-service.js";

/** Registers the ScannerService on a router (the one place the scanner's routes are named). */
export function registerScannerRoutes(router: ConnectRouter, service: ScannerServiceHandler): void {
  router.service(ScannerService, service);
}
