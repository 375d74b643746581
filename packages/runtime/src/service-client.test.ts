import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kHttpRequest } from "./context-keys.js";
import { Readiness } from "./health.js";
import { createMetrics } from "./metrics.js";
import { buildServer, type ConnectServer } from "./server.js";
import { connectService } from "./service-client.js";
import { EchoService } from "./testing/echo-service.js";
import { captureLogger } from "./testing/log-capture.js";

describe("connectService", () => {
  let server: ConnectServer;
  let baseUrl: string;

  beforeAll(async () => {
    server = buildServer({
      logger: captureLogger().logger,
      metrics: createMetrics({ service: "t", defaultMetrics: false }),
      readiness: new Readiness(),
      routes: (router) =>
        router.service(EchoService, {
          echo: (req, ctx) => ({ value: `${req.value} via HTTP/${ctx.values.get(kHttpRequest)?.httpVersion ?? "?"}` }),
          async *split(req) {
            for (const word of req.value.split(" ")) {
              await Promise.resolve();
              yield { value: word };
            }
          },
        }),
    });
    baseUrl = (await server.listen(0, "127.0.0.1")).url;
  });

  afterAll(async () => {
    await server.close({ drainTimeoutMs: 1_000 });
  });

  it("calls another service over HTTP/2", async () => {
    const connection = connectService(EchoService, { baseUrl });
    expect((await connection.client.echo({ value: "hi" })).value).toBe("hi via HTTP/2.0");
    connection.close();
  });

  it("runs extra interceptors after the tracing one", async () => {
    const calls: string[] = [];
    const connection = connectService(EchoService, {
      baseUrl,
      interceptors: [
        (next) => (req) => {
          calls.push(req.method.name);
          return next(req);
        },
      ],
    });
    await connection.client.echo({ value: "x" });
    connection.close();
    expect(calls).toEqual(["Echo"]);
  });

  it("registers its close with a lifecycle when given one, so shutdown releases the session", () => {
    const registered: string[] = [];
    const connection = connectService(EchoService, { baseUrl, lifecycle: { register: (name) => registered.push(name) } });
    expect(registered).toEqual([`${EchoService.name}-client`]);
    connection.close();
  });
});
