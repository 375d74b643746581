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

/**
 * A Connect client of GatewayService over HTTP/2 (h2c) with the runtime's client tracing
 * interceptor, so an order's trace continues into the gateway. The session is owned here so
 * shutdown (and the crash test) can drop it.
 */
export function connectGateway(options: { readonly baseUrl: string; readonly interceptors?: readonly Interceptor[] }): GatewayConnection {
  const sessionManager = new Http2SessionManager(options.baseUrl);
  const transport = createConnectTransport({
    baseUrl: options.baseUrl,
    httpVersion: "2",
    sessionManager,
    interceptors: [createClientTracingInterceptor(), ...(options.interceptors ?? [])],
  });
  return { client: createClient(GatewayService, transport), close: () => { sessionManager.abort(); } };
}
