import type { Client } from "@connectrpc/connect";
import type { GatewayService } from "@spreadops/api";

/**
 * What the scanner needs of the gateway: option chains and historical bars. It is the generated
 * Connect client narrowed to those two methods, so production passes the real client and tests
 * hand a fake with the same signatures (request, call options with signal and timeout).
 */
export type GatewayPort = Pick<Client<typeof GatewayService>, "getOptionChain" | "getHistoricalBars">;
