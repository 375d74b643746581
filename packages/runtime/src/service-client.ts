import type { DescService } from "@bufbuild/protobuf";
import type { Client, Interceptor } from "@connectrpc/connect";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { Lifecycle } from "./shutdown.js";
import { createClientTracingInterceptor } from "./tracing-interceptors.js";

/** A Connect client of another SpreadOps service and the way to release its HTTP/2 session. */
export interface ServiceConnection<S extends DescService> {
  readonly client: Client<S>;
  /** Closes the HTTP/2 session; calls still in flight fail. */
  close(): void;
}

/** Options for {@link connectService}. */
export interface ServiceClientOptions {
  /** Base URL of the service, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  /** Extra interceptors, after the tracing one. */
  readonly interceptors?: readonly Interceptor[];
  /** When given, the session is closed at shutdown (registered as `<ServiceName>-client`). */
  readonly lifecycle?: Pick<Lifecycle, "register">;
}

/**
 * The one way a service calls another: a Connect client over HTTP/2 (h2c) — one multiplexed
 * session for every concurrent call — with the runtime's client tracing interceptor, so a trace
 * continues across services. The session is owned by the caller, so shutdown (or a test that
 * simulates a crash) can drop it.
 */
export function connectService<S extends DescService>(service: S, options: ServiceClientOptions): ServiceConnection<S> {
  const sessionManager = new Http2SessionManager(options.baseUrl);
  const transport = createConnectTransport({
    baseUrl: options.baseUrl,
    httpVersion: "2",
    sessionManager,
    interceptors: [createClientTracingInterceptor(), ...(options.interceptors ?? [])],
  });
  const close = (): void => {
    sessionManager.abort();
  };
  options.lifecycle?.register(`${service.name}-client`, close);
  return { client: createClient(service, transport), close };
}
