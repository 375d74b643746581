import { setMaxListeners } from "node:events";
import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import { Code, ConnectError, createContextValues } from "@connectrpc/connect";
import type { ConnectRouter, ConnectRouterOptions, Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { kHttpRequest } from "./context-keys.js";
import { Readiness, livenessHandler, readinessHandler } from "./health.js";
import type { Logger } from "./logger.js";
import type { HttpHandler } from "./http-handler.js";
import { metricsHandler } from "./metrics.js";
import type { Metrics } from "./metrics.js";
import { sniffProtocol } from "./protocol-sniffer.js";

/** Connect router settings a service may tune; interceptors and shutdown are the server's. */
export type ConnectTuning = Omit<ConnectRouterOptions, "interceptors" | "shutdownSignal">;

/** Options for {@link buildServer}. */
export interface ServerOptions {
  /** Registers the service's RPCs, e.g. `(router) => router.service(GatewayService, impl)`. */
  readonly routes: (router: ConnectRouter) => void;
  /** Server interceptors, outermost first (see `defaultServerInterceptors`). */
  readonly interceptors?: readonly Interceptor[];
  readonly logger: Logger;
  /** Served on `/metrics` when given. */
  readonly metrics?: Metrics;
  /** Backs `/readyz`; a server without one is ready whenever it is up and not shutting down. */
  readonly readiness?: Readiness;
  /** Limits and protocol switches for the Connect router (readMaxBytes, maxTimeoutMs, …). */
  readonly connect?: ConnectTuning;
  /** More plain HTTP endpoints by exact path, e.g. `{ "/debug/state": handler }`. */
  readonly http?: Readonly<Record<string, HttpHandler>>;
  /** Serves every other path (e.g. a web app's static files); default 404. */
  readonly httpFallback?: HttpHandler;
  /** How long a new connection may stay silent before it is dropped; default 10 s. */
  readonly idleConnectTimeoutMs?: number;
}

/** Where a server listens. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  /** A base URL clients on this machine can use, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
}

/** Options for {@link ConnectServer.close}. */
export interface CloseOptions {
  /** How long in-flight calls may take to finish; default 10 s. */
  readonly drainTimeoutMs?: number;
  /**
   * After the drain time, calls are told to stop through the handler context's signal (connect's
   * `shutdownSignal`); this is how long they get to do so before connections are cut. Default 1 s.
   */
  readonly abortGraceMs?: number;
}

/** A built server: only a service's `main` calls {@link ConnectServer.listen}. */
export interface ConnectServer {
  /** Starts accepting connections; port 0 picks a free port. */
  listen(port: number, host?: string): Promise<ServerAddress>;
  /**
   * Stops accepting, lets in-flight calls finish within the drain time, then aborts and cuts
   * what is left. Safe to call more than once; later calls get the first call's promise.
   */
  close(options?: CloseOptions): Promise<void>;
  /** Requests (RPCs and plain HTTP) being served right now. */
  readonly inFlight: number;
  /** Set once listening. */
  readonly address: ServerAddress | undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function formatAddress(info: net.AddressInfo): ServerAddress {
  let connectHost = info.address;
  if (connectHost === "0.0.0.0") connectHost = "127.0.0.1";
  if (connectHost === "::") connectHost = "::1";
  const urlHost = connectHost.includes(":") ? `[${connectHost}]` : connectHost;
  return { host: info.address, port: info.port, url: `http://${urlHost}:${info.port}` };
}

/**
 * Builds the HTTP server of a service: Connect RPCs (Connect, gRPC and gRPC-web protocols) plus
 * `/healthz`, `/readyz` and `/metrics`, all on one port that speaks both HTTP/2 with prior
 * knowledge (h2c) and HTTP/1.1.
 *
 * A plain `net.Server` accepts connections, looks at the first bytes for the HTTP/2 preface and
 * hands the socket to an `http2` or an `http` server that never listen themselves.
 */
export function buildServer(options: ServerOptions): ConnectServer {
  const logger = options.logger.child({ component: "server" });
  const readiness = options.readiness ?? new Readiness();
  const shutdown = new AbortController();
  // Connect links every in-flight call's signal to this one: more than Node's default warning
  // threshold of 10 concurrent calls is normal load, not a listener leak.
  setMaxListeners(0, shutdown.signal);
  const idleConnectTimeoutMs = options.idleConnectTimeoutMs ?? 10_000;

  const plain = new Map<string, HttpHandler>([
    ["/healthz", livenessHandler()],
    ["/readyz", readinessHandler(readiness)],
  ]);
  if (options.metrics !== undefined) plain.set("/metrics", metricsHandler(options.metrics.registry));
  for (const [path, handler] of Object.entries(options.http ?? {})) plain.set(path, handler);

  const rpc = connectNodeAdapter({
    ...options.connect,
    routes: options.routes,
    interceptors: [...(options.interceptors ?? [])],
    shutdownSignal: shutdown.signal,
    contextValues: (req) =>
      createContextValues().set(kHttpRequest, {
        httpVersion: req.httpVersion,
        ...(req.socket.remoteAddress === undefined ? {} : { remoteAddress: req.socket.remoteAddress }),
      }),
    fallback: (req, res) => {
      const handler = plain.get((req.url ?? "").split("?", 1)[0] ?? "") ?? options.httpFallback;
      if (handler === undefined) {
        res.statusCode = 404;
        res.setHeader("content-type", "text/plain; charset=utf-8");
        res.end("not found\n");
        return;
      }
      handler(req, res);
    },
  });

  // Connection bookkeeping, so close() can tell idle from busy and cut what is left at the end.
  const sockets = new Set<net.Socket>();
  const undecided = new Set<net.Socket>();
  const http1Busy = new Map<net.Socket, number>();
  const sessions = new Set<http2.ServerHttp2Session>();
  let inFlight = 0;
  let closing = false;
  const drainWaiters = new Set<() => void>();

  const onRequest = (
    req: http.IncomingMessage | http2.Http2ServerRequest,
    res: http.ServerResponse | http2.Http2ServerResponse,
  ): void => {
    inFlight++;
    const http1Socket = req.httpVersionMajor === 1 ? req.socket : undefined;
    if (http1Socket !== undefined) {
      http1Busy.set(http1Socket, (http1Busy.get(http1Socket) ?? 0) + 1);
      // Tell HTTP/1.1 clients not to reuse the connection once we are shutting down.
      if (closing) res.setHeader("connection", "close");
    }
    res.once("close", () => {
      inFlight--;
      // A response can outlive its connection (client gone); a closed socket stays forgotten.
      const busyBefore = http1Socket === undefined ? undefined : http1Busy.get(http1Socket);
      if (http1Socket !== undefined && busyBefore !== undefined) {
        const busy = busyBefore - 1;
        http1Busy.set(http1Socket, busy);
        if (closing && busy === 0) http1Socket.end();
      }
      if (inFlight === 0) for (const wake of drainWaiters) wake();
    });
    rpc(req, res);
  };

  const http1Server = http.createServer(onRequest);
  const http2Server = http2.createServer(onRequest);
  http2Server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    if (closing) session.close();
  });
  http2Server.on("sessionError", (error) => {
    logger.debug({ err: error }, "http/2 session error");
  });

  const netServer = net.createServer((socket) => {
    sockets.add(socket);
    undecided.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      undecided.delete(socket);
      http1Busy.delete(socket);
    });
    sniffProtocol(socket, idleConnectTimeoutMs).then(
      (protocol) => {
        undecided.delete(socket);
        if (protocol === "h2c") {
          http2Server.emit("connection", socket);
        } else {
          http1Busy.set(socket, 0);
          http1Server.emit("connection", socket);
        }
      },
      (error: unknown) => {
        logger.debug({ reason: describe(error) }, "dropping connection before its first request");
        socket.destroy();
      },
    );
  });
  netServer.on("error", (error) => {
    logger.error({ err: error }, "listening socket failed");
  });

  let address: ServerAddress | undefined;
  let closed: Promise<void> | undefined;

  function waitForDrain(timeoutMs: number): Promise<boolean> {
    if (inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        drainWaiters.delete(wake);
        resolve(true);
      };
      const timer = setTimeout(() => {
        drainWaiters.delete(wake);
        resolve(false);
      }, timeoutMs);
      drainWaiters.add(wake);
    });
  }

  function within(promise: Promise<void>, timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      promise.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => {
          resolve(false);
        }, timeoutMs);
      }),
    ]).finally(() => {
      clearTimeout(timer);
    });
  }

  async function doClose(closeOptions: CloseOptions): Promise<void> {
    const drainTimeoutMs = closeOptions.drainTimeoutMs ?? 10_000;
    const abortGraceMs = closeOptions.abortGraceMs ?? 1_000;
    closing = true;
    readiness.setShuttingDown();

    const stopped = netServer.listening
      ? new Promise<void>((resolve) => {
          netServer.close(() => {
            resolve();
          });
        })
      : Promise.resolve();

    for (const socket of undecided) socket.destroy();
    for (const [socket, busy] of http1Busy) if (busy === 0) socket.end();
    // GOAWAY: no new streams, open ones run to completion.
    for (const session of sessions) session.close();

    logger.info({ inFlight, drainTimeoutMs }, "draining");
    if (!(await waitForDrain(drainTimeoutMs))) {
      logger.warn({ inFlight, drainTimeoutMs }, "drain time is up, aborting in-flight calls");
      shutdown.abort(new ConnectError("server is shutting down", Code.Unavailable));
      await waitForDrain(abortGraceMs);
    }
    // Finished responses may still be on their way out; give connections a moment to close
    // on their own before cutting them.
    if (!(await within(stopped, abortGraceMs))) {
      logger.warn({ connections: sockets.size }, "cutting connections that did not close");
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      await stopped;
    }
    logger.info("server closed");
  }

  return {
    listen(port: number, host?: string): Promise<ServerAddress> {
      if (closing) return Promise.reject(new Error("server is closed"));
      if (netServer.listening) return Promise.reject(new Error("server is already listening"));
      return new Promise((resolve, reject) => {
        const onError = (error: Error): void => {
          netServer.off("listening", onListening);
          reject(error);
        };
        const onListening = (): void => {
          netServer.off("error", onError);
          address = formatAddress(netServer.address() as net.AddressInfo);
          logger.info({ address: address.url }, "listening (HTTP/1.1 and h2c)");
          resolve(address);
        };
        netServer.once("error", onError);
        netServer.once("listening", onListening);
        netServer.listen(host === undefined ? { port } : { port, host });
      });
    },
    close(closeOptions: CloseOptions = {}): Promise<void> {
      closed ??= doClose(closeOptions);
      return closed;
    },
    get inFlight() {
      return inFlight;
    },
    get address() {
      return address;
    },
  };
}
