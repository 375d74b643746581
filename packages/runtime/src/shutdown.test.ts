import { EventEmitter } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import type { HandlerContext } from "@connectrpc/connect";
import { Http2SessionManager, createConnectTransport } from "@connectrpc/connect-node";
import { describe, expect, it, vi } from "vitest";
import { buildServer } from "./server.js";
import { Lifecycle } from "./shutdown.js";
import type { SignalSource } from "./shutdown.js";
import { EchoService } from "./testing/echo-service.js";
import { captureLogger } from "./testing/log-capture.js";

function signals(): EventEmitter & SignalSource {
  return new EventEmitter() as EventEmitter & SignalSource;
}

describe("Lifecycle", () => {
  it("closes resources in reverse order of registration", async () => {
    const { logger } = captureLogger();
    const lifecycle = new Lifecycle({ logger });
    const closed: string[] = [];
    for (const name of ["tracing", "tws", "server"]) {
      lifecycle.register(name, async () => {
        await sleep(5);
        closed.push(name);
      });
    }
    const report = await lifecycle.shutdown("test");
    expect(closed).toEqual(["server", "tws", "tracing"]);
    expect(report).toMatchObject({ reason: "test", ok: true });
    expect(report.results.map((r) => r.name)).toEqual(["server", "tws", "tracing"]);
  });

  it("aborts `stopping` when shutdown begins, before the first resource closes", async () => {
    const { logger } = captureLogger();
    const lifecycle = new Lifecycle({ logger });
    const order: string[] = [];
    lifecycle.stopping.addEventListener("abort", () => { order.push("stopping"); });
    lifecycle.register("server", () => { order.push(`server closes (stopping aborted: ${String(lifecycle.stopping.aborted)})`); });
    expect(lifecycle.stopping.aborted).toBe(false);
    await Promise.all([lifecycle.shutdown("test"), lifecycle.shutdown("again")]);
    expect(order).toEqual(["stopping", "server closes (stopping aborted: true)"]);
  });

  it("keeps going past a failing close and a hanging one, and logs both", async () => {
    const { logger, lines } = captureLogger();
    const lifecycle = new Lifecycle({ logger });
    const closed: string[] = [];
    lifecycle.register("first", () => {
      closed.push("first");
    });
    lifecycle.register("hangs", () => new Promise<void>(() => undefined), { timeoutMs: 50 });
    lifecycle.register("throws", () => {
      throw new Error("socket already closed");
    });
    lifecycle.register("last", () => {
      closed.push("last");
    });

    const started = performance.now();
    const report = await lifecycle.shutdown();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(closed).toEqual(["last", "first"]);
    expect(report.ok).toBe(false);
    expect(report.results).toEqual([
      expect.objectContaining({ name: "last", ok: true }),
      expect.objectContaining({ name: "throws", ok: false, timedOut: false, error: "socket already closed" }),
      expect.objectContaining({ name: "hangs", ok: false, timedOut: true, error: "timed out after 50 ms" }),
      expect.objectContaining({ name: "first", ok: true }),
    ]);
    const failures = lines.filter((l) => l["msg"] === "close failed").map((l) => l["resource"]);
    expect(failures).toEqual(["throws", "hangs"]);
  });

  it("shuts down once however often it is asked", async () => {
    const lifecycle = new Lifecycle({ logger: captureLogger().logger });
    const close = vi.fn();
    lifecycle.register("x", close);
    const [a, b] = await Promise.all([lifecycle.shutdown(), lifecycle.shutdown()]);
    expect(a).toBe(b);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it("closes a resource registered after shutdown began right away", async () => {
    const lifecycle = new Lifecycle({ logger: captureLogger().logger });
    await lifecycle.shutdown();
    const close = vi.fn();
    lifecycle.register("late", close);
    await vi.waitFor(() => {
      expect(close).toHaveBeenCalledTimes(1);
    });
  });

  it("shuts down on SIGTERM, exits 0, and lets a second signal force the exit", async () => {
    const source = signals();
    const exit = vi.fn();
    const lifecycle = new Lifecycle({ logger: captureLogger().logger, exit });
    let release: () => void = () => undefined;
    lifecycle.register("slow", () => new Promise<void>((resolve) => (release = resolve)));
    const remove = lifecycle.handleSignals(source);

    source.emit("SIGTERM", "SIGTERM");
    expect(lifecycle.shuttingDown).toBe(true);
    await sleep(10);
    expect(exit).not.toHaveBeenCalled();

    source.emit("SIGINT", "SIGINT");
    expect(exit).toHaveBeenCalledWith(130);

    release();
    await lifecycle.shutdown();
    await vi.waitFor(() => {
      expect(exit).toHaveBeenLastCalledWith(0);
    });
    remove();
    expect(source.listenerCount("SIGTERM")).toBe(0);
  });

  it("exits 1 when something failed to close", async () => {
    const source = signals();
    const exit = vi.fn();
    const lifecycle = new Lifecycle({ logger: captureLogger().logger, exit });
    lifecycle.register("broken", () => Promise.reject(new Error("nope")));
    lifecycle.handleSignals(source);
    source.emit("SIGTERM", "SIGTERM");
    await vi.waitFor(() => {
      expect(exit).toHaveBeenCalledWith(1);
    });
  });
});

/** Resolves when the handler has started, so close() is called with the call in flight. */
function gate(): { started: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (open = resolve));
  return { started, open };
}

function untilAborted(ctx: HandlerContext): Promise<never> {
  return new Promise((_, reject) => {
    ctx.signal.addEventListener("abort", () => {
      reject(ctx.signal.reason as Error);
    });
  });
}

describe("server shutdown", () => {
  it("drains a slow in-flight call, refuses new connections, and closes in reverse order on SIGTERM", async () => {
    const { logger } = captureLogger();
    const inHandler = gate();
    const server = buildServer({
      logger,
      routes: (router) =>
        router.service(EchoService, {
          async echo(req) {
            inHandler.open();
            await sleep(300);
            return { value: `done ${req.value}` };
          },
        }),
    });
    const { url } = await server.listen(0, "127.0.0.1");
    const source = signals();
    const exit = vi.fn();
    const lifecycle = new Lifecycle({ logger, exit });
    const order: string[] = [];
    lifecycle.register("tracing", () => {
      order.push("tracing");
    });
    lifecycle.register("server", async () => {
      await server.close({ drainTimeoutMs: 5_000 });
      order.push("server");
    });
    lifecycle.handleSignals(source);

    const sessionManager = new Http2SessionManager(url);
    const client = createClient(EchoService, createConnectTransport({ baseUrl: url, httpVersion: "2", sessionManager }));
    const call = client.echo({ value: "slow" });
    await inHandler.started;
    expect(server.inFlight).toBe(1);

    source.emit("SIGTERM", "SIGTERM");
    await sleep(20);
    // The listener is closed: a new connection is refused while the old call still runs.
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    expect((await call).value).toBe("done slow");
    await vi.waitFor(() => {
      expect(exit).toHaveBeenCalledWith(0);
    });
    expect(order).toEqual(["server", "tracing"]);
    expect(server.inFlight).toBe(0);
    sessionManager.abort();
  });

  it("aborts a call that outlives the drain time through the handler's signal", async () => {
    const { logger, lines } = captureLogger();
    const inHandler = gate();
    const server = buildServer({
      logger,
      routes: (router) =>
        router.service(EchoService, {
          async echo(_req, ctx) {
            inHandler.open();
            return untilAborted(ctx);
          },
        }),
    });
    const { url } = await server.listen(0, "127.0.0.1");
    const client = createClient(EchoService, createConnectTransport({ baseUrl: url, httpVersion: "1.1" }));
    const outcome = client.echo({ value: "forever" }).then(
      () => undefined,
      (error: unknown) => ConnectError.from(error),
    );
    await inHandler.started;

    const started = performance.now();
    await server.close({ drainTimeoutMs: 200, abortGraceMs: 1_000 });
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(1_500);

    const error = await outcome;
    expect(error?.code).toBe(Code.Unavailable);
    expect(error?.rawMessage).toBe("server is shutting down");
    expect(lines.some((l) => l["msg"] === "drain time is up, aborting in-flight calls")).toBe(true);
  });

  it("cuts connections of a call that ignores the abort, within the bound", async () => {
    const { logger } = captureLogger();
    const inHandler = gate();
    const server = buildServer({
      logger,
      routes: (router) =>
        router.service(EchoService, {
          async echo() {
            inHandler.open();
            await sleep(60_000, undefined, { ref: false });
            return { value: "too late" };
          },
        }),
    });
    const { url } = await server.listen(0, "127.0.0.1");
    const sessionManager = new Http2SessionManager(url);
    const client = createClient(EchoService, createConnectTransport({ baseUrl: url, httpVersion: "2", sessionManager }));
    const outcome = client.echo({ value: "stuck" }).then(
      () => "answered",
      () => "failed",
    );
    await inHandler.started;

    const started = performance.now();
    await server.close({ drainTimeoutMs: 100, abortGraceMs: 200 });
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(await outcome).toBe("failed");
    sessionManager.abort();
  });
});
