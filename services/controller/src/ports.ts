import type { Client } from "@connectrpc/connect";
import type { ExecutionService, GatewayService, StrategyService } from "@spreadops/api";

/** What the controller calls on the strategy service. */
export type StrategyPort = Pick<Client<typeof StrategyService>, "evaluate" | "validateStrategy">;

/** What the controller calls on the execution service. */
export type ExecutionPort = Pick<
  Client<typeof ExecutionService>,
  "previewSpread" | "placeSpread" | "getSpread" | "cancelSpread" | "closeSpread" | "evaluateExits" | "streamSpreadEvents"
>;

/** What the controller calls on the gateway. */
export type GatewayPort = Pick<Client<typeof GatewayService>, "getConnectionStatus">;
