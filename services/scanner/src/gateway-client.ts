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

/** Options for {@link connectGateway}. */
export interface GatewayClientOptions {
  /** Base URL of the gateway, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  /** Extra interceptors after the tracing one. */
  readonly interceptors?: readonly Interceptor[];
}

/** The gateway through the runtime's one service client (HTTP/2, trace propagation). */
export function connectGateway(options: GatewayClientOptions): GatewayConnection {
  return connectService(GatewayService, options);
}
