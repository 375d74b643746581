/**
 * The gateway service: the platform's one TWS session served over the Connect GatewayService.
 * See docs/gateway.md.
 *
 * @packageDocumentation
 */

export { gatewayAreas, gatewayDefinition, gatewayOptions } from "./gateway-main.js";
export type { GatewayConfig } from "./gateway-main.js";
export { buildGateway } from "./service/build.js";
export type { BuildGatewayOptions, Gateway, GatewayAreaContext, GatewayAreas, GatewayCoreConfig } from "./service/build.js";
export { GatewayServiceHandler, NOT_LEADER_MESSAGE } from "./service/gateway-service.js";
export type { ConnectionView, GatewayServiceDeps } from "./service/gateway-service.js";
export { registerGatewayRoutes } from "./service/routes.js";
export { toConnectionStatusMessage } from "./service/connection-status.js";
export type { GatewayServiceImpl, MarketDataArea, OrdersArea } from "./service/areas.js";
export { requestValidators } from "./service/validation/index.js";
export type { RequestValidators } from "./service/validation/index.js";
export { twsConnectionOptions } from "./connection/options.js";
export type { TwsConnectionConfig } from "./connection/options.js";
