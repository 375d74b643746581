/*
 * The TWS API wire protocol at server version 176: bytes ⇄ typed messages. No sockets, no
 * market or broker logic. See docs/tws-protocol-notes.md for the decisions this codec makes.
 */
export * from "./contract.js";
export * from "./errors.js";
export * from "./field-writer.js";
export * from "./fields.js";
export * from "./framing.js";
export * from "./handshake.js";
export * from "./message-ids.js";
export * from "./order.js";
export * from "./order-conditions.js";
export * from "./requests/index.js";
export * from "./responses/index.js";
export * from "./tag-values.js";
export * from "./time-format.js";
