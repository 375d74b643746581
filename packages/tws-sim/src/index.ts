/**
 * tws-sim: a TWS API socket-protocol server (server version 176) with a synthetic options
 * market, an order and account engine, fault injection and record/replay. See docs/simulator.md.
 *
 * @packageDocumentation
 */
export * from "./server/index.js";
export * as market from "./market/index.js";
export * as broker from "./broker/index.js";
export * as protocol from "./protocol/index.js";
