import * as http2 from "node:http2";
import { createClient } from "@connectrpc/connect";
import type { Client } from "@connectrpc/connect";
import { Http2SessionManager, createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kHttpRequest } from "./context-keys.js";
import { Readiness } from "./health.js";
import { createMetrics } from "./metrics.js";
import { createRpcMetricsInterceptor } from "./rpc-metrics.js";
import { buildServer } from "./server.js";
import type { ConnectServer } from "./server.js";
import { EchoService } from "./testing/echo-service.js";
import { captureLogger } from "./testing/log-capture.js";

/** GET over HTTP/2 with prior knowledge, without Connect in the way. */
async function h2Get(baseUrl: string, path: string): Promise<{ status: number; body: string }> {
  const session = http2.connect(baseUrl);
  try {
    return await new Promise((resolve, reject) => {
      const stream = session.request({ ":path": path, ":method": "GET" });
      let status = 0;
      let body = "";
      stream.on("response", (headers) => {
        status = Number(headers[":status"]);
      });
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => (body += chunk));
      stream.on("end", () => {
        resolve({ status, body });
      });
      stream.on("error", reject);
    });
  } finally {
    session.close();
  }
}

describe("buildServer", () => {
  const { logger } = captureLogger();
  const metrics = createMetrics({ service: "echo-test" });
  const readiness = new Readiness();
  let tradingOpen = false;
  readiness.add("tws-connected", () => ({ ok: tradingOpen, message: tradingOpen ? "connected" : "no TWS session" }));
  let server: ConnectServer;
  let baseUrl: string;
  const sessions: Http2SessionManager[] = [];

  beforeAll(async () => {
    server = buildServer({
      logger,
      metrics,
      readiness,
      interceptors: [createRpcMetricsInterceptor(metrics)],
      routes: (router) =>
        router.service(EchoService, {
          echo: (req, ctx) => ({ value: `${req.value} via HTTP/${ctx.values.get(kHttpRequest)?.httpVersion ?? "?"}` }),
          async *split(req, ctx) {
            for (const word of req.value.split(" ")) {
              await Promise.resolve();
              yield { value: `${word}@${ctx.values.get(kHttpRequest)?.httpVersion ?? "?"}` };
            }
          },
        }),
    });
    const address = await server.listen(0, "127.0.0.1");
    expect(address.port).toBeGreaterThan(0);
    baseUrl = address.url;
  });

  afterAll(async () => {
    for (const session of sessions) session.abort();
    await server.close({ drainTimeoutMs: 1_000 });
  });

  function client(kind: "connect-h2" | "connect-h1" | "grpc"): Client<typeof EchoService> {
    if (kind === "connect-h1") return createClient(EchoService, createConnectTransport({ baseUrl, httpVersion: "1.1" }));
    const sessionManager = new Http2SessionManager(baseUrl);
    sessions.push(sessionManager);
    return createClient(
      EchoService,
      kind === "grpc"
        ? createGrpcTransport({ baseUrl, sessionManager })
        : createConnectTransport({ baseUrl, httpVersion: "2", sessionManager }),
    );
  }

  it("answers a unary call over HTTP/2 cleartext", async () => {
    const res = await client("connect-h2").echo({ value: "hello" });
    expect(res.value).toBe("hello via HTTP/2.0");
  });

  it("answers a unary call over HTTP/1.1 on the same port", async () => {
    const res = await client("connect-h1").echo({ value: "hello" });
    expect(res.value).toBe("hello via HTTP/1.1");
  });

  it("streams over HTTP/2 and over HTTP/1.1", async () => {
    const h2: string[] = [];
    for await (const msg of client("connect-h2").split({ value: "buy the spread" })) h2.push(msg.value);
    expect(h2).toEqual(["buy@2.0", "the@2.0", "spread@2.0"]);

    const h1: string[] = [];
    for await (const msg of client("connect-h1").split({ value: "sell it" })) h1.push(msg.value);
    expect(h1).toEqual(["sell@1.1", "it@1.1"]);
  });

  it("serves the gRPC protocol over h2c", async () => {
    const res = await client("grpc").echo({ value: "grpc" });
    expect(res.value).toBe("grpc via HTTP/2.0");
  });

  it("serves /healthz on both protocols", async () => {
    const h1 = await fetch(`${baseUrl}/healthz`);
    expect(h1.status).toBe(200);
    expect(await h1.json()).toEqual({ ok: true });
    const h2 = await h2Get(baseUrl, "/healthz");
    expect(h2.status).toBe(200);
    expect(JSON.parse(h2.body)).toEqual({ ok: true });
  });

  it("answers unknown paths with 404", async () => {
    const res = await fetch(`${baseUrl}/nope`);
    expect(res.status).toBe(404);
  });

  it("serves /metrics in the Prometheus text format", async () => {
    await client("connect-h1").echo({ value: "count me" });
    const res = await fetch(`${baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain("# TYPE spreadops_rpc_server_handled_total counter");
    // A default Node metric, labelled with the service like everything else.
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="echo-test"\} \d/m);
    const sample = /^spreadops_rpc_server_handled_total\{([^}]*)\} (\d+(?:\.\d+)?)$/m.exec(
      text.split("\n").filter((l) => l.includes('rpc_method="Echo"') && l.includes('code="ok"')).join("\n"),
    );
    expect(sample).not.toBeNull();
    const labels: Record<string, string> = {};
    for (const [, name = "", value = ""] of (sample?.[1] ?? "").matchAll(/(\w+)="([^"]*)"/g)) labels[name] = value;
    expect(labels).toMatchObject({ service: "echo-test", rpc_service: "spreadops.testing.v1.EchoService", code: "ok" });
    expect(Number(sample?.[2])).toBeGreaterThanOrEqual(1);
  });

  it("reports not ready with the failing check named, then ready once it passes", async () => {
    tradingOpen = false;
    const before = await fetch(`${baseUrl}/readyz`);
    expect(before.status).toBe(503);
    const body = (await before.json()) as { ok: boolean; checks: { name: string; ok: boolean; message: string }[] };
    expect(body.ok).toBe(false);
    expect(body.checks).toContainEqual(expect.objectContaining({ name: "tws-connected", ok: false, message: "no TWS session" }));

    tradingOpen = true;
    const after = await h2Get(baseUrl, "/readyz");
    expect(after.status).toBe(200);
    expect(JSON.parse(after.body)).toMatchObject({ ok: true, checks: [{ name: "tws-connected", ok: true }] });
  });

  it("rejects listening on a port that is taken, and closes cleanly without having listened", async () => {
    const port = Number(new URL(baseUrl).port);
    const second = buildServer({ logger, routes: () => undefined });
    await expect(second.listen(port, "127.0.0.1")).rejects.toMatchObject({ code: "EADDRINUSE" });
    const closing = second.close();
    expect(second.close()).toBe(closing);
    await closing;
    await expect(second.listen(0)).rejects.toThrow("server is closed");
  });
});
