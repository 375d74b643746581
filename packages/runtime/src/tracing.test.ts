import { createClient } from "@connectrpc/connect";
import type { Client } from "@connectrpc/connect";
import { Http2SessionManager, createConnectTransport } from "@connectrpc/connect-node";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createErrorInterceptor } from "./error-interceptor.js";
import { DomainError } from "./errors.js";
import { buildServer } from "./server.js";
import type { ConnectServer } from "./server.js";
import { EchoService } from "./testing/echo-service.js";
import { captureLogger } from "./testing/log-capture.js";
import { createClientTracingInterceptor, createServerTracingInterceptor } from "./tracing-interceptors.js";
import { resolveTraceExportUrl, setupTracing } from "./tracing.js";
import type { Tracing } from "./tracing.js";

describe("resolveTraceExportUrl", () => {
  it("exports nowhere unless an endpoint is configured", () => {
    expect(resolveTraceExportUrl(undefined, {})).toBeUndefined();
    expect(resolveTraceExportUrl(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: "" })).toBeUndefined();
  });

  it("appends /v1/traces to base endpoints and takes the traces endpoint as is", () => {
    expect(resolveTraceExportUrl("http://collector:4318/", {})).toBe("http://collector:4318/v1/traces");
    expect(resolveTraceExportUrl(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" })).toBe("http://c:4318/v1/traces");
    expect(
      resolveTraceExportUrl(undefined, {
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://t:4318/custom",
      }),
    ).toBe("http://t:4318/custom");
    expect(resolveTraceExportUrl("http://explicit:4318", { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" })).toBe(
      "http://explicit:4318/v1/traces",
    );
  });
});

describe("trace propagation over a real server", () => {
  const exporter = new InMemorySpanExporter();
  const { logger, lines } = captureLogger();
  let tracing: Tracing;
  let server: ConnectServer;
  let sessionManager: Http2SessionManager;
  let client: Client<typeof EchoService>;
  const seenInHandler: string[] = [];

  beforeAll(async () => {
    tracing = setupTracing({ serviceName: "trace-test", env: {}, spanProcessors: [new SimpleSpanProcessor(exporter)] });
    expect(tracing.exportUrl).toBeUndefined();
    server = buildServer({
      logger,
      interceptors: [createServerTracingInterceptor(), createErrorInterceptor({ logger })],
      routes: (router) =>
        router.service(EchoService, {
          async echo(req) {
            await Promise.resolve();
            seenInHandler.push(trace.getActiveSpan()?.spanContext().traceId ?? "none");
            logger.info("inside handler");
            if (req.value === "missing") throw new DomainError("not_found", "no such strategy");
            if (req.value === "crash") throw new Error("null deref");
            return { value: req.value };
          },
          async *split(req) {
            for (const word of req.value.split(" ")) {
              await Promise.resolve();
              seenInHandler.push(trace.getActiveSpan()?.spanContext().traceId ?? "none");
              yield { value: word };
            }
          },
        }),
    });
    const { url } = await server.listen(0, "127.0.0.1");
    sessionManager = new Http2SessionManager(url);
    client = createClient(
      EchoService,
      createConnectTransport({ baseUrl: url, httpVersion: "2", sessionManager, interceptors: [createClientTracingInterceptor()] }),
    );
  });

  afterAll(async () => {
    sessionManager.abort();
    await server.close({ drainTimeoutMs: 1_000 });
    await tracing.shutdown();
  });

  beforeEach(() => {
    exporter.reset();
    lines.length = 0;
    seenInHandler.length = 0;
  });

  async function spansNamed(count: number): Promise<{ client: ReadableSpan; server: ReadableSpan; all: ReadableSpan[] }> {
    await vi.waitFor(() => {
      expect(exporter.getFinishedSpans().length).toBeGreaterThanOrEqual(count);
    });
    const all = exporter.getFinishedSpans();
    const clientSpan = all.find((s) => s.kind === SpanKind.CLIENT);
    const serverSpan = all.find((s) => s.kind === SpanKind.SERVER);
    if (clientSpan === undefined || serverSpan === undefined) throw new Error("missing client or server span");
    return { client: clientSpan, server: serverSpan, all };
  }

  it("makes the server span a child of the client span in the caller's trace", async () => {
    const tracer = tracing.provider.getTracer("test");
    await tracer.startActiveSpan("scan", async (root) => {
      await client.echo({ value: "hi" });
      root.end();
    });
    const { client: clientSpan, server: serverSpan, all } = await spansNamed(3);
    const root = all.find((s) => s.name === "scan");

    expect(clientSpan.spanContext().traceId).toBe(root?.spanContext().traceId);
    expect(clientSpan.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
    expect(serverSpan.spanContext().traceId).toBe(clientSpan.spanContext().traceId);
    expect(serverSpan.parentSpanContext?.spanId).toBe(clientSpan.spanContext().spanId);
    expect(serverSpan.parentSpanContext?.isRemote).toBe(true);

    expect(serverSpan.name).toBe("spreadops.testing.v1.EchoService/Echo");
    expect(serverSpan.attributes).toMatchObject({
      "rpc.system": "connect_rpc",
      "rpc.service": "spreadops.testing.v1.EchoService",
      "rpc.method": "Echo",
    });
    expect(serverSpan.resource.attributes["service.name"]).toBe("trace-test");

    // The handler ran inside the server span, and so did its log line.
    expect(seenInHandler).toEqual([serverSpan.spanContext().traceId]);
    expect(lines.find((l) => l["msg"] === "inside handler")).toMatchObject({
      traceId: serverSpan.spanContext().traceId,
      spanId: serverSpan.spanContext().spanId,
    });
  });

  it("records a client error code without marking the server span failed", async () => {
    await expect(client.echo({ value: "missing" })).rejects.toThrow("no such strategy");
    const { client: clientSpan, server: serverSpan } = await spansNamed(2);
    expect(serverSpan.attributes["rpc.connect_rpc.error_code"]).toBe("not_found");
    expect(serverSpan.status.code).toBe(SpanStatusCode.UNSET);
    expect(clientSpan.attributes["rpc.connect_rpc.error_code"]).toBe("not_found");
    expect(clientSpan.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("marks the server span failed for internal errors and logs the trace id", async () => {
    await expect(client.echo({ value: "crash" })).rejects.toThrow("internal error");
    const { server: serverSpan } = await spansNamed(2);
    expect(serverSpan.status.code).toBe(SpanStatusCode.ERROR);
    expect(serverSpan.attributes["rpc.connect_rpc.error_code"]).toBe("internal");
    expect(lines.find((l) => l["code"] === "internal")).toMatchObject({
      rpc: "spreadops.testing.v1.EchoService/Echo",
      traceId: serverSpan.spanContext().traceId,
      err: { message: "null deref" },
    });
  });

  it("keeps server-streaming calls in one trace and ends spans with the stream", async () => {
    const words: string[] = [];
    for await (const msg of client.split({ value: "a b c" })) words.push(msg.value);
    expect(words).toEqual(["a", "b", "c"]);
    const { client: clientSpan, server: serverSpan } = await spansNamed(2);
    expect(serverSpan.spanContext().traceId).toBe(clientSpan.spanContext().traceId);
    expect(serverSpan.parentSpanContext?.spanId).toBe(clientSpan.spanContext().spanId);
    expect(seenInHandler).toEqual([1, 2, 3].map(() => serverSpan.spanContext().traceId));
    expect(serverSpan.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("refuses to set tracing up twice", () => {
    expect(() => setupTracing({ serviceName: "again", env: {} })).toThrow(/already set up/);
  });
});
