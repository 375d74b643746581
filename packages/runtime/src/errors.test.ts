import { toJson } from "@bufbuild/protobuf";
import { StructSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createErrorInterceptor } from "./error-interceptor.js";
import {
  DomainError,
  INTERNAL_ERROR_MESSAGE,
  failedPrecondition,
  invalidArgument,
  notFound,
  resourceExhausted,
  toConnectError,
  unavailable,
} from "./errors.js";
import { buildServer } from "./server.js";
import type { ConnectServer } from "./server.js";
import { EchoService } from "./testing/echo-service.js";
import { captureLogger } from "./testing/log-capture.js";

describe("error helpers", () => {
  it("invalidArgument names the field, the expected form and the value given", () => {
    const error = invalidArgument("width", "a positive multiple of the strike increment", -5);
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toBe("invalid width: expected a positive multiple of the strike increment, got -5");
    const [detail] = error.findDetails(StructSchema);
    expect(detail && toJson(StructSchema, detail)).toEqual({
      field: "width",
      expected: "a positive multiple of the strike increment",
      given: "-5",
    });
  });

  it("shortens a huge given value", () => {
    expect(invalidArgument("legs", "at most 2 legs", "x".repeat(1_000)).rawMessage.length).toBeLessThan(300);
  });

  it("give the codes their names say", () => {
    expect(failedPrecondition("market closed").code).toBe(Code.FailedPrecondition);
    expect(unavailable("TWS not connected").code).toBe(Code.Unavailable);
    expect(resourceExhausted("pacing budget spent").code).toBe(Code.ResourceExhausted);
    const missing = notFound("strategy", "spy-puts");
    expect(missing.code).toBe(Code.NotFound);
    expect(missing.rawMessage).toBe('strategy "spy-puts" not found');
  });

  it("toConnectError maps domain errors, passes Connect errors and hides the rest", () => {
    const connect = new ConnectError("x", Code.Aborted);
    expect(toConnectError(connect)).toEqual({ error: connect, unexpected: false });
    const domain = toConnectError(new DomainError("resource_exhausted", "no market data lines left"));
    expect([domain.error.code, domain.error.rawMessage, domain.unexpected]).toEqual([
      Code.ResourceExhausted,
      "no market data lines left",
      false,
    ]);
    const cause = new TypeError("cannot read properties of undefined");
    const hidden = toConnectError(cause);
    expect([hidden.error.code, hidden.error.rawMessage, hidden.error.cause, hidden.unexpected]).toEqual([
      Code.Internal,
      INTERNAL_ERROR_MESSAGE,
      cause,
      true,
    ]);
    expect(toConnectError(new DOMException("aborted", "AbortError")).error.code).toBe(Code.Canceled);
  });
});

describe("error interceptor over a real call", () => {
  const { logger, lines } = captureLogger();
  let server: ConnectServer;
  let baseUrl: string;

  beforeAll(async () => {
    server = buildServer({
      logger,
      interceptors: [createErrorInterceptor({ logger })],
      routes: (router) =>
        router.service(EchoService, {
          echo(req) {
            switch (req.value) {
              case "not-found":
                throw new DomainError("not_found", 'strategy "spy-puts" not found');
              case "closed":
                throw new DomainError("failed_precondition", "market is closed", {
                  cause: new Error("session calendar says 16:00 ET"),
                });
              case "connect":
                throw invalidArgument("width", "a positive number", -5);
              default:
                throw new Error("connection to db://admin:hunter2@10.0.0.7 refused");
            }
          },
          async *split() {
            yield { value: "first" };
            await Promise.resolve();
            throw new RangeError("index 7 out of bounds in leg table");
          },
        }),
    });
    baseUrl = (await server.listen(0, "127.0.0.1")).url;
  });

  afterAll(async () => {
    await server.close({ drainTimeoutMs: 1_000 });
  });

  async function callEcho(value: string): Promise<ConnectError> {
    const client = createClient(EchoService, createConnectTransport({ baseUrl, httpVersion: "1.1" }));
    try {
      await client.echo({ value });
    } catch (error) {
      return ConnectError.from(error);
    }
    throw new Error("expected the call to fail");
  }

  it("maps a DomainError to its kind's code with its message", async () => {
    const error = await callEcho("not-found");
    expect(error.code).toBe(Code.NotFound);
    expect(error.rawMessage).toBe('strategy "spy-puts" not found');
  });

  it("keeps a DomainError's cause out of the response", async () => {
    const error = await callEcho("closed");
    expect(error.code).toBe(Code.FailedPrecondition);
    expect(error.rawMessage).toBe("market is closed");
    expect(JSON.stringify(error)).not.toContain("16:00");
  });

  it("passes ConnectErrors through with their details", async () => {
    const error = await callEcho("connect");
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.rawMessage).toBe("invalid width: expected a positive number, got -5");
    expect(error.findDetails(StructSchema)).toHaveLength(1);
  });

  it("turns an unknown error into Internal with a generic message, and logs the cause", async () => {
    lines.length = 0;
    const error = await callEcho("boom");
    expect(error.code).toBe(Code.Internal);
    expect(error.rawMessage).toBe(INTERNAL_ERROR_MESSAGE);
    expect(error.message).not.toContain("hunter2");

    const logged = lines.find((l) => l["code"] === "internal");
    expect(logged).toMatchObject({
      level: "error",
      rpc: "spreadops.testing.v1.EchoService/Echo",
      code: "internal",
      err: { type: "Error", message: "connection to db://admin:hunter2@10.0.0.7 refused" },
    });
    expect(String(logged?.["msg"])).toContain("refused");
  });

  it("maps an error thrown in the middle of a stream", async () => {
    lines.length = 0;
    const client = createClient(EchoService, createConnectTransport({ baseUrl, httpVersion: "2" }));
    const received: string[] = [];
    let caught: ConnectError | undefined;
    try {
      for await (const msg of client.split({ value: "" })) received.push(msg.value);
    } catch (error) {
      caught = ConnectError.from(error);
    }
    expect(received).toEqual(["first"]);
    expect(caught?.code).toBe(Code.Internal);
    expect(caught?.rawMessage).toBe(INTERNAL_ERROR_MESSAGE);
    expect(lines.find((l) => l["code"] === "internal")).toMatchObject({
      rpc: "spreadops.testing.v1.EchoService/Split",
      err: { type: "RangeError", message: "index 7 out of bounds in leg table" },
    });
  });

  it("logs expected failures below error level, with the domain error's cause", async () => {
    lines.length = 0;
    await callEcho("not-found");
    const notFoundLine = lines.find((l) => l["code"] === "not_found");
    expect(notFoundLine).toMatchObject({ level: "info", msg: 'rpc failed: strategy "spy-puts" not found' });
    expect(notFoundLine).not.toHaveProperty("err");

    await callEcho("closed");
    expect(lines.find((l) => l["code"] === "failed_precondition")).toMatchObject({
      level: "info",
      err: { message: "session calendar says 16:00 ET" },
    });
  });
});
