import { GatewayService } from "@spreadops/api";
import { connectService, type ServiceClientOptions } from "@spreadops/runtime";
import type { GatewayPort } from "./gateway-port.js";

/** A gateway client and the way to release its HTTP/2 session. */
export interface GatewayConnection {
  readonly client: GatewayPort;
  /** Closes the HTTP/2 session; calls still in flight fail. */
  close(): void;
}

/** Options for {@link connectGateway}. */
export type GatewayClientOptions = ServiceClientOptions;

/** The gateway through the runtime's one service client (HTTP/2, trace propagation). */
export function connectGateway(options: GatewayClientOptions): GatewayConnection {
  return connectService(GatewayService, options);
}
