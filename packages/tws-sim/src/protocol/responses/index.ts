/*
 * Encoders for every server message the simulator sends. Each returns the message's fields
 * (message id first); `encodeFrame` turns them into bytes.
 */
export * from "./account.js";
export * from "./completed-order.js";
export * from "./connection.js";
export * from "./contract-data.js";
export * from "./executions.js";
export * from "./historical.js";
export * from "./market-data.js";
export * from "./open-order.js";
export * from "./scanner.js";
