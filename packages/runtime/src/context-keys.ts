import { createContextKey } from "@connectrpc/connect";

/** Facts about the HTTP request an RPC arrived on, for handlers and interceptors. */
export interface HttpRequestInfo {
  /** `"1.1"` or `"2.0"`. */
  readonly httpVersion: string;
  readonly remoteAddress?: string;
}

/**
 * Context key under which the server puts {@link HttpRequestInfo} for every call; read it with
 * `ctx.values.get(kHttpRequest)` in a handler or `req.contextValues.get(kHttpRequest)` in an
 * interceptor. Kept in its own module so importing it never pulls in the server.
 */
export const kHttpRequest = createContextKey<HttpRequestInfo | undefined>(undefined, {
  description: "spreadops http request info",
});
