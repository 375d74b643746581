/**
 * The simulator's server: TWS API sessions over TCP, request handlers, the market loop and the
 * operator control surface. See docs/simulator.md.
 */
export type { Farm, OrdersByState, SimControl, SimStats } from "./control.js";
export { DEFAULT_SERVER_CONFIG, type TwsSimServerConfig } from "./config.js";
export {
  TwsSimServer,
  type FaultsPort,
  type LimitFactories,
  type SimWorld,
  type TwsSimAddress,
  type TwsSimServerOptions,
} from "./tws-sim-server.js";
export {
  limitFactories,
  startSimulator,
  worldFactory,
  type RunningSimulator,
  type SimClockMode,
  type SimulatorSettings,
} from "./simulator.js";
export { startAdminServer, simulatorHttpHandlers, type AdminServer } from "./admin-server.js";
export { marketBrokerPorts, contractInfo, brokerQuote } from "./broker-ports.js";
export { FaultInjector, parseFaultRequest, FaultRequestError, type FaultRequest } from "./faults/fault-injector.js";
