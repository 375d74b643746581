import type { Interceptor } from "@connectrpc/connect";
import { GatewayService } from "@spreadops/api";
import { connectService } from "@spreadops/runtime";
import type { GatewayPort } from "./gateway-port.js";

/** A gateway client and the way to release its HTTP/2 session. */
export interface GatewayConnection {
  readonly client: GatewayPort;
  /** Closes the HTTP/2 session; calls still in flight fail. */
  close(): void;
}

/** The gateway through the runtime's one service client (HTTP/2, trace propagation). */
export function connectGateway(options: { readonly baseUrl: string; readonly interceptors?: readonly Interceptor[] }): GatewayConnection {
  return connectService(GatewayService, options);
}
