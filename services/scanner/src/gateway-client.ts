import type { Interceptor } from "@connectrpc/connect";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { GatewayService } from "@spreadops/api";
import { createClientTracingInterceptor } from "@spreadops/runtime";
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

/**
 * A Connect client of GatewayService over HTTP/2 (h2c): one multiplexed session for every
 * concurrent chain fetch, with the runtime's client tracing interceptor so a scan's trace
 * continues into the gateway. The session is owned here so shutdown can close it.
 */
export function connectGateway(options: GatewayClientOptions): GatewayConnection {
  const sessionManager = new Http2SessionManager(options.baseUrl);
  const transport = createConnectTransport({
    baseUrl: options.baseUrl,
    httpVersion: "2",
    sessionManager,
    interceptors: [createClientTracingInterceptor(), ...(options.interceptors ?? [])],
  });
  return {
    client: createClient(GatewayService, transport),
    close: () => { sessionManager.abort(); },
  };
}
