import type { Client } from "@connectrpc/connect";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { DescService } from "@bufbuild/protobuf";
import { createClientTracingInterceptor } from "@spreadops/runtime";

/** A Connect client and the way to release its HTTP/2 session. */
export interface Connection<S extends DescService> {
  readonly client: Client<S>;
  /** Closes the HTTP/2 session; calls still in flight fail. */
  close(): void;
}

/**
 * A Connect client of `service` at `baseUrl` over HTTP/2 (h2c), with the runtime's client
 * tracing interceptor so an evaluation's trace continues into the gateway, scanner and
 * execution service.
 */
export function connect<S extends DescService>(service: S, baseUrl: string): Connection<S> {
  const sessionManager = new Http2SessionManager(baseUrl);
  const transport = createConnectTransport({ baseUrl, httpVersion: "2", sessionManager, interceptors: [createClientTracingInterceptor()] });
  return { client: createClient(service, transport), close: () => { sessionManager.abort(); } };
}
