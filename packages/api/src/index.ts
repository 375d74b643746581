// The public surface of @spreadops/api: every message, enum and service generated from
// proto/spreadops/v1 (see docs/contracts.md). Services import from here, never from ./gen, so a
// proto file can be split or renamed without touching them.
export * from "./gen/spreadops/v1/common_pb.js";
export * from "./gen/spreadops/v1/market_pb.js";
export * from "./gen/spreadops/v1/gateway_pb.js";
export * from "./gen/spreadops/v1/scanner_pb.js";
export * from "./gen/spreadops/v1/strategy_pb.js";
export * from "./gen/spreadops/v1/execution_pb.js";
export * from "./gen/spreadops/v1/console_pb.js";
